"""Harvesting: fetching the publiccode.yml files that organisations register
as harvest sources, and importing them as that organisation.

The rules, in the order a run applies them:

- A source is the URL of the file, or of a repository with the file at its
  root. `fetch_urls()` turns a repository URL into the raw file URLs to try:
  https://github.com/owner/repo → https://raw.githubusercontent.com/owner/repo/HEAD/publiccode.yml
  (then publiccode.yaml); https://gitlab.com/group/repo (or any host whose
  name starts with "gitlab.") → https://gitlab.com/group/repo/-/raw/HEAD/publiccode.yml
  (then .yaml). HEAD is the default branch. A GitHub or GitLab "blob" link to
  a file becomes its raw link. Any other URL is fetched as it is.
- Every request goes to public addresses only (each redirect is checked
  again) unless HARVEST_ALLOW_PRIVATE is set, must finish within
  HARVEST_TIMEOUT_SECONDS, and stops reading past HARVEST_MAX_BYTES.
- The ETag and Last-Modified of the last good version are sent back
  (If-None-Match, If-Modified-Since); 304 means nothing changed.
- 200: the file is validated and imported as the source's organisation
  (components.publiccode.import_publiccode), the change credited in the
  history to "harvest of <url>".
- 404 or 410: the file vanished. The source says since when, its component
  is marked orphaned; nothing is deleted.
- Anything else (network error, timeout, other status, too large, invalid
  YAML, validation errors, an import refused) is a failure: the last good
  version and the component stay exactly as they were, and the source keeps
  the errors for its owner (last_errors, shown in the API and on the site).
- When the file comes back, or the source yields a component again, the
  marks are cleared. When a source now describes another repository, the
  component it used to yield is orphaned too.
"""

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from registry.i18n import Message
from registry.links import base_url
from registry.net import UnsafeURL, check_public_url
from registry.observability import outgoing_headers

from . import licensing
from .constants import HarvestStatus
from .models import Component, HarvestSource
from .publiccode import ERROR, Finding, import_publiccode, validate

logger = logging.getLogger(__name__)

# What a run can come to. "unchanged" (a 304) is stored as HarvestStatus.OK.
OK, UNCHANGED, FAILED, VANISHED = "ok", "unchanged", "failed", "vanished"
OUTCOMES = (OK, UNCHANGED, FAILED, VANISHED)

FILENAMES = ("publiccode.yml", "publiccode.yaml")
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
GONE = (404, 410)
USER_AGENT = "component-registry-harvester/1"


@dataclass
class Outcome:
    status: str  # one of OUTCOMES
    errors: list = field(default_factory=list)  # as stored in HarvestSource.last_errors
    component: Component | None = None
    created: bool = False


class FetchError(Exception):
    """The file could not be fetched; `message` (a Message) says why, for the
    source's owner, in their language when they read it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message.english()


@dataclass
class Fetched:
    status: int
    url: str
    content: bytes = b""
    etag: str = ""
    last_modified: str = ""


# --- where to fetch from --------------------------------------------------


def fetch_urls(url) -> list[str]:
    """The raw file URLs to try for a source URL, in order."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1].endswith(".git"):
        segments[-1] = segments[-1].removesuffix(".git")
    if host in ("github.com", "www.github.com") and len(segments) >= 2:
        owner, repo, rest = segments[0], segments[1], segments[2:]
        if not rest:
            return [
                f"https://raw.githubusercontent.com/{owner}/{repo}/HEAD/{name}"
                for name in FILENAMES
            ]
        if len(rest) >= 3 and rest[0] == "blob":
            return [f"https://raw.githubusercontent.com/{owner}/{repo}/{'/'.join(rest[1:])}"]
    if host == "gitlab.com" or host.startswith("gitlab."):
        base = urlunsplit((parts.scheme or "https", parts.netloc, "", "", ""))
        if "-" in segments:
            marker = segments.index("-")
            project, rest = segments[:marker], segments[marker + 1 :]
            if len(rest) >= 3 and rest[0] == "blob" and project:
                return [f"{base}/{'/'.join(project)}/-/raw/{'/'.join(rest[1:])}"]
        elif len(segments) >= 2 and not segments[-1].endswith((".yml", ".yaml")):
            project = "/".join(segments)
            return [f"{base}/{project}/-/raw/HEAD/{name}" for name in FILENAMES]
    return [url.strip()]


# --- fetching -------------------------------------------------------------


def fetch(url, *, etag="", last_modified="") -> Fetched:
    """GET one URL under the harvest's rules; returns a Fetched or raises FetchError.

    The body is read only for a 200, and only up to HARVEST_MAX_BYTES (after
    decompression: a small gzip cannot become a large file)."""
    limit = settings.HARVEST_MAX_BYTES
    seconds = settings.HARVEST_TIMEOUT_SECONDS
    deadline = time.monotonic() + seconds
    headers = {
        "User-Agent": f"{USER_AGENT} (+{base_url()})",
        "Accept": "application/yaml, text/yaml, text/plain;q=0.9, */*;q=0.5",
        **outgoing_headers(),
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with httpx.Client(timeout=seconds, follow_redirects=False) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                check_public_url(url, allow_private=settings.HARVEST_ALLOW_PRIVATE)
                with client.stream("GET", url, headers=headers) as response:
                    location = response.headers.get("Location")
                    if response.status_code in REDIRECTS and location:
                        url = urljoin(url, location)
                        continue
                    if response.status_code != 200:
                        return Fetched(response.status_code, url)
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchError(_too_large(url, limit))
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise FetchError(_too_large(url, limit))
                        if time.monotonic() > deadline:
                            raise FetchError(_late(url, seconds, complete=True))
                    return Fetched(
                        200,
                        url,
                        bytes(body),
                        response.headers.get("ETag", ""),
                        response.headers.get("Last-Modified", ""),
                    )
            raise FetchError(
                Message(
                    gettext_noop("%(url)s: more than %(n)s redirects"), url=url, n=MAX_REDIRECTS
                )
            )
    except UnsafeURL as exc:
        raise FetchError(
            Message(gettext_noop("%(url)s: refused: %(reason)s"), url=url, reason=exc.message)
        ) from None
    except httpx.TimeoutException:
        raise FetchError(_late(url, seconds)) from None
    except httpx.HTTPError as exc:
        # The network library's own words, as they are.
        raise FetchError(
            Message(
                gettext_noop("%(url)s: %(error)s"), url=url, error=str(exc) or type(exc).__name__
            )
        ) from None


def problem(message) -> dict:
    """A fetch error in the shape of a finding, so last_errors has one shape."""
    return Finding(ERROR, "", None, None, message).stored()


def _too_large(url, limit):
    return Message(
        gettext_noop("%(url)s: the file is larger than %(limit)s bytes; refused"),
        url=url,
        limit=limit,
    )


def _late(url, seconds, *, complete=False):
    if complete:
        template = gettext_noop("%(url)s: no complete answer within %(n)s seconds")
    else:
        template = gettext_noop("%(url)s: no answer within %(n)s seconds")
    return Message(template, url=url, n=seconds)


def _answered(url, status):
    return Message(
        gettext_noop("%(url)s: the server answered HTTP %(status)s"), url=url, status=status
    )


def fetch_source(source) -> Fetched:
    """Fetch a source's file, trying each candidate URL until one is not 404/410."""
    # Ask "changed since?" only when there is a version to fall back on.
    conditional = bool(source.component_id and source.last_good_content)
    fetched = None
    for url in fetch_urls(source.url):
        fetched = fetch(
            url,
            etag=source.etag if conditional else "",
            last_modified=source.last_modified if conditional else "",
        )
        if fetched.status not in GONE:
            return fetched
    return fetched


# --- one source -----------------------------------------------------------


def actor_for(source) -> str:
    return f"harvest of {source.url}"


def harvest_source(source) -> Outcome:
    """Fetch and import one source, record the result on it; never raises for a
    broken source. Returns an Outcome."""
    now = timezone.now()
    try:
        fetched = fetch_source(source)
    except FetchError as exc:
        return _failed(source, now, [problem(exc.message)])
    if fetched.status == 304:
        if not (source.component_id and source.last_good_content):
            message = Message(
                gettext_noop(
                    "%(url)s: the server answered 304 to a request that asked for the file"
                ),
                url=fetched.url,
            )
            return _failed(source, now, [problem(message)])
        return _unchanged(source, now)
    if fetched.status in GONE:
        return _vanished(source, now, fetched)
    if fetched.status != 200:
        return _failed(source, now, [problem(_answered(fetched.url, fetched.status))])
    return _import(source, now, fetched)


def _save(source, now, status, errors, *extra):
    source.last_run_at = now
    source.last_status = status
    source.last_errors = errors
    source.save(update_fields=["last_run_at", "last_status", "last_errors", *extra])


def _failed(source, now, errors):
    # The last good version, the validators and the component stay as they were.
    _save(source, now, HarvestStatus.FAILED, errors)
    return Outcome(FAILED, errors, source.component)


def _orphan(component, now, actor):
    if component is not None and component.orphaned_at is None:
        component.orphaned_at = now
        component._history_actor = actor
        component.save(update_fields=["orphaned_at", "updated_at"])


def _adopt(component, actor):
    if component is not None and component.orphaned_at is not None:
        component.orphaned_at = None
        component._history_actor = actor
        component.save(update_fields=["orphaned_at", "updated_at"])


def _vanished(source, now, fetched):
    with transaction.atomic():
        errors = [
            problem(
                Message(
                    gettext_noop(
                        "%(url)s: the server answered HTTP %(status)s; the file is no longer "
                        "there. The component is kept, marked orphaned."
                    ),
                    url=fetched.url,
                    status=fetched.status,
                )
            )
        ]
        if source.vanished_since is None:
            source.vanished_since = now
        _orphan(source.component, now, actor_for(source))
        _save(source, now, HarvestStatus.VANISHED, errors, "vanished_since")
    return Outcome(VANISHED, errors, source.component)


def _unchanged(source, now):
    with transaction.atomic():
        _adopt(source.component, actor_for(source))
        if source.last_status != HarvestStatus.OK:
            # The errors of a failed run no longer apply; the warnings of the
            # last good version (unchanged) do.
            validation = validate(
                source.last_good_content, custom_license_ids=licensing.custom_license_ids()
            )
            source.last_errors = [f.stored() for f in validation.warnings]
        source.vanished_since = None
        _save(source, now, HarvestStatus.OK, source.last_errors, "vanished_since")
    return Outcome(UNCHANGED, source.last_errors, source.component)


def _import(source, now, fetched):
    actor = actor_for(source)
    with transaction.atomic():
        result = import_publiccode(fetched.content, source.organisation, actor=actor)
        findings = [f.stored() for f in result.findings]
        if not result.ok:
            return _failed(source, now, findings)
        component = result.component
        if source.component_id is not None and source.component_id != component.pk:
            # The file now describes another repository: the old component is
            # no longer listed by this source.
            previous = Component.objects.filter(pk=source.component_id).first()
            _orphan(previous, now, actor)
        _adopt(component, actor)
        source.component = component
        source.last_good_content = fetched.content.decode("utf-8")
        source.last_success_at = now
        source.vanished_since = None
        source.etag = fetched.etag[:300]
        source.last_modified = fetched.last_modified[:100]
        _save(
            source,
            now,
            HarvestStatus.OK,
            findings,  # only warnings: an error would have refused the import
            "component",
            "last_good_content",
            "last_success_at",
            "vanished_since",
            "etag",
            "last_modified",
        )
    return Outcome(OK, findings, component, result.created)


# --- many sources ---------------------------------------------------------


def due_sources(now=None) -> QuerySet[HarvestSource]:
    return HarvestSource.objects.due(now or timezone.now()).order_by("last_run_at", "pk")


def claim(source, now) -> bool:
    """Take a due source for this run; False when another run took it first."""
    taken = HarvestSource.objects.filter(pk=source.pk, last_run_at=source.last_run_at).update(
        last_run_at=now
    )
    return taken == 1


def run(sources, *, claim_first=False, progress=None) -> Counter[str]:
    """Harvest each source; returns a Counter of outcomes. A source that breaks
    in an unforeseen way is recorded as failed and the run goes on.

    claim_first: skip a source that another run (a worker, a command) has
    started since it was listed. progress: wraps the iterable (a tqdm bar)."""
    counts = Counter({outcome: 0 for outcome in OUTCOMES})
    sources = list(sources.select_related("organisation", "component"))
    for source in progress(sources) if progress else sources:
        if claim_first and not claim(source, timezone.now()):
            continue
        try:
            outcome = harvest_source(source)
        except Exception as exc:  # one broken source must not stop the others
            logger.exception("harvest of %s failed", source.url)
            message = Message(gettext_noop("internal error: %(error)s"), error=type(exc).__name__)
            outcome = _failed(source, timezone.now(), [problem(message)])
        counts[outcome.status] += 1
    return counts


def run_due(progress=None) -> Counter[str]:
    return run(due_sources(), claim_first=True, progress=progress)


def summary(counts) -> str:
    total = sum(counts.values())
    return f"{total} source(s) harvested: " + ", ".join(
        f"{counts[outcome]} {outcome}" for outcome in OUTCOMES
    )


def next_tick() -> datetime:
    return timezone.now() + timedelta(minutes=settings.HARVEST_TICK_MINUTES)


def last_findings(source) -> list[Finding]:
    """The last run's errors and warnings, for the owner's page on the site, which
    shows each in the reader's language (Finding.localised). Rows stored before
    findings kept their template and parameters read as they were written, in
    English, until the next run."""
    return [Finding.from_stored(error) for error in source.last_errors or []]
