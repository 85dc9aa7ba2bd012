"""Full dumps of the public catalogue, and filling a fresh registry from one.

A dump is one ZIP file (``registry-dump-<UTC moment>.zip``) in DUMP_DIR:

- ``organisations.jsonl``, ``licenses.jsonl``, ``customer-questions.jsonl``,
  ``upl-products.jsonl``, ``components.jsonl``, ``releases.jsonl``,
  ``usages.jsonl``: one JSON object a line, as the API shows it (camelCase),
  sorted by natural key so that the same catalogue gives the same lines. A
  component leaves out ``latestRelease`` and ``usageCounts``, which are
  counted from releases and usages (and the counts include government-only
  usages, which a dump never holds). Usages: only public ones, never a
  rejected claim.
- ``catalogue.ttl``: the same catalogue in DCAT-AP-NL 3.0 (components.dcat).
- ``manifest.json``: schema version, API version, when it was made, and per
  file its number of records, bytes and SHA-256.

``load_dump`` reads one back into an empty registry: every checksum is checked
before anything is written, and everything is written in one transaction, so a
refused or failed load changes nothing.
"""

import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from djangorestframework_camel_case.util import underscoreize

from accounts.models import Organisation
from registry import cache
from registry.renderers import JSONRenderer

from . import dcat
from .api import serializers
from .constants import Assertion, Visibility
from .licensing.expressions import parse_expression
from .models import (
    Component,
    ComponentLink,
    CustomerQuestion,
    Dependency,
    License,
    Release,
    UplProduct,
    Usage,
)

SCHEMA_VERSION = "1"
PREFIX = "registry-dump-"
CHUNK = 1000
# progress(resource, total) → a function told how many more records are done.
Progress = Callable[[str, int], Callable[[int], object]]


class DumpError(Exception):
    """A dump that cannot be loaded: the message says why, in one line."""


def dump_dir() -> Path:
    return Path(settings.DUMP_DIR)


def prune(keep: int) -> list[Path]:
    """Remove all but the newest `keep` dumps; the removed ones."""
    directory = dump_dir()
    dumps = sorted(directory.glob(f"{PREFIX}*.zip")) if directory.is_dir() else []
    removed = dumps[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def latest_dump() -> Path | None:
    """The newest complete dump in DUMP_DIR (names sort by their UTC moment)."""
    directory = dump_dir()
    if not directory.is_dir():
        return None
    dumps = sorted(directory.glob(f"{PREFIX}*.zip"))
    return dumps[-1] if dumps else None


# --------------------------------------------------------------------------
# What is dumped, resource by resource
# --------------------------------------------------------------------------


class DumpComponentSerializer(serializers.ComponentSerializer):
    """A component as the API shows it, less what is counted from other records."""

    class Meta(serializers.ComponentSerializer.Meta):
        fields = [
            name
            for name in serializers.ComponentSerializer.Meta.fields
            if name not in ("latest_release", "usage_counts")
        ]


def public_usages():
    return Usage.objects.filter(visibility=Visibility.PUBLIC).exclude(assertion=Assertion.REJECTED)


def _chunked(queryset, chunk=CHUNK) -> Iterator[list]:
    batch = []
    for row in queryset.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) == chunk:
            yield batch
            batch = []
    if batch:
        yield batch


def _records(name) -> tuple[int, Iterator[dict]]:
    """(how many, the records as the API shows them) of one resource."""
    if name == "organisations":
        rows = Organisation.objects.order_by("slug")
        return rows.count(), _each(rows, serializers.OrganisationSerializer)
    if name == "licenses":
        rows = licences()
        return rows.count(), _each(rows, serializers.LicenseSerializer)
    if name == "customer-questions":
        rows = CustomerQuestion.objects.order_by("code")
        return rows.count(), (_question(q) for q in rows)
    if name == "upl-products":
        rows = UplProduct.objects.prefetch_related("customer_questions").order_by("uri")
        return rows.count(), (_upl(p) for p in rows)
    if name == "components":
        rows = (
            Component.objects.select_related("publisher", "replaced_by")
            .prefetch_related(
                "customer_questions",
                "upl_products",
                "reuse_organisations",
                "links",
                "dependencies__depends_on",
            )
            .defer("search_document")
            .order_by("slug")
        )
        return rows.count(), _each(rows, DumpComponentSerializer)
    if name == "releases":
        rows = Release.objects.select_related("component").order_by("component__slug", "version")
        return rows.count(), _each(rows, serializers.ReleaseSerializer)
    if name == "usages":
        rows = public_usages().select_related("organisation", "component", "release", "claimed_by")
        rows = rows.order_by("organisation__slug", "component__slug", "id")
        return rows.count(), _each(rows, serializers.UsageSerializer)
    raise ValueError(name)


def licences():
    """Every licence with the number of components naming it, as GET /licenses has it."""
    named = (
        Component.licenses.through.objects.filter(license_id=OuterRef("pk"))
        .order_by()
        .values("license_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return License.objects.annotate(component_count=Coalesce(Subquery(named), 0)).order_by("id")


def _each(queryset, serializer_class) -> Iterator[dict]:
    for batch in _chunked(queryset):
        yield from serializer_class(batch, many=True).data


def _question(question) -> dict:
    return {
        "code": question.code,
        "name": question.name,
        "name_en": question.name_en,
        "description": question.description,
        "description_en": question.description_en,
        "position": question.position,
    }


def _upl(product) -> dict:
    return {
        "uri": product.uri,
        "name": product.name,
        "customer_questions": sorted(q.code for q in product.customer_questions.all()),
    }


RESOURCES = [
    "organisations",
    "licenses",
    "customer-questions",
    "upl-products",
    "components",
    "releases",
    "usages",
]


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _line(record: dict) -> bytes:
    return JSONRenderer().render(record) + b"\n"


@dataclass
class Written:
    count: int
    size: int
    sha256: str


def _write_member(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes], count=0):
    digest = hashlib.sha256()
    size = 0
    with archive.open(name, "w", force_zip64=True) as member:
        for chunk in chunks:
            member.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return Written(count, size, digest.hexdigest())


def write_dump(directory: Path | None = None, progress: Progress | None = None) -> Path:
    """Write a dump of the whole public catalogue; returns its path. Written under
    a temporary name and renamed when complete, so a reader never sees half a dump."""
    directory = Path(directory or dump_dir())
    directory.mkdir(parents=True, exist_ok=True)
    moment = datetime.now(UTC)
    path = directory / f"{PREFIX}{moment:%Y%m%dT%H%M%S%fZ}.zip"
    partial = path.with_suffix(".zip.partial")
    files = {}
    # Texts (licence obligations) in the registry's default language, whoever asks.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name in RESOURCES:
                    count, records = _records(name)
                    step = progress(name, count) if progress else None
                    lines = _counted(records, step)
                    files[f"{name}.jsonl"] = _write_member(archive, f"{name}.jsonl", lines, count)
                chunks = _TripleCounter(dcat.catalogue_graphs())
                turtle = dcat.serialize(chunks, "text/turtle")
                files["catalogue.ttl"] = _write_member(archive, "catalogue.ttl", turtle)
                files["catalogue.ttl"].count = chunks.triples
                manifest = {
                    "schemaVersion": SCHEMA_VERSION,
                    "apiVersion": settings.API_VERSION,
                    "createdAt": moment.isoformat().replace("+00:00", "Z"),
                    "files": {
                        name: {"count": w.count, "bytes": w.size, "sha256": w.sha256}
                        for name, w in files.items()
                    },
                }
                archive.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return path


class _TripleCounter:
    """Passes the chunks of triples on, counting them (the catalogue's count)."""

    def __init__(self, chunks):
        self.chunks = chunks
        self.triples = 0

    def __iter__(self):
        for chunk in self.chunks:
            self.triples += len(chunk)
            yield chunk


def _counted(records, step):
    for record in records:
        yield _line(record)
        if step is not None:
            step(1)


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def read_dump(path) -> tuple[dict, dict[str, list[dict]]]:
    """The manifest and every resource's records (snake_case), after checking
    that the file is a dump and every member matches its checksum and count."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise DumpError(f"{path}: not a readable ZIP file ({exc})") from None
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except KeyError:
            raise DumpError(f"{path}: no manifest.json; not a registry dump") from None
        except (ValueError, zipfile.BadZipFile) as exc:
            raise DumpError(f"{path}: manifest.json is unreadable ({exc})") from None
        if manifest.get("schemaVersion") != SCHEMA_VERSION:
            raise DumpError(
                f"{path}: schema version {manifest.get('schemaVersion')!r}; "
                f"this registry reads version {SCHEMA_VERSION}"
            )
        listed = manifest.get("files") or {}
        records = {}
        for name in [*(f"{r}.jsonl" for r in RESOURCES), "catalogue.ttl"]:
            if name not in listed:
                raise DumpError(f"{path}: the manifest lists no {name}")
            try:
                data = archive.read(name)
            except (KeyError, zipfile.BadZipFile, OSError) as exc:
                raise DumpError(f"{path}: {name} cannot be read ({exc})") from None
            if hashlib.sha256(data).hexdigest() != listed[name].get("sha256"):
                raise DumpError(f"{path}: {name} does not match its SHA-256 in the manifest")
            if name.endswith(".jsonl"):
                try:
                    rows = [underscoreize(json.loads(line)) for line in data.splitlines()]
                except ValueError as exc:
                    raise DumpError(f"{path}: {name} is not JSON Lines ({exc})") from None
                expected = listed[name].get("count")
                if len(rows) != expected:
                    raise DumpError(
                        f"{path}: {name} has {len(rows)} records, the manifest says {expected}"
                    )
                records[name.removesuffix(".jsonl")] = rows
    return manifest, records


def registry_is_empty() -> bool:
    return not (
        Organisation.objects.exists()
        or Component.objects.exists()
        or Release.objects.exists()
        or Usage.objects.exists()
        or UplProduct.objects.exists()
        or License.objects.filter(is_custom=True).exists()
    )


def _moment(value):
    return parse_datetime(value) if value else None


def _day(value):
    return parse_date(value) if value else None


def load_dump(path, progress: Progress | None = None) -> dict[str, int]:
    """Fill an empty registry from a dump; {resource: records loaded}."""
    _manifest, records = read_dump(path)
    steps = {}

    def tick(name, n):
        if progress is not None:
            if name not in steps:
                steps[name] = progress(name, len(records[name]))
            steps[name](n)

    with transaction.atomic():
        if not registry_is_empty():
            raise DumpError(
                "the registry is not empty (it has organisations, components, releases, "
                "usages, UPL products or custom licences); load a dump into a fresh one"
            )
        _load(records, tick)
        cache.changed()
    return {name: len(rows) for name, rows in records.items()}


def _load(records, progress):
    try:
        _load_licences(records["licenses"], progress)
        questions = _load_questions(records["customer-questions"], progress)
        upl = _load_upl(records["upl-products"], questions, progress)
        organisations = _load_organisations(records["organisations"], progress)
        components = _load_components(
            records["components"], organisations, questions, upl, progress
        )
        releases = _load_releases(records["releases"], components, progress)
        _load_usages(records["usages"], organisations, components, releases, progress)
    except (KeyError, TypeError, ValueError) as exc:
        raise DumpError(
            f"the dump's records are not as this registry writes them ({exc!r})"
        ) from None


LICENCE_FIELDS = [
    "name", "is_exception", "is_osi_approved", "is_fsf_libre", "is_deprecated", "is_custom",
    "url", "summary", "reuse_allowed",
]  # fmt: skip


def _load_licences(rows, progress):
    existing = License.objects.in_bulk()
    create, update = [], []
    for row in rows:
        values = {name: row[name] for name in LICENCE_FIELDS}
        licence = existing.get(row["id"])
        if licence is None:
            create.append(License(id=row["id"], **values))
        elif any(getattr(licence, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(licence, key, value)
            update.append(licence)
        progress("licenses", 1)
    License.objects.bulk_create(create, batch_size=CHUNK)
    License.objects.bulk_update(update, LICENCE_FIELDS, batch_size=CHUNK)
    successors = [
        License(id=row["id"], superseded_by_id=row["superseded_by"])
        for row in rows
        if row["superseded_by"]
    ]
    License.objects.filter(superseded_by__isnull=False).update(superseded_by=None)
    License.objects.bulk_update(successors, ["superseded_by"], batch_size=CHUNK)


def _load_questions(rows, progress):
    existing = {q.code: q for q in CustomerQuestion.objects.all()}
    fields = ["name", "name_en", "description", "description_en", "position"]
    for row in rows:
        question = existing.get(row["code"]) or CustomerQuestion(code=row["code"])
        for name in fields:
            setattr(question, name, row[name])
        question.save()
        existing[question.code] = question
        progress("customer-questions", 1)
    return existing


def _load_upl(rows, questions, progress):
    products = UplProduct.objects.bulk_create(
        [UplProduct(uri=row["uri"], name=row["name"]) for row in rows]
    )
    by_uri = {p.uri: p for p in UplProduct.objects.all()}
    through = UplProduct.customer_questions.through
    through.objects.bulk_create(
        [
            through(uplproduct_id=by_uri[row["uri"]].pk, customerquestion_id=questions[code].pk)
            for row in rows
            for code in row["customer_questions"]
        ]
    )
    progress("upl-products", len(products))
    return by_uri


ORGANISATION_FIELDS = [
    "name",
    "kind",
    "oin",
    "cbs_code",
    "tooi_uri",
    "website",
    "description",
    "verified",
]


def _load_organisations(rows, progress):
    created = Organisation.objects.bulk_create(
        [
            Organisation(slug=row["slug"], **{name: row[name] for name in ORGANISATION_FIELDS})
            for row in rows
        ],
        batch_size=CHUNK,
    )
    by_slug = {o.slug: o for o in Organisation.objects.all()}
    _restore_moments(Organisation, by_slug, rows, "slug")
    progress("organisations", len(created))
    return by_slug


def _restore_moments(model, by_key, rows, key, fields=("created_at", "updated_at")):
    """Django sets created_at/updated_at itself on insert; put back the dump's."""
    changed = []
    for row in rows:
        instance = by_key[row[key]]
        for name in fields:
            setattr(instance, name, _moment(row[name]))
        changed.append(instance)
    model.objects.bulk_update(changed, list(fields), batch_size=CHUNK)


COMPONENT_FIELDS = [
    "name", "kind", "short_description", "short_description_en", "long_description",
    "long_description_en", "repository_url", "homepage_url", "documentation_url",
    "api_specification_url", "development_status", "maintenance_type", "layer", "categories",
    "reuse_restriction", "reuse_organisation_kinds", "reuse_terms",
]  # fmt: skip


def _load_components(rows, organisations, questions, upl, progress):
    Component.objects.bulk_create(
        [
            Component(
                slug=row["slug"],
                publisher=organisations[row["publisher"]],
                license_expression=row["license"],
                sunset_date=_day(row["sunset_date"]),
                orphaned_at=_moment(row["orphaned_at"]),
                **{name: row[name] for name in COMPONENT_FIELDS},
            )
            for row in rows
        ],
        batch_size=CHUNK,
    )
    by_slug = {c.slug: c for c in Component.objects.defer("search_document")}
    relations = {
        "customer_questions": (Component.customer_questions.through, "customerquestion_id"),
        "upl_products": (Component.upl_products.through, "uplproduct_id"),
        "reuse_organisations": (Component.reuse_organisations.through, "organisation_id"),
    }
    lookups = {
        "customer_questions": questions,
        "upl_products": upl,
        "reuse_organisations": organisations,
    }
    for name, (through, column) in relations.items():
        through.objects.bulk_create(
            [
                through(component_id=by_slug[row["slug"]].pk, **{column: lookups[name][key].pk})
                for row in rows
                for key in row[name]
            ],
            batch_size=CHUNK,
        )
    licence_through = Component.licenses.through
    licence_through.objects.bulk_create(
        [
            licence_through(component_id=by_slug[row["slug"]].pk, license_id=licence_id)
            for row in rows
            for licence_id in sorted(parse_expression(row["license"]).license_ids)
        ],
        batch_size=CHUNK,
    )
    ComponentLink.objects.bulk_create(
        [
            ComponentLink(component=by_slug[row["slug"]], **link)
            for row in rows
            for link in row.get("links", [])
        ],
        batch_size=CHUNK,
    )
    Dependency.objects.bulk_create(
        [
            Dependency(
                component=by_slug[row["slug"]],
                depends_on=by_slug[dependency["component"]] if dependency["component"] else None,
                name=dependency["name"],
                kind=dependency["kind"],
                how_used=dependency["how_used"],
                version=dependency["version"],
                license_expression=dependency["license_expression"],
                conformance=dependency.get("conformance", ""),
                evidence_url=dependency.get("evidence", ""),
            )
            for row in rows
            for dependency in row["dependencies"]
        ],
        batch_size=CHUNK,
    )
    successors = []
    for row in rows:
        if row["replaced_by"]:
            component = by_slug[row["slug"]]
            component.replaced_by = by_slug[row["replaced_by"]]
            successors.append(component)
    Component.objects.bulk_update(successors, ["replaced_by"], batch_size=CHUNK)
    _restore_moments(Component, by_slug, rows, "slug")
    progress("components", len(rows))
    return by_slug


def _load_releases(rows, components, progress):
    Release.objects.bulk_create(
        [
            Release(
                component=components[row["component"]],
                version=row["version"],
                release_date=_day(row["release_date"]),
                notes=row["notes"],
                url=row["url"],
            )
            for row in rows
        ],
        batch_size=CHUNK,
    )
    by_key = {
        (r.component_id, r.version): r
        for r in Release.objects.only("id", "component_id", "version")
    }
    changed = []
    for row in rows:
        release = by_key[(components[row["component"]].pk, row["version"])]
        release.created_at = _moment(row["created_at"])
        changed.append(release)
    Release.objects.bulk_update(changed, ["created_at"], batch_size=CHUNK)
    progress("releases", len(rows))
    return by_key


def _load_usages(rows, organisations, components, releases, progress):
    usages = []
    for row in rows:
        component = components[row["component"]]
        release = releases[(component.pk, row["release"])] if row["release"] else None
        usages.append(
            Usage(
                id=row["id"],
                organisation=organisations[row["organisation"]],
                component=component,
                release=release,
                status=row["status"],
                since=_day(row["since"]),
                until=_day(row["until"]),
                visibility=row["visibility"],
                assertion=row["assertion"],
                claimed_by=organisations[row["claimed_by"]] if row["claimed_by"] else None,
                claimed_at=_moment(row["claimed_at"]),
                answered_at=_moment(row["answered_at"]),
                restriction_flag=row["restriction_flag"],
                notes=row["notes"],
            )
        )
    Usage.objects.bulk_create(usages, batch_size=CHUNK)
    by_id = {u.pk: u for u in Usage.objects.only("id")}
    _restore_moments(Usage, by_id, rows, "id")
    # The ids were the dump's: the sequence must continue after them.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Usage]):
            cursor.execute(statement)
    progress("usages", len(rows))
