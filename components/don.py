"""Importing developer.overheid.nl's API descriptions (its first generation's JSON
format, ../shared/corpus/don-apis/README.md).

Each description becomes an API component:

- its organisation matched by OIN (else by name, when that organisation has no
  OIN recorded); unknown, it is created, unverified, with a kind guessed from
  its name (Gemeente…, Provincie…, Ministerie…, Waterschap…; else another public
  body: developer.overheid.nl lists public organisations);
- name, description (the first sentence, up to 150 characters, as the short
  one), the production environment's specification and documentation as the
  API specification and documentation URLs, the contact URL as homepage;
- every environment a link of its kind (production, acceptance, demo; another
  name a link of kind "other" labelled with it), the production one its endpoint;
- ``terms_of_use.government_only`` a reuse restriction to the public sector;
  ``pay_per_use`` a reuse term;
- ``relations: {api id: ["reference-implementation"]}`` a dependency of kind
  "implements" on that API (registered once it is imported too; by name until then);
- no licence is stated there: ``LicenseRef-Not-Stated``, a custom licence that
  says so (reuse is then conditional: ask the publisher).

Tags, badges, forum, phone and e-mail have no place in a component and are left
out. Reading the same description again changes nothing (not even history): what
was read last is kept as a fingerprint on the component's ForeignRecord. A broken
description is refused as a whole, with the key path of the first problem.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.constants import OrganisationKind
from accounts.models import Organisation

from .constants import (
    ComponentKind,
    DependencyKind,
    DependencyUse,
    DevelopmentStatus,
    ForeignSource,
    LinkKind,
    MaintenanceType,
    ReuseRestriction,
)
from .models import Component, ComponentLink, Dependency, ForeignRecord, License
from .text import unique_slug

IMPORTER_VERSION = "1"
NOT_STATED = "LicenseRef-Not-Stated"
ENVIRONMENTS = {
    "production": LinkKind.PRODUCTION,
    "acceptance": LinkKind.ACCEPTANCE,
    "demo": LinkKind.DEMO,
}
KINDS_BY_NAME = [
    (r"^gemeente\b", OrganisationKind.MUNICIPALITY),
    (r"^provincie\b", OrganisationKind.PROVINCE),
    (r"^(waterschap|hoogheemraadschap|wetterskip)\b", OrganisationKind.WATER_AUTHORITY),
    (r"^(ministerie|rijksdienst)\b", OrganisationKind.CENTRAL_GOVERNMENT),
]
_url = URLValidator(schemes=["http", "https"])


class DonError(ValueError):
    """A description that cannot be imported; `path` is the key path of the problem."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


@dataclass
class Environment:
    name: str
    api_url: str
    specification_url: str = ""
    documentation_url: str = ""


@dataclass
class Description:
    api_id: str
    service_name: str
    description: str
    organisation_name: str
    oin: str
    environments: list[Environment]
    contact_url: str = ""
    warnings: list[str] = field(default_factory=list)
    government_only: bool = False
    pay_per_use: bool = False
    implements: list[str] = field(default_factory=list)
    fingerprint: str = ""


# --------------------------------------------------------------------------
# Reading and checking
# --------------------------------------------------------------------------


def _get(data, key, path, kind, *, required=True, default=None):
    where = f"{path}.{key}" if path else key
    if key not in data or (data[key] is None and not required):
        if required:
            raise DonError(where, "is missing")
        return default
    value = data[key]
    if kind is bool and not isinstance(value, bool):
        raise DonError(where, "must be true or false")
    if kind is str and not isinstance(value, str):
        raise DonError(where, "must be a string")
    if kind is list and not isinstance(value, list):
        raise DonError(where, "must be a list")
    if kind is dict and not isinstance(value, dict):
        raise DonError(where, "must be an object")
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise DonError(where, "must be a number")
    return value


def _text(data, key, path, *, required=True, max_length=None):
    value = _get(data, key, path, str, required=required, default="")
    value = value.strip()
    where = f"{path}.{key}" if path else key
    if required and not value:
        raise DonError(where, "must not be empty")
    if max_length and len(value) > max_length:
        raise DonError(where, f"is longer than {max_length} characters")
    if "\x00" in value:
        raise DonError(where, "contains a NUL character")
    return value


def _is_url(value) -> bool:
    try:
        _url(value)
    except ValidationError:
        return False
    return True


def _link(data, key, path, warnings, *, required=False):
    """A URL. Real descriptions hold values that are not URLs ("nvt", or a template
    such as https://[sandbox.]api.example.nl): the bracketed optional part is read
    without it; what is still no URL is left out, with a warning naming its key."""
    where = f"{path}.{key}" if path else key
    value = _text(data, key, path, required=required, max_length=500)
    if not value or _is_url(value):
        return value
    repaired = re.sub(r"\[[^\]]*\]", "", value)
    if repaired != value and _is_url(repaired):
        warnings.append(f"{where}: {value!r} read as {repaired!r}")
        return repaired
    warnings.append(f"{where}: {value!r} is not an http(s) URL; left out")
    return ""


def read(raw: bytes | str | dict, api_id: str) -> Description:
    """The description in a file of developer.overheid.nl's format, checked; DonError
    with the key path (e.g. ``environments[0].api_url``) when it is broken."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._()\-]{0,199}", api_id or ""):
        raise DonError("", f"{api_id!r} is not an API id (the file name without .json)")
    if isinstance(raw, dict):
        data = raw
    else:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DonError("", f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise DonError("", "the description must be a JSON object")
    oin = _text(data, "organization_oin", "")
    if not re.fullmatch(r"\d{20}", oin):
        raise DonError("organization_oin", "must be an OIN: 20 digits")
    _text(data, "api_type", "")
    _text(data, "api_authentication", "")
    warnings = []
    environments = []
    raw_environments = _get(data, "environments", "", list)
    if not raw_environments:
        raise DonError("environments", "must name at least one environment")
    for index, item in enumerate(raw_environments):
        path = f"environments[{index}]"
        if not isinstance(item, dict):
            raise DonError(path, "must be an object")
        environments.append(
            Environment(
                name=_text(item, "name", path, max_length=100),
                api_url=_link(item, "api_url", path, warnings, required=True),
                specification_url=_link(item, "specification_url", path, warnings),
                documentation_url=_link(item, "documentation_url", path, warnings),
            )
        )
    contact = _get(data, "contact", "", dict, required=False, default={})
    if contact:
        _text(contact, "email", "contact", required=False)
        _text(contact, "phone", "contact", required=False)
    terms = _get(data, "terms_of_use", "", dict, required=False, default={})
    government_only = _get(terms, "government_only", "terms_of_use", bool, required=False)
    pay_per_use = _get(terms, "pay_per_use", "terms_of_use", bool, required=False)
    for key in ("uptime_guarantee", "support_response_time"):
        _get(terms, key, "terms_of_use", "number", required=False)
    _get(data, "is_reference_implementation", "", bool, required=False)
    implements = []
    relations = _get(data, "relations", "", dict, required=False, default={})
    for other, kinds in relations.items():
        path = f"relations.{other}"
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise DonError(path, "must be a list of relation names")
        if "reference-implementation" in kinds:
            implements.append(other)
    tags = _get(data, "tags", "", list, required=False, default=[])
    for index, tag in enumerate(tags):
        if not isinstance(tag, str):
            raise DonError(f"tags[{index}]", "must be a string")
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return Description(
        api_id=api_id,
        service_name=_text(data, "service_name", "", max_length=200),
        description=_text(data, "description", "", max_length=20000),
        organisation_name=_text(data, "organization_name", "", max_length=200),
        oin=oin,
        environments=environments,
        contact_url=_link(contact, "url", "contact", warnings) if contact else "",
        warnings=warnings,
        government_only=bool(government_only),
        pay_per_use=bool(pay_per_use),
        implements=sorted(implements),
        fingerprint=hashlib.sha256(
            f"{IMPORTER_VERSION}\n{api_id}\n{canonical}".encode()
        ).hexdigest(),
    )


# --------------------------------------------------------------------------
# Mapping onto the catalogue
# --------------------------------------------------------------------------


def short_description(text: str) -> str:
    """The first sentence, or as many words as fit in 150 characters."""
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) <= 150:
        return first
    cut = first[:149].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def guess_kind(name: str) -> str:
    folded = name.casefold()
    for pattern, kind in KINDS_BY_NAME:
        if re.search(pattern, folded):
            return kind
    return OrganisationKind.OTHER_PUBLIC


def organisation_for(description: Description) -> tuple[Organisation, bool]:
    """(the organisation, whether it was created)."""
    found = Organisation.objects.filter(oin=description.oin).first()
    if found is not None:
        return found, False
    name = re.sub(r"\s*\([^)]*\)$", "", description.organisation_name).strip() or (
        description.organisation_name
    )
    for candidate in Organisation.objects.filter(oin="", name__iexact=name):
        return candidate, False
    taken = Organisation.objects.filter(name__iexact=name).exists()
    organisation = Organisation.objects.create(
        name=f"{name} ({description.oin})" if taken else name,
        kind=guess_kind(name),
        oin=description.oin,
        verified=False,
    )
    return organisation, True


def not_stated_licence() -> License:
    licence, _created = License.objects.get_or_create(
        id=NOT_STATED,
        defaults={
            "name": "Licentie niet vermeld",
            "is_custom": True,
            "summary": (
                "De catalogus waaruit dit component is overgenomen, vermeldt geen licentie. "
                "Vraag de uitgever onder welke voorwaarden je het mag hergebruiken."
            ),
            "reuse_allowed": True,
        },
    )
    return licence


def production(description: Description) -> Environment:
    for environment in description.environments:
        if environment.name.casefold() == "production":
            return environment
    return description.environments[0]


def component_values(description: Description, publisher) -> dict:
    main = production(description)
    short = short_description(description.description)
    terms = "Betaald gebruik (pay per use)." if description.pay_per_use else ""
    return {
        "name": description.service_name,
        "kind": ComponentKind.API,
        "short_description": short,
        # A description of one sentence is the short one alone, not said twice.
        "long_description": "" if short == description.description else description.description,
        "publisher": publisher,
        "api_specification_url": main.specification_url,
        "documentation_url": main.documentation_url,
        "homepage_url": description.contact_url,
        "development_status": (
            DevelopmentStatus.STABLE
            if main.name.casefold() == "production"
            else DevelopmentStatus.BETA
        ),
        "maintenance_type": MaintenanceType.INTERNAL,
        "license_expression": NOT_STATED,
        "reuse_restriction": (
            ReuseRestriction.PUBLIC_SECTOR if description.government_only else ReuseRestriction.NONE
        ),
        "reuse_terms": terms,
    }


def link_rows(description: Description) -> list[tuple[str, str, str]]:
    rows = []
    for environment in description.environments:
        if not environment.api_url:
            continue
        kind = ENVIRONMENTS.get(environment.name.casefold(), LinkKind.OTHER)
        label = "" if kind != LinkKind.OTHER else environment.name[:200]
        row = (kind, environment.api_url, label)
        if row not in rows and (kind, environment.api_url) not in {(k, u) for k, u, _ in rows}:
            rows.append(row)
    return sorted(rows)


@dataclass
class Result:
    api_id: str
    outcome: str  # created, updated, unchanged
    component: Component | None = None
    organisation_created: bool = False
    warnings: list[str] = field(default_factory=list)


def import_description(description: Description, source_url: str = "") -> Result:
    """Create or update the component of one description, in one transaction."""
    with transaction.atomic():
        record = (
            ForeignRecord.objects.select_for_update()
            .select_related("component")
            .filter(
                source=ForeignSource.DEVELOPER_OVERHEID,
                origin="",
                external_id=description.api_id,
            )
            .first()
        )
        if record is not None and record.fingerprint == description.fingerprint:
            return Result(
                description.api_id, "unchanged", record.component, warnings=description.warnings
            )
        not_stated_licence()
        publisher, organisation_created = organisation_for(description)
        values = component_values(description, publisher)
        if record is None:
            component = Component(
                slug=unique_slug(
                    Component.objects.all(), description.api_id, max_length=90, default="api"
                ),
                **values,
            )
            component.save()
            outcome = "created"
        else:
            component = record.component
            changed = [k for k, v in values.items() if getattr(component, k) != v]
            for key in changed:
                setattr(component, key, values[key])
            if changed:
                component.save()
            outcome = "updated"
        component.sync_licenses()
        wanted = link_rows(description)
        current = sorted(component.links.values_list("kind", "url", "label"))
        if current != wanted:
            component.links.all().delete()
            ComponentLink.objects.bulk_create(
                ComponentLink(component=component, kind=k, url=u, label=label)
                for k, u, label in wanted
            )
        _set_implements(component, description.implements)
        ForeignRecord.objects.update_or_create(
            source=ForeignSource.DEVELOPER_OVERHEID,
            origin="",
            external_id=description.api_id,
            defaults={
                "component": component,
                "source_url": source_url,
                "fingerprint": description.fingerprint,
                "imported_at": timezone.now(),
            },
        )
    return Result(
        description.api_id, outcome, component, organisation_created, description.warnings
    )


def _set_implements(component, api_ids):
    """The dependencies of kind implements that the description names: on the
    imported API where it is here, else by its id; written only when they differ."""
    records = dict(
        ForeignRecord.objects.filter(
            source=ForeignSource.DEVELOPER_OVERHEID, origin="", external_id__in=api_ids
        ).values_list("external_id", "component_id")
    )

    def key(row):
        return (row[0] or 0, row[1])

    wanted = sorted(
        (
            (records.get(api_id), "" if api_id in records else api_id[:200])
            for api_id in api_ids
            if records.get(api_id) != component.pk
        ),
        key=key,
    )
    ours = component.dependencies.filter(how_used=DependencyUse.IMPLEMENTS)
    current = sorted(ours.values_list("depends_on_id", "name"), key=key)
    if current == wanted:
        return
    ours.delete()
    Dependency.objects.bulk_create(
        Dependency(
            component=component,
            depends_on_id=target,
            name=name,
            kind=DependencyKind.OPEN,
            how_used=DependencyUse.IMPLEMENTS,
        )
        for target, name in wanted
    )


def resolve_relations(api_ids=None):
    """After importing several files: a relation to an API that was imported later
    now points at its component (idempotent; writes only what changes)."""
    records = ForeignRecord.objects.filter(source=ForeignSource.DEVELOPER_OVERHEID, origin="")
    names = set(records.values_list("external_id", flat=True))
    waiting = Dependency.objects.filter(
        how_used=DependencyUse.IMPLEMENTS,
        depends_on__isnull=True,
        name__in=names,
        component__foreign_record__source=ForeignSource.DEVELOPER_OVERHEID,
    ).select_related("component")
    for dependency in waiting:
        with transaction.atomic():
            target = records.get(external_id=dependency.name).component_id
            if target == dependency.component_id:
                continue
            Dependency.objects.filter(pk=dependency.pk).update(depends_on_id=target, name="")


# --------------------------------------------------------------------------
# Files, directories, URLs
# --------------------------------------------------------------------------


@dataclass
class Refusal:
    where: str
    reason: str


def files_in(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.glob("*.json") if p.is_file())
    return [path]


def import_paths(paths, progress=None) -> tuple[list[Result], list[Refusal]]:
    results, refusals = [], []
    for path in paths:
        try:
            description = read(path.read_bytes(), path.stem)
            results.append(import_description(description))
        except DonError as exc:
            refusals.append(Refusal(str(path), str(exc)))
        except OSError as exc:
            refusals.append(Refusal(str(path), f"cannot be read ({exc.strerror or exc})"))
        if progress is not None:
            progress(1)
    resolve_relations()
    return results, refusals


def summary(results, refusals) -> str:
    count = {o: sum(r.outcome == o for r in results) for o in ("created", "updated", "unchanged")}
    return (
        f"{len(results) + len(refusals)} description(s): {count['created']} created, "
        f"{count['updated']} updated, {count['unchanged']} unchanged, {len(refusals)} refused"
    )
