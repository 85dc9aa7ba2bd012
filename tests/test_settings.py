import os
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("DEBUG", "yes", "DEBUG must be True or False"),
        ("DATABASE_URL", "mysql://root@localhost/x", "must point at PostgreSQL or SQLite"),
        ("DATABASE_URL", "nonsense", "not a usable database URL"),
        ("API_MAX_BODY_BYTES", "lots", "must be a whole number"),
    ],
)
def test_a_bad_environment_value_fails_loudly_at_start_up(variable, value, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, variable: value},
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**env, "DEBUG": "False"},
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def _settings_in_a_fresh_process(expression, **environment):
    """Evaluate an expression over the settings as a new process would see them."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "HTTPS", "DB_CONN_MAX_AGE")}
    env.update({"SECRET_KEY": "test-only", **environment})
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); from django.conf import settings as s; "
            f"print(json.dumps({expression}))",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "registry.settings"},
        check=True,
    )
    import json

    return json.loads(result.stdout)


def test_debug_is_off_unless_asked_for():
    assert _settings_in_a_fresh_process("s.DEBUG") is False
    assert _settings_in_a_fresh_process("s.DEBUG", DEBUG="True") is True


def test_production_sends_hsts_for_subdomains_and_secure_cookies():
    hsts, subdomains, cookie, redirect = _settings_in_a_fresh_process(
        "[s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT]"
    )
    assert hsts >= 31536000 and subdomains and cookie and redirect


def test_plain_http_on_a_laptop_keeps_debug_off_but_drops_what_needs_tls():
    debug, cookie, redirect = _settings_in_a_fresh_process(
        "[s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT]", HTTPS="False"
    )
    assert (debug, cookie, redirect) == (False, False, False)


def test_connections_are_not_kept_open_per_thread_by_default():
    """runserver starts a thread per request; a kept connection per thread
    exhausted PostgreSQL's connections under a 20-way race."""
    assert _settings_in_a_fresh_process("s.DATABASES['default']['CONN_MAX_AGE']") == 0
    assert (
        _settings_in_a_fresh_process("s.DATABASES['default']['CONN_MAX_AGE']", DB_CONN_MAX_AGE="60")
        == 60
    )


def test_sqlite_is_set_up_for_a_server_with_a_worker_beside_it(tmp_path):
    options = _settings_in_a_fresh_process(
        "s.DATABASES['default']['OPTIONS']", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}"
    )
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_forwarded_addresses_are_not_trusted_without_a_configured_proxy():
    assert _settings_in_a_fresh_process("s.TRUSTED_PROXY_COUNT") == 0


def test_postgresql_statements_are_prepared_unless_switched_off():
    url = "postgres://postgres@127.0.0.1:5432/nowhere"  # not connected to
    options = _settings_in_a_fresh_process("s.DATABASES['default']['OPTIONS']", DATABASE_URL=url)
    assert options == {"prepare_threshold": 5}
    assert (
        _settings_in_a_fresh_process(
            "s.DATABASES['default']['OPTIONS']", DATABASE_URL=url, DB_PREPARED_STATEMENTS="false"
        )
        == {}
    )


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_statement_run_again_on_a_connection_is_prepared_by_the_server():
    """Planning a component's row and related sets took most of their SQL time
    (issue 14): after five runs PostgreSQL has the statement prepared."""
    from django.db import connection

    from components.api import representations
    from components.models import Component

    from .factories import ComponentFactory

    component = ComponentFactory()

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    assert not any("components_dependency" in s for s in prepared())
    for _ in range(6):
        assert representations.component(component.slug)[0]["slug"] == component.slug
    assert any("components_dependency" in s for s in prepared())  # the related sets
    assert any('"components_component"."slug" =' in s for s in prepared())  # the row
    # Other queries bind on the client (no limit of 65,535 parameters): not prepared.
    for _ in range(6):
        assert Component.objects.filter(slug=component.slug).count() == 1
    assert not any("COUNT(*)" in s for s in prepared())


@pytest.mark.postgres
@pytest.mark.django_db
def test_reads_are_prepared_and_writes_bind_on_the_client(api):
    """A GET request's queries bind on the server and are prepared once they
    repeat (registry/prepared.py); a write's are not (a bulk insert may pass the
    server's limit of 65,535 parameters), nor is a query after the request."""
    from django.db import connection

    from .conftest import client_for
    from .factories import OrganisationFactory, UsageFactory

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return " ".join(row[0] for row in cursor.fetchall())

    usage = UsageFactory()
    writer = client_for(usage.organisation)
    for n in range(6):
        assert api.get("/api/v1/components?kind=software").status_code == 200
        response = writer.patch(f"/api/v1/usages/{usage.pk}", {"notes": f"n{n}"}, format="json")
        assert response.status_code == 200
    statements = prepared()
    assert 'SELECT COUNT(*) AS "__count" FROM "components_component"' in statements
    assert 'UPDATE "components_usage"' not in statements
    for _ in range(6):
        assert OrganisationFactory._meta.model.objects.filter(name="x").exists() is False
    assert '"accounts_organisation"."name" =' not in prepared()
