"""A cache of rendered read responses that is never stale.

Every committed change to the catalogue bumps one version number; cached
responses are keyed on it, so the first read after a change misses and
renders afresh. Coarse (any change empties everything) but simple to trust.

It needs a cache that all app servers share (Redis, REDIS_URL): with a
per-process cache one worker would not hear of another's writes, so without
REDIS_URL response caching is off (versions are still kept for tests).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "catalogue:version"


def enabled():
    return settings.RESPONSE_CACHE_SECONDS > 0 and (
        settings.RESPONSE_CACHE_SHARED or "redis" in settings.CACHES["default"]["BACKEND"].lower()
    )


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY, 1)
    return current


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def changed(**kwargs):
    """Signal receiver: bump the version once the change is committed."""
    transaction.on_commit(_bump)


def key(request, viewer_key):
    raw = "\n".join(
        [
            str(version()),
            request.get_full_path(),
            request.headers.get("Accept-Language", ""),
            request.headers.get("Accept", ""),
            viewer_key,
        ]
    )
    return "response:" + hashlib.sha256(raw.encode()).hexdigest()


def get(cache_key):
    return cache.get(cache_key)


def put(cache_key, value):
    cache.set(cache_key, value, timeout=settings.RESPONSE_CACHE_SECONDS)
