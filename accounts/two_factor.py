"""Two-step verification with an authenticator app (TOTP, django-otp): every
member may switch it on; curators need it for the admin (registry/admin_site.py).
Once on, signing in on the site asks for the app's code too (accounts/forms.py)."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@never_cache
@login_required
def two_factor(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        if request.method == "POST" and "switch_off" in request.POST and not user.is_staff:
            confirmed.delete()
            messages.success(request, _("Two-step verification is off."))
            return redirect("account-two-factor")
        return render(request, "accounts/two_factor.html", {"device": confirmed})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on."))
            return redirect("account-two-factor")
        form.add_error(
            "code", _("This code is not right. Check the time on your phone and try again.")
        )
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
            "secret": b32encode(device.bin_key).decode(),
        },
    )
