"""Signing in and the member area: the member's home, their organisation's home
and its API tokens. The member pages that work on the catalogue (usages, claims,
licences, publishing) hang under the same MINE prefix in components/urls.py."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import member_views, oidc, registration, two_factor, views

MINE = format_lazy("{}/<slug:organisation>", pgettext_lazy("URL", "my-organisation"))
TOKENS = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "tokens"))

urlpatterns = [
    path(pgettext_lazy("URL", "sign-in"), views.SignInView.as_view(), name="login"),
    path(pgettext_lazy("URL", "sign-out"), views.SignOutView.as_view(), name="logout"),
    path(
        format_lazy("{}/{}", pgettext_lazy("URL", "sign-in"), pgettext_lazy("URL", "organisation")),
        views.sign_in_with_organisation,
        name="sign-in-organisation",
    ),
    path(
        format_lazy(
            "{}/{}",
            pgettext_lazy("URL", "my-account"),
            pgettext_lazy("URL", "two-step-verification"),
        ),
        two_factor.two_factor,
        name="account-two-factor",
    ),
    path(
        format_lazy("{}/{}", pgettext_lazy("URL", "sign-in"), "<slug:organisation>"),
        oidc.start,
        name="oidc-start",
    ),
    path(pgettext_lazy("URL", "register"), registration.register, name="register"),
    path(pgettext_lazy("URL", "my-organisation"), views.member_home, name="member-home"),
    path(MINE, views.organisation_home, name="member-organisation"),
    path(
        format_lazy("{}/{}", MINE, pgettext_lazy("URL", "members")),
        member_views.member_invite,
        name="member-invite",
    ),
    path(
        format_lazy(
            "{}/{}/<int:pk>/{}", MINE, pgettext_lazy("URL", "members"), pgettext_lazy("URL", "role")
        ),
        member_views.member_grant_role,
        name="member-grant-role",
    ),
    path(
        format_lazy("{}/<uidb64>/<token>", pgettext_lazy("URL", "choose-password")),
        member_views.SetPasswordView.as_view(),
        name="member-set-password",
    ),
    path(TOKENS, views.token_list, name="member-tokens"),
    path(
        format_lazy("{}/<int:pk>/{}", TOKENS, pgettext_lazy("URL", "revoke")),
        views.token_revoke,
        name="member-token-revoke",
    ),
]
