"""Signing in and the members' pages: their organisation's usages, claims and tokens."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import member_views, views

MINE = format_lazy("{}/<slug:organisation>", pgettext_lazy("URL", "my-organisation"))
USAGES = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "usages"))
CLAIMS = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "claims"))
TOKENS = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "tokens"))
LICENCES = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "licences"))

urlpatterns = [
    path(pgettext_lazy("URL", "sign-in"), views.SignInView.as_view(), name="login"),
    path(pgettext_lazy("URL", "sign-out"), views.SignOutView.as_view(), name="logout"),
    path(pgettext_lazy("URL", "my-organisation"), views.member_home, name="member-home"),
    path(MINE, views.organisation_home, name="member-organisation"),
    path(
        format_lazy("{}/{}", MINE, pgettext_lazy("URL", "members")),
        member_views.member_invite,
        name="member-invite",
    ),
    path(
        format_lazy("{}/<uidb64>/<token>", pgettext_lazy("URL", "choose-password")),
        member_views.SetPasswordView.as_view(),
        name="member-set-password",
    ),
    path(USAGES, views.usage_list, name="member-usages"),
    path(
        format_lazy("{}/{}", USAGES, pgettext_lazy("URL", "new")),
        views.usage_create,
        name="member-usage-create",
    ),
    path(format_lazy("{}/<int:pk>", USAGES), views.usage_edit, name="member-usage-edit"),
    path(
        format_lazy("{}/<int:pk>/{}", USAGES, pgettext_lazy("URL", "stop")),
        views.usage_stop,
        name="member-usage-stop",
    ),
    path(CLAIMS, views.claim_list, name="member-claims"),
    path(format_lazy("{}/<int:pk>", CLAIMS), views.claim_answer, name="member-claim-answer"),
    path(TOKENS, views.token_list, name="member-tokens"),
    path(
        format_lazy("{}/<int:pk>/{}", TOKENS, pgettext_lazy("URL", "revoke")),
        views.token_revoke,
        name="member-token-revoke",
    ),
    path(LICENCES, views.licence_report, name="member-licences"),
    path(format_lazy("{}.csv", LICENCES), views.licence_report_csv, name="member-licences-csv"),
    path(
        format_lazy("{}/{}", MINE, "publiccode"), views.publiccode_upload, name="member-publiccode"
    ),
    path(
        format_lazy("{}/{}", MINE, pgettext_lazy("URL", "harvest-sources")),
        views.harvest_sources,
        name="member-harvest",
    ),
    path(format_lazy("{}/{}", MINE, "webhooks"), views.webhook_list, name="member-webhooks"),
]
