"""A cache of rendered read responses that is never stale.

A response depends on versioned keys, each a counter in the shared cache that
committed changes bump (issue 14: invalidation per resource):

- ``version:catalogue``: every change but a usage's (components, releases,
  organisations, licences, …) and every bulk change (``changed()``). Every
  response depends on it.
- ``version:usages``: every usage change. A response depends on it unless its
  view narrowed what it shows of usages (``narrow_to_usages_of``) to those of
  some components and organisations:
- ``version:usages:component:<id>`` and ``version:usages:organisation:<id>``:
  a change of a usage of that component, or of that organisation (as user,
  claimant or recording cooperation).
- ``version:usages:kind:<kind>``: a change that may move the use tally of
  organisations of that kind (components.tally): a usage of such an
  organisation added, deleted, or changed in what counts it (status,
  visibility, assertion, component, organisation); a change of its notes or
  dates leaves it. Read by "organisations like this one use".

An entry remembers the versions its response was rendered at and is used only
while every one of them is still current, so the first read after a change
renders afresh; a usage write invalidates just the responses that show it.
The versions are read before what they guard is read from the database: a
change committed meanwhile bumps a version after it was read, and the entry is
then never used.

It needs a cache that all app servers share (Redis, REDIS_URL): with a
per-process cache one worker would not hear of another's writes, so without
REDIS_URL response caching is off. Two round trips per read (the entry, then
its versions) over a connection pool kept per process.

The cache is a help, never a dependency: when Redis does not answer, a read is
a miss and is rendered afresh, and nothing is stored. A bump that could not be
sent is owed: this process bumps the catalogue's version (everything) before it
trusts the cache again, so entries rendered before an unrecorded change are not
served once Redis is back.
"""

import hashlib
import logging
import pickle
import secrets
import threading
from functools import cache as once
from functools import wraps

import redis
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.http import HttpResponse

CATALOGUE = "version:catalogue"
USAGES = "version:usages"
VERSION_KEY = CATALOGUE  # the version every response depends on
PREFIX = "response:"
# Says whether a cacheable read came from the cache (hit) or was rendered (miss):
# for operators and the benchmark's hit rate; absent when caching is off.
HEADER = "X-Cache"

logger = logging.getLogger(__name__)
_owed = threading.Event()  # a bump this process could not send


def usages_of_component(pk):
    return f"{USAGES}:component:{pk}"


def usages_of_organisation(pk):
    return f"{USAGES}:organisation:{pk}"


def usages_of_kind(kind):
    return f"{USAGES}:kind:{kind}"


def _unavailable(what):
    logger.warning("cache unavailable (%s): serving uncached", what, exc_info=True)


@once
def _redis():
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


def _shared():
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def enabled():
    return settings.RESPONSE_CACHE_SECONDS > 0 and (settings.RESPONSE_CACHE_SHARED or _shared())


def _read_versions(keys):
    """{key: version}; raises when the cache does not answer.

    A key that is missing (never bumped, or evicted by Redis under memory
    pressure) is first set to a random starting value: were it read as 0, an
    entry recorded at 0 before the key was bumped and then evicted would look
    current again."""
    _pay_owed_bump()
    keys = list(keys)
    if _shared():
        values = _redis().mget(keys)
        missing = [key for key, value in zip(keys, values, strict=True) if value is None]
        if missing:
            pipe = _redis().pipeline(transaction=False)
            for key in missing:
                pipe.set(key, _start(), nx=True)
            pipe.mget(missing)
            again = dict(zip(missing, pipe.execute()[-1], strict=True))
            values = [again.get(key, value) for key, value in zip(keys, values, strict=True)]
    else:
        found = django_cache.get_many(keys)
        for key in keys:
            if found.get(key) is None:
                django_cache.add(key, _start(), timeout=None)
                found[key] = django_cache.get(key)
        values = [found.get(key) for key in keys]
    return {key: int(value) for key, value in zip(keys, values, strict=True)}


def _start():
    return secrets.randbelow(2**62) + 1


def versions(keys):
    """{key: version}, or None when the shared cache does not answer."""
    try:
        return _read_versions(keys)
    except Exception:
        _unavailable("version")
        return None


def version():
    """The versions of the catalogue and of all usages, as one value (for figures,
    which may count any usage); None when the cache does not answer."""
    current = versions([CATALOGUE, USAGES])
    return None if current is None else f"{current[CATALOGUE]}.{current[USAGES]}"


def catalogue_version():
    """The catalogue's version alone (for figures that count no usage)."""
    current = versions([CATALOGUE])
    return None if current is None else current[CATALOGUE]


def _send_bumps(keys):
    if _shared():
        pipe = _redis().pipeline(transaction=False)
        for key in keys:
            pipe.incr(key)
        pipe.execute()
    else:
        for key in keys:
            try:
                django_cache.incr(key)
            except ValueError:
                django_cache.set(key, 1, timeout=None)


def _bump(keys=(CATALOGUE,)):
    try:
        _send_bumps(keys)
    except Exception:
        _owed.set()
        _unavailable("invalidation")


def _pay_owed_bump():
    if _owed.is_set():
        _send_bumps([CATALOGUE])
        _owed.clear()


def reachable():
    """Whether the shared cache answers (for /health); True without one."""
    if not _shared():
        return True
    try:
        return bool(_redis().ping())
    except Exception:
        return False


def changed(**kwargs):
    """Any change (a bulk one, or of a model without a finer key): bump the
    catalogue's version, which every response depends on, once committed."""
    transaction.on_commit(_bump)


def usage_changed(usage, deleted=False, cascade=False):
    """A usage changed: bump the keys of the responses that may show it, once
    committed (the ids are taken now: a deleted row keeps them too). A usage
    deleted in a cascade or a bulk delete bumps the catalogue's version."""
    keys = [USAGES, usages_of_component(usage.component_id)]
    for organisation_id in {usage.organisation_id, usage.claimed_by_id, usage.recorded_via_id}:
        if organisation_id is not None:
            keys.append(usages_of_organisation(organisation_id))
    kinds = None if cascade else usage.tally_kinds(deleted)
    # Unknown (its organisation is being deleted): everything, to be safe.
    keys.extend([CATALOGUE] if kinds is None else map(usages_of_kind, sorted(kinds)))
    transaction.on_commit(lambda: _bump(keys))


# --- what a response depends on --------------------------------------------


def _django_request(request):
    return getattr(request, "_request", request)


def start(request):
    """Begin recording what the response to `request` depends on: the catalogue
    and all usages, read now, before anything the response shows is read."""
    _django_request(request)._cache_versions = versions([CATALOGUE, USAGES])


def depends_on(request, *keys):
    """The response also depends on these keys; read their versions now, before
    the data they guard. A no-op when nothing is being recorded."""
    request = _django_request(request)
    recorded = getattr(request, "_cache_versions", None)
    if recorded is None or not keys:
        return
    more = versions(keys)
    if more is None:
        request._cache_versions = None  # not stored: a version could not be read
    else:
        recorded.update(more)


def narrow_to_usages_of(request, components=(), organisations=(), kinds=()):
    """The response shows usages only of these components and organisations,
    and the use tally of these organisation kinds: it depends on their keys
    instead of every usage's. Called before those usages (or counts of them)
    are read."""
    request = _django_request(request)
    if getattr(request, "_cache_versions", None) is None:
        return
    depends_on(
        request,
        *[usages_of_component(pk) for pk in components],
        *[usages_of_organisation(pk) for pk in organisations],
        *[usages_of_kind(kind) for kind in kinds],
    )
    recorded = getattr(request, "_cache_versions", None)
    if recorded is not None:
        recorded.pop(USAGES, None)


def recorded(request):
    """The versions the response was rendered at, or None (then it is not stored)."""
    return getattr(_django_request(request), "_cache_versions", None)


# --- entries ----------------------------------------------------------------


def key(request, viewer_key):
    raw = "\n".join(
        [
            request.get_full_path(),
            request.headers.get("Accept-Language", ""),
            request.headers.get("Accept", ""),
            viewer_key,
        ]
    )
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def get(cache_key):
    """The entry for the key if every version it was rendered at is current, else None."""
    try:
        _pay_owed_bump()
        if _shared():
            raw = _redis().get(cache_key)
            entry = pickle.loads(raw) if raw else None  # noqa: S301  (our own entries)
        else:
            entry = django_cache.get(cache_key)
        if entry is None:
            return None
        current = _read_versions(entry["versions"])
    except Exception:
        _unavailable("read")
        return None
    if current != entry["versions"]:
        return None
    return entry["value"]


def put(cache_key, value, rendered_at):
    """Keep `value` while the versions `rendered_at` (from recorded()) are current."""
    if not rendered_at:  # a version could not be read: do not store
        return
    entry = {"versions": dict(rendered_at), "value": value}
    try:
        if _shared():
            _redis().set(cache_key, pickle.dumps(entry), ex=settings.RESPONSE_CACHE_SECONDS)
        else:
            django_cache.set(cache_key, entry, timeout=settings.RESPONSE_CACHE_SECONDS)
    except Exception:
        _unavailable("write")


def cached_value(cache_key, compute, timeout):
    """compute() kept in the shared cache for timeout seconds; computed afresh
    (and not kept) when the cache does not answer."""
    try:
        value = django_cache.get(cache_key)
    except Exception:
        _unavailable("read")
        return compute()
    if value is None:
        value = compute()
        try:
            django_cache.set(cache_key, value, timeout=timeout)
        except Exception:
            _unavailable("write")
    return value


def anonymous_page(view):
    """Serve a public page to anonymous visitors from the response cache.

    Only for GET requests without a session or pending messages (those pages
    differ per visitor) and only while every version it depends on is unchanged."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        cookies = request.COOKIES
        if (
            request.method != "GET"
            or not enabled()
            or settings.SESSION_COOKIE_NAME in cookies
            or "messages" in cookies
        ):
            return view(request, *args, **kwargs)
        cache_key = key(request, f"page:{request.LANGUAGE_CODE}")
        hit = get(cache_key)
        if hit is not None:
            response = HttpResponse(hit["content"], content_type=hit["content_type"])
            response["Content-Language"] = hit["language"]
            response[HEADER] = "hit"
            return response
        start(request)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            response[HEADER] = "miss"
            put(
                cache_key,
                {
                    "content": response.content,
                    "content_type": response["Content-Type"],
                    "language": request.LANGUAGE_CODE,
                },
                recorded(request),
            )
        return response

    return wrapper
