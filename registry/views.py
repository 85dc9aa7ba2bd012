import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views import csrf, defaults
from django.views.decorators.cache import never_cache

from . import cache
from .api import problem_response

logger = logging.getLogger(__name__)


@never_cache
def health(request):
    """For load balancers and compose: 200 while the database answers, 503 when
    it does not. The shared cache is reported but not required: without it the
    site serves everything uncached ("degraded"). No error text is echoed; it
    goes to the log, where an operator reads it and a visitor does not."""
    body = {"status": "ok", "database": "ok", "cache": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health: the database does not answer")
        body.update(status="unavailable", database="unreachable")
        status = 503
    if not cache.reachable():
        body["cache"] = "unreachable"
        if status == 200:
            body["status"] = "degraded"
    return JsonResponse(body, status=status)


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(request, 400, "The request could not be read.")
    return defaults.bad_request(request, exception)


def forbidden(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(request, 403, "You may not do this.")
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    if request.path.startswith("/api/"):
        return problem_response(
            request, 403, "This request needs 'Authorization: Bearer <token>', not a cookie."
        )
    return csrf.csrf_failure(request, reason)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(request, 404, "No such resource.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return problem_response(request, 500, "Something failed on our side; it has been logged.")
    return defaults.server_error(request)
