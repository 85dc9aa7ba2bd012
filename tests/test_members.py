"""New members without the admin: `manage.py create_member` prints a one-time
sign-in link; an organisation's administrators invite a colleague by e-mail."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Membership

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new long passphrase 42"


def create_member(*args):
    out = io.StringIO()
    call_command("create_member", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def _choose_password(client, link):
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else "/" + path
    return client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )


def test_create_member_prints_a_link_that_signs_the_new_member_in_once(utrecht):
    lines = create_member("gemeente-utrecht", "ilse@utrecht.nl", "--role", "admin")
    assert "ilse@utrecht.nl is now administrator of Gemeente Utrecht." in lines[0]
    link = lines[-1]
    assert re.match(r"^http://127\.0\.0\.1:8000/wachtwoord-kiezen/[^/]+/[^/]+$", link), link
    user = get_user_model().objects.get(email="ilse@utrecht.nl")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "admin"
    client = Client()
    answer = _choose_password(client, link)
    assert answer.redirect_chain[-1][0] == "/mijn-organisatie/gemeente-utrecht"
    assert "_auth_user_id" in client.session
    again = Client().get("/" + link.split("/", 3)[3], follow=True).content.decode()
    assert "Deze link is verlopen of al gebruikt" in again


def test_the_link_expires_after_seven_days(utrecht, monkeypatch):
    link = create_member("gemeente-utrecht", "kees@utrecht.nl")[-1]
    later = datetime.datetime.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = Client().get("/" + link.split("/", 3)[3], follow=True).content.decode()
    assert "Deze link is verlopen of al gebruikt" in page


@pytest.mark.parametrize(
    "args, message",
    [
        (["gemeente-nergens", "a@b.nl"], "no organisation with slug 'gemeente-nergens'"),
        (["gemeente-utrecht", "not-an-address"], "is not an e-mail address"),
        (["gemeente-utrecht", "a@b.nl", "--role", "owner"], "invalid choice"),
    ],
)
def test_create_member_refuses_bad_input_in_one_line_and_changes_nothing(utrecht, args, message):
    with pytest.raises(CommandError, match=message):
        create_member(*args)
    assert not get_user_model().objects.filter(email="a@b.nl").exists()


def test_create_member_refuses_someone_who_is_already_a_member(utrecht):
    create_member("gemeente-utrecht", "ilse@utrecht.nl")
    with pytest.raises(CommandError, match="already a member of Gemeente Utrecht"):
        create_member("gemeente-utrecht", "ilse@utrecht.nl")
    assert Membership.objects.filter(user__email="ilse@utrecht.nl").count() == 1


@pytest.fixture
def admin_client(utrecht):
    admin = MembershipFactory(
        user__username="anna", user__email="anna@utrecht.nl", organisation=utrecht, role="admin"
    ).user
    client = Client()
    client.force_login(admin)
    return client


INVITE = "/mijn-organisatie/gemeente-utrecht/leden"


def test_an_administrator_invites_a_colleague_who_signs_in_with_the_e_mailed_link(admin_client):
    response = admin_client.post(INVITE, {"email": "joost@utrecht.nl", "role": "editor"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["joost@utrecht.nl"]
    link = re.search(r"http://\S+", message.body).group(0)
    page = admin_client.get(INVITE).content.decode()
    assert "joost@utrecht.nl (redacteur) — uitgenodigd, nog niet ingelogd" in page
    newcomer = Client()
    _choose_password(newcomer, link)
    assert "_auth_user_id" in newcomer.session


def test_inviting_a_member_again_says_so_next_to_the_field(admin_client):
    admin_client.post(INVITE, {"email": "joost@utrecht.nl", "role": "editor"})
    page = admin_client.post(INVITE, {"email": "joost@utrecht.nl", "role": "editor"})
    assert page.status_code == 200
    assert "Deze persoon is al lid van je organisatie." in page.content.decode()
    assert len(mail.outbox) == 1


def test_only_administrators_invite(bob):
    client = Client()
    client.force_login(bob)
    assert client.get(INVITE).status_code == 403
    assert client.post(INVITE, {"email": "x@y.nl", "role": "admin"}).status_code == 403
    assert not get_user_model().objects.filter(email="x@y.nl").exists()
