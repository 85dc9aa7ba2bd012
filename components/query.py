from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.constants import OrganisationKind
from registry.prepared import prepared_cursor

from . import search
from .constants import Assertion, UsageStatus, Visibility

# A usage is "in use" while piloting or in production; planned and stopped are not reuse.
IN_USE = (UsageStatus.PILOT, UsageStatus.PRODUCTION)

# Catalogue facet → the component field its values come from, for filtering
# (ComponentQuerySet.filtered) and counting (figures.facet_counts).
FACET_FIELDS = {
    "kind": "kind",
    "layer": "layer",
    "status": "development_status",
    "licence": "licenses__id",
    "publisher_kind": "publisher__kind",
    "question": "customer_questions__code",
    "publisher": "publisher__slug",
    # Standards implemented: dependencies "implements" on a component of kind
    # standard (components/standards.py), filtered and counted there.
    "standard": "dependencies__depends_on__slug",
    # "meets": the latest check of its OpenAPI document meets the API Design
    # Rules (components/quality.py).
    "adr": "api_lints__meets_rules",
}
# The facets the catalogue counts; publisher only filters (there are thousands).
FACETS = tuple(facet for facet in FACET_FIELDS if facet != "publisher")


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as far as usage visibility is concerned.

    Government-only usages are shown to members of public-sector organisations
    (and to curators); everyone else sees them only as counts per organisation
    kind. An organisation always sees its own usages and the claims it made.
    """

    organisation_ids: frozenset = field(default_factory=frozenset)
    public_sector: bool = False
    curator: bool = False

    @classmethod
    def anonymous(cls):
        return cls()

    @classmethod
    def for_organisations(cls, organisations, curator=False):
        organisations = list(organisations)
        return cls(
            organisation_ids=frozenset(o.pk for o in organisations),
            public_sector=any(o.kind != OrganisationKind.VENDOR for o in organisations),
            curator=curator,
        )

    @classmethod
    def for_user(cls, user):
        if user is None or not user.is_authenticated:
            return cls.anonymous()
        # Imported here: components.models imports this module while the app
        # registry loads, before accounts' models may be imported at module level.
        from accounts.models import Organisation

        organisations = Organisation.objects.filter(memberships__user=user).only("pk", "kind")
        return cls.for_organisations(organisations, curator=user.is_staff)

    @classmethod
    def for_token(cls, token):
        return cls.for_organisations([token.organisation])

    @property
    def sees_government_usages(self):
        return self.public_sector or self.curator

    @property
    def cache_key(self):
        """Tells apart viewers who may be shown different answers, for keying
        cached responses; every anonymous visitor shares one."""
        if self == Viewer.anonymous():
            return "anonymous"
        ids = ",".join(str(pk) for pk in sorted(self.organisation_ids))
        return f"organisations:{ids}:public-sector={self.public_sector}:curator={self.curator}"


def viewer_of(request):
    """Who is looking, worked out once per request and kept on it.

    The site knows a visitor by the signed-in user. The API knows a caller only by
    its token, never by a session cookie: its views settle the viewer first
    (components/api/mixins.py)."""
    request = getattr(request, "_request", request)  # the Django request under DRF's
    if not hasattr(request, "viewer"):
        request.viewer = Viewer.for_user(request.user)
    return request.viewer


def visible_condition(viewer, prefix=""):
    """The condition for a usage or an integration (or, with a prefix such as
    "source_usage__", the row it refers to) that the viewer may see by name:
    public, or government-only to members of public-sector organisations; a
    rejected claim only to the organisation and the claimant; their own rows
    always to both."""
    shown = ~Q(**{f"{prefix}assertion": Assertion.REJECTED})
    if not viewer.sees_government_usages:
        shown &= Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if not viewer.organisation_ids:
        return shown
    own = Q(**{f"{prefix}organisation_id__in": viewer.organisation_ids}) | Q(
        **{f"{prefix}claimed_by_id__in": viewer.organisation_ids}
    )
    return shown | own


class UsageQuerySet(models.QuerySet):
    def counted(self):
        """Usages that count as use: a rejected claim never does."""
        return self.exclude(assertion=Assertion.REJECTED)

    def visible_to(self, viewer):
        """Usages the viewer may see by name (rejected claims only to those involved)."""
        return self.filter(visible_condition(viewer))

    def in_use(self):
        """Counted usages that are live: pilot or production."""
        return self.counted().filter(status__in=IN_USE)

    def shown_to(self, viewer):
        """What a page lists by name: visible to the viewer and never a rejected claim."""
        return self.visible_to(viewer).counted()

    def hidden_counts_by_kind(self, viewer, key="component_id"):
        """{key value: {organisation kind: n}} for the usages the viewer may not see by
        name; one grouped query, so a page of rows costs the same as one row."""
        counts = {}
        rows = (
            self.hidden_from(viewer)
            .order_by()
            .values(key, "organisation__kind")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts.setdefault(row[key], {})[row["organisation__kind"]] = row["n"]
        return counts

    def hidden_from(self, viewer):
        """Counted usages the viewer may not see by name (for counts per kind)."""
        if viewer.sees_government_usages:
            return self.none()
        return (
            self.counted()
            .filter(visibility=Visibility.GOVERNMENT)
            .exclude(organisation_id__in=viewer.organisation_ids)
            .exclude(claimed_by_id__in=viewer.organisation_ids)
        )


class IntegrationQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Integrations the viewer may see by name: the integration itself and the
        usages at both of its ends, so a public integration never tells of a
        government-only usage."""
        return self.filter(
            visible_condition(viewer)
            & visible_condition(viewer, "source_usage__")
            & visible_condition(viewer, "target_usage__")
        )

    def counted(self):
        """Integrations that stand: a rejected claim never does."""
        return self.exclude(assertion=Assertion.REJECTED)

    def shown_to(self, viewer):
        """What the landscape draws: visible to the viewer, never a rejected claim,
        and only between usages that stand."""
        return (
            self.visible_to(viewer)
            .counted()
            .exclude(source_usage__assertion=Assertion.REJECTED)
            .exclude(target_usage__assertion=Assertion.REJECTED)
        )

    def involving(self, component_ids):
        """Integrations with one of these components at either end."""
        return self.filter(
            Q(source_usage__component_id__in=component_ids)
            | Q(target_usage__component_id__in=component_ids)
        )


class ComponentQuerySet(models.QuerySet):
    def search(self, text):
        """Full-text search, annotated with `search_rank` (higher is better):
        PostgreSQL with the Dutch (and English) configuration, SQLite with FTS5
        (search.py)."""
        text = (text or "").strip()
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            query = _search_query(text)
            return self.filter(search_document=query).annotate(
                search_rank=SearchRank(F("search_document"), query)
            )
        positive, _negative = search.fts_query(text)
        # A component found only by what it lacks ("-melding") matched no word.
        rank = Coalesce(search.Rank(positive), 0.0) if positive else Value(0.0)
        return self.matching(text).annotate(search_rank=rank)

    def matching(self, text):
        """The same filter as search() without the rank, for counting and grouping."""
        text = (text or "").strip()
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            return self.filter(search_document=_search_query(text))
        positive, negative = search.fts_query(text)
        condition = Q(pk__in=search.Matches(positive)) if positive else Q()
        for excluded in negative:
            condition |= ~Q(pk__in=search.Matches(excluded))
        # No word at all ("-", "?"): PostgreSQL's empty query matches nothing too.
        return self.filter(condition) if condition else self.none()

    def filtered(self, filters):
        """Apply catalogue filters: {facet: [values]}; values within a facet are OR'ed,
        facets are AND'ed. Many-to-many facets use EXISTS, so no row is duplicated."""
        qs = self
        for facet, values in filters.items():
            if not values:
                continue
            if facet not in FACET_FIELDS:
                raise ValueError(f"unknown facet {facet!r}")
            if facet == "standard":
                from . import standards  # imports the models, which import this module

                qs = standards.implementing(qs, values)
                continue
            if facet == "adr":
                qs = qs.meeting_api_design_rules() if "meets" in values else qs
                continue
            relation, _, rest = FACET_FIELDS[facet].partition("__")
            field = self.model._meta.get_field(relation)
            if field.many_to_many:
                lookups = {
                    field.m2m_field_name(): OuterRef("pk"),
                    f"{field.m2m_reverse_field_name()}__{rest}__in": values,
                }
                qs = qs.filter(Exists(field.remote_field.through.objects.filter(**lookups)))
            else:
                qs = qs.filter(**{f"{FACET_FIELDS[facet]}__in": values})
        return qs

    def via_cooperation(self):
        """Components some organisation uses through a usage a cooperation
        recorded on its behalf (never a rejected claim)."""
        usage_model = self.model._meta.get_field("usages").related_model
        return self.filter(
            Exists(
                usage_model.objects.counted().filter(
                    component_id=OuterRef("pk"), recorded_via__isnull=False
                )
            )
        )

    def meeting_api_design_rules(self, meets=True):
        """API components whose latest OpenAPI check meets the API Design Rules
        (meets=False: whose latest check does not)."""
        # Driven from the lint results (a few per API), not from the components:
        # a correlated "latest result" per component read the index once for each
        # of thousands of components that have none (issue 14). A result is the
        # latest when its component has none checked later (or at the same time
        # with a higher id).
        lints = self.model._meta.get_field("api_lints").related_model.objects
        later = lints.filter(component_id=OuterRef("component_id")).filter(
            Q(checked_at__gt=OuterRef("checked_at"))
            | Q(checked_at=OuterRef("checked_at"), id__gt=OuterRef("id"))
        )
        meeting = lints.filter(meets_rules=meets).exclude(Exists(later)).values("component_id")
        return self.filter(pk__in=meeting)

    def most_used_first(self):
        """Order by the number of organisations using it now, most first.

        A join with GROUP BY, which PostgreSQL does in one pass over the usages;
        with_user_count()'s correlated count would run once per component."""
        in_use = Q(usages__status__in=IN_USE) & ~Q(usages__assertion=Assertion.REJECTED)
        return self.alias(in_use=Count("usages", filter=in_use)).order_by("-in_use", "name", "pk")

    def with_user_count(self):
        """Annotate `user_count`: organisations using it now (pilot or production).

        A count never names anyone, so it includes government-only usages."""
        # A correlated subquery rather than a join + GROUP BY: PostgreSQL then counts
        # only for the rows of the page, unless the page is sorted by this count.
        usage_model = self.model._meta.get_field("usages").related_model
        in_use = (
            usage_model.objects.in_use()
            .filter(component_id=OuterRef("pk"))
            .order_by()
            .values("component_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        return self.annotate(user_count=Coalesce(Subquery(in_use), 0))


def _search_query(text):
    return SearchQuery(text, config="dutch", search_type="websearch") | SearchQuery(
        text, config="english", search_type="websearch"
    )


def rows_for_page(queryset, ids):
    """The rows of `queryset` with these ids, in the order of the ids.

    Long lists page through ids first: an index-only walk, cheap even deep in the
    list, that computes none of the rows' annotations for what an OFFSET skips.
    Then this fetches whole rows for just the page. A row deleted in between is
    left out."""
    ids = list(ids)
    rows = queryset.filter(pk__in=ids).in_bulk() if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


def attach_summaries(components):
    """Give each component its latest release and usage counts in two queries,
    whatever the number of components (lists must not query per row)."""
    components = list(components)
    ids = [c.pk for c in components]
    if not ids:
        return components
    # Reached through the relations: models.py imports this module.
    meta = components[0]._meta
    release_model = meta.get_field("releases").related_model
    usage_model = meta.get_field("usages").related_model
    latest = {}
    for release in release_model.objects.filter(component_id__in=ids).order_by(
        "component_id", "-release_date", "-id"
    ):
        latest.setdefault(release.component_id, release)
    counts = usage_summaries(usage_model, ids)
    for component in components:
        component.latest_release = latest.get(component.pk)
        component.usage_counts = counts[component.pk]
    return components


def compiled_values(model, key, build, params):
    """The rows of the .values() queryset build(params) as dicts, its SQL compiled
    once per connection and shape (`key`) and run again with new parameters.

    Compiling a component's row query (40 columns, three joins) took 0.75 ms of the
    1 ms it took to read it, the database's part being a prepared statement
    (prepared_cursor). The rows go through the compiler's own converters, so
    they read as the queryset's would; the first run of a shape checks that the
    parameters land where its query put them, and otherwise keeps nothing."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    compiled = connection.__dict__.setdefault("registry_compiled_values", {})
    entry = compiled.get(key)
    if entry is None:
        queryset = build(params)
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, compiled_params = compiler.as_sql()
        except EmptyResultSet:  # an empty IN list: no query at all
            return []
        if list(compiled_params) != list(params):
            return list(queryset)
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        entry = compiled[key] = (sql, compiler, names)
    sql, compiler, names = entry
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, list(params))
        rows = cursor.fetchall()
    return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[rows])]


def usage_summaries(usage_model, ids):
    """{component id: {total, by_status, by_organisation_kind}}: every usage but a
    rejected claim, government-only ones included (a count names no one).

    Read from the usage tally (components.models.tally.UseTally, kept by triggers
    in the same transaction as every usage write): a few rows per component,
    where grouping a popular component's 2,000 usages took 3 ms of a 7 ms detail.
    The keys come in a fixed order, as grouping by (status, kind) and ordering by
    both gave them: statuses in order, kinds in the order their first status
    reaches them; so the same counts always read the same."""
    from components.tally import USAGE_COLUMNS  # imports this module

    tally = usage_model._meta.apps.get_model("components", "UseTally")
    statuses = sorted(USAGE_COLUMNS)
    counted = defaultdict(dict)
    columns = [USAGE_COLUMNS[status] for status in statuses]
    rows = compiled_values(
        tally,
        ("usage summaries", len(ids)),
        lambda ids: (
            tally.objects.filter(component_id__in=ids)
            .order_by()
            .values("component_id", "organisation_kind", *columns)
        ),
        ids,
    )
    for row in rows:
        for status, column in zip(statuses, columns, strict=True):
            if row[column]:
                counted[row["component_id"]][status, row["organisation_kind"]] = row[column]
    counts = {}
    for pk in ids:
        summary = {"total": 0, "by_status": {}, "by_organisation_kind": {}}
        for (status, kind), n in sorted(counted.get(pk, {}).items()):
            summary["total"] += n
            summary["by_status"][status] = summary["by_status"].get(status, 0) + n
            by_kind = summary["by_organisation_kind"]
            by_kind[kind] = by_kind.get(kind, 0) + n
        counts[pk] = summary
    return counts


class HarvestSourceQuerySet(models.QuerySet):
    def due(self, now):
        """Enabled sources never fetched, or last fetched at least interval_hours ago.

        One condition per distinct interval rather than date arithmetic in SQL,
        so the query is the same on SQLite and PostgreSQL and can use the
        (enabled, last_run_at) index."""

        enabled = self.filter(enabled=True)
        due = Q(last_run_at__isnull=True)
        for hours in enabled.order_by().values_list("interval_hours", flat=True).distinct():
            due |= Q(interval_hours=hours, last_run_at__lte=now - timedelta(hours=hours))
        return enabled.filter(due)
