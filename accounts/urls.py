"""Signing in and the members' pages: their organisation's usages, claims and tokens."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import views


def url(word, rest=""):
    return format_lazy("{}{}", pgettext_lazy("URL", word), rest)


def mine(rest=""):
    return format_lazy("{}/<slug:organisation>{}", pgettext_lazy("URL", "my-organisation"), rest)


urlpatterns = [
    path(url("sign-in"), views.SignInView.as_view(), name="login"),
    path(url("sign-out"), views.SignOutView.as_view(), name="logout"),
    path(url("my-organisation"), views.member_home, name="member-home"),
    path(mine(), views.organisation_home, name="member-organisation"),
    path(
        mine(format_lazy("/{}", pgettext_lazy("URL", "usages"))),
        views.usage_list,
        name="member-usages",
    ),
    path(
        mine(format_lazy("/{}/{}", pgettext_lazy("URL", "usages"), pgettext_lazy("URL", "new"))),
        views.usage_create,
        name="member-usage-create",
    ),
    path(
        mine(format_lazy("/{}/<int:pk>", pgettext_lazy("URL", "usages"))),
        views.usage_edit,
        name="member-usage-edit",
    ),
    path(
        mine(
            format_lazy(
                "/{}/<int:pk>/{}", pgettext_lazy("URL", "usages"), pgettext_lazy("URL", "stop")
            )
        ),
        views.usage_stop,
        name="member-usage-stop",
    ),
    path(
        mine(format_lazy("/{}", pgettext_lazy("URL", "claims"))),
        views.claim_list,
        name="member-claims",
    ),
    path(
        mine(format_lazy("/{}/<int:pk>", pgettext_lazy("URL", "claims"))),
        views.claim_answer,
        name="member-claim-answer",
    ),
    path(
        mine(format_lazy("/{}", pgettext_lazy("URL", "tokens"))),
        views.token_list,
        name="member-tokens",
    ),
    path(
        mine(
            format_lazy(
                "/{}/<int:pk>/{}", pgettext_lazy("URL", "tokens"), pgettext_lazy("URL", "revoke")
            )
        ),
        views.token_revoke,
        name="member-token-revoke",
    ),
]
