"""The landscape page (/organisaties/<slug>/landschap) and its downloads as SVG
and PNG. Public, with the visibility rules of every page: what a visitor may
not see of the organisation's usages and integrations is not drawn."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation
from registry.cache import anonymous_page

from . import landscape as ls
from .constants import ComponentKind, IntegrationDirection, IntegrationStatus, Layer, UsageStatus
from .query import viewer_of


def _landscape(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    filters = ls.Filters.from_query(request.GET)
    return ls.build(organisation, viewer_of(request), filters)


def _status_text(statuses, integration):
    text = str(statuses.get(integration.status, ""))
    if integration.since:
        text += ", " + _("since %(since)s") % {"since": date_format(integration.since, "j F Y")}
    if integration.until:
        text += ", " + _("until %(until)s") % {"until": date_format(integration.until, "j F Y")}
    return text


@anonymous_page
def landscape_page(request, slug):
    landscape = _landscape(request, slug)
    svg = None
    failed = False
    if landscape.nodes:
        try:
            svg = ls.inline_svg(ls.render(ls.dot_source(landscape), "svg"), "landscape-caption")
        except ls.RenderError:
            failed = True  # the tables below still say everything
    query = landscape.filters.as_query()
    page = ls.component_url()
    kinds, layers = dict(ComponentKind.choices), dict(Layer.choices)
    usage_statuses = dict(UsageStatus.choices)
    statuses, directions = dict(IntegrationStatus.choices), dict(IntegrationDirection.choices)
    # The tables' cells, worked out here: 600 rows of template tags cost more
    # than drawing the diagram.
    component_rows = [
        (
            layers.get(node.layer) or _("No layer given"),
            node.component.name,
            node.url,
            kinds.get(node.component.kind, ""),
            usage_statuses.get(node.status, ""),
        )
        for _layer, nodes in landscape.by_layer()
        for node in nodes
    ]
    integration_rows = [
        (
            edge.source.component.name,
            edge.target.component.name,
            edge.label,
            page(edge.integration.standard.slug) if edge.integration.standard else "",
            directions.get(edge.integration.direction, ""),
            _status_text(statuses, edge.integration),
        )
        for edge in landscape.edges
    ]
    return render(
        request,
        "components/landscape.html",
        {
            "organisation": landscape.organisation,
            "landscape": landscape,
            "svg": svg,
            "failed": failed,
            "component_rows": component_rows,
            "integration_rows": integration_rows,
            "statuses": IntegrationStatus.choices,
            "layer_choices": Layer.choices,
            "query": "&".join(f"{key}={value}" for key, value in query.items()),
            "filtered": bool(query),
        },
    )


@anonymous_page
def landscape_download(request, slug, fmt):
    landscape = _landscape(request, slug)
    if not landscape.nodes:
        raise Http404(_("There is nothing to draw."))
    try:
        content = ls.render(ls.dot_source(landscape), fmt)
    except ls.RenderError:
        return HttpResponse(
            _("The diagram could not be drawn; the page's tables say the same."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    if fmt == "svg":
        content = ls.standalone_svg(content)
    content_type = {"svg": "image/svg+xml", "png": "image/png"}[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{_("landscape")}-{landscape.organisation.slug}.{fmt}"'
    )
    return response
