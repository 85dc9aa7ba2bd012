"""The API's side of licensing: the reuse check and the licence report.

The answers themselves come from components.licensing; this module only
shapes them (serializers that double as the OpenAPI schema) and lets the
licence report be fetched as CSV: `Accept: text/csv`, or `?format=csv` for a
plain download link (paths stay kebab-case, query parameters camelCase).
"""

import io

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from accounts.constants import OrganisationKind
from components import licensing
from components.constants import Assertion, UsageStatus, Visibility
from components.exports import SafeWriter
from registry.renderers import JSONRenderer

from .etags import with_content_etag

SEVERITIES = [licensing.INFO, licensing.CONDITION, licensing.UNKNOWN, licensing.BLOCKER]
VERDICTS = [licensing.ALLOWED, licensing.CONDITIONAL, licensing.NOT_ALLOWED]
FAMILIES = [*licensing.FAMILY_LABELS]

ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    enum=["nl", "en"],
    description=_("Language of the texts: Dutch (the default) or English."),
)
ORGANISATION = OpenApiParameter(
    "organisation",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    description=_("Slug of the organisation that wants to reuse the component."),
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=_(
        "json (the default) or csv: one row per usage. 'Accept: text/csv' does the same."
    ),
)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_("Stable code of the reason, e.g. 'restriction-organisation-kinds'.")
    )
    severity = serializers.ChoiceField(
        choices=SEVERITIES,
        help_text=_(
            "info (no effect), condition or unknown (make the verdict conditional), "
            "blocker (makes it not-allowed)."
        ),
    )
    text = serializers.CharField(help_text=_("The reason in the language asked for."))
    text_nl = serializers.CharField(help_text=_("The reason in Dutch."))
    text_en = serializers.CharField(help_text=_("The reason in English."))


class ReuseCheckSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(
        choices=VERDICTS, help_text=_("The answer; the worst reason decides.")
    )
    label = serializers.CharField(help_text=_("The verdict in words, in the language asked for."))
    component = serializers.CharField(help_text=_("Slug of the component."))
    organisation = serializers.CharField(help_text=_("Slug of the organisation."))
    reasons = ReasonSerializer(
        many=True,
        help_text=_(
            "Why: the reuse restriction, the publisher's terms, the licence and its "
            "obligations (those that apply only when sharing the work are info), how the "
            "licences of built-in and linked dependencies fit (OSADL matrix), and which "
            "runtime services and standards do not bind it."
        ),
    )


class ReportLicenseSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("SPDX identifier or LicenseRef."))
    name = serializers.CharField(help_text=_("Full name of the licence."))
    is_custom = serializers.BooleanField(help_text=_("A custom LicenseRef licence."))
    family = serializers.ChoiceField(choices=FAMILIES, help_text=_("The licence's family."))
    obligation = serializers.CharField(
        help_text=_("What the licence asks of a reuser, in the language asked for.")
    )
    components = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Slugs of the components the organisation uses under this licence."),
    )


class ReportUsageSerializer(serializers.Serializer):
    component = serializers.CharField(help_text=_("Slug of the component."))
    component_name = serializers.CharField(help_text=_("Name of the component."))
    license = serializers.CharField(help_text=_("The component's SPDX licence expression."))
    status = serializers.ChoiceField(choices=UsageStatus.choices, help_text=_("Usage status."))
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, help_text=_("Visibility of the usage.")
    )
    assertion = serializers.ChoiceField(
        choices=Assertion.choices, help_text=_("How the usage is known.")
    )
    flagged = serializers.BooleanField(
        help_text=_("True when the usage breaks the component's reuse restriction.")
    )
    reason = ReasonSerializer(
        allow_null=True, help_text=_("Why the usage is flagged; null when it is not.")
    )


class LicenseReportSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text=_("Slug of the organisation."))
    organisation_name = serializers.CharField(help_text=_("Name of the organisation."))
    organisation_kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, help_text=_("Kind of the organisation.")
    )
    licenses = ReportLicenseSerializer(
        many=True,
        help_text=_(
            "Every licence named by a component the organisation uses (stopped usages "
            "left out), with its obligation."
        ),
    )
    usages = ReportUsageSerializer(
        many=True,
        help_text=_(
            "Every usage of the organisation you may see (rejected claims left out), "
            "by component name."
        ),
    )
    flagged_usages = ReportUsageSerializer(
        many=True, help_text=_("The usages that break a reuse restriction, with the reason.")
    )


def reason_data(reason):
    return {
        "code": reason.code,
        "severity": reason.severity,
        "text": reason.text,
        "text_nl": reason.text_nl,
        "text_en": reason.text_en,
    }


def reuse_check_data(component, organisation, verdict):
    return {
        "verdict": verdict.verdict,
        "label": verdict.label,
        "component": component.slug,
        "organisation": organisation.slug,
        "reasons": [reason_data(reason) for reason in verdict.reasons],
    }


def report_data(report):
    organisation = report.organisation
    usages = [
        {
            "component": row.usage.component.slug,
            "component_name": row.usage.component.name,
            "license": row.usage.component.license_expression,
            "status": row.usage.status,
            "visibility": row.usage.visibility,
            "assertion": row.usage.assertion,
            "flagged": row.reason is not None,
            "reason": reason_data(row.reason) if row.reason else None,
        }
        for row in report.usages
    ]
    return {
        "organisation": organisation.slug,
        "organisation_name": organisation.name,
        "organisation_kind": organisation.kind,
        "licenses": [
            {
                "id": entry.license.id,
                "name": entry.license.name,
                "is_custom": entry.license.is_custom,
                "family": entry.obligation.family,
                "obligation": entry.obligation.text,
                "components": [component.slug for component in entry.components],
            }
            for entry in report.licences
        ],
        "usages": usages,
        "flagged_usages": [usage for usage in usages if usage["flagged"]],
    }


def report_csv(report):
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerows(licensing.licence_report_rows(report))
    return out.getvalue()


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        # Errors stay problem+json, whatever representation was asked for.
        return JSONRenderer().render(data, None, renderer_context)


class FormatParameterNegotiation(DefaultContentNegotiation):
    """`?format=csv|json` picks the representation (a download link cannot send
    Accept); without it, the Accept header decides as usual."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get("format")
        if wanted is None:
            return super().select_renderer(request, renderers, format_suffix)
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        raise exceptions.ValidationError({"format": [_("Use 'json' or 'csv'.")]})


def csv_response(report, filename):
    text = report_csv(report)
    response = Response(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return with_content_etag(response, text)
