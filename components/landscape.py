"""An organisation's landscape: the components it uses, grouped by Common Ground
layer, and the integrations between them, as far as a viewer may see them.

`build()` gathers it in two queries (usages, integrations), whatever its size.
`dot_source()` writes it in Graphviz's DOT language (through the `graphviz`
binding, which quotes every name) and `render()` has Graphviz's `dot` lay it
out: SVG for the page, PNG for download, and JSON whose node positions the
ArchiMate export (archimate.py) reuses, so its view has the same layout.

The landscape is what the organisation itself says: its own usages and
integrations (stated or confirmed), not claims that await its answer. The
standards it uses are the labels on the arrows, not boxes of their own.
"""

import itertools
import re
import subprocess
import textwrap
from dataclasses import dataclass, field

import graphviz
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .constants import ComponentKind, IntegrationDirection, IntegrationStatus, Layer, UsageStatus
from .models import OWN_WORD, Integration

# Top to bottom, as the Common Ground model draws its layers; components
# without a layer come last.
LAYER_ORDER = [*Layer.values, ""]
# A layer's components in rows of at most this many, so a layer with many
# components wraps instead of running off to the right.
ROW_LENGTH = 6
# Up to this many integrations, the arrows shape the layout (dot ranks and
# routes them as curves, with labels). Above it they are drawn straight over a
# layout of the layers alone: doing that for hundreds of arrows costs dot
# seconds, and reads no better.
CURVED_UP_TO = 60
RENDER_TIMEOUT_SECONDS = 20

# What a usage's status counts as in the landscape's status filter.
USAGE_STATUSES = {
    IntegrationStatus.PLANNED: [UsageStatus.PLANNED],
    IntegrationStatus.PRODUCTION: [UsageStatus.PILOT, UsageStatus.PRODUCTION],
    IntegrationStatus.STOPPED: [UsageStatus.STOPPED],
}
# Layer tints (fill) in the NL Design System spirit: light, with dark text.
LAYER_FILL = {
    Layer.INTERACTION: "#e5f0fa",
    Layer.PROCESS: "#e8f5e9",
    Layer.INTEGRATION: "#fff4e0",
    Layer.SERVICES: "#f3e8fa",
    Layer.DATA: "#fdecec",
    "": "#f2f2f2",
}


class RenderError(Exception):
    """Graphviz could not draw the landscape."""


@dataclass
class Node:
    key: str  # the DOT name: stable, unique, from the component's id
    component: object
    usage: object
    layer: str
    url: str = ""

    @property
    def status(self):
        return self.usage.status


@dataclass
class Edge:
    key: str
    integration: object
    source: Node
    target: Node

    @property
    def label(self):
        standard = self.integration.standard
        return standard.name if standard else ""


@dataclass
class Filters:
    status: str = ""
    layer: str = ""
    component: str = ""  # a slug: that component and its neighbours

    @classmethod
    def from_query(cls, params):
        """The filters in a query string; anything unknown is ignored (no filter)."""
        status = params.get("status", "")
        layer = params.get("layer", "")
        return cls(
            status=status if status in IntegrationStatus.values else "",
            layer=layer if layer in Layer.values else "",
            component=params.get("component", "")[:100],
        )

    def as_query(self):
        return {key: value for key, value in vars(self).items() if value}


@dataclass
class Landscape:
    organisation: object
    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    # Every component the organisation uses (visible to the viewer), for the
    # "one component and its neighbours" filter, whatever the other filters.
    choices: list = field(default_factory=list)

    def by_layer(self):
        groups = {layer: [] for layer in LAYER_ORDER}
        for node in self.nodes:
            groups[node.layer].append(node)
        return [(layer, nodes) for layer, nodes in groups.items() if nodes]

    @property
    def title(self):
        return _("Landscape of %(name)s") % {"name": self.organisation.name}


def build(organisation, viewer, filters=None):
    """The landscape of `organisation` as `viewer` may see it, filtered."""
    filters = filters or Filters()
    usages = (
        organisation.usages.shown_to(viewer)
        .filter(assertion__in=OWN_WORD)
        # Standards are what integrations run over: labels on the arrows, not boxes.
        .exclude(component__kind=ComponentKind.STANDARD)
        .select_related("component")
        .only(
            "organisation",
            "status",
            "component__slug",
            "component__name",
            "component__short_description",
            "component__kind",
            "component__layer",
        )
        .order_by("component__name", "component_id")
    )
    nodes = {}
    page = component_url()
    for usage in usages:
        component = usage.component
        nodes[component.pk] = Node(
            f"c{component.pk}", component, usage, component.layer or "", page(component.slug)
        )
    choices = [node.component for node in nodes.values()]

    integrations = (
        Integration.objects.shown_to(viewer)
        .filter(organisation=organisation, assertion__in=OWN_WORD)
        .select_related("standard", "source_usage", "target_usage")
        # Only what is drawn: a landscape has hundreds of these.
        .only(
            "direction",
            "status",
            "since",
            "until",
            "standard__slug",
            "standard__name",
            "source_usage__component_id",
            "target_usage__component_id",
        )
        .order_by("source_usage__component__name", "target_usage__component__name", "id")
    )
    if filters.status:
        integrations = integrations.filter(status=filters.status)
        wanted = USAGE_STATUSES[filters.status]
        nodes = {pk: node for pk, node in nodes.items() if node.status in wanted}
    edges = []
    for integration in integrations:
        source = nodes.get(integration.source_usage.component_id)
        target = nodes.get(integration.target_usage.component_id)
        if source is not None and target is not None:
            edges.append(Edge(f"i{integration.pk}", integration, source, target))

    if filters.component:
        centre = next((n for n in nodes.values() if n.component.slug == filters.component), None)
        if centre is None:
            nodes, edges = {}, []
        else:
            edges = [e for e in edges if centre in (e.source, e.target)]
            keep = {centre.key} | {e.source.key for e in edges} | {e.target.key for e in edges}
            nodes = {pk: n for pk, n in nodes.items() if n.key in keep}
    if filters.layer:
        nodes = {pk: n for pk, n in nodes.items() if n.layer == filters.layer}
        edges = [e for e in edges if e.source.layer == e.target.layer == filters.layer]
    return Landscape(organisation, list(nodes.values()), edges, filters, choices)


def component_url():
    """slug → the component's page: reverse() once, not once per box."""
    pattern = reverse("component-detail", args=["slug-placeholder"])
    return lambda slug: pattern.replace("slug-placeholder", slug)


def layer_label(layer):
    return str(Layer(layer).label) if layer else _("No layer given")


def _text(value):
    """A name or label as DOT text: backslashes and <…> lose their special meaning
    (no escape sequences, no HTML-like labels from a component's name)."""
    return graphviz.escape(str(value))


def _node_label(node):
    """The name, and on a second line what it is when it is not software."""
    kind = node.component.kind
    if kind in (ComponentKind.API, ComponentKind.STANDARD, ComponentKind.LIBRARY):
        return graphviz.nohtml(
            _text(node.component.name) + "\\n(" + _text(ComponentKind(kind).label) + ")"
        )
    return _text(node.component.name)


def _status_style(status, base=""):
    """Planned: dashed; stopped: dotted and grey (on top of a box's own style)."""
    if status in (UsageStatus.PLANNED, IntegrationStatus.PLANNED):
        return {"style": f"{base}dashed"}
    if status == UsageStatus.STOPPED:
        return {"style": f"{base}dotted", "color": "#767676", "fontcolor": "#595959"}
    return {}


def dot_source(landscape, link=True):
    """The landscape in the DOT language. Each layer is a cluster whose components
    stand in rows of ROW_LENGTH; the layers are stacked top to bottom by invisible
    edges; integrations are drawn without bending the layer order
    (constraint=false). `link`: each box links to its component's page."""
    curved = len(landscape.edges) <= CURVED_UP_TO
    graph = graphviz.Digraph(
        "landscape",
        graph_attr={
            "rankdir": "TB",
            "newrank": "true",
            "compound": "true",
            "nodesep": "0.35",
            "ranksep": "0.55",
            "splines": "true" if curved else "line",
            "fontname": "Helvetica,Arial,sans-serif",
            "fontsize": "13",
            "bgcolor": "white",
            "forcelabels": "true",
            "label": _text(landscape.title),
            "labelloc": "t",
        },
        node_attr={
            "shape": "box",
            "style": "rounded,filled",
            "fontname": "Helvetica,Arial,sans-serif",
            "fontsize": "11",
            "color": "#154273",
            "fontcolor": "#1b1b1b",
            "margin": "0.15,0.08",
        },
        edge_attr={
            "fontname": "Helvetica,Arial,sans-serif",
            "fontsize": "9",
            "color": "#3d3d3d",
            "fontcolor": "#1b1b1b",
            "arrowsize": "0.7",
        },
    )
    previous_last_row = None
    for layer, nodes in landscape.by_layer():
        with graph.subgraph(name=f"cluster_{layer or 'none'}") as cluster:
            cluster.attr(
                label=_text(layer_label(layer)),
                labeljust="l",
                style="rounded,filled",
                fillcolor="#fafafa",
                color="#b3b3b3",
                fontsize="12",
            )
            rows = [nodes[i : i + ROW_LENGTH] for i in range(0, len(nodes), ROW_LENGTH)]
            for node in nodes:
                attrs = {
                    "label": _node_label(node),
                    "fillcolor": LAYER_FILL.get(node.layer, LAYER_FILL[""]),
                    "tooltip": _text(node.component.name),
                    "id": f"component-{node.component.slug}",
                    **_status_style(node.status, base="rounded,filled,"),
                }
                if link:
                    attrs["URL"] = node.url
                    attrs["target"] = "_top"
                cluster.node(node.key, **attrs)
            for row in rows:
                with cluster.subgraph() as same:
                    same.attr(rank="same")
                    for node in row:
                        same.node(node.key)
            for upper, lower in itertools.pairwise(rows):
                cluster.edge(upper[0].key, lower[0].key, style="invis")
        if previous_last_row is not None:
            graph.edge(previous_last_row[0].key, rows[0][0].key, style="invis")
        previous_last_row = rows[-1]
    order = {layer: index for index, layer in enumerate(LAYER_ORDER)}
    for edge in landscape.edges:
        integration = edge.integration
        two_way = integration.direction == IntegrationDirection.TWO_WAY
        source, target = edge.source, edge.target
        rise = order[source.layer] - order[target.layer]
        attrs = {
            "id": f"integration-{integration.pk}",
            "tooltip": _text(
                _("%(source)s to %(target)s")
                % {"source": source.component.name, "target": target.component.name}
                + (f" ({edge.label})" if edge.label else "")
            ),
            **_status_style(integration.status),
        }
        if rise == 0 or not curved:
            # Within a layer the rows hold it. In a large landscape no arrow
            # weighs in the layout: ranking and routing hundreds of them takes dot
            # seconds; the rows and layers alone take it a fraction of one.
            attrs["constraint"] = "false"
        elif rise > 0:
            # Upwards (say from Open Zaak up to Open Notificaties): laid out as the
            # reverse arrow, so every arrow agrees with the layers' order, and
            # drawn pointing the right way.
            source, target = target, source
            attrs["dir"] = "back"
        if two_way:
            attrs["dir"] = "both"
        if edge.label:
            # A real label in a small landscape; an external one (placed after the
            # layout, far cheaper) in a large one.
            attrs["label" if curved else "xlabel"] = graphviz.nohtml(
                "\\n".join(_text(line) for line in textwrap.wrap(edge.label, 24))
            )
        graph.edge(source.key, target.key, **attrs)
    return graph.source


def render(source, fmt):
    """Lay out and draw DOT source with Graphviz's dot: 'svg', 'png' or 'json'."""
    if fmt not in ("svg", "png", "json"):
        raise ValueError(fmt)
    try:
        done = subprocess.run(  # noqa: S603  (our own program, fixed arguments)
            [settings.GRAPHVIZ_DOT, f"-T{fmt}"],
            input=source.encode(),
            capture_output=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RenderError(str(error)) from error
    if done.returncode != 0:
        raise RenderError(done.stderr.decode(errors="replace")[:500])
    return done.stdout


_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TITLE = re.compile(r"<title>.*?</title>\n?", re.S)


def inline_svg(svg_bytes, caption_id):
    """dot's SVG made fit to stand in a page: no XML prologue or comments; no
    <title> per shape (which named them by their DOT keys); named as a whole by
    the page's caption (aria-labelledby); each box keeps its link and the link's
    title, the component's name."""
    svg = svg_bytes.decode()
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    svg = _TITLE.sub("", svg).replace("&#45;", "-")  # dot writes every hyphen so
    return svg.replace(
        "<svg ",
        f'<svg class="site-landscape__svg" aria-labelledby="{caption_id}" ',
        1,
    )


def standalone_svg(svg_bytes):
    """dot's SVG as a file to download: as dot wrote it, less the comment that
    names the Graphviz version."""
    return _COMMENT.sub("", svg_bytes.decode()).replace("&#45;", "-").encode()
