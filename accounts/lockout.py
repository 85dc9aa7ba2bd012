"""The answer to a sign-in while the account or the address is locked out
(django-axes calls it: settings.AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, credentials=None, *args, **kwargs):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
