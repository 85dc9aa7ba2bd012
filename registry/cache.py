"""A cache of rendered read responses that is never stale.

Every committed change to the catalogue bumps one version number. A cached
response remembers the version it was rendered at and is used only while that
is still the current version, so the first read after a change renders afresh.
Coarse (any change invalidates everything) but simple to trust.

It needs a cache that all app servers share (Redis, REDIS_URL): with a
per-process cache one worker would not hear of another's writes, so without
REDIS_URL response caching is off. One round trip per read: the version and
the entry come back together (MGET) over a connection pool kept per process.
"""

import hashlib
import pickle
from functools import cache as once
from functools import wraps

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "catalogue:version"
PREFIX = "response:"


@once
def _redis():
    import redis

    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


def _shared():
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def enabled():
    return settings.RESPONSE_CACHE_SECONDS > 0 and (settings.RESPONSE_CACHE_SHARED or _shared())


def version():
    if _shared():
        return int(_redis().get(VERSION_KEY) or 0)
    return django_cache.get(VERSION_KEY, 0)


def _bump():
    if _shared():
        _redis().incr(VERSION_KEY)
    else:
        try:
            django_cache.incr(VERSION_KEY)
        except ValueError:
            django_cache.set(VERSION_KEY, 1, timeout=None)


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
    if _shared():
        current, entry = _redis().mget([VERSION_KEY, cache_key])
        current = int(current or 0)
        entry = pickle.loads(entry) if entry else None  # noqa: S301  (our own entries)
    else:
        current, entry = django_cache.get(VERSION_KEY, 0), django_cache.get(cache_key)
    if entry is None or entry["version"] != current:
        return None
    return entry["value"]


def put(cache_key, value, rendered_at):
    entry = {"version": rendered_at, "value": value}
    if _shared():
        _redis().set(cache_key, pickle.dumps(entry), ex=settings.RESPONSE_CACHE_SECONDS)
    else:
        django_cache.set(cache_key, entry, timeout=settings.RESPONSE_CACHE_SECONDS)


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
