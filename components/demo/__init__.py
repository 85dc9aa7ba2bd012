"""A demo catalogue: Dutch public organisations, the components they publish and
who reuses what.

The data is plain Python in data.py; `load_demo()` loads it idempotently,
keyed on natural keys, and saves a row only when something changed, so a
second run leaves no history behind. Nothing depends on today's date.
generator.py makes a large synthetic catalogue for benchmarks instead.
"""

import zlib
from datetime import UTC, datetime, timedelta

from django.db import transaction

from accounts.models import Organisation

from .. import licensing
from ..constants import CATEGORIES, Assertion, ReuseRestriction, UsageStatus, Visibility
from ..models import (
    Component,
    CustomerQuestion,
    Dependency,
    HarvestSource,
    License,
    Release,
    UnmatchedUser,
    UplProduct,
    Usage,
)
from .data import (
    CATALOGUE_DATE,
    COMPONENTS,
    CUSTOM_LICENSES,
    DEPENDENCIES,
    HARVEST_SOURCES,
    ORGANISATIONS,
    RELEASES,
    TOOI_GEMEENTE,
    TOOI_PROVINCIE,
    UNMATCHED_USERS,
    UPL,
    UPL_PRODUCTS,
    USAGE_OVERRIDES,
    USAGES,
)

# --------------------------------------------------------------------------
# Deterministic usage rows
# --------------------------------------------------------------------------


def _org_slug(key, known):
    slug = key if key in known else f"gemeente-{key}"
    if slug not in known:
        raise ValueError(f"Unknown organisation in demo usages: {key!r}")
    return slug


def _roll(org, component):
    """A stable number per pair: crc32 is the same on every run and machine."""
    return zlib.crc32(f"{org}|{component}".encode())


def _usage_rows():
    """Every demo usage as a dict of plain values; the same on every run."""
    known = {o["slug"] for o in ORGANISATIONS}
    publishers = {c["slug"]: c["publisher"] for c in COMPONENTS}
    rows = []
    for component, since_from, keys in USAGES:
        for key in keys:
            org = _org_slug(key, known)
            h = _roll(org, component)
            span = max((CATALOGUE_DATE - since_from).days, 1)
            status_roll = h % 20
            if status_roll < 2:
                status = UsageStatus.PLANNED
            elif status_roll < 4:
                status = UsageStatus.PILOT
            elif status_roll < 18:
                status = UsageStatus.PRODUCTION
            else:
                status = UsageStatus.STOPPED
            visibility = Visibility.GOVERNMENT if (h >> 5) % 4 == 0 else Visibility.PUBLIC
            assertion_roll = (h >> 8) % 10
            if assertion_roll < 5:
                assertion = Assertion.SELF
            elif assertion_roll < 7:
                assertion = Assertion.CONFIRMED
            elif assertion_roll < 9:
                assertion = Assertion.CLAIMED
            else:
                assertion = Assertion.REJECTED
            row = {
                "organisation": org,
                "component": component,
                "status": status,
                "visibility": visibility,
                "assertion": assertion,
                "notes": "",
            }
            row.update(USAGE_OVERRIDES.get((org, component), {}))
            if org == publishers[component]:
                row["assertion"] = Assertion.SELF  # nobody claims its own component

            offset = (h >> 12) % span
            status = row["status"]
            if "since" not in row:
                if status == UsageStatus.PLANNED:
                    row["since"] = CATALOGUE_DATE - timedelta(days=offset % 180)
                elif status == UsageStatus.PILOT:
                    row["since"] = max(since_from, CATALOGUE_DATE - timedelta(days=offset % 400))
                elif status == UsageStatus.STOPPED:
                    row["since"] = since_from + timedelta(days=offset % max(span // 2, 1))
                else:
                    row["since"] = since_from + timedelta(days=offset)
            if status == UsageStatus.STOPPED and "until" not in row:
                until = row["since"] + timedelta(days=120 + (h >> 16) % 600)
                row["until"] = min(until, CATALOGUE_DATE)
            row.setdefault("until", None)

            if row["assertion"] == Assertion.SELF:
                row["claimed_by"] = None
                row["claimed_at"] = None
                row["answered_at"] = None
            else:
                row["claimed_by"] = publishers[component]
                claimed_at = datetime(2024, 1, 8, 9, 30, tzinfo=UTC) + timedelta(
                    days=(h >> 10) % 900
                )
                row["claimed_at"] = claimed_at
                row["answered_at"] = (
                    claimed_at + timedelta(days=1 + (h >> 14) % 30, hours=(h >> 20) % 8)
                    if row["assertion"] in (Assertion.CONFIRMED, Assertion.REJECTED)
                    else None
                )
            # Half of the running usages name the release they run.
            row["with_release"] = (
                status in (UsageStatus.PRODUCTION, UsageStatus.PILOT) and (h >> 18) % 2 == 0
            )
            rows.append(row)
    return rows


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


class _Tally:
    def __init__(self):
        self.created = 0
        self.updated = 0
        self.unchanged = 0


def _upsert(model, lookup, values, tally):
    """Create or update by natural key; save only when a value differs.

    Unlike update_or_create this leaves an unchanged row alone, so loading the
    demo twice writes no history the second time.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        tally.created += 1
        return obj
    changed = False
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.is_relation:
            current = getattr(obj, field.attname)
            wanted = value.pk if value is not None else None
        else:
            current = getattr(obj, name)
            wanted = value
        if current != wanted:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.save()
        tally.updated += 1
    else:
        tally.unchanged += 1
    return obj


def _check_component(data):
    bad = [c for c in data["categories"] if c not in CATEGORIES]
    if bad:
        raise ValueError(f"{data['slug']}: unknown categories {bad}")
    for field in ("short", "short_en"):
        if len(data[field]) > 150:
            raise ValueError(f"{data['slug']}: {field} is longer than 150 characters")


def load_demo(stdout=None) -> dict[str, int]:
    """Load the demo catalogue; safe to run again. Returns counts per model."""
    tally = _Tally()
    with transaction.atomic():
        organisations = {}
        for data in ORGANISATIONS:
            values = {
                "name": data["name"],
                "kind": data["kind"],
                "oin": data.get("oin", ""),
                "cbs_code": data.get("cbs_code", ""),
                "website": data.get("website", ""),
                "description": data["description"],
                "aliases": data.get("aliases", []),
                "verified": data.get("verified", True),
                "tooi_uri": "",
            }
            code = values["cbs_code"]
            if code.startswith("GM"):
                values["tooi_uri"] = TOOI_GEMEENTE + code.lower()
            elif code.startswith("PV"):
                values["tooi_uri"] = TOOI_PROVINCIE + code.lower()
            organisations[data["slug"]] = _upsert(
                Organisation, {"slug": data["slug"]}, values, tally
            )

        for data in CUSTOM_LICENSES:
            _upsert(
                License,
                {"id": data["id"]},
                {
                    "name": data["name"],
                    "url": data["url"],
                    "summary": data["summary"],
                    "is_custom": True,
                    "reuse_allowed": data["reuse_allowed"],
                    "owner": organisations[data["owner"]],
                },
                tally,
            )
        custom_ids = licensing.custom_license_ids()

        questions = {q.code: q for q in CustomerQuestion.objects.all()}
        missing = {code for _, _, codes in UPL_PRODUCTS for code in codes} - set(questions)
        if missing:
            raise ValueError(f"Customer questions missing (run migrate first): {sorted(missing)}")
        upl_products = {}
        for key, name, codes in UPL_PRODUCTS:
            product = _upsert(UplProduct, {"uri": UPL + key}, {"name": name}, tally)
            product.customer_questions.set([questions[code] for code in codes])
            upl_products[key] = product

        components = {}
        for data in COMPONENTS:
            _check_component(data)
            expression = licensing.parse_expression(data["license"], custom_ids).normalised
            values = {
                "name": data["name"],
                "kind": data["kind"],
                "short_description": data["short"],
                "short_description_en": data["short_en"],
                "long_description": data["long"],
                "long_description_en": data["long_en"],
                "publisher": organisations[data["publisher"]],
                "repository_url": data.get("repo", ""),
                "homepage_url": data.get("homepage", ""),
                "documentation_url": data.get("docs", ""),
                "api_specification_url": data.get("api_spec", ""),
                "development_status": data["status"],
                "maintenance_type": data["maintenance"],
                "layer": data["layer"],
                "categories": data["categories"],
                "license_expression": expression,
                "reuse_restriction": data.get("reuse", ReuseRestriction.NONE),
                "reuse_organisation_kinds": data.get("reuse_kinds", []),
                "reuse_terms": data.get("reuse_terms", ""),
            }
            component = _upsert(Component, {"slug": data["slug"]}, values, tally)
            component.sync_licenses()
            component.customer_questions.set([questions[c] for c in data["questions"]])
            component.upl_products.set([upl_products[key] for key in data["upl"]])
            component.reuse_organisations.set(
                [organisations[slug] for slug in data.get("reuse_organisations", [])]
            )
            components[data["slug"]] = component

        for source, target, name, version, expression, how_used in DEPENDENCIES:
            if target:
                lookup = {"component": components[source], "depends_on": components[target]}
                values = {"name": ""}
            else:
                lookup = {"component": components[source], "name": name}
                values = {"depends_on": None}
            values.update(
                {"version": version, "license_expression": expression, "how_used": how_used}
            )
            _upsert(Dependency, lookup, values, tally)

        latest = {}
        for slug, releases in RELEASES.items():
            for version, released, notes in releases:
                release = _upsert(
                    Release,
                    {"component": components[slug], "version": version},
                    {"release_date": released, "notes": notes},
                    tally,
                )
                if slug not in latest or released > latest[slug].release_date:
                    latest[slug] = release

        for row in _usage_rows():
            component = components[row["component"]]
            _upsert(
                Usage,
                {"organisation": organisations[row["organisation"]], "component": component},
                {
                    "release": latest.get(row["component"]) if row["with_release"] else None,
                    "status": row["status"],
                    "since": row["since"],
                    "until": row["until"],
                    "visibility": row["visibility"],
                    "assertion": row["assertion"],
                    "claimed_by": organisations[row["claimed_by"]] if row["claimed_by"] else None,
                    "claimed_at": row["claimed_at"],
                    "answered_at": row["answered_at"],
                    "notes": row["notes"],
                },
                tally,
            )

        for slug, name in UNMATCHED_USERS:
            _upsert(UnmatchedUser, {"component": components[slug], "name": name}, {}, tally)

        for url, slug in HARVEST_SOURCES:
            component = components[slug]
            _upsert(
                HarvestSource,
                {"url": url},
                {
                    "organisation": component.publisher,
                    "component": component,
                    "enabled": False,
                    "interval_hours": 24,
                },
                tally,
            )

    if stdout is not None:
        stdout.write(
            f"Demo loaded: {tally.created} created, {tally.updated} updated, "
            f"{tally.unchanged} unchanged.\n"
        )
    return {
        "organisations": Organisation.objects.count(),
        "components": Component.objects.count(),
        "releases": Release.objects.count(),
        "usages": Usage.objects.count(),
        "upl_products": UplProduct.objects.count(),
        "custom_licenses": License.objects.filter(is_custom=True).count(),
        "dependencies": Dependency.objects.count(),
        "unmatched_users": UnmatchedUser.objects.count(),
        "harvest_sources": HarvestSource.objects.count(),
    }
