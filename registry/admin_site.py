"""The curators' admin: a password and a code from an authenticator app (TOTP,
django-otp) while ADMIN_REQUIRES_OTP is on, as it is unless switched off. A
curator without an authenticator sets one up on the site first
(accounts/two_factor.py), then signs in to the admin with its code."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminAuthenticationForm


class RegistryAdminSite(AdminSite):
    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_REQUIRES_OTP else None

    def has_permission(self, request):
        allowed = super().has_permission(request)
        if allowed and settings.ADMIN_REQUIRES_OTP:
            return request.user.is_verified()
        return allowed
