"""Identity forms: signing in and issuing API tokens."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, IdentityProvider


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with autocomplete hints for password managers and
    the code of an authenticator app for who has switched two-step
    verification on (accounts/two_factor.py). Members of an organisation that
    signs its people in with its own identity provider sign in there."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        help_text=_("Only if you have switched on two-step verification."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
        self.otp_device = None

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from django_otp import match_token, user_has_device

        if not user.is_staff:
            organisations = list(user.memberships.values_list("organisation__pk", flat=True))
            with_provider = set(
                IdentityProvider.objects.filter(
                    organisation__in=organisations, enabled=True
                ).values_list("organisation__pk", flat=True)
            )
            if organisations and with_provider == set(organisations):
                raise forms.ValidationError(
                    _(
                        "Your organisation signs you in with its own sign-in service: choose "
                        "it under 'Sign in with your organisation'."
                    ),
                    code="identity_provider",
                )
        if user_has_device(user, confirmed=True):
            token = (self.cleaned_data.get("otp_token") or "").replace(" ", "")
            self.otp_device = match_token(user, token) if token else None
            if self.otp_device is None:
                self.add_error(
                    "otp_token",
                    _("Enter the current code from your authenticator app.")
                    if not token
                    else _("This code is not right. Check the time on your phone and try again."),
                )
                raise forms.ValidationError(
                    _("Two-step verification: the code is missing or wrong."), code="otp"
                )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. 'GitHub Actions'."),
    )
    expires_at = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for a token that does not expire."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ApiToken.objects.active().filter(organisation=self.organisation, name=name).exists():
            raise forms.ValidationError(_("An active token with this name already exists."))
        return name

    def clean_expires_at(self):
        expires = self.cleaned_data["expires_at"]
        if expires and expires <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return expires
