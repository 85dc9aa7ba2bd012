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

from django.db import connections, router
from rest_framework import fields

from components.constants import ComponentKind, DependencyUse
from components.models import Component, Usage
from components.query import usage_summaries

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


def _grouped(pairs):
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


# Plain SQL over the same tables on PostgreSQL and SQLite: with the rows this
# simple, the ORM's query building cost more than the database's answer.
RELATED_SQL = {
    "questions": """
        SELECT l.component_id, q.code FROM components_component_customer_questions l
        JOIN components_customerquestion q ON q.id = l.customerquestion_id
        WHERE l.component_id IN ({ids}) ORDER BY q.position, q.code, q.id""",
    "products": """
        SELECT l.component_id, p.uri FROM components_component_upl_products l
        JOIN components_uplproduct p ON p.id = l.uplproduct_id
        WHERE l.component_id IN ({ids}) ORDER BY p.name, p.id""",
    "reusers": """
        SELECT l.component_id, o.slug FROM components_component_reuse_organisations l
        JOIN accounts_organisation o ON o.id = l.organisation_id
        WHERE l.component_id IN ({ids}) ORDER BY o.name, o.id""",
    "links": """
        SELECT component_id, kind, url, label FROM components_componentlink
        WHERE component_id IN ({ids}) ORDER BY component_id, kind, id""",
    "dependencies": """
        SELECT d.component_id, t.slug, t.name, t.kind, d.name, d.kind, d.how_used,
               d.version, d.license_expression, d.conformance, d.evidence_url
        FROM components_dependency d LEFT JOIN components_component t ON t.id = d.depends_on_id
        WHERE d.component_id IN ({ids}) ORDER BY d.id""",
    "releases": """
        SELECT component_id, version, release_date FROM components_release
        WHERE component_id IN ({ids}) ORDER BY component_id, release_date DESC, id DESC""",
}
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


def _rows(cursor, name, ids):
    cursor.execute(RELATED_SQL[name].format(ids=", ".join(["%s"] * len(ids))), ids)
    return cursor.fetchall()


def _related(ids):
    """Every related set of these components: one query each, one cursor."""
    with connections[router.db_for_read(Component)].cursor() as cursor:
        questions = _grouped(_rows(cursor, "questions", ids))
        products = _grouped(_rows(cursor, "products", ids))
        reusers = _grouped(_rows(cursor, "reusers", ids))
        links = _grouped(
            (row[0], {"kind": row[1], "url": row[2], "label": row[3]})
            for row in _rows(cursor, "links", ids)
        )
        dependencies = _grouped(
            (row[0], dict(zip(DEPENDENCY_FIELDS, row[1:], strict=True)))
            for row in _rows(cursor, "dependencies", ids)
        )
        latest = {}
        for component_id, version, release_date in _rows(cursor, "releases", ids):
            # A date, as the serializer gives it (the renderer writes it ISO 8601).
            latest.setdefault(component_id, {"version": version, "release_date": release_date})
    return questions, products, reusers, links, dependencies, latest


def usage_counts(ids):
    return usage_summaries(Usage, ids)


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
    rows = {row["id"]: row for row in Component.objects.filter(pk__in=ids).values(*COLUMNS)}
    ids = [pk for pk in ids if pk in rows]
    related = _related(ids)
    counts = usage_counts(ids)
    return [_represent(rows[pk], related, counts) for pk in ids]


def component(slug, found=None):
    """(representation, ETag) of the component with this slug, or None.
    found(id) is called once the row is read, before anything else is."""
    row = Component.objects.filter(slug=slug).values(*COLUMNS).first()
    if row is None:
        return None
    if found is not None:
        found(row["id"])
    ids = [row["id"]]
    return _represent(row, _related(ids), usage_counts(ids)), etag(row)
