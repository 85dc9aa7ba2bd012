"""A cache of rendered read responses that is never stale.

Every committed change to the catalogue bumps one version number. A cached
response remembers the version it was rendered at and is used only while that
is still the current version, so the first read after a change renders afresh.
Coarse (any change invalidates everything) but simple to trust.

It needs a cache that all app servers share (Redis, REDIS_URL): with a
per-process cache one worker would not hear of another's writes, so without
REDIS_URL response caching is off. One round trip per read: the version and
the entry come back together (MGET) over a connection pool kept per process.

The cache is a help, never a dependency: when Redis does not answer, a read is
a miss and is rendered afresh, and nothing is stored. A version bump that could
not be sent is owed: this process sends it before it trusts the cache again, so
entries rendered before an unrecorded change are not served once Redis is back.
"""

import hashlib
import logging
import pickle
import threading
from functools import cache as once
from functools import wraps

import redis
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "catalogue:version"
PREFIX = "response:"

logger = logging.getLogger(__name__)
_owed = threading.Event()  # a bump this process could not send


def _unavailable(what):
    logger.warning("cache unavailable (%s): serving uncached", what, exc_info=True)


@once
def _redis():
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


def _shared():
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def enabled():
    return settings.RESPONSE_CACHE_SECONDS > 0 and (settings.RESPONSE_CACHE_SHARED or _shared())


def version():
    try:
        _pay_owed_bump()
        if _shared():
            return int(_redis().get(VERSION_KEY) or 0)
        return django_cache.get(VERSION_KEY, 0)
    except Exception:
        _unavailable("version")
        return None


def _send_bump():
    if _shared():
        _redis().incr(VERSION_KEY)
    else:
        try:
            django_cache.incr(VERSION_KEY)
        except ValueError:
            django_cache.set(VERSION_KEY, 1, timeout=None)


def _bump():
    try:
        _send_bump()
    except Exception:
        _owed.set()
        _unavailable("invalidation")


def _pay_owed_bump():
    if _owed.is_set():
        _send_bump()
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
    """Signal receiver: bump the version once the change is committed."""
    transaction.on_commit(_bump)


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
    """The entry for the key if it was rendered at the current version, else None."""
    try:
        _pay_owed_bump()
        if _shared():
            current, entry = _redis().mget([VERSION_KEY, cache_key])
            current = int(current or 0)
            entry = pickle.loads(entry) if entry else None  # noqa: S301  (our own entries)
        else:
            current, entry = django_cache.get(VERSION_KEY, 0), django_cache.get(cache_key)
    except Exception:
        _unavailable("read")
        return None
    if entry is None or entry["version"] != current:
        return None
    return entry["value"]


def put(cache_key, value, rendered_at):
    if rendered_at is None:  # the version could not be read: do not store
        return
    entry = {"version": rendered_at, "value": value}
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
    differ per visitor) and only while the catalogue version is unchanged."""

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
            return response
        rendered_at = version()
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            put(
                cache_key,
                {
                    "content": response.content,
                    "content_type": response["Content-Type"],
                    "language": request.LANGUAGE_CODE,
                },
                rendered_at,
            )
        return response

    return wrapper
