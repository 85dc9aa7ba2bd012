"""The three probes a container platform asks (Kubernetes: liveness, readiness, startup).

- /health/live: the process answers; touches nothing else, so a slow database
  never gets healthy pods restarted.
- /health/ready: the database and the shared cache answer; a pod that cannot
  reach them is taken out of the Service until it can.
- /health/startup: ready, and every migration is applied; the pod receives no
  traffic (and liveness is not asked) before that.

ProbeMiddleware answers them first in the chain: the kubelet calls a pod by its
address (Host: 10.x.y.z:8000), which is no allowed host, and over plain HTTP,
which the HTTPS redirect would answer with a 301 that a probe counts as success.
The answers carry no error text (it goes to the log) and no data. /metrics
(registry/metrics.py) is answered here too, for the same reasons.
/health, for load balancers and compose, stays a view of its own (registry.views).
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse

from . import cache, metrics

logger = logging.getLogger(__name__)

_migrated = False  # once every migration is applied, it stays so for this process


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("probe: the database does not answer")
        return False
    return True


def pending_migrations():
    """Migrations known to the code but not applied to the database."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def migrations_applied():
    global _migrated
    if not _migrated:
        try:
            _migrated = not pending_migrations()
        except DatabaseError:
            logger.exception("probe: could not read the applied migrations")
            return False
    return _migrated


def _answer(checks):
    ok = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if ok else "unavailable", **checks}
    return JsonResponse(body, status=200 if ok else 503)


def live(request):
    """Liveness: the process answers (no database); also the benchmark's baseline view."""
    return JsonResponse({"status": "ok"})


def ready(request):
    checks = {"database": "ok" if _database_answers() else "unreachable"}
    if settings.HEALTH_READY_REQUIRES_CACHE:
        checks["cache"] = "ok" if cache.reachable() else "unreachable"
    return _answer(checks)


def startup(request):
    checks = {"database": "ok" if _database_answers() else "unreachable"}
    if checks["database"] == "ok":
        checks["migrations"] = "ok" if migrations_applied() else "pending"
    return _answer(checks)


PROBES = {"/health/live": live, "/health/ready": ready, "/health/startup": startup}


class ProbeMiddleware:
    """Answers the probes and /metrics before host validation and the HTTPS
    redirect; on the metrics port (registry/metrics.py) nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        handler = PROBES.get(path)
        if path == "/metrics":
            handler = metrics.metrics if metrics.allowed(request) else metrics.not_found
        elif handler is None and metrics.on_metrics_port(request):
            handler = metrics.not_found
        if handler is not None and request.method in ("GET", "HEAD"):
            response = handler(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
