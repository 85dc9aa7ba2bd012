"""The public website, and the members' pages that work on the catalogue for their
organisation (members.py). Included under i18n_patterns: Dutch paths at /,
English ones under /en/ (the path words are translated with the "URL" context)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from accounts.urls import MINE

from . import (
    concepts,
    cooperations,
    landscape_views,
    member_integrations,
    members,
    openapi_views,
    spreadsheet_views,
    views,
)

COMPONENTS = pgettext_lazy("URL", "components")
ORGANISATIONS = pgettext_lazy("URL", "organisations")
QUESTIONS = pgettext_lazy("URL", "customer-questions")
FIGURES = pgettext_lazy("URL", "figures")
LICENCES = pgettext_lazy("URL", "licences")
LANDSCAPE = pgettext_lazy("URL", "landscape")

# The member area: /mijn-organisatie/<slug>/... (/en/my-organisation/<slug>/...).
USAGES = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "usages"))
CLAIMS = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "claims"))
INTEGRATIONS = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "integrations"))
LICENCE_REPORT = format_lazy("{}/{}", MINE, LICENCES)
HARVEST = format_lazy("{}/{}", MINE, pgettext_lazy("URL", "harvest-sources"))
WEBHOOKS = format_lazy("{}/{}", MINE, "webhooks")
NEW = pgettext_lazy("URL", "new")
REMOVE = pgettext_lazy("URL", "remove")
ACTIONS = {
    "run": pgettext_lazy("URL", "run"),
    "pause": pgettext_lazy("URL", "pause"),
    "resume": pgettext_lazy("URL", "resume"),
}
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
    path(
        format_lazy("{}/<slug:slug>/{}", ORGANISATIONS, LANDSCAPE),
        landscape_views.landscape_page,
        name="organisation-landscape",
    ),
    path(
        format_lazy("{}/<slug:slug>/{}.svg", ORGANISATIONS, LANDSCAPE),
        landscape_views.landscape_download,
        {"fmt": "svg"},
        name="organisation-landscape-svg",
    ),
    path(
        format_lazy("{}/<slug:slug>/{}.png", ORGANISATIONS, LANDSCAPE),
        landscape_views.landscape_download,
        {"fmt": "png"},
        name="organisation-landscape-png",
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
    path(
        format_lazy("{}/spreadsheet.csv", INTEGRATIONS),
        spreadsheet_views.integration_export_csv,
        name="member-integration-sheet-csv",
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
    path(INTEGRATIONS, member_integrations.integration_list, name="member-integrations"),
    path(
        format_lazy("{}/{}", INTEGRATIONS, pgettext_lazy("URL", "new")),
        member_integrations.integration_create,
        name="member-integration-create",
    ),
    path(
        format_lazy("{}/{}", INTEGRATIONS, COMPONENTS),
        member_integrations.integration_components_json,
        name="member-integration-components",
    ),
    path(
        format_lazy("{}/<int:pk>", INTEGRATIONS),
        member_integrations.integration_edit,
        name="member-integration-edit",
    ),
    path(
        format_lazy("{}/<int:pk>/{}", INTEGRATIONS, pgettext_lazy("URL", "remove")),
        member_integrations.integration_remove,
        name="member-integration-remove",
    ),
    path(
        format_lazy("{}/{}/<int:pk>", CLAIMS, pgettext_lazy("URL", "integrations")),
        member_integrations.integration_claim_answer,
        name="member-integration-claim-answer",
    ),
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
        format_lazy("{}/{}", MINE, "openapi"),
        openapi_views.openapi_upload,
        name="member-openapi",
    ),
    # Harvest sources and webhooks: read by every member, managed by administrators.
    path(HARVEST, members.harvest_sources, name="member-harvest"),
    path(
        format_lazy("{}/{}", HARVEST, NEW), members.harvest_source_form, name="member-harvest-add"
    ),
    path(
        format_lazy("{}/<int:pk>", HARVEST), members.harvest_source_form, name="member-harvest-edit"
    ),
    *[
        path(
            format_lazy("{}/<int:pk>/{}", HARVEST, word),
            members.harvest_source_action,
            {"action": action},
            name=f"member-harvest-{action}",
        )
        for action, word in ACTIONS.items()
    ],
    path(
        format_lazy("{}/<int:pk>/{}", HARVEST, REMOVE),
        members.harvest_source_remove,
        name="member-harvest-remove",
    ),
    path(WEBHOOKS, members.webhook_list, name="member-webhooks"),
    path(format_lazy("{}/{}", WEBHOOKS, NEW), members.webhook_form, name="member-webhook-add"),
    path(format_lazy("{}/<int:pk>", WEBHOOKS), members.webhook_form, name="member-webhook-edit"),
    *[
        path(
            format_lazy("{}/<int:pk>/{}", WEBHOOKS, word),
            members.webhook_action,
            {"action": action},
            name=f"member-webhook-{action}",
        )
        for action, word in ACTIONS.items()
        if action != "run"
    ],
    path(
        format_lazy("{}/<int:pk>/{}", WEBHOOKS, REMOVE),
        members.webhook_remove,
        name="member-webhook-remove",
    ),
]
