from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """200 once the database answers, 503 otherwise; for load balancers and compose."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "detail": str(exc).strip()[:200]},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        from .api import problem_response

        return problem_response(request, 404, "No such resource.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        from .api import problem_response

        return problem_response(request, 500, "Something failed on our side; it has been logged.")
    from django.views.defaults import server_error as default

    return default(request)
