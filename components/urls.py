"""The public website, and the members' pages that work on the catalogue for their
organisation (members.py). Included under i18n_patterns: Dutch paths at /,
English ones under /en/ (the path words are translated with the "URL" context)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from accounts.urls import MINE

from . import concepts, cooperations, members, spreadsheet_views, views

COMPONENTS = pgettext_lazy("URL", "components")
ORGANISATIONS = pgettext_lazy("URL", "organisations")
QUESTIONS = pgettext_lazy("URL", "customer-questions")
FIGURES = pgettext_lazy("URL", "figures")
LICENCES = pgettext_lazy("URL", "licences")

# The member area: /mijn-organisatie/<slug>/... (/en/my-organisation/<slug>/...).
USAGES = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "usages"))
CLAIMS = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "claims"))
LICENCE_REPORT = format_lazy("{}/{}", MINE, LICENCES)
USAGE_SHEET = format_lazy("{}/{}", USAGES, "spreadsheet")
CATALOGUE_SHEET = pgettext_lazy("URL", "catalogue-spreadsheet")
COOPERATIONS = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "cooperations"))

urlpatterns = [
    path("", views.home, name="home"),
    path(COMPONENTS, views.catalogue, name="component-list"),
    path(
        format_lazy("{}/<slug:slug>", COMPONENTS), views.component_detail, name="component-detail"
    ),
    path(ORGANISATIONS, views.organisation_list, name="organisation-list"),
    path(
        format_lazy("{}/<slug:slug>", ORGANISATIONS),
        views.organisation_detail,
        name="organisation-detail",
    ),
    path(QUESTIONS, views.question_list, name="question-list"),
    path(format_lazy("{}/<slug:code>", QUESTIONS), views.question_detail, name="question-detail"),
    path(FIGURES, views.figures, name="figures"),
    path(LICENCES, views.licence_list, name="licence-list"),
    path(format_lazy("{}/<str:license_id>", LICENCES), views.licence_detail, name="licence-detail"),
    path(pgettext_lazy("URL", "about"), views.about, name="about"),
    path(pgettext_lazy("URL", "compare"), views.compare_page, name="compare"),
    # The members' pages.
    path(USAGES, members.usage_list, name="member-usages"),
    path(
        format_lazy("{}/{}", USAGES, pgettext_lazy("URL", "new")),
        members.usage_create,
        name="member-usage-create",
    ),
    path(
        format_lazy("{}/{}", USAGES, COMPONENTS),
        members.usage_components_json,
        name="member-usage-components",
    ),
    path(format_lazy("{}/<int:pk>", USAGES), members.usage_edit, name="member-usage-edit"),
    path(
        format_lazy("{}/<int:pk>/{}", USAGES, pgettext_lazy("URL", "stop")),
        members.usage_stop,
        name="member-usage-stop",
    ),
    path(USAGE_SHEET, spreadsheet_views.usage_upload, name="member-usage-sheet"),
    path(
        format_lazy("{}.xlsx", USAGE_SHEET),
        spreadsheet_views.usage_export_xlsx,
        name="member-usage-sheet-xlsx",
    ),
    path(
        format_lazy("{}.csv", USAGE_SHEET),
        spreadsheet_views.usage_export_csv,
        name="member-usage-sheet-csv",
    ),
    path(
        format_lazy("{}/<uuid:pk>", USAGE_SHEET),
        spreadsheet_views.usage_preview,
        name="member-usage-sheet-preview",
    ),
    path(CATALOGUE_SHEET, spreadsheet_views.catalogue_upload, name="catalogue-sheet"),
    path(
        format_lazy("{}.xlsx", CATALOGUE_SHEET),
        spreadsheet_views.catalogue_export_xlsx,
        name="catalogue-sheet-xlsx",
    ),
    path(
        format_lazy("{}.csv", CATALOGUE_SHEET),
        spreadsheet_views.catalogue_export_csv,
        name="catalogue-sheet-csv",
    ),
    path(
        format_lazy("{}/<uuid:pk>", CATALOGUE_SHEET),
        spreadsheet_views.catalogue_preview,
        name="catalogue-sheet-preview",
    ),
    path(COOPERATIONS, cooperations.cooperation_page, name="member-cooperations"),
    path(
        format_lazy("{}/<int:pk>", COOPERATIONS),
        cooperations.cooperation_grant,
        name="member-cooperation-grant",
    ),
    path(
        format_lazy("{}/{}/<int:pk>", COOPERATIONS, pgettext_lazy("URL", "withdraw")),
        cooperations.usage_withdraw,
        name="member-usage-withdraw",
    ),
    path(
        format_lazy("{}/{}", MINE, pgettext_lazy("URL", "on-behalf")),
        cooperations.record_on_behalf,
        name="member-on-behalf",
    ),
    path(
        format_lazy("{}/{}", MINE, pgettext_lazy("URL", "concept-component")),
        concepts.concept_component,
        name="member-concept-component",
    ),
    path(
        format_lazy("{}/{}/<slug:slug>", MINE, pgettext_lazy("URL", "take-over")),
        concepts.take_over,
        name="member-take-over",
    ),
    path(CLAIMS, members.claim_list, name="member-claims"),
    path(format_lazy("{}/<int:pk>", CLAIMS), members.claim_answer, name="member-claim-answer"),
    path(LICENCE_REPORT, members.licence_report, name="member-licences"),
    path(
        format_lazy("{}.csv", LICENCE_REPORT),
        members.licence_report_csv,
        name="member-licences-csv",
    ),
    path(
        format_lazy("{}/{}", MINE, "publiccode"),
        members.publiccode_upload,
        name="member-publiccode",
    ),
    path(
        format_lazy("{}/{}", MINE, pgettext_lazy("URL", "harvest-sources")),
        members.harvest_sources,
        name="member-harvest",
    ),
    path(format_lazy("{}/{}", MINE, "webhooks"), members.webhook_list, name="member-webhooks"),
]
