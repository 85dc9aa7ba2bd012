"""The public website: home, catalogue, component, organisation, customer-question
and figures pages. The queries live on the QuerySets (query.py) and in
figures.py; the views pick them, and shape what the templates show."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.constants import OrganisationKind
from accounts.models import Organisation
from registry.cache import anonymous_page, narrow_to_usages_of

from . import figures as fig
from . import standards
from .compare import MAX_COMPONENTS as MAX_COMPARED
from .compare import ROWS as COMPARE_ROWS
from .compare import CompareError, compare, parse_slugs
from .constants import ComponentKind, DevelopmentStatus, Layer, ReuseRestriction, UsageStatus
from .licensing import OSADL_ATTRIBUTION, licence_obligation, reuse_verdict
from .models import Component, ComponentRedirect, CustomerQuestion, License, Usage
from .query import FACET_FIELDS, FACETS, rows_for_page, viewer_of

PAGE_SIZE = 20
# Users named per page on a component or organisation page, and per component
# on a customer-question page (popular components have thousands).
USERS_PAGE_SIZE = 25
USERS_PER_RESULT = 10
PUBLISHED_SHOWN = 50  # components on an organisation's page; the rest behind a link
# Facet values shown per facet when there are many (licences); ticked ones always show.
FACET_LIMIT = 15
SORTS = {
    "relevance": ("-search_rank", "name", "pk"),
    "name": ("name", "pk"),
    "updated": ("-updated_at", "pk"),
    "users": ("-user_count", "name", "pk"),
}


def _is_english():
    return (get_language() or "").startswith("en")


def _query(params, **changes):
    """A query string from a dict of lists, with `changes` applied (None removes)."""
    merged = {key: list(values) for key, values in params.items()}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = [value]
    pairs = [(key, value) for key, values in merged.items() for value in values if value != ""]
    return "?" + urlencode(pairs) if pairs else "?"


def _home_figures():
    kinds = dict(
        Component.objects.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    layers = dict(
        Component.objects.order_by()
        .values("layer")
        .annotate(n=Count("id"))
        .values_list("layer", "n")
    )
    return kinds, layers, list(fig.questions_with_component_counts()), fig.most_reused(6)


@anonymous_page
def home(request):
    kinds, layers, questions, most_reused = fig.cached("home", _home_figures)
    return render(
        request,
        "components/home.html",
        {
            "questions": questions,
            "kinds": [
                (value, label, kinds.get(value, 0)) for value, label in ComponentKind.choices
            ],
            "layers": [(value, label, layers.get(value, 0)) for value, label in Layer.choices],
            "recent": Component.objects.select_related("publisher")
            .with_user_count()
            .order_by("-updated_at", "pk")[:6],
            "most_reused": most_reused,
        },
    )


def _filters_from(request):
    """The catalogue's active filters from the query string; unknown values are dropped."""
    allowed = {
        "kind": set(ComponentKind.values),
        "layer": set(Layer.values),
        "status": set(DevelopmentStatus.values),
        "publisher_kind": set(OrganisationKind.values),
        "adr": {"meets"},
    }
    filters = {}
    for facet in FACET_FIELDS:
        values = [v for v in dict.fromkeys(request.GET.getlist(facet)) if v][:20]
        if facet in allowed:
            values = [v for v in values if v in allowed[facet]]
        if values:
            filters[facet] = values
    return filters


def _facet_groups(counts, filters):
    """What the template shows per facet: legend and options with counts."""
    question_names = {
        q.code: (q.name_en if _is_english() and q.name_en else q.name)
        for q in CustomerQuestion.objects.all()
    }
    licence_ids = list(counts["licence"])[:FACET_LIMIT]
    licence_ids += [v for v in filters.get("licence", []) if v not in licence_ids]
    licence_names = dict(License.objects.filter(id__in=licence_ids).values_list("id", "name"))
    standard_slugs = list(counts["standard"])[:FACET_LIMIT]
    standard_slugs += [v for v in filters.get("standard", []) if v not in standard_slugs]
    standard_names = standards.names(standard_slugs)
    labels = {
        "kind": (_("Kind"), list(ComponentKind.choices)),
        "layer": (_("Common Ground layer"), list(Layer.choices)),
        "status": (_("Development status"), list(DevelopmentStatus.choices)),
        "licence": (
            _("Licence"),
            [(lid, lid) for lid in licence_ids if lid in licence_names or lid in counts["licence"]],
        ),
        "publisher_kind": (_("Publisher"), list(OrganisationKind.choices)),
        "question": (_("Customer question"), list(question_names.items())),
        "adr": (_("API Design Rules"), [("meets", _("Meets the API Design Rules"))]),
        "standard": (
            _("Standard implemented"),
            sorted(
                ((slug, standard_names[slug]) for slug in standard_slugs if slug in standard_names),
                key=lambda option: option[1].lower(),
            ),
        ),
    }
    groups = []
    for facet in FACETS:
        legend, choices = labels[facet]
        ticked = set(filters.get(facet, []))
        options = []
        for value, label in choices:
            count = counts[facet].get(value, 0)
            if count or value in ticked:
                options.append(
                    {
                        "value": value,
                        "label": label,
                        "title": licence_names.get(value, "") if facet == "licence" else "",
                        "count": count,
                        "checked": value in ticked,
                        "id": f"f-{facet}-{value}".replace(".", "-").replace("+", "plus"),
                    }
                )
        if facet == "question":
            options.sort(key=lambda o: list(question_names).index(o["value"]))
        groups.append({"name": facet, "legend": legend, "options": options})
    return groups


@anonymous_page
def catalogue(request):
    text = request.GET.get("q", "").strip()[:200]
    filters = _filters_from(request)
    sort = request.GET.get("sort", "")
    if sort not in SORTS or (sort == "relevance" and not text):
        sort = "relevance" if text else "name"

    base = Component.objects.matching(text)
    matches = (Component.objects.search(text) if text else Component.objects.all()).filtered(
        filters
    )
    # "Used via a cooperation": some organisation's usage was recorded by a
    # cooperation on its behalf. Like every count, it names no one.
    via = request.GET.get("via") == "cooperation"
    if via:
        base, matches = base.via_cooperation(), matches.via_cooperation()
        filters_key = [*sorted(filters.items()), ("via", "cooperation")]
    else:
        filters_key = sorted(filters.items())
    # Page through ids first, then fetch that page's rows with their user counts:
    # PostgreSQL would otherwise compute the counts for every row an OFFSET skips.
    if sort == "users":
        # The order is a count that names no one: computed once per catalogue version.
        ids = fig.cached(
            "catalogue-order",
            lambda: list(matches.most_used_first().values_list("pk", flat=True)),
            text,
            filters_key,
        )
    else:
        ids = matches.order_by(*SORTS[sort]).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    if not via and sort != "users":
        # Only the user counts of the page's components read usages (the order
        # by users and the cooperation filter read them all): the cached page
        # depends on those (registry/cache.py), read before the counts are.
        page.object_list = list(page.object_list)
        narrow_to_usages_of(request, components=page.object_list)
    components = rows_for_page(
        Component.objects.select_related("publisher").with_user_count(), page.object_list
    )
    counts = fig.cached(
        "facets", lambda: fig.facet_counts(base, filters), text, filters_key, usages=via
    )

    params = {key: request.GET.getlist(key) for key in request.GET if key != "page"}
    # Components ticked for comparison and carried in the address (from the
    # compare page's "back"): ticked again here, or kept hidden when not on this page.
    chosen = [slug for slug in dict.fromkeys(request.GET.getlist("c")) if slug][:MAX_COMPARED]
    on_page = {component.slug for component in components}
    active = []
    publishers = dict(
        Organisation.objects.filter(slug__in=filters.get("publisher", [])).values_list(
            "slug", "name"
        )
    )
    groups = _facet_groups(counts, filters)
    labels = {
        g["name"]: {o["value"]: o["label"] for o in g["options"]} for g in groups
    }  # for the chips
    for facet, values in filters.items():
        for value in values:
            rest = {**params, facet: [v for v in params.get(facet, []) if v != value]}
            label = (
                publishers.get(value, value)
                if facet == "publisher"
                else labels.get(facet, {}).get(value, value)
            )
            active.append({"label": label, "remove": _query(rest)})
    if via:
        active.append({"label": _("Used via a cooperation"), "remove": _query(params, via=None)})
    return render(
        request,
        "components/component_list.html",
        {
            "q": text,
            "page": page,
            "components": components,
            "sort": sort,
            "sorts": [
                (key, label)
                for key, label in (
                    ("relevance", _("Relevance")),
                    ("name", _("Name")),
                    ("updated", _("Recently updated")),
                    ("users", _("Most used")),
                )
                if key != "relevance" or text
            ],
            "facets": groups,
            "active": active,
            "publisher_filter": filters.get("publisher", []),
            "clear": _query({"q": [text]} if text else {}),
            "page_query": _query(params, page=None),
            "chosen": chosen,
            "via": via,
            "chosen_elsewhere": [slug for slug in chosen if slug not in on_page],
        },
    )


def _find_organisation(text):
    """An organisation by slug or exact name, else up to 10 candidates by part of the name."""
    text = (text or "").strip()[:200]
    if not text:
        return None, []
    found = (
        Organisation.objects.filter(Q(slug=text) | Q(name__iexact=text)).order_by("name").first()
    )
    if found:
        return found, []
    candidates = list(Organisation.objects.filter(name__icontains=text).order_by("name")[:11])
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates[:10]


def _history(component, limit=20):
    """The latest changes, newest first, each with the fields that changed."""
    records = list(
        component.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changed = []
        if older is not None and newer.history_type == "~":
            for change in newer.diff_against(older).changes:
                field = Component._meta.get_field(change.field)
                changed.append(str(field.verbose_name))
        entries.append(
            {
                "when": newer.history_date,
                "type": newer.history_type,
                "actor": newer.history_actor
                or (newer.history_user.get_username() if newer.history_user else ""),
                "changed": changed,
            }
        )
    return entries


@anonymous_page
def component_detail(request, slug):
    component = (
        Component.objects.select_related("publisher", "foreign_record", "concept_by")
        .prefetch_related(
            "licenses", "customer_questions", "reuse_organisations", "upl_products", "links"
        )
        .filter(slug=slug)
        .first()
    )
    if component is None:
        # Merged into another by curators: its old address leads there.
        moved = get_object_or_404(ComponentRedirect.objects.select_related("component"), slug=slug)
        return redirect("component-detail", slug=moved.component.slug, permanent=True)
    # The page shows this component's usages and no other's (registry/cache.py).
    narrow_to_usages_of(request, components=[component.pk])
    viewer = viewer_of(request)
    usages = (
        component.usages.shown_to(viewer)
        .select_related("organisation", "claimed_by", "release", "recorded_via")
        .order_by("organisation__name")
    )
    hidden = component.usages.hidden_counts_by_kind(viewer).get(component.pk, {})

    own = []
    if request.user.is_authenticated:
        own = list(Organisation.objects.filter(memberships__user=request.user).order_by("name"))
    asked, candidates = _find_organisation(request.GET.get("organisation"))
    verdicts = [(org, reuse_verdict(component, org)) for org in own]
    if asked is not None and asked not in own:
        verdicts.append((asked, reuse_verdict(component, asked)))

    implementations = None
    if component.kind == ComponentKind.STANDARD:
        implementations = Paginator(standards.implementations(component), USERS_PAGE_SIZE).get_page(
            request.GET.get("implementations")
        )
    return render(
        request,
        "components/component_detail.html",
        {
            "component": component,
            "standards": standards.standards_of(component),
            "lints": list(component.api_lints.all()[:10])
            if component.kind == ComponentKind.API
            else None,
            "implementations": implementations,
            "usages": Paginator(usages, USERS_PAGE_SIZE).get_page(request.GET.get("users")),
            "hidden": hidden,
            "releases": component.releases.all()[:20],
            "release_count": component.releases.count(),
            "dependencies": component.dependencies.select_related("depends_on").order_by(
                "depends_on__name", "name"
            ),
            "dependents": component.dependents.select_related("component").order_by(
                "component__name"
            ),
            "history": _history(component) if request.user.is_authenticated else None,
            "history_count": component.history.count(),
            "verdicts": verdicts,
            "asked": request.GET.get("organisation", ""),
            "candidates": candidates,
            "not_found": bool(request.GET.get("organisation", "").strip())
            and asked is None
            and not candidates,
            "member_organisations": own,
        },
    )


@anonymous_page
def organisation_list(request):
    kind = request.GET.get("kind", "")
    # A correlated count: PostgreSQL counts only for the 50 rows of the page.
    published = (
        Component.objects.filter(publisher=OuterRef("pk"))
        .order_by()
        .values("publisher")
        .annotate(n=Count("id"))
        .values("n")
    )
    organisations = (
        Organisation.objects.shown()
        .annotate(published=Coalesce(Subquery(published), 0))
        .order_by("name")
    )
    if kind in OrganisationKind.values:
        organisations = organisations.filter(kind=kind)
    text = request.GET.get("q", "").strip()[:200]
    if text:
        organisations = organisations.filter(name__icontains=text)
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    params = {key: request.GET.getlist(key) for key in request.GET if key != "page"}
    return render(
        request,
        "components/organisation_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": OrganisationKind.choices,
            "q": text,
            "page_query": _query(params, page=None),
        },
    )


@anonymous_page
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("successor", "merged_into"), slug=slug
    )
    # A registration awaiting a curator has no public page yet. A concept vendor
    # without members is a placeholder that a user of its software added (with
    # a concept component): its page says so.
    if organisation.is_concept and organisation.memberships.exists():
        raise Http404
    if organisation.merged_into_id:
        # Merged into another: everything it had is there now.
        return redirect("organisation-detail", slug=organisation.merged_into.slug, permanent=True)
    viewer = viewer_of(request)
    published = organisation.published_components.with_user_count().order_by("name")
    # What the page shows of usages: the user counts of the components it
    # publishes (the first 50), its own usages, and its kind's use tally
    # ("organisations like this one use"); a usage written elsewhere leaves a
    # cached page as it is.
    narrow_to_usages_of(
        request,
        components=published.values_list("pk", flat=True)[:PUBLISHED_SHOWN],
        organisations=[organisation.pk],
        kinds=[organisation.kind],
    )
    # Only the usages this viewer may see, and no count of the others: a count of
    # one organisation's hidden usages, next to the per-kind counts on component
    # pages, would tell a vendor which components it uses government-only.
    usages = (
        organisation.usages.shown_to(viewer)
        .select_related("component", "claimed_by", "recorded_via")
        .order_by("component__name")
    )

    through = Component.customer_questions.through
    by_published = dict(
        through.objects.filter(component__publisher=organisation)
        .values("customerquestion_id")
        .annotate(n=Count("component_id", distinct=True))
        .values_list("customerquestion_id", "n")
    )
    # Coverage counts what the organisation uses now (pilot, production), as far
    # as the viewer may see: the same computation as the figures API's
    # questionsCovered (figures.questions_covered), so the two never disagree.
    by_used = fig.components_per_question_used(organisation, viewer)
    questions = [
        {"question": q, "published": by_published.get(q.pk, 0), "used": by_used.get(q.pk, 0)}
        for q in CustomerQuestion.objects.all()
    ]
    return render(
        request,
        "components/organisation_detail.html",
        {
            "organisation": organisation,
            "published": published[:PUBLISHED_SHOWN],
            "published_count": published.count(),
            "usages": Paginator(usages, USERS_PAGE_SIZE).get_page(request.GET.get("page")),
            "questions": questions,
            "covered": len(by_used),
            "similar": fig.similar_organisations_use(organisation, viewer, limit=5),
        },
    )


@anonymous_page
def question_list(request):
    return render(
        request,
        "components/question_list.html",
        {
            "questions": fig.cached("coverage", lambda: list(fig.question_coverage())),
            "municipalities": fig.cached("municipalities", fig.municipality_count),
        },
    )


@anonymous_page
def question_detail(request, code):
    question = get_object_or_404(CustomerQuestion, code=code)
    viewer = viewer_of(request)
    # The order (most used first) is a count that names no one: it is computed
    # once per catalogue version and the page then fetches only its own rows.
    order = fig.cached(
        "question-order",
        lambda: list(
            question.components.with_user_count()
            .order_by("-user_count", "name", "pk")
            .values_list("pk", flat=True)
        ),
        question.pk,
    )
    page = Paginator(order, PAGE_SIZE).get_page(request.GET.get("page"))
    components = rows_for_page(
        Component.objects.select_related("publisher")
        .with_user_count()
        .prefetch_related(
            Prefetch(
                "usages",
                queryset=Usage.objects.shown_to(viewer)
                .exclude(status=UsageStatus.STOPPED)
                .select_related("organisation")
                .order_by("organisation__name")[:USERS_PER_RESULT],
                to_attr="shown_usages",
            )
        ),
        page.object_list,
    )
    hidden = (
        Usage.objects.filter(component__in=[c.pk for c in components])
        .exclude(status=UsageStatus.STOPPED)
        .hidden_counts_by_kind(viewer)
    )
    for component in components:
        component.hidden = hidden.get(component.pk, {})
    return render(
        request,
        "components/question_detail.html",
        {
            "question": question,
            "page": page,
            "components": components,
            "page_query": "?",
            "covering": fig.cached(
                "covering", lambda: fig.municipalities_covering(question), question.pk
            ),
            "users_per_result": USERS_PER_RESULT,
            "municipalities": fig.municipality_count(),
        },
    )


def _bars(rows, value_key, label_key, *, row_height=32, width=640, label_width=230):
    """Geometry of a horizontal bar chart (SVG user units), computed here, drawn
    by the template."""
    top = max((row[value_key] for row in rows), default=0) or 1
    room = width - label_width - 60
    bars = []
    for i, row in enumerate(rows):
        value = row[value_key]
        label = str(row[label_key])
        bars.append(
            {
                "label": label,
                "short": label if len(label) <= 30 else label[:29] + "…",
                "value": value,
                "y": i * row_height,
                "text_y": i * row_height + row_height * 0.62,
                "bar_x": label_width,
                "bar_width": max(round(room * value / top), 1 if value else 0),
                "value_x": label_width + max(round(room * value / top), 0) + 6,
                "height": row_height - 8,
            }
        )
    return {"bars": bars, "height": max(len(rows), 1) * row_height, "width": width}


def _columns(rows, value_key, label_key, *, height=220, width=640):
    """Geometry of a column chart: one column per row, labels underneath."""
    top = max((row[value_key] for row in rows), default=0) or 1
    n = max(len(rows), 1)
    slot = width / n
    plot = height - 40
    columns = []
    for i, row in enumerate(rows):
        value = row[value_key]
        h = round(plot * value / top)
        columns.append(
            {
                "label": str(row[label_key]),
                "value": value,
                "x": round(i * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": 20 + plot - h,
                "h": h,
                "center": round(i * slot + slot / 2, 1),
                "value_y": 20 + plot - h - 4,
                "label_y": height - 4,
            }
        )
    return {"columns": columns, "height": height, "width": width}


def _figures():
    return {
        "adoption": fig.adoption_over_time(),
        "reused": [
            {"name": c.name, "slug": c.slug, "n": c.user_count} for c in fig.most_reused(10)
        ],
        "by_layer": fig.usage_by("layer", Layer),
        "by_kind": fig.usage_by("kind", ComponentKind),
        "municipalities": fig.municipality_count(),
    }


@anonymous_page
def figures(request):
    data = fig.cached("figures", _figures)
    by_layer = [{**row, "label": row["label"] or _("No layer")} for row in data["by_layer"]]
    by_kind = data["by_kind"]
    return render(
        request,
        "components/figures.html",
        {
            "adoption": data["adoption"],
            "adoption_chart": _columns(data["adoption"], "in_use", "year"),
            "reused": data["reused"],
            "reused_chart": _bars(data["reused"], "n", "name"),
            "by_layer": by_layer,
            "by_layer_chart": _bars(by_layer, "usages", "label"),
            "by_kind": by_kind,
            "by_kind_chart": _bars(by_kind, "usages", "label"),
            "municipalities": data["municipalities"],
        },
    )


@anonymous_page
def licence_detail(request, license_id):
    licence = get_object_or_404(
        License.objects.select_related("superseded_by", "owner"), id=license_id
    )
    components = licence.components.select_related("publisher").order_by("name", "pk")
    page = Paginator(components, PAGE_SIZE).get_page(request.GET.get("page"))
    # A custom licence may let others than its owner reuse under it while the
    # components under it still say who those others may be (the Rijkshuisstijl:
    # central government only). The page names those restrictions, so "yes" is
    # never read as "anyone".
    restrictions = sorted(
        {
            (restriction, tuple(sorted(kinds or ())))
            for restriction, kinds in licence.components.exclude(
                reuse_restriction=ReuseRestriction.NONE
            ).values_list("reuse_restriction", "reuse_organisation_kinds")
        }
    )
    return render(
        request,
        "components/licence_detail.html",
        {
            "licence": licence,
            "obligation": licence_obligation(licence),
            "page": page,
            "page_query": "?",
            "restrictions": [
                {
                    "label": ReuseRestriction(restriction).label,
                    "kinds": [OrganisationKind(kind).label for kind in kinds],
                }
                for restriction, kinds in restrictions
            ],
            "unrestricted": licence.components.filter(
                reuse_restriction=ReuseRestriction.NONE
            ).exists(),
        },
    )


@anonymous_page
def licence_list(request):
    """The licences in use, with how many components each covers."""
    licences = (
        License.objects.annotate(component_count=Count("components", distinct=True))
        .filter(component_count__gt=0)
        .order_by("-component_count", "id")
    )
    return render(request, "components/licence_list.html", {"licences": licences})


def _compare_rows(comparison):
    """The comparison as rows for the template: the label, whether the
    components differ in it, and one cell (the component) per column."""
    rows = []
    for key, label in COMPARE_ROWS:
        rows.append({"key": key, "label": label, "differs": comparison.differs(key)})
        if key == "licence":
            for organisation in comparison.organisations:
                rows.append(
                    {
                        "key": "verdict",
                        "label": _("May %(name)s reuse it?") % {"name": organisation.name},
                        "differs": comparison.verdict_differs(organisation),
                        "organisation": organisation,
                    }
                )
    for row in rows:
        if row["key"] == "verdict":
            row["cells"] = [c.verdicts[row["organisation"].pk] for c in comparison.components]
        else:
            row["cells"] = comparison.components
    return rows


@anonymous_page
def compare_page(request):
    """2 to 4 components side by side (?c=a&c=b), chosen in the catalogue.
    Anything else asked is a 400 page that says what is wrong."""
    asked = request.GET.getlist("c")
    organisations = []
    if request.user.is_authenticated:
        organisations = list(
            Organisation.objects.filter(memberships__user=request.user).order_by("name")
        )
    comparison, error = None, None
    try:
        comparison = compare(parse_slugs(asked), organisations)
    except CompareError as exc:
        error = str(exc)
    else:
        if comparison.missing:
            error = _("No component has the identifier %(slugs)s.") % {
                "slugs": ", ".join(f"“{slug}”" for slug in comparison.missing)
            }
    rows = _compare_rows(comparison) if comparison and not error else []
    return render(
        request,
        "components/compare.html",
        {
            "comparison": None if error else comparison,
            "rows": rows,
            "differing": sum(1 for row in rows if row["differs"]),
            "error": error,
            "asked_text": ",".join(part.strip() for part in asked if part.strip())[:500],
            "catalogue_query": _query({"c": [s for s in asked if s]}),
        },
        status=400 if error else 200,
    )


@anonymous_page
def about(request):
    return render(request, "components/about.html", {"osadl_attribution": OSADL_ATTRIBUTION})
