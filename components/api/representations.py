"""Components as the API shows them, built from plain rows (issue 14).

ComponentSerializer describes a component (the document, the writes); for reads
this module builds the same dicts from `.values()` rows and one query per
related set, whatever the number of components. Model instances, prefetch
machinery and DRF's field-by-field rendering took most of a read's time (about
three quarters of an uncached detail or list, see BENCHMARKS.md).

tests/api/test_representations.py holds the two to each other: for every
component of the demo catalogue, and in every language, the dict here equals
what the serializer produces, so the API's output does not change.
"""

from collections import defaultdict
from datetime import date

from django.db import connections, router
from rest_framework import fields

from components.constants import ComponentKind, DependencyUse
from components.models import Component, Usage
from components.query import compiled_values, usage_summaries
from registry.prepared import prepared_cursor

from .etags import _quoted_digest

_datetime = fields.DateTimeField()
_date = fields.DateField()

# The concrete columns (as the ETag of a stored resource names them), and what
# the representation shows of the related rows it points to.
ETAG_COLUMNS = [
    field.attname for field in Component._meta.concrete_fields if field.attname != "search_document"
]
COLUMNS = [
    *ETAG_COLUMNS,
    "publisher__slug",
    "publisher__name",
    "publisher__kind",
    "replaced_by__slug",
    "concept_by__slug",
]


def _when(value):
    return None if value is None else _datetime.to_representation(value)


def _day(value):
    return None if value is None else _date.to_representation(value)


def etag(row):
    """etags.etag_for(component), from its row: the same text, so the same tag."""
    return _quoted_digest("\n".join(f"{name}={row[name]!r}" for name in ETAG_COLUMNS).encode())


# Every related set of a page of components in one query: plain SQL over the
# same tables on PostgreSQL and SQLite (with rows this simple, the ORM's query
# building and one round trip per set cost more than the database's answers).
# Each part gives (set, component, sort number, sort text, sort id, values…),
# values as text; the whole is ordered by set, component and the sort keys.
_PARTS = [
    # customer questions: in the questions' order (position, code)
    """SELECT 'q', l.component_id, q.position, q.code, q.id, q.code,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM components_component_customer_questions l
        JOIN components_customerquestion q ON q.id = l.customerquestion_id
        WHERE l.component_id IN ({ids})""",
    # UPL products: by name
    """SELECT 'p', l.component_id, 0, p.name, p.id, p.uri,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM components_component_upl_products l
        JOIN components_uplproduct p ON p.id = l.uplproduct_id
        WHERE l.component_id IN ({ids})""",
    # organisations named as reusers: by name
    """SELECT 'r', l.component_id, 0, o.name, o.id, o.slug,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM components_component_reuse_organisations l
        JOIN accounts_organisation o ON o.id = l.organisation_id
        WHERE l.component_id IN ({ids})""",
    # links: by kind, then as entered
    """SELECT 'l', component_id, 0, kind, id, kind, url, label,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM components_componentlink WHERE component_id IN ({ids})""",
    # dependencies: as entered
    """SELECT 'd', d.component_id, 0, '', d.id, t.slug, t.name, t.kind, d.name, d.kind,
        d.how_used, d.version, d.license_expression, d.conformance, d.evidence_url
        FROM components_dependency d LEFT JOIN components_component t ON t.id = d.depends_on_id
        WHERE d.component_id IN ({ids})""",
    # releases: the newest is picked below
    """SELECT 'v', component_id, 0, '', id, version, CAST(release_date AS TEXT),
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM components_release WHERE component_id IN ({ids})""",
]
RELATED_SQL = " UNION ALL ".join(_PARTS) + " ORDER BY 1, 2, 3, 4, 5"
DEPENDENCY_FIELDS = (
    "depends_on__slug",
    "depends_on__name",
    "depends_on__kind",
    "name",
    "kind",
    "how_used",
    "version",
    "license_expression",
    "conformance",
    "evidence_url",
)


def _related(ids):
    """Every related set of these components, in one query."""
    placeholders = ", ".join(["%s"] * len(ids))
    with prepared_cursor(connections[router.db_for_read(Component)]) as cursor:
        cursor.execute(RELATED_SQL.format(ids=placeholders), list(ids) * len(_PARTS))
        rows = cursor.fetchall()
    questions, products, reusers = defaultdict(list), defaultdict(list), defaultdict(list)
    links, dependencies, newest = defaultdict(list), defaultdict(list), {}
    for part, component_id, _n, _text, pk, *values in rows:
        if part == "q":
            questions[component_id].append(values[0])
        elif part == "p":
            products[component_id].append(values[0])
        elif part == "r":
            reusers[component_id].append(values[0])
        elif part == "l":
            links[component_id].append({"kind": values[0], "url": values[1], "label": values[2]})
        elif part == "d":
            dependencies[component_id].append(dict(zip(DEPENDENCY_FIELDS, values, strict=True)))
        else:
            released = date.fromisoformat(values[1][:10])
            if component_id not in newest or (released, pk) > newest[component_id][:2]:
                newest[component_id] = (released, pk, values[0])
    # A date, as the serializer gives it (the renderer writes it ISO 8601).
    latest = {
        component_id: {"version": version, "release_date": released}
        for component_id, (released, _pk, version) in newest.items()
    }
    return questions, products, reusers, links, dependencies, latest


def usage_counts(ids):
    return usage_summaries(Usage, ids)


def _rows_by_id(ids):
    return compiled_values(
        Component,
        ("representation rows", len(ids)),
        lambda ids: Component.objects.filter(pk__in=ids).order_by().values(*COLUMNS),
        ids,
    )


def _row_by_slug(slug):
    rows = compiled_values(
        Component,
        ("representation row",),
        lambda params: Component.objects.filter(slug=params[0]).order_by().values(*COLUMNS),
        [slug],
    )
    return rows[0] if rows else None


def _dependency(row):
    return {
        "component": row["depends_on__slug"],
        "name": row["name"],
        "kind": row["kind"],
        "how_used": row["how_used"],
        "version": row["version"],
        "license_expression": row["license_expression"],
        "conformance": row["conformance"],
        "evidence": row["evidence_url"],
    }


def _standards(dependencies):
    declared = [
        row
        for row in dependencies
        if row["how_used"] == DependencyUse.IMPLEMENTS
        and row["depends_on__slug"] is not None
        and row["depends_on__kind"] == ComponentKind.STANDARD
    ]
    declared.sort(key=lambda row: (row["depends_on__name"].lower(), row["depends_on__slug"]))
    return [
        {
            "slug": row["depends_on__slug"],
            "name": row["depends_on__name"],
            "version": row["version"],
            "conformance": row["conformance"],
            "evidence": row["evidence_url"],
        }
        for row in declared
    ]


def _represent(row, related, counts):
    questions, products, reusers, links, dependencies, latest = related
    pk = row["id"]
    deps = dependencies.get(pk, [])
    return {
        "slug": row["slug"],
        "name": row["name"],
        "kind": row["kind"],
        "short_description": row["short_description"],
        "short_description_en": row["short_description_en"],
        "long_description": row["long_description"],
        "long_description_en": row["long_description_en"],
        "publisher": row["publisher__slug"],
        "publisher_name": row["publisher__name"],
        "publisher_kind": row["publisher__kind"],
        "repository_url": row["repository_url"],
        "homepage_url": row["homepage_url"],
        "documentation_url": row["documentation_url"],
        "api_specification_url": row["api_specification_url"],
        "development_status": row["development_status"],
        "maintenance_type": row["maintenance_type"],
        "layer": row["layer"],
        "categories": list(row["categories"] or []),
        "customer_questions": questions.get(pk, []),
        "upl_products": products.get(pk, []),
        "license": row["license_expression"],
        "reuse_restriction": row["reuse_restriction"],
        "reuse_organisation_kinds": list(row["reuse_organisation_kinds"] or []),
        "reuse_organisations": reusers.get(pk, []),
        "reuse_terms": row["reuse_terms"],
        "replaced_by": row["replaced_by__slug"],
        "sunset_date": _day(row["sunset_date"]),
        "dependencies": [_dependency(d) for d in deps],
        "links": links.get(pk, []),
        "standards": _standards(deps),
        "latest_release": latest.get(pk),
        "usage_counts": counts.get(pk) or {"total": 0, "by_status": {}, "by_organisation_kind": {}},
        "orphaned_at": _when(row["orphaned_at"]),
        "concept_by": row["concept_by__slug"],
        "created_at": _when(row["created_at"]),
        "updated_at": _when(row["updated_at"]),
    }


def components(ids):
    """The representations of the components with these ids, in their order (a
    component deleted meanwhile is left out)."""
    ids = list(ids)
    if not ids:
        return []
    rows = {row["id"]: row for row in _rows_by_id(ids)}
    ids = [pk for pk in ids if pk in rows]
    related = _related(ids)
    counts = usage_counts(ids)
    return [_represent(rows[pk], related, counts) for pk in ids]


def component(slug, found=None):
    """(representation, ETag) of the component with this slug, or None.
    found(id) is called once the row is read, before anything else is."""
    row = _row_by_slug(slug)
    if row is None:
        return None
    if found is not None:
        found(row["id"])
    ids = [row["id"]]
    return _represent(row, _related(ids), usage_counts(ids)), etag(row)
