"""Statements prepared by PostgreSQL for reads (issue 14).

Planning, not running, was most of a read's SQL time: a component's row 0.5 ms
planned and run, 0.1 ms prepared; its related sets 0.75 and 0.11 ms. psycopg
prepares a statement once it has run `prepare_threshold` times on a connection
(registry/settings.py: DB_PREPARE_THRESHOLD, on unless DB_PREPARED_STATEMENTS=false),
but only for a cursor that binds its parameters on the server, and server-side
binding limits a statement to 65,535 parameters, which a bulk insert of thousands
of rows passes. So Django keeps its client-side binding, and reads use the
server's:

- `PreparedReadsMiddleware`: every query a GET or HEAD request makes while its
  view runs (a streamed body, such as a whole-catalogue export, is written after
  and keeps client-side binding);
- `prepared_cursor`: the hot reads' own statements wherever they are run.
"""

from contextlib import contextmanager

from django.db import connections


def _preparing(connection):
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    )


def prepared_cursor(connection):
    """A cursor that binds on the server (PostgreSQL with prepared statements on),
    wrapped as Django wraps its own, so its queries are logged, counted and traced
    as any other; otherwise Django's own cursor."""
    if not _preparing(connection):
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    # As BaseDatabaseWrapper._cursor() does, with the server-binding class.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


@contextmanager
def prepared_statements():
    """Within: the open connections' cursors bind on the server (reads only: a
    statement's parameters are at most 65,535). A connection opened meanwhile keeps
    Django's binding."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    switched = []
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if raw is not None and _preparing(connection):
            switched.append((raw, raw.cursor_factory))
            raw.cursor_factory = ServerBindingCursor
    try:
        yield
    finally:
        for raw, factory in switched:
            raw.cursor_factory = factory


class PreparedReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with prepared_statements():
            return self.get_response(request)
