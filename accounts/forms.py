"""Identity forms: signing in and issuing API tokens."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with autocomplete hints for password managers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


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
