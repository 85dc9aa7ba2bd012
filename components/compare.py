"""Components side by side: what the compare page (/vergelijken) and the API's
/compare show, computed once here for both.

A comparison reads the same number of queries whatever the number of
components (2 to 4): the components with their publisher, customer questions,
dependencies and named reusers; their latest releases; their users per
organisation kind; and the custom licences, once, for the reuse verdicts.

An API's quality is its latest API Design Rules check (components/quality.py),
read as two subqueries of the components' own query.
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from .constants import DependencyUse
from .licensing import custom_licences, reuse_verdict
from .models import ApiLint, Component, Dependency, Release, Usage

MIN_COMPONENTS = 2
MAX_COMPONENTS = 4


class CompareError(ValueError):
    """What is wrong with the components asked for, in one sentence."""


def parse_slugs(values) -> list[str]:
    """The slugs asked for, from repeated parameters and/or comma-separated lists,
    in order, each once. Raises CompareError for fewer than 2 or more than 4."""
    slugs = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in slugs:
                slugs.append(part)
    if len(slugs) < MIN_COMPONENTS:
        raise CompareError(
            _("Choose at least %(min)d components to compare; you chose %(n)d.")
            % {"min": MIN_COMPONENTS, "n": len(slugs)}
        )
    if len(slugs) > MAX_COMPONENTS:
        raise CompareError(
            _("Choose at most %(max)d components to compare; you chose %(n)d.")
            % {"max": MAX_COMPONENTS, "n": len(slugs)}
        )
    return slugs


def standards_implemented(components) -> dict[int, list[str]]:
    """{component id: names of the standards (and APIs) it implements}.

    What the registry knows today: dependencies whose use is 'implements'
    (constants.DependencyUse). When a model of its own for implemented
    standards exists (version, conformance), this is the one place to change.
    Reads the prefetched dependencies: no query.
    """
    found = {}
    for component in components:
        names = [
            dependency.depends_on.name if dependency.depends_on else dependency.name
            for dependency in component.dependencies.all()
            if dependency.how_used == DependencyUse.IMPLEMENTS
        ]
        found[component.pk] = sorted(names, key=str.lower)
    return found


def users_by_kind(components) -> dict[int, dict[str, int]]:
    """{component id: {organisation kind: organisations using it now}}.

    Counted as the catalogue's "In use at N organisations" is (pilot or
    production, never a rejected claim): a count names no one, so
    government-only usages are in it for every viewer, as they are in every
    other count the registry shows. One grouped query."""
    counts = {component.pk: {} for component in components}
    rows = (
        Usage.objects.in_use()
        .filter(component_id__in=list(counts))
        .order_by()
        .values_list("component_id", "organisation__kind")
        .annotate(n=Count("id"))
    )
    for component_id, kind, n in rows:
        counts[component_id][kind] = n
    return counts


def latest_releases(components) -> dict[int, Release]:
    latest = {}
    for release in Release.objects.filter(component_id__in=[c.pk for c in components]).order_by(
        "component_id", "-release_date", "-id"
    ):
        latest.setdefault(release.component_id, release)
    return latest


@dataclass
class Comparison:
    components: list
    # The organisations whose reuse verdicts are shown (the viewer's own).
    organisations: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    def differs(self, key) -> bool:
        values = [component.compared[key] for component in self.components]
        return any(value != values[0] for value in values[1:])

    def verdict_differs(self, organisation) -> bool:
        verdicts = [c.verdicts[organisation.pk].verdict for c in self.components]
        return len(set(verdicts)) > 1


# The rows of the comparison, in the order shown: key and label. Reuse
# verdicts (one row per organisation of the viewer) follow the licence.
ROWS = [
    ("kind", _("Kind")),
    ("layer", _("Common Ground layer")),
    ("status", _("Development status")),
    ("licence", _("Licence")),
    ("publisher", _("Publisher")),
    ("latest_release", _("Latest release")),
    ("standards", _("Standards implemented")),
    ("quality", _("API quality score")),
    ("users", _("Organisations using it now, by kind")),
    ("questions", _("Customer questions served")),
    ("dependencies", _("Dependencies")),
]


def compare(slugs, organisations=()) -> Comparison:
    """The components with these slugs, in the order asked, each with
    `compared` (the values of ROWS, comparable with ==) and `verdicts`
    ({organisation id: Verdict}) for the organisations given.

    Slugs that match no component are listed in `missing`; the caller decides
    what to tell (the page and the API refuse the comparison)."""
    latest_lint = ApiLint.objects.filter(component=OuterRef("pk")).order_by("-checked_at", "-id")
    found = (
        Component.objects.filter(slug__in=slugs)
        .annotate(
            quality_score=Subquery(latest_lint.values("score")[:1]),
            quality_meets_rules=Subquery(latest_lint.values("meets_rules")[:1]),
        )
        .select_related("publisher")
        .prefetch_related(
            "customer_questions",
            "reuse_organisations",
            Prefetch(
                "dependencies",
                queryset=Dependency.objects.select_related("depends_on").order_by(
                    "depends_on__name", "name", "pk"
                ),
            ),
        )
        .in_bulk(field_name="slug")
    )
    components = [found[slug] for slug in slugs if slug in found]
    comparison = Comparison(
        components=components,
        organisations=list(organisations),
        missing=[slug for slug in slugs if slug not in found],
    )
    if comparison.missing:
        return comparison
    latest = latest_releases(components)
    standards = standards_implemented(components)
    users = users_by_kind(components)
    customs = custom_licences() if comparison.organisations else None
    for component in components:
        release = latest.get(component.pk)
        component.latest_release = release
        component.standards = standards[component.pk]
        component.users_by_kind = users[component.pk]
        component.dependency_list = list(component.dependencies.all())
        component.question_list = list(component.customer_questions.all())
        component.compared = {
            "kind": component.kind,
            "layer": component.layer,
            "status": component.development_status,
            "licence": component.license_expression,
            "publisher": component.publisher_id,
            "latest_release": (release.version, release.release_date) if release else None,
            "standards": component.standards,
            # (score, meets the rules) of the latest check; None: not an API, or never checked.
            "quality": (
                (component.quality_score, bool(component.quality_meets_rules))
                if component.quality_score is not None
                else None
            ),
            "users": component.users_by_kind,
            "questions": sorted(q.code for q in component.question_list),
            "dependencies": sorted(
                (d.depends_on_id or 0, d.name, d.how_used) for d in component.dependency_list
            ),
        }
        component.verdicts = {
            organisation.pk: reuse_verdict(component, organisation, customs=customs)
            for organisation in comparison.organisations
        }
    return comparison
