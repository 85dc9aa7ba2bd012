"""Federation: pulling a peer registry's public catalogue through its API.

`federate(url)` reads the peer's components changed since the last run
(``GET /components?updatedSince=…``, page by page; the first page with
``If-None-Match``, so an unchanged peer costs one 304), with their releases and
publishers, and keeps each as a foreign component here:

- read-only: its ForeignRecord says where it came from (shown on its page) and
  the API refuses changes to it; the next run brings the peer's changes;
- its publisher matched by OIN, else by slug and name; unknown, created
  unverified from the peer's record;
- never over a local publisher's component: a component here with the same slug
  or repository URL that did not come from this peer is left alone, and the run
  reports it as skipped;
- licences, customer questions, UPL products, successors and dependencies are
  linked where this registry has them (a custom LicenseRef is fetched from the
  peer); usages are not pulled: they are the organisations' own word here.

Requests go only to public addresses unless HARVEST_ALLOW_PRIVATE, with the
harvest's time limit and size limit per answer.
"""

import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from accounts.constants import OrganisationKind
from accounts.models import Organisation
from registry.links import base_url
from registry.net import UnsafeURL, check_public_url

from .constants import ForeignSource
from .licensing.expressions import parse_expression
from .models import (
    Component,
    ComponentLink,
    CustomerQuestion,
    Dependency,
    ForeignRecord,
    License,
    Peer,
    Release,
    UplProduct,
)
from .text import unique_slug

PAGE_SIZE = 100
USER_AGENT = "component-registry-federation/1"

FIELDS = {
    # API field (camelCase) → model field
    "name": "name",
    "kind": "kind",
    "shortDescription": "short_description",
    "shortDescriptionEn": "short_description_en",
    "longDescription": "long_description",
    "longDescriptionEn": "long_description_en",
    "repositoryUrl": "repository_url",
    "homepageUrl": "homepage_url",
    "documentationUrl": "documentation_url",
    "apiSpecificationUrl": "api_specification_url",
    "developmentStatus": "development_status",
    "maintenanceType": "maintenance_type",
    "layer": "layer",
    "categories": "categories",
    "license": "license_expression",
    "reuseRestriction": "reuse_restriction",
    "reuseOrganisationKinds": "reuse_organisation_kinds",
    "reuseTerms": "reuse_terms",
}


class FederationError(Exception):
    """The peer could not be read; the message says why."""


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)  # [(slug, reason)]
    not_modified: bool = False

    def line(self, peer) -> str:
        if self.not_modified:
            return f"{peer}: nothing changed since the last run (304)"
        return (
            f"{peer}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped"
        )


def api_url(url: str) -> str:
    """The peer's API base: its address, with /api/v1 when not given."""
    url = url.strip().rstrip("/")
    if not url.endswith("/api/v1"):
        url += "/api/v1"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FederationError(f"{url}: not an http(s) URL")
    return url


class Client:
    def __init__(self, api):
        self.api = api
        self.http = httpx.Client(
            timeout=settings.HARVEST_TIMEOUT_SECONDS,
            follow_redirects=False,
            headers={
                "User-Agent": f"{USER_AGENT} (+{base_url()})",
                "Accept": "application/json",
            },
        )

    def close(self):
        self.http.close()

    def get(self, path, params=None, etag=""):
        url = f"{self.api}{path}"
        if params:
            url += "?" + urlencode(params)
        try:
            check_public_url(url, allow_private=settings.HARVEST_ALLOW_PRIVATE)
            headers = {"If-None-Match": etag} if etag else {}
            response = self.http.get(url, headers=headers)
        except UnsafeURL as exc:
            raise FederationError(f"{url}: refused: {exc}") from None
        except httpx.HTTPError as exc:
            raise FederationError(f"{url}: {str(exc) or type(exc).__name__}") from None
        if response.status_code == 304:
            return None, response.headers.get("ETag", etag)
        if response.status_code != 200:
            raise FederationError(f"{url}: HTTP {response.status_code}")
        if len(response.content) > settings.HARVEST_MAX_BYTES * 8:
            raise FederationError(f"{url}: the answer is too large")
        try:
            return response.json(), response.headers.get("ETag", "")
        except ValueError:
            raise FederationError(f"{url}: the answer is not JSON") from None

    def pages(self, path, params, first_etag=""):
        """Every item of a paged list; (None, etag) when the first page is unchanged."""
        page, items, etag = 1, [], ""
        while True:
            data, tag = self.get(path, {**params, "page": page}, first_etag if page == 1 else "")
            if data is None:
                return None, tag
            if page == 1:
                etag = tag
            items += data.get("results", [])
            if not data.get("next"):
                return items, etag
            page += 1


def fingerprint(record) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def federate(url: str, progress=None) -> Summary:
    api = api_url(url)
    peer, _created = Peer.objects.get_or_create(api_url=api)
    client = Client(api)
    summary = Summary()
    try:
        components, etag = _changes(client, peer.cursor, peer.etag)
        if components is None:
            summary.not_modified = True
        else:
            organisations = {}
            newest = peer.cursor
            for record in components:
                _take(client, peer, record, organisations, summary)
                moment = parse_datetime(record["updatedAt"])
                if newest is None or moment > newest:
                    newest = moment
                if progress is not None:
                    progress(1)
            _link_later(client, peer, components)
            if newest != peer.cursor:
                # Read the next run's first page now (it holds only what was just
                # taken: changed at or after the new cursor), for its ETag: an
                # unchanged peer then answers the next run with a 304.
                _again, etag = _changes(client, newest, "")
            peer.cursor = newest
            peer.etag = etag
    finally:
        client.close()
    peer.last_run_at = timezone.now()
    peer.last_result = {
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "skipped": [{"slug": s, "reason": r} for s, r in summary.skipped],
        "notModified": summary.not_modified,
    }
    peer.save()
    return summary


def _changes(client, cursor, etag):
    params = {"pageSize": PAGE_SIZE}
    if cursor is not None:
        params["updatedSince"] = cursor.isoformat()
    return client.pages("/components", params, etag)


def _organisation(client, slug, cache) -> Organisation:
    if slug in cache:
        return cache[slug]
    record, _etag = client.get(f"/organisations/{slug}")
    found = None
    if record.get("oin"):
        found = Organisation.objects.filter(oin=record["oin"]).first()
    if found is None:
        found = Organisation.objects.filter(slug=slug, name=record["name"]).first()
    if found is None:
        name = record["name"]
        if Organisation.objects.filter(name=name).exists():
            name = f"{name} ({urlsplit(client.api).hostname})"
        cbs = record.get("cbsCode") or ""
        if cbs and Organisation.objects.filter(cbs_code=cbs).exists():
            cbs = ""
        found = Organisation.objects.create(
            name=name,
            slug=unique_slug(Organisation.objects.all(), slug, max_length=180, default="org"),
            kind=record["kind"] if record["kind"] in OrganisationKind.values else "other-public",
            oin=record.get("oin") or "",
            cbs_code=cbs,
            tooi_uri=record.get("tooiUri") or "",
            website=record.get("website") or "",
            description=record.get("description") or "",
            verified=False,
        )
    cache[slug] = found
    return found


def _licences(client, expression):
    """Make sure this registry knows every licence the expression names (a custom
    LicenseRef is read from the peer); ValueError when it cannot."""
    for token in expression.replace("(", " ").replace(")", " ").split():
        if token.startswith("LicenseRef-") and not License.objects.filter(id=token).exists():
            record, _etag = client.get(f"/licenses/{token}")
            License.objects.create(
                id=record["id"],
                name=record["name"],
                is_custom=True,
                url=record.get("url") or "",
                summary=record.get("summary") or "",
                reuse_allowed=bool(record.get("reuseAllowed", True)),
            )
    parse_expression(expression)


def _take(client, peer, record, organisations, summary):
    slug = record["slug"]
    foreign = (
        ForeignRecord.objects.select_related("component")
        .filter(source=ForeignSource.REGISTRY, origin=peer.api_url, external_id=slug)
        .first()
    )
    digest = fingerprint(record)
    if foreign is not None and foreign.fingerprint == digest:
        summary.unchanged += 1
        return
    if foreign is None:
        clash = Component.objects.filter(slug=slug).first()
        if clash is None and record.get("repositoryUrl"):
            clash = Component.objects.filter(repository_url=record["repositoryUrl"]).first()
        if clash is not None:
            summary.skipped.append((slug, f"a component here ({clash.slug}) is not the peer's"))
            return
    try:
        with transaction.atomic():
            publisher = _organisation(client, record["publisher"], organisations)
            _licences(client, record["license"])
            values = {model: record.get(api) for api, model in FIELDS.items()}
            values = {
                k: ("" if v is None and k not in ("categories",) else v) for k, v in values.items()
            }
            values["categories"] = values["categories"] or []
            values["reuse_organisation_kinds"] = values["reuse_organisation_kinds"] or []
            values["sunset_date"] = (
                parse_date(record["sunsetDate"]) if record.get("sunsetDate") else None
            )
            values["publisher"] = publisher
            if foreign is None:
                component = Component(slug=slug, **values)
                component.save()
                summary.created += 1
            else:
                component = foreign.component
                changed = [k for k, v in values.items() if getattr(component, k) != v]
                for key in changed:
                    setattr(component, key, values[key])
                if changed:
                    component.save()
                summary.updated += 1
            component.sync_licenses()
            component.customer_questions.set(
                CustomerQuestion.objects.filter(code__in=record.get("customerQuestions") or [])
            )
            component.upl_products.set(
                UplProduct.objects.filter(uri__in=record.get("uplProducts") or [])
            )
            component.reuse_organisations.set(
                Organisation.objects.filter(slug__in=record.get("reuseOrganisations") or [])
            )
            wanted = sorted(
                (link["kind"], link["url"], link["label"]) for link in record.get("links") or []
            )
            if sorted(component.links.values_list("kind", "url", "label")) != wanted:
                component.links.all().delete()
                ComponentLink.objects.bulk_create(
                    ComponentLink(component=component, kind=k, url=u, label=label)
                    for k, u, label in wanted
                )
            _releases(client, component, slug)
            ForeignRecord.objects.update_or_create(
                source=ForeignSource.REGISTRY,
                origin=peer.api_url,
                external_id=slug,
                defaults={
                    "component": component,
                    "source_url": f"{peer.api_url}/components/{slug}",
                    "fingerprint": digest,
                    "read_only": True,
                    "imported_at": timezone.now(),
                },
            )
    except (FederationError, ValidationError, ValueError, KeyError) as exc:
        summary.skipped.append((slug, f"not taken over: {exc}"))


def _releases(client, component, slug):
    records, _etag = client.pages(f"/components/{slug}/releases", {"pageSize": PAGE_SIZE})
    existing = {r.version: r for r in component.releases.all()}
    seen = set()
    for record in records or []:
        version = record["version"]
        seen.add(version)
        values = {
            "release_date": parse_date(record["releaseDate"]),
            "notes": record.get("notes") or "",
            "url": record.get("url") or "",
        }
        release = existing.get(version)
        if release is None:
            Release.objects.create(component=component, version=version, **values)
        elif any(getattr(release, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(release, key, value)
            release.save()
    for version, release in existing.items():
        if version not in seen:
            release.delete()


def _link_later(client, peer, records):
    """Successors and dependencies name other components: linked once all are here."""
    taken = dict(
        ForeignRecord.objects.filter(
            source=ForeignSource.REGISTRY, origin=peer.api_url
        ).values_list("external_id", "component_id")
    )
    for record in records:
        component_id = taken.get(record["slug"])
        if component_id is None:
            continue
        with transaction.atomic():
            component = Component.objects.get(pk=component_id)
            successor = record.get("replacedBy")
            successor_id = (
                Component.objects.filter(slug=successor).values_list("pk", flat=True).first()
                if successor
                else None
            )
            if component.replaced_by_id != successor_id:
                component.replaced_by_id = successor_id
                component.save()
            wanted = []
            for dependency in record.get("dependencies") or []:
                target = None
                if dependency.get("component"):
                    target = Component.objects.filter(slug=dependency["component"]).first()
                name = dependency.get("name") or ("" if target else dependency.get("component"))
                if target is None and not name:
                    continue
                wanted.append(
                    (
                        target.pk if target else 0,
                        "" if target else name,
                        dependency["kind"],
                        dependency["howUsed"],
                        dependency.get("version") or "",
                        dependency.get("licenseExpression") or "",
                    )
                )
            current = [
                (d.depends_on_id or 0, d.name, d.kind, d.how_used, d.version, d.license_expression)
                for d in component.dependencies.all()
            ]
            if sorted(current) != sorted(wanted):
                component.dependencies.all().delete()
                Dependency.objects.bulk_create(
                    Dependency(
                        component=component,
                        depends_on_id=target or None,
                        name=name,
                        kind=kind,
                        how_used=how,
                        version=version,
                        license_expression=licence,
                    )
                    for target, name, kind, how, version, licence in wanted
                )


def read_only_origin(component) -> str | None:
    """The peer a read-only (federated) component is kept as; None for any other."""
    return (
        ForeignRecord.objects.filter(component=component, read_only=True)
        .values_list("origin", flat=True)
        .first()
    )
