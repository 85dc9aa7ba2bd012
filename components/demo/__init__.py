"""A demo catalogue: Dutch public organisations, the components they publish and
who reuses what.

The data is plain Python in data.py; `load_demo()` loads it idempotently,
keyed on natural keys, and saves a row only when something changed, so a
second run leaves no history behind. Nothing depends on today's date: the
usages' statuses and dates are rolled from each pair's checksum within the
window and spread data.py gives per component, and every component and usage
gets the recorded and last-changed moments that story implies (not the
moment of loading). History rows keep the moment of loading: they are not
made up.
landscapes.py gives some municipalities their integrations (their landscape).
generator.py makes a large synthetic catalogue for benchmarks instead.
"""

import itertools
import zlib
from datetime import UTC, datetime, time, timedelta

from django.db import transaction

from accounts.models import Organisation

from .. import licensing
from ..constants import (
    CATEGORIES,
    Assertion,
    DependencyUse,
    IntegrationDirection,
    IntegrationStatus,
    ReuseRestriction,
    UsageStatus,
    Visibility,
)
from ..models import (
    OWN_WORD,
    Component,
    CustomerQuestion,
    Dependency,
    HarvestSource,
    Integration,
    License,
    Release,
    UnmatchedUser,
    UplProduct,
    Usage,
)
from .data import (
    CATALOGUE_DATE,
    COMPANIONS,
    COMPONENTS,
    CUSTOM_LICENSES,
    DEPENDENCIES,
    ESTABLISHED,
    HARVEST_SOURCES,
    ORGANISATIONS,
    REGISTRY_OPENED,
    RELEASES,
    TOOI_GEMEENTE,
    TOOI_PROVINCIE,
    UNMATCHED_USERS,
    UPL,
    UPL_PRODUCTS,
    USAGE_OVERRIDES,
    USAGES,
)
from .landscapes import GOVERNMENT_ONLY, LANDSCAPES, landscape_usages
from .standards import STANDARD_COMPONENTS, STANDARD_DECLARATIONS

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


def _status(weights, roll):
    """The status a roll (0-19) falls on, given (planned, pilot, production, stopped) out of 20."""
    for status, bound in zip(
        (UsageStatus.PLANNED, UsageStatus.PILOT, UsageStatus.PRODUCTION, UsageStatus.STOPPED),
        itertools.accumulate(weights),
        strict=True,
    ):
        if roll < bound:
            return status
    raise ValueError(f"weights {weights} do not add up to 20")


def _usage_rows():
    """Every demo usage as a dict of plain values; the same on every run."""
    known = {o["slug"] for o in ORGANISATIONS}
    publishers = {c["slug"]: c["publisher"] for c in COMPONENTS}
    rows, rows_by_key = [], {}
    in_landscapes = landscape_usages()
    listed = {
        (_org_slug(key, known), component) for component, _, _, keys in USAGES for key in keys
    }
    windows = {}
    for component, window, spread, _keys in USAGES:
        windows.setdefault(component, (window, spread))
    # Usages a landscape needs that the lists above leave out, in the window of
    # the component's first list.
    extra = {}
    for org, component in sorted(in_landscapes - listed):
        extra.setdefault(component, []).append(org)
    more = [(c, *windows[c], orgs) for c, orgs in extra.items()]
    for component, (first, last), spread, keys in [*USAGES, *more]:
        established = spread == ESTABLISHED
        for key in keys:
            org = _org_slug(key, known)
            if (org, component) in rows_by_key:
                raise ValueError(f"Demo usage listed twice: {org} uses {component}")
            h = _roll(org, component)
            last_start = min(last, CATALOGUE_DATE)
            span = (last_start - first).days + 1
            status = _status(spread, h % 20)
            visibility = (
                Visibility.GOVERNMENT
                if not established and (h >> 5) % 4 == 0
                else Visibility.PUBLIC
            )
            assertion_roll = (h >> 8) % 10
            if assertion_roll < 5:
                assertion = Assertion.SELF
            elif assertion_roll < 7:
                assertion = Assertion.CONFIRMED
            elif assertion_roll < 9:
                assertion = Assertion.CLAIMED
            else:
                # Nobody denies running national infrastructure.
                assertion = Assertion.CONFIRMED if established else Assertion.REJECTED
            row = {
                "organisation": org,
                "component": component,
                "status": status,
                "visibility": visibility,
                "assertion": assertion,
                "notes": "",
            }
            if org == publishers[component]:
                # A publisher runs its own component, from the start and openly.
                row.update(status=UsageStatus.PRODUCTION, since=first, visibility=Visibility.PUBLIC)
            row.update(USAGE_OVERRIDES.get((org, component), {}))
            if (org, component) in in_landscapes and "assertion" not in USAGE_OVERRIDES.get(
                (org, component), {}
            ):
                # An organisation that draws its landscape says what it uses itself,
                # openly, but for what it keeps to government organisations.
                if row["assertion"] not in OWN_WORD:
                    row["assertion"] = Assertion.SELF
                if component not in GOVERNMENT_ONLY:
                    row["visibility"] = Visibility.PUBLIC
            if org == publishers[component]:
                row["assertion"] = Assertion.SELF  # nobody claims its own component
            partner = rows_by_key.get((org, COMPANIONS.get(component)))
            if partner is not None and "status" not in USAGE_OVERRIDES.get((org, component), {}):
                # Deployed together: it runs as its partner runs.
                for name in ("status", "since", "until"):
                    row[name] = partner[name]

            offset = (h >> 12) % span
            status = row["status"]
            if "since" not in row:
                if status == UsageStatus.PLANNED:
                    row["since"] = CATALOGUE_DATE - timedelta(days=offset % 180)
                elif status == UsageStatus.PILOT:
                    row["since"] = max(first, CATALOGUE_DATE - timedelta(days=offset % 400))
                else:
                    row["since"] = first + timedelta(days=offset)
            if status == UsageStatus.STOPPED and "until" not in row:
                until = row["since"] + timedelta(days=730 + (h >> 16) % 1100)
                row["until"] = min(until, CATALOGUE_DATE)
            row.setdefault("until", None)

            if row["assertion"] == Assertion.SELF:
                row["claimed_by"] = None
                row["claimed_at"] = None
                row["answered_at"] = None
            else:
                row["claimed_by"] = publishers[component]
                # Claimed once the component was in the registry and the usage had begun.
                claimed_at = max(
                    REGISTRY_OPENED + timedelta(days=(h >> 10) % 900, hours=9.5),
                    _at(row["since"], h >> 2),
                    _component_created(component) + timedelta(days=1 + (h >> 3) % 60),
                )
                row["claimed_at"] = claimed_at
                row["answered_at"] = (
                    min(
                        claimed_at + timedelta(days=1 + (h >> 14) % 30, hours=(h >> 20) % 8),
                        _at(CATALOGUE_DATE, h >> 6),
                    )
                    if row["assertion"] in (Assertion.CONFIRMED, Assertion.REJECTED)
                    else None
                )
                if row["answered_at"] is not None and row["answered_at"] <= claimed_at:
                    row["answered_at"] = claimed_at + timedelta(minutes=30)
            # Half of the running usages name the release they run.
            row["with_release"] = (
                status in (UsageStatus.PRODUCTION, UsageStatus.PILOT) and (h >> 18) % 2 == 0
            )
            row["created_at"], row["updated_at"] = _usage_timestamps(
                row, h, _component_created(component)
            )
            rows.append(row)
            rows_by_key[org, component] = row
    return rows


def _at(day, h):
    """A moment in office hours on `day`, picked by `h`."""
    return datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=h % 540)


def _usage_timestamps(row, h, component_created):
    """When the usage was recorded in the registry and when it last changed.

    A claim is recorded when it is made; an organisation recorded its own
    usage some time after the component entered the registry, or when it
    started, if later.
    It last changed at the latest of that, the answer to a claim and the
    day it stopped. Never after the catalogue's date.
    """
    end = datetime.combine(CATALOGUE_DATE, time(17), tzinfo=UTC)
    if row["claimed_at"] is not None:
        created = row["claimed_at"]
    else:
        days = (CATALOGUE_DATE - component_created.date()).days
        created = _at(component_created.date() + timedelta(days=1 + (h >> 7) % days), h)
        created = max(created, _at(row["since"], h))
    changes = [created, row["answered_at"]]
    if row["until"] is not None:
        changes.append(_at(row["until"], h >> 3))
    updated = max(c for c in changes if c is not None)
    return min(created, end), min(updated, end)


def _component_created(slug):
    """When a component was entered in the registry: in its first four months."""
    h = _roll("component", slug)
    return _at(REGISTRY_OPENED.date() + timedelta(days=h % 120), h)


def _component_timestamps(slug, releases):
    """When a component was entered in the registry and when it last changed:
    at its newest release since then, or a later edit of its description."""
    h = _roll("component", slug)
    created = _component_created(slug)
    updated = max([created] + [_at(released, h >> 4) for _version, released, _notes in releases])
    if updated == created:
        updated = created + timedelta(days=30 + (h >> 8) % 500)
    return created, min(updated, datetime.combine(CATALOGUE_DATE, time(17), tzinfo=UTC))


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


def _set_timestamps(model, stamped):
    """Give rows the recorded and last-changed moments the demo describes.

    created_at and updated_at are set by Django on save, so every row would
    otherwise say it was recorded and changed when the demo was loaded. An
    update writes no history, as nothing about the row itself changes.
    """
    changed = []
    for obj, created, updated in stamped:
        if (obj.created_at, obj.updated_at) != (created, updated):
            obj.created_at, obj.updated_at = created, updated
            changed.append(obj)
    model.objects.bulk_update(changed, ["created_at", "updated_at"], batch_size=500)


def _check_component(data):
    bad = [c for c in data["categories"] if c not in CATEGORIES]
    if bad:
        raise ValueError(f"{data['slug']}: unknown categories {bad}")
    for field in ("short", "short_en"):
        if len(data[field]) > 150:
            raise ValueError(f"{data['slug']}: {field} is longer than 150 characters")


def _integration_status(source, target):
    statuses = {source.status, target.status}
    if UsageStatus.STOPPED in statuses:
        return IntegrationStatus.STOPPED
    if UsageStatus.PLANNED in statuses:
        return IntegrationStatus.PLANNED
    return IntegrationStatus.PRODUCTION


def _load_integrations(organisations, components, tally):
    """The landscapes' integrations, between usages the organisation states itself."""
    usages = {
        (usage.organisation_id, usage.component_id): usage
        for usage in Usage.objects.filter(
            organisation__slug__in=list(LANDSCAPES), assertion__in=OWN_WORD
        )
    }
    stamped = []
    for slug, integrations in LANDSCAPES.items():
        organisation = organisations[slug]
        for source_slug, target_slug, standard, two_way in integrations:
            source = usages.get((organisation.pk, components[source_slug].pk))
            target = usages.get((organisation.pk, components[target_slug].pk))
            if source is None or target is None:
                continue  # an end is only a claim about the organisation
            status = _integration_status(source, target)
            since = (
                max(d for d in (source.since, target.since) if d)
                if (source.since or target.since)
                else None
            )
            ends = [d for d in (source.until, target.until) if d]
            until = min(ends) if status == IntegrationStatus.STOPPED and ends else None
            if since and until and until < since:
                until = since
            hidden = {source_slug, target_slug} & GOVERNMENT_ONLY
            integration = _upsert(
                Integration,
                {
                    "organisation": organisation,
                    "source_usage": source,
                    "target_usage": target,
                    "standard": components[standard] if standard else None,
                },
                {
                    "direction": IntegrationDirection.TWO_WAY
                    if two_way
                    else IntegrationDirection.ONE_WAY,
                    "status": status,
                    "since": since,
                    "until": until,
                    "visibility": Visibility.GOVERNMENT if hidden else Visibility.PUBLIC,
                    "assertion": Assertion.SELF,
                },
                tally,
            )
            moment = max(source.created_at, target.created_at)
            stamped.append((integration, moment, max(moment, source.updated_at, target.updated_at)))
    _set_timestamps(Integration, stamped)


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
        for data in COMPONENTS + STANDARD_COMPONENTS:
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
        for source, target, version, conformance, evidence in STANDARD_DECLARATIONS:
            _upsert(
                Dependency,
                {"component": components[source], "depends_on": components[target]},
                {
                    "name": "",
                    "how_used": DependencyUse.IMPLEMENTS,
                    "version": version,
                    "conformance": conformance,
                    "evidence_url": evidence,
                },
                tally,
            )

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

        stamped = []
        for row in _usage_rows():
            component = components[row["component"]]
            usage = _upsert(
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
            stamped.append((usage, row["created_at"], row["updated_at"]))
        _set_timestamps(Usage, stamped)
        _set_timestamps(
            Component,
            [
                (components[data["slug"]], *_component_timestamps(data["slug"], releases))
                for data in COMPONENTS + STANDARD_COMPONENTS
                for releases in [RELEASES.get(data["slug"], [])]
            ],
        )

        _load_integrations(organisations, components, tally)

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
        "integrations": Integration.objects.count(),
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
