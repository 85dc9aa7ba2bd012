"""Figures about the catalogue: facet counts, most reused, adoption over time,
use per layer and kind, and coverage of the customer questions.

Plain functions over the QuerySets, shared by the website and the API. Every
figure is a count: none of them names an organisation, so government-only
usages are included without leaking who they belong to. The exceptions are the
figures about one organisation (questions covered, organisations like yours):
they would tell its hidden usages apart, so they use only what the viewer may see.
"""

import hashlib
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db.models import Count, DateField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone

from accounts.constants import OrganisationKind
from accounts.models import Organisation
from registry.cache import cached_value, catalogue_version, version

from . import standards
from .constants import UsageStatus, Visibility
from .licensing.verdicts import BLOCKER, restriction_reason
from .models import OWN_WORD, Component, CustomerQuestion, License, Usage, UseTally
from .query import FACET_FIELDS, FACETS, IN_USE

T = TypeVar("T")


def cached(name: str, compute: Callable[[], T], *parts, usages: bool = True) -> T:
    """Figures are counts, the same for every viewer, and costly at full size:
    keep them for FIGURES_CACHE_SECONDS, keyed on the versions of the catalogue
    and of the usages (registry/cache.py), or of the catalogue alone for a
    figure that counts no usage (usages=False). With a shared cache (Redis) a
    change shows at once; with a per-process one, at most that many seconds late.
    """
    seconds = settings.FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    current = version() if usages else catalogue_version()
    if current is None:  # the shared cache does not answer
        return compute()
    raw = "\n".join([str(current), name, *map(repr, parts)])
    key = "figures:" + hashlib.sha256(raw.encode()).hexdigest()
    return cached_value(key, compute, seconds)


def facet_counts(components, filters, facets=FACETS) -> dict[str, dict[str, int]]:
    """{facet: {value: count}} over `components`.

    Each facet's counts apply every *other* active filter but not its own, so
    they say how many results ticking that value would give (values within a
    facet are alternatives). One grouped query per facet, whatever the size.
    """
    counts = {}
    for facet in facets:
        others = {name: values for name, values in filters.items() if name != facet}
        field = FACET_FIELDS[facet]
        if facet == "standard":
            counts[facet] = standards.counts(components.filtered(others))
            continue
        if facet == "adr":
            meeting = components.filtered(others).meeting_api_design_rules().count()
            counts[facet] = {"meets": meeting} if meeting else {}
            continue
        relation, _, rest = field.partition("__")
        link = Component._meta.get_field(relation)
        if link.many_to_many:
            counts[facet] = _link_counts(link, rest, components.filtered(others))
            continue
        # A column of the component (or of its publisher) gives one row per
        # component: a plain COUNT, which PostgreSQL answers from the (layer,
        # kind) index alone (on PostgreSQL it carries the columns: migration 0025).
        rows = (
            components.filtered(others)
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .order_by("-n", field)
        )
        counts[facet] = {row[field]: row["n"] for row in rows if row[field] not in (None, "")}
    return counts


def _link_counts(link, rest, components) -> dict:
    """Counts per value of a many-to-many facet (licence, customer question), over
    its link table: one row per (component, value), so a plain COUNT is the number
    of components, where a join from the components needed COUNT(DISTINCT) and
    read every matching component's row (issue 14)."""
    value = f"{link.m2m_reverse_field_name()}__{rest}"
    rows = (
        link.remote_field.through.objects.filter(
            **{f"{link.m2m_field_name()}__in": components.order_by().values("pk")}
        )
        .values(value)
        .annotate(n=Count("pk"))
        .order_by("-n", value)
    )
    return {row[value]: row["n"] for row in rows if row[value] not in (None, "")}


def most_reused(limit=10) -> list[Component]:
    """The components most organisations use now (pilot or production), most first."""
    top = list(
        Usage.objects.in_use()
        .order_by()
        .values("component_id")
        .annotate(n=Count("id"))
        .order_by("-n", "component_id")[:limit]
    )
    components = Component.objects.select_related("publisher").in_bulk(
        [row["component_id"] for row in top]
    )
    result = []
    for row in top:
        component = components[row["component_id"]]
        component.user_count = row["n"]
        result.append(component)
    return result


def adoption_over_time(today=None, component=None) -> list[dict[str, int]]:
    """Per calendar year: usages started, usages stopped, and in use at the end of it.

    A usage starts at its `since` date (else the day it was recorded) and stops at
    its `until` date (else the day it was last changed) when its status is stopped.
    Planned usages and rejected claims are not adoption.
    """
    today = today or timezone.localdate()
    usages = Usage.objects.counted().exclude(status=UsageStatus.PLANNED).order_by()
    if component is not None:
        usages = usages.filter(component=component)
    started = dict(
        usages.annotate(year=ExtractYear(Coalesce("since", Cast("created_at", DateField()))))
        .values("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
    )
    stopped = dict(
        usages.filter(status=UsageStatus.STOPPED)
        .annotate(year=ExtractYear(Coalesce("until", Cast("updated_at", DateField()))))
        .values("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
    )
    if not started:
        return []
    rows, in_use = [], 0
    for year in range(min(started), max([today.year, *started, *stopped]) + 1):
        in_use += started.get(year, 0) - stopped.get(year, 0)
        rows.append(
            {
                "year": year,
                "started": started.get(year, 0),
                "stopped": stopped.get(year, 0),
                "in_use": in_use,
            }
        )
    return rows


def usage_by(field, choices) -> list[dict]:
    """Per value of a component field (kind or layer): components, and usages in use.

    `choices` is the TextChoices class; a blank value (no layer) comes last."""
    components = dict(
        Component.objects.order_by().values(field).annotate(n=Count("id")).values_list(field, "n")
    )
    usages = dict(
        Usage.objects.in_use()
        .order_by()
        .values(f"component__{field}")
        .annotate(n=Count("id"))
        .values_list(f"component__{field}", "n")
    )
    rows = [
        {
            "value": value,
            "label": label,
            "components": components.get(value, 0),
            "usages": usages.get(value, 0),
        }
        for value, label in choices.choices
    ]
    if components.get("") or usages.get(""):
        rows.append(
            {
                "value": "",
                "label": None,
                "components": components.get("", 0),
                "usages": usages.get("", 0),
            }
        )
    return rows


def _in_use_by_municipality(prefix):
    """Municipalities are counted once each, by their own word only: a pending claim
    that added nothing (the municipality was counted already, perhaps through a
    usage hidden from the claimant) would tell the claimant so (see the Usage model)."""
    return (
        Q(**{f"{prefix}organisation__kind": OrganisationKind.MUNICIPALITY})
        & Q(**{f"{prefix}status__in": IN_USE})
        & Q(**{f"{prefix}assertion__in": OWN_WORD})
    )


def questions_with_component_counts() -> QuerySet[CustomerQuestion]:
    """Every customer question with `component_count`; cheap enough for the home page."""
    return CustomerQuestion.objects.annotate(component_count=Count("components")).order_by(
        "position", "code"
    )


def question_coverage() -> QuerySet[CustomerQuestion]:
    """Every customer question with `component_count` (components serving it) and
    `municipality_count` (municipalities using at least one of them now, by their
    own word: a claim counts once confirmed)."""
    return CustomerQuestion.objects.annotate(
        component_count=Count("components", distinct=True),
        municipality_count=Count(
            "components__usages__organisation",
            filter=_in_use_by_municipality("components__usages__"),
            distinct=True,
        ),
    ).order_by("position", "code")


def municipality_count() -> int:
    """Municipalities as they are now: not one awaiting a curator, not one that
    ended (merged into another in a herindeling, say)."""
    return Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, status="active").count()


def municipalities_covering(question) -> int:
    """How many municipalities use at least one component for this question now."""
    return (
        Usage.objects.filter(_in_use_by_municipality(""), component__customer_questions=question)
        .order_by()
        .values("organisation_id")
        .distinct()
        .count()
    )


def reuse_across_kinds() -> list[dict]:
    """Usages in use, by the publisher's kind and the user's kind: e.g. how often
    components published by municipalities are used by provinces."""
    rows = (
        Usage.objects.in_use()
        .order_by()
        .values("component__publisher__kind", "organisation__kind")
        .annotate(n=Count("id"))
        .order_by("component__publisher__kind", "organisation__kind")
    )
    return [
        {
            "publisher_kind": row["component__publisher__kind"],
            "user_kind": row["organisation__kind"],
            "usages": row["n"],
        }
        for row in rows
    ]


def components_per_question_used(organisation, viewer) -> dict[int, int]:
    """{customer question id: how many components the organisation uses now serve
    it}, as far as the viewer may see its usages; only questions served at all."""
    used = (
        Usage.objects.visible_to(viewer)
        .in_use()
        .filter(organisation=organisation)
        .values("component_id")
    )
    return dict(
        Component.customer_questions.through.objects.filter(component_id__in=used)
        .values("customerquestion_id")
        .annotate(n=Count("component_id", distinct=True))
        .values_list("customerquestion_id", "n")
    )


def questions_covered(organisation, viewer) -> list[CustomerQuestion]:
    """The customer questions served by components the organisation uses now, as far
    as the viewer may see its usages."""
    covered = components_per_question_used(organisation, viewer)
    return list(CustomerQuestion.objects.filter(pk__in=covered).order_by("position", "code"))


def similar_organisations_use(organisation, viewer, limit=10) -> list[dict]:
    """ "Organisations like yours use…": components in use at other organisations of
    the same kind, which this one does not use and may reuse, ranked by how many of
    them use each.

    Read from the tally (components.models.tally.UseTally, kept by triggers): the
    organisations with a public usage for a viewer who may not see government-only
    usages, all of them for one who may, plus the viewer's own government-only
    usages and claims, which it sees. Only the usages the viewer may see count: a
    component is left out because the organisation uses it only where the viewer
    sees that use (leaving it out for a hidden usage would reveal that usage by its
    absence), and a hidden usage of another organisation is never counted (a count
    would reveal it). The organisation itself never adds to a count shown: every
    count it is in belongs to a component whose use the viewer sees, left out.
    """
    column = "organisations" if viewer.sees_government_usages else "public_organisations"
    seen = Usage.objects.visible_to(viewer)
    uses = set(seen.filter(organisation=organisation).values_list("component_id", flat=True))
    tallies = UseTally.objects.filter(organisation_kind=organisation.kind)
    # A few more candidates than asked for: those the organisation may not reuse
    # (a house style only central government may use, a licence only its owner
    # may) are left out, so they are never recommended.
    counts = dict(
        tallies.filter(**{f"{column}__gt": 0})
        .exclude(component_id__in=uses)
        .order_by(f"-{column}", "component_id")
        .values_list("component_id", column)[: limit * 3]
    )
    extra = _own_hidden_use(organisation, viewer, uses)
    if extra:
        missing = extra.keys() - counts.keys()
        base = dict(tallies.filter(component_id__in=missing).values_list("component_id", column))
        for component_id, n in extra.items():
            counts[component_id] = counts.get(component_id, base.get(component_id, 0)) + n
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: limit * 3]
    # What may_reuse and the page and the API read, no more.
    components = (
        Component.objects.only(
            "pk", "slug", "name", "publisher_id", "reuse_restriction", "reuse_organisation_kinds"
        )
        .prefetch_related(
            Prefetch("reuse_organisations", queryset=Organisation.objects.only("pk")),
            Prefetch(
                "licenses",
                queryset=License.objects.only("pk", "is_custom", "reuse_allowed", "owner_id"),
            ),
        )
        .in_bulk([component_id for component_id, _n in ranked])
    )
    return [
        {"component": components[component_id], "organisations": n}
        for component_id, n in ranked
        if may_reuse(components[component_id], organisation)
    ][:limit]


def _own_hidden_use(organisation, viewer, uses) -> dict[int, int]:
    """{component id: organisations} that the public counts leave out but this viewer
    sees: its own government-only usages, and those it claimed, of organisations of
    the organisation's kind that have no public usage of that component in use."""
    if viewer.sees_government_usages or not viewer.organisation_ids:
        return {}
    in_use = Usage.objects.in_use()
    pairs = (
        in_use.filter(visibility=Visibility.GOVERNMENT, organisation__kind=organisation.kind)
        .filter(
            Q(organisation_id__in=viewer.organisation_ids)
            | Q(claimed_by_id__in=viewer.organisation_ids)
        )
        .exclude(organisation=organisation)
        .exclude(component_id__in=uses)
        .exclude(
            Exists(
                in_use.filter(
                    organisation=OuterRef("organisation"),
                    component=OuterRef("component"),
                    visibility=Visibility.PUBLIC,
                )
            )
        )
        .values_list("organisation_id", "component_id")
        .distinct()
    )
    return Counter(component_id for _organisation_id, component_id in pairs)


def may_reuse(component, organisation) -> bool:
    """Whether nothing stops the organisation from reusing the component: its
    reuse restriction, or licences that only their owner may use (all of them:
    under "A OR B" one open alternative is enough). Works on prefetched
    reuse_organisations and licenses, so a list costs no query per row."""
    if restriction_reason(component, organisation).severity == BLOCKER:
        return False
    licences = list(component.licenses.all())
    closed = [
        licence
        for licence in licences
        if licence.is_custom and not licence.reuse_allowed and licence.owner_id != organisation.pk
    ]
    return not licences or len(closed) < len(licences)
