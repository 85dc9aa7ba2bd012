"""Self-registration: a person registers their organisation at /aanmelden.

The organisation is a *concept* until a curator approves it in the admin
(accounts/admin.py): until then it has no public page, changes nothing in the
catalogue and gets no API tokens. The person who registered it becomes its
administrator and can sign in at once, to look around. The curator's decision
is e-mailed to the organisation's contact address and its administrators
(Django's e-mail backend: the console in development).
"""

from django import forms
from django.contrib.auth import get_user_model, login, password_validation
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.links import absolute

from .constants import MemberRole, OrganisationKind, OrganisationStatus
from .models import Membership, Organisation, cbs_code_validator, kvk_validator, oin_validator

CBS_PREFIX = {
    OrganisationKind.MUNICIPALITY: "GM",
    OrganisationKind.PROVINCE: "PV",
    OrganisationKind.WATER_AUTHORITY: "WS",
}


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the organisation"),
        max_length=200,
        help_text=gettext_lazy("Its official name, e.g. 'Gemeente Dijk en Waard'."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of organisation"), choices=OrganisationKind.choices
    )
    oin = forms.CharField(
        label=gettext_lazy("OIN"),
        required=False,
        max_length=20,
        validators=[oin_validator],
        help_text=gettext_lazy("Organisatie-identificatienummer: 20 digits."),
    )
    cbs_code = forms.CharField(
        label=gettext_lazy("CBS code"),
        required=False,
        max_length=6,
        validators=[cbs_code_validator],
        help_text=gettext_lazy(
            "For a municipality GM and 4 digits (GM0344), a water authority WS and 4 digits, "
            "a province PV and its 2 digits (PV26)."
        ),
    )
    kvk_number = forms.CharField(
        label=gettext_lazy("KvK number"),
        required=False,
        max_length=8,
        validators=[kvk_validator],
        help_text=gettext_lazy("Chamber of Commerce number: 8 digits."),
    )
    website = forms.URLField(
        label=gettext_lazy("Website"), required=False, max_length=300, assume_scheme="https"
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Contact e-mail of the organisation"),
        help_text=gettext_lazy("Where the curator's decision is sent."),
    )
    your_name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        help_text=gettext_lazy("You sign in with it."),
    )
    password = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_cbs_code(self):
        return self.cleaned_data["cbs_code"].strip().upper()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _(
                    "An organisation with this name is registered already; ask its "
                    "administrators to invite you."
                )
            )
        return name

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())
        if get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email)):
            raise forms.ValidationError(
                _("An account with this e-mail address exists; sign in and ask a curator.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        identifiers = [cleaned.get(name) for name in ("oin", "cbs_code", "kvk_number")]
        if not any(identifiers) and not any(
            name in self.errors for name in ("oin", "cbs_code", "kvk_number")
        ):
            self.add_error("oin", _("Give the OIN, the CBS code or the KvK number."))
        kind, code = cleaned.get("kind"), cleaned.get("cbs_code")
        if code and kind:
            prefix = CBS_PREFIX.get(kind)
            if prefix is None:
                self.add_error(
                    "cbs_code",
                    _("Only municipalities, provinces and water authorities have a CBS code."),
                )
            elif not code.startswith(prefix):
                self.add_error(
                    "cbs_code",
                    _("The CBS code of a %(kind)s starts with %(prefix)s.")
                    % {"kind": OrganisationKind(kind).label.lower(), "prefix": prefix},
                )
        for field in ("oin", "cbs_code", "kvk_number"):
            value = cleaned.get(field)
            if value and Organisation.objects.filter(**{field: value}).exists():
                self.add_error(
                    field,
                    _(
                        "An organisation with this number is registered already; ask its "
                        "administrators to invite you."
                    ),
                )
        password = cleaned.get("password")
        if password:
            user = get_user_model()(username=cleaned.get("email", ""), email=cleaned.get("email"))
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    name=data["name"],
                    slug=Organisation.unique_slug(data["name"]),
                    kind=data["kind"],
                    oin=data["oin"],
                    cbs_code=data["cbs_code"],
                    kvk_number=data["kvk_number"],
                    website=data["website"],
                    contact_email=data["contact_email"],
                    status=OrganisationStatus.CONCEPT,
                )
                user = get_user_model().objects.create_user(
                    username=data["email"],
                    email=data["email"],
                    password=data["password"],
                    first_name=data["your_name"][:150],
                )
                Membership.objects.create(
                    user=user, organisation=organisation, role=MemberRole.ADMIN
                )
        except IntegrityError:
            # Someone registered the same name or number at the same moment.
            form.add_error(None, _("This organisation was registered a moment ago."))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("member-organisation", organisation=organisation.slug)
    return render(
        request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200
    )


def decision_recipients(organisation) -> list[str]:
    admins = Membership.objects.filter(
        organisation=organisation, role=MemberRole.ADMIN
    ).values_list("user__email", flat=True)
    return sorted({e for e in [organisation.contact_email, *admins] if e})


def send_decision(organisation, approved, reason="") -> int:
    """E-mail the curator's decision on a registration; returns how many were sent to."""
    recipients = decision_recipients(organisation)
    if not recipients:
        return 0
    with translation.override("nl"):
        if approved:
            subject = _("%(name)s is approved in the Component Registry") % {
                "name": organisation.name
            }
            body = _(
                "A curator approved the registration of %(name)s. Its page is public now, "
                "and its members can publish components, record usages and create API "
                "tokens:\n%(link)s\n"
            ) % {
                "name": organisation.name,
                "link": absolute(
                    reverse("member-organisation", kwargs={"organisation": organisation.slug})
                ),
            }
        else:
            subject = _("The registration of %(name)s in the Component Registry") % {
                "name": organisation.name
            }
            body = _("A curator did not approve the registration of %(name)s.") % {
                "name": organisation.name
            }
            if reason:
                body += "\n\n" + _("The reason: %(reason)s") % {"reason": reason}
            body += "\n"
    send_mail(subject, body, None, recipients)
    return len(recipients)
