"""An organisation's landscape for other tools: the ArchiMate Model Exchange
File Format (for Archi and other architecture tools) and a CSV for
spreadsheets. What the caller may see, as everywhere."""

import io

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from accounts.models import Organisation
from components import archimate
from components import landscape as ls
from components.exports import SafeWriter
from components.models import Integration

from .etags import etag_of_content, not_modified_or
from .mixins import ApiViewMixin

CSV_COLUMNS = [
    "type",
    "organisation",
    "component",
    "componentName",
    "toComponent",
    "toComponentName",
    "standard",
    "standardName",
    "direction",
    "status",
    "since",
    "until",
    "visibility",
    "assertion",
    "claimedBy",
]


def _text(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _download(request, content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag_of_content(content)
    return not_modified_or(request, response)


@extend_schema(
    summary=_(
        "The organisation's landscape in the ArchiMate 3.1 Model Exchange File Format "
        "(open it in Archi: File → Import → Open Exchange XML Model)"
    ),
    description=_(
        "Components as ApplicationComponent, APIs as ApplicationInterface, standards as "
        "Constraint, the organisation as BusinessActor; each component serves the "
        "organisation, each integration is a Flow (associated with its standard); one "
        "view with the layout of the landscape diagram. Only what you may see."
    ),
    responses={(200, "application/xml"): OpenApiTypes.STR},
)
class LandscapeArchimateView(ApiViewMixin, APIView):
    def get(self, request, slug):
        organisation = get_object_or_404(Organisation, slug=slug)
        landscape = ls.build(organisation, request.viewer)
        try:
            content = archimate.model_xml(landscape, settings.SITE_URL)
        except ls.RenderError:
            return HttpResponse(status=503)  # answered as problem+json by the middleware
        return _download(request, content, "application/xml", f"landscape-{organisation.slug}.xml")


@extend_schema(
    summary=_("The organisation's usages and integrations as CSV, one row each"),
    description=_(
        "type is usage or integration; for an integration, component is where it starts "
        "and toComponent where it goes. Only what you may see; cells a spreadsheet would "
        "run as a formula are quoted."
    ),
    responses={(200, "text/csv"): OpenApiTypes.STR},
)
class LandscapeCsvView(ApiViewMixin, APIView):
    def get(self, request, slug):
        organisation = get_object_or_404(Organisation, slug=slug)
        viewer = request.viewer
        usages = (
            organisation.usages.shown_to(viewer)
            .select_related("component", "claimed_by")
            .order_by("component__name", "id")
        )
        integrations = (
            Integration.objects.shown_to(viewer)
            .filter(organisation=organisation)
            .select_related(
                "source_usage__component", "target_usage__component", "standard", "claimed_by"
            )
            .order_by("source_usage__component__name", "target_usage__component__name", "id")
        )
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        writer.writerow(CSV_COLUMNS)
        for usage in usages:
            writer.writerow(
                _text(value)
                for value in (
                    "usage",
                    organisation.slug,
                    usage.component.slug,
                    usage.component.name,
                    "",
                    "",
                    "",
                    "",
                    "",
                    usage.status,
                    usage.since,
                    usage.until,
                    usage.visibility,
                    usage.assertion,
                    usage.claimed_by.slug if usage.claimed_by else "",
                )
            )
        for integration in integrations:
            writer.writerow(
                _text(value)
                for value in (
                    "integration",
                    organisation.slug,
                    *integration.named_ends(),
                    integration.direction,
                    integration.status,
                    integration.since,
                    integration.until,
                    integration.visibility,
                    integration.assertion,
                    integration.claimed_by.slug if integration.claimed_by else "",
                )
            )
        return _download(
            request,
            buffer.getvalue().encode(),
            "text/csv; charset=utf-8",
            f"landscape-{organisation.slug}.csv",
        )
