"""A synthetic catalogue at the scale of a real installation, for benchmarks.

Deterministic for a seed: the same arguments give the same rows. Rows go in
with PostgreSQL's COPY (the only way to write half a million usages in
seconds rather than minutes); ids are assigned here so that related rows can be
written without reading anything back. The shape follows what a real registry
sees: reuse is long-tailed (a few components used by hundreds, most by a
handful), every kind, layer, status and restriction occurs, texts are Dutch
and English and searchable, claims and government-only usages are mixed in.
"""

import bisect
import datetime
import itertools
import random

from django.db import connection, transaction
from django.utils.text import slugify

from accounts.constants import OrganisationKind, OrganisationStatus
from accounts.models import Organisation

from .. import licensing, tally
from ..constants import (
    CATEGORIES,
    Assertion,
    ComponentKind,
    DevelopmentStatus,
    Layer,
    MaintenanceType,
    ReuseRestriction,
    UsageStatus,
    Visibility,
)
from ..models import Component, CustomerQuestion, License, Release, UplProduct, Usage

BASE = datetime.datetime(2026, 10, 1, 12, 0, tzinfo=datetime.UTC)

ORGANISATION_KINDS = [
    (OrganisationKind.MUNICIPALITY, 40),
    (OrganisationKind.PROVINCE, 3),
    (OrganisationKind.WATER_AUTHORITY, 4),
    (OrganisationKind.CENTRAL_GOVERNMENT, 10),
    (OrganisationKind.OTHER_PUBLIC, 15),
    (OrganisationKind.COOPERATION, 5),
    (OrganisationKind.VENDOR, 23),
]
PREFIX = {
    OrganisationKind.MUNICIPALITY: "Gemeente",
    OrganisationKind.PROVINCE: "Provincie",
    OrganisationKind.WATER_AUTHORITY: "Waterschap",
    OrganisationKind.CENTRAL_GOVERNMENT: "Dienst",
    OrganisationKind.OTHER_PUBLIC: "Stichting",
    OrganisationKind.COOPERATION: "Samenwerking",
    OrganisationKind.VENDOR: "",
}
SYLLABLES = [
    "al",
    "ber",
    "bos",
    "brug",
    "dam",
    "del",
    "dijk",
    "dorp",
    "eem",
    "en",
    "gen",
    "haar",
    "ho",
    "holt",
    "horst",
    "huis",
    "ker",
    "lo",
    "meer",
    "mond",
    "na",
    "ne",
    "oord",
    "ren",
    "rijn",
    "ster",
    "sum",
    "ter",
    "ven",
    "veld",
    "vliet",
    "voorde",
    "wijk",
    "zand",
    "zee",
]
TOPICS = [
    ("zaken", "cases"),
    ("meldingen", "reports"),
    ("afval", "waste"),
    ("parkeren", "parking"),
    ("vergunningen", "permits"),
    ("belastingen", "taxes"),
    ("subsidies", "grants"),
    ("formulieren", "forms"),
    ("afspraken", "appointments"),
    ("documenten", "documents"),
    ("klantcontact", "customer contact"),
    ("burgerzaken", "civil affairs"),
    ("uitkeringen", "benefits"),
    ("jeugdzorg", "youth care"),
    ("wmo", "social support"),
    ("kaarten", "maps"),
    ("gebouwen", "buildings"),
    ("adressen", "addresses"),
    ("betalingen", "payments"),
    ("archief", "archive"),
    ("inspraak", "participation"),
    ("bezwaren", "objections"),
    ("huisstijl", "house style"),
    ("toegankelijkheid", "accessibility"),
    ("notificaties", "notifications"),
    ("identiteit", "identity"),
    ("verhuizingen", "relocations"),
]
NOUNS = {
    ComponentKind.API: ("API", "API"),
    ComponentKind.HOUSE_STYLE: ("huisstijl", "house style"),
    ComponentKind.SOFTWARE: ("systeem", "system"),
    ComponentKind.LIBRARY: ("bibliotheek", "library"),
    ComponentKind.STANDARD: ("standaard", "standard"),
}
LICENSES = [
    ("EUPL-1.2", 40),
    ("MIT", 15),
    ("Apache-2.0", 10),
    ("MIT OR Apache-2.0", 5),
    ("MPL-2.0", 5),
    ("GPL-3.0-only", 5),
    ("AGPL-3.0-or-later", 5),
    ("GPL-2.0-only", 3),
    ("LGPL-2.1-or-later", 3),
    ("CC0-1.0", 4),
    ("CC-BY-4.0", 3),
    ("GPL-2.0-only WITH Classpath-exception-2.0", 1),
    ("BSD-3-Clause", 1),
]
KINDS = [
    (ComponentKind.SOFTWARE, 45),
    (ComponentKind.API, 25),
    (ComponentKind.LIBRARY, 15),
    (ComponentKind.HOUSE_STYLE, 5),
    (ComponentKind.STANDARD, 10),
]
STATUSES = [
    (DevelopmentStatus.STABLE, 50),
    (DevelopmentStatus.BETA, 15),
    (DevelopmentStatus.DEVELOPMENT, 20),
    (DevelopmentStatus.CONCEPT, 5),
    (DevelopmentStatus.OBSOLETE, 10),
]
RESTRICTIONS = [
    (ReuseRestriction.NONE, 80),
    (ReuseRestriction.PUBLIC_SECTOR, 10),
    (ReuseRestriction.ORGANISATION_KINDS, 4),
    (ReuseRestriction.OWNER_ONLY, 3),
    (ReuseRestriction.NAMED_ORGANISATIONS, 3),
]
USAGE_STATUSES = [
    (UsageStatus.PRODUCTION, 60),
    (UsageStatus.PILOT, 12),
    (UsageStatus.PLANNED, 13),
    (UsageStatus.STOPPED, 15),
]
ASSERTIONS = [
    (Assertion.SELF, 62),
    (Assertion.CONFIRMED, 18),
    (Assertion.CLAIMED, 15),
    (Assertion.REJECTED, 5),
]


def weighted(rng, table) -> object:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def no_progress(stage, done, total) -> None:
    """The default progress callback: (stage, done, total) goes nowhere."""


def _copy(table, columns, rows, progress=None, stage="", total=0, every=10000):
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for n, row in enumerate(rows, start=1):
                copy.write_row(row)
                if progress and n % every == 0:
                    progress(stage, n, total)
    if progress:
        progress(stage, total, total)


def _next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _reset_sequence(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # The table name is our own model's, never input.
        sql = (
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {}))"
        )
        cursor.execute(sql.format(connection.ops.quote_name(table)), [table])


def wipe() -> None:
    """Empty the catalogue (not accounts' users), for a fresh generation."""
    tables = [
        "components_webhookdelivery",
        "components_webhooksubscription",
        "components_event",
        "components_historicalusage",
        "components_historicalrelease",
        "components_historicalcomponent",
        "components_usage",
        "components_release",
        "components_dependency",
        "components_unmatcheduser",
        "components_harvestsource",
        "components_component_licenses",
        "components_component_customer_questions",
        "components_component_upl_products",
        "components_component_reuse_organisations",
        "components_component",
        "accounts_apitoken",
        "accounts_membership",
    ]
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of earlier writes in this transaction must
        # run first, or PostgreSQL refuses to truncate.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute(
            "DELETE FROM components_license WHERE is_custom; DELETE FROM accounts_organisation"
        )


def generate(organisations, components, usages, seed=1, progress=None) -> dict[str, int]:
    """Fill the database; returns the counts written."""
    if connection.vendor != "postgresql":
        raise RuntimeError("generate_catalogue needs PostgreSQL (set DATABASE_URL)")
    progress = progress or no_progress
    rng = random.Random(seed)  # noqa: S311  (deterministic on purpose, not for secrets)
    with transaction.atomic():
        org_rows = _organisations(rng, organisations, progress)
        component_rows = _components(rng, components, org_rows, progress)
        release_count = _releases(rng, component_rows, progress)
        usage_count = _usages(rng, usages, org_rows, component_rows, progress)
        for model in (Organisation, Component, Release, Usage):
            _reset_sequence(model)
    with connection.cursor() as cursor:
        # VACUUM (outside a transaction) also sets the visibility map, so paging by
        # (name, id) is an index-only scan; inside one (tests) ANALYZE must do.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {
        "organisations": len(org_rows),
        "components": len(component_rows),
        "releases": release_count,
        "usages": usage_count,
    }


def _place_name(rng):
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return name.capitalize()


def _organisations(rng, count, progress):
    first = _next_id(Organisation)
    rows, seen = [], set(Organisation.objects.values_list("slug", flat=True))
    for index in range(count):
        kind = weighted(rng, ORGANISATION_KINDS)
        place = _place_name(rng)
        name = (
            f"{PREFIX[kind]} {place}".strip()
            if kind != OrganisationKind.VENDOR
            else (f"{place} {rng.choice(['B.V.', 'Software', 'ICT', 'Digital', 'Systems'])}")
        )
        slug = slugify(name)
        n = 1
        while slug in seen:
            n += 1
            slug = f"{slugify(name)}-{n}"
        seen.add(slug)
        if n > 1:
            name = f"{name} ({n})"
        rows.append((first + index, name, slug, kind))
    created = BASE - datetime.timedelta(days=900)
    _copy(
        "accounts_organisation",
        [
            "id",
            "name",
            "slug",
            "kind",
            "oin",
            "cbs_code",
            "tooi_uri",
            "website",
            "description",
            "aliases",
            "verified",
            "kvk_number",
            "contact_email",
            "status",
            "created_at",
            "updated_at",
        ],
        (
            (
                pk,
                name,
                slug,
                kind,
                "",
                "",
                "",
                f"https://{slug}.example.nl",
                "",
                "[]",
                True,
                "",
                "",
                OrganisationStatus.ACTIVE,
                created,
                created,
            )
            for pk, name, slug, kind in rows
        ),
        progress,
        "organisations",
        count,
    )
    return rows


def _components(rng, count, organisations, progress):
    first = _next_id(Component)
    vendors = [o for o in organisations if o[3] == OrganisationKind.VENDOR]
    public = [o for o in organisations if o[3] != OrganisationKind.VENDOR]
    questions = list(CustomerQuestion.objects.values_list("pk", flat=True))
    products = list(UplProduct.objects.values_list("pk", flat=True))
    known = set(License.objects.values_list("id", flat=True))
    layers = Layer.values
    rows, licence_rows, question_rows, product_rows, named_rows = [], [], [], [], []
    parsed = {expr: licensing.parse_expression(expr, custom_ids={}) for expr, _w in LICENSES}
    for index in range(count):
        pk = first + index
        kind = weighted(rng, KINDS)
        topic_nl, topic_en = rng.choice(TOPICS)
        noun_nl, noun_en = NOUNS[kind]
        name = f"{_place_name(rng)} {topic_nl.capitalize()} {noun_nl}"
        slug = f"{slugify(name)}-{pk}"
        publisher = rng.choice(vendors if rng.random() < 0.6 and vendors else public)
        expression = weighted(rng, LICENSES)
        restriction = weighted(rng, RESTRICTIONS)
        restriction_kinds = (
            '["central-government"]' if restriction == ReuseRestriction.ORGANISATION_KINDS else "[]"
        )
        updated = BASE - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 700))
        rows.append(
            (
                pk,
                slug,
                name,
                kind,
                f"{noun_nl.capitalize()} voor {topic_nl} in gemeenten en provincies.",
                f"A {noun_en} for {topic_en} in municipalities and provinces.",
                f"{name} helpt organisaties met {topic_nl}: aanvragen, afhandeling en "
                f"verantwoording op één plek, herbruikbaar volgens Common Ground.",
                f"{name} helps organisations with {topic_en}: requests, handling and "
                f"reporting in one place, reusable the Common Ground way.",
                "{}",
                publisher[0],
                f"https://code.example.nl/{publisher[2]}/{slug}",
                "",
                "",
                "",
                weighted(rng, STATUSES),
                rng.choice(MaintenanceType.values),
                rng.choice(layers),
                f'["{rng.choice(CATEGORIES)}"]',
                parsed[expression].normalised,
                restriction,
                restriction_kinds,
                "",
                updated - datetime.timedelta(days=rng.randint(0, 400)),
                updated,
            )
        )
        licence_rows += [(pk, lid) for lid in parsed[expression].license_ids if lid in known]
        if questions:
            question_rows += [(pk, q) for q in rng.sample(questions, rng.randint(0, 2))]
        if products:
            product_rows += [(pk, p) for p in rng.sample(products, rng.randint(0, 2))]
        if restriction == ReuseRestriction.NAMED_ORGANISATIONS:
            named_rows += [(pk, o[0]) for o in rng.sample(public, min(3, len(public)))]
    columns = [
        "id",
        "slug",
        "name",
        "kind",
        "short_description",
        "short_description_en",
        "long_description",
        "long_description_en",
        "other_descriptions",
        "publisher_id",
        "repository_url",
        "homepage_url",
        "documentation_url",
        "api_specification_url",
        "development_status",
        "maintenance_type",
        "layer",
        "categories",
        "license_expression",
        "reuse_restriction",
        "reuse_organisation_kinds",
        "reuse_terms",
        "created_at",
        "updated_at",
    ]
    _copy("components_component", columns, rows, progress, "components", count, every=5000)
    _copy("components_component_licenses", ["component_id", "license_id"], licence_rows)
    _copy(
        "components_component_customer_questions",
        ["component_id", "customerquestion_id"],
        question_rows,
    )
    _copy("components_component_upl_products", ["component_id", "uplproduct_id"], product_rows)
    _copy(
        "components_component_reuse_organisations",
        ["component_id", "organisation_id"],
        named_rows,
    )
    history_columns = [c for c in columns if c not in ("updated_at",)]
    _copy(
        "components_historicalcomponent",
        [*history_columns, "history_date", "history_type", "history_actor"],
        ((*row[:-1], row[-2], "+", "generate_catalogue") for row in rows),
        progress,
        "component history",
        count,
        every=5000,
    )
    return [(row[0], row[9], row[-2]) for row in rows]  # id, publisher, created


def _releases(rng, components, progress):
    first = _next_id(Release)
    rows = []
    for component_id, _publisher, created in components:
        date = created.date()
        for n in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            date += datetime.timedelta(days=rng.randint(20, 200))
            if date > BASE.date():
                break
            rows.append(
                (
                    first + len(rows),
                    component_id,
                    f"1.{n}.0",
                    date,
                    "Verbeteringen.",
                    "",
                    BASE,
                )
            )
    columns = ["id", "component_id", "version", "release_date", "notes", "url", "created_at"]
    _copy("components_release", columns, rows, progress, "releases", len(rows))
    return len(rows)


def _usages(rng, count, organisations, components, progress):
    first = _next_id(Usage)
    public_ids = [o[0] for o in organisations if o[3] != OrganisationKind.VENDOR]
    all_ids = [o[0] for o in organisations]
    # Long tail: component k is chosen with weight 1/(k+1)^1.1 (Zipf-like).
    weights = list(itertools.accumulate(1 / (k + 1) ** 1.1 for k in range(len(components))))
    total = weights[-1]
    order = list(range(len(components)))
    rng.shuffle(order)
    capacity = len(all_ids)
    taken, rows = set(), []
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        rank = bisect.bisect_left(weights, rng.random() * total)
        component_id, publisher_id, created = components[order[rank]]
        organisation_id = (
            rng.choice(public_ids) if rng.random() < 0.9 and public_ids else rng.choice(all_ids)
        )
        if (organisation_id, component_id) in taken or organisation_id == publisher_id:
            continue
        if len(taken) >= capacity * len(components):
            break
        taken.add((organisation_id, component_id))
        status = weighted(rng, USAGE_STATUSES)
        assertion = weighted(rng, ASSERTIONS)
        since = (created + datetime.timedelta(days=rng.randint(0, 500))).date()
        since = min(since, BASE.date())
        until = (
            since + datetime.timedelta(days=rng.randint(30, 400))
            if status == UsageStatus.STOPPED
            else None
        )
        claimed = assertion != Assertion.SELF
        at = datetime.datetime.combine(since, datetime.time(9), tzinfo=datetime.UTC)
        rows.append(
            (
                first + len(rows),
                organisation_id,
                component_id,
                None,
                status,
                since,
                until,
                Visibility.GOVERNMENT if rng.random() < 0.25 else Visibility.PUBLIC,
                assertion,
                publisher_id if claimed else None,
                at if claimed else None,
                at if assertion in (Assertion.CONFIRMED, Assertion.REJECTED) else None,
                "",
                "",
                at,
                at,
            )
        )
        if len(rows) % 50000 == 0:
            progress("usages (drawn)", len(rows), count)
    columns = [
        "id",
        "organisation_id",
        "component_id",
        "release_id",
        "status",
        "since",
        "until",
        "visibility",
        "assertion",
        "claimed_by_id",
        "claimed_at",
        "answered_at",
        "restriction_flag",
        "notes",
        "created_at",
        "updated_at",
    ]
    # The tally triggers (components/tally.py) would check each of these rows
    # against the others (59 s for the whole catalogue became 139 s): off for the
    # COPY, in this transaction only, and the tally counted once afterwards.
    # (Checks of foreign keys run as rows come, so none is pending when the table is
    # altered; PostgreSQL refuses to alter a table with pending trigger events.)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE components_usage DISABLE TRIGGER usetally_insert")
    _copy("components_usage", columns, rows, progress, "usages", len(rows), every=25000)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE components_usage ENABLE TRIGGER usetally_insert")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    tally.rebuild(connection)
    history_columns = columns[:-1]
    _copy(
        "components_historicalusage",
        [*history_columns, "history_date", "history_type", "history_actor"],
        ((*row[:-1], row[-1], "+", "generate_catalogue") for row in rows),
        progress,
        "usage history",
        len(rows),
        every=25000,
    )
    return len(rows)
