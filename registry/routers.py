"""Public reads from a PostgreSQL replica (opt-in: DATABASE_REPLICA_URL).

Only what an anonymous visitor reads goes to the replica: a GET or HEAD
without a session or a token (ReplicaMiddleware marks such requests). Every
write, and every read of a signed-in member or an API token, goes to the
primary, so nobody misses their own change, and conditional writes
(If-Match) compare against the primary's state.

A replica lags its primary. With `synchronous_commit = remote_apply` on the
primary (and the replica among `synchronous_standby_names`) a commit returns
only once the replica shows it; without it, an anonymous page may show the
catalogue as it was a moment ago, and the response cache could keep that
page for RESPONSE_CACHE_SECONDS. See README, "Running in production".
"""

import contextvars

from django.conf import settings

_public_read = contextvars.ContextVar("public_read", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _public_read.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data, wherever it was read

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = "replica" in settings.DATABASES

    def __call__(self, request):
        if not self.enabled or not self.anonymous_read(request):
            return self.get_response(request)
        token = _public_read.set(True)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)

    @staticmethod
    def anonymous_read(request):
        return (
            request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
