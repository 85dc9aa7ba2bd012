"""New members: a one-time link to choose a password and sign in.

Both ways in use it: `manage.py create_member` prints the link, and an
organisation's administrators invite a colleague by e-mail from the site. The
link is Django's password-reset token: it is signed with SECRET_KEY, holds no
secret of its own in the database, stops working once the password is set
(the token covers the password hash) and expires after
PASSWORD_RESET_TIMEOUT (7 days).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from registry.links import absolute

from .models import Membership


class MemberExists(ValueError):
    pass


def sign_in_link(user) -> str:
    """The link on the site's default language (Dutch); the page offers English."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(settings.LANGUAGE_CODE):
        return absolute(reverse("member-set-password", args=[uid, token]))


def add_member(organisation, email, role):
    """The member for an e-mail address, created without a usable password
    when new; MemberExists when they already belong to the organisation."""
    email = get_user_model().objects.normalize_email(email.strip())
    with transaction.atomic():
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            user = get_user_model().objects.create_user(username=email, email=email)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if Membership.objects.filter(user=user, organisation=organisation).exists():
            raise MemberExists(email)
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def send_invitation(user, organisation, invited_by) -> None:
    link = sign_in_link(user)
    send_mail(
        _("You are invited to %(org)s in the Component Registry") % {"org": organisation.name},
        _(
            "%(who)s added you to %(org)s in the Component Registry.\n\n"
            "Choose your password and sign in with this link (valid for 7 days, once):\n"
            "%(link)s\n"
        )
        % {"who": invited_by, "org": organisation.name, "link": link},
        None,
        [user.email],
    )
