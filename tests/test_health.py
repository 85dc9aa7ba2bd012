import json
import os
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_health_answers_200_when_the_database_answers(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_health_answers_503_when_the_database_does_not():
    """A real process pointed at a PostgreSQL port where nothing listens."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/health');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "registry.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        },
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["status"] == "unavailable"
    # The database's error text (host, port, user) goes to the log, not to the visitor.
    assert answer["body"] == {"status": "unavailable", "database": "unreachable", "cache": "ok"}
    assert "127.0.0.1" not in result.stdout


def test_a_redis_outage_degrades_to_uncached_work_and_health_says_so(tmp_path):
    """Redis gone (nothing listens at the port): pages, API reads, writes' cache
    invalidation and figures all still answer; /health is 200 and 'degraded'."""
    database = tmp_path / "outage.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
    )
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "from accounts.models import Organisation;"
        "c = Client();"
        "codes = {p: c.get(p).status_code for p in"
        " ['/', '/componenten', '/cijfers', '/api/v1/components', '/api/v1/figures']};"
        "Organisation.objects.create(name='Gemeente T', slug='gemeente-t', kind='municipality');"
        "h = c.get('/health');"
        "print(json.dumps({'codes': codes, 'health': [h.status_code, h.json()]}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(answer["codes"].values()) == {200}, answer["codes"]
    assert answer["health"] == [
        200,
        {"status": "degraded", "database": "ok", "cache": "unreachable"},
    ]


# The probes of the Kubernetes manifests (registry/health.py).


def _probe_in_a_process(database_url, *paths, **environment):
    """The probes' answers from a process of its own, on the given database."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "c = Client();"
        f"paths = {list(paths)!r};"
        "print(json.dumps({p: [c.get(p).status_code, c.get(p).json()] for p in paths}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "registry.settings",
            "DATABASE_URL": database_url,
            **environment,
        },
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1]), result


@pytest.mark.django_db
def test_the_probes_answer_the_kubelet_which_calls_a_pod_by_its_address(client, settings):
    """The kubelet's Host is the pod's address, and it speaks plain HTTP: no
    400 for an unknown host, no redirect to HTTPS (a 301 counts as success)."""
    settings.ALLOWED_HOSTS = ["registry.example.nl"]
    settings.SECURE_SSL_REDIRECT = True
    for path, body in (
        ("/health/live", {"status": "ok"}),
        ("/health/ready", {"status": "ok", "database": "ok", "cache": "ok"}),
        ("/health/startup", {"status": "ok", "database": "ok", "migrations": "ok"}),
    ):
        response = client.get(path, HTTP_HOST="10.244.1.7:8000")
        assert (response.status_code, response.json()) == (200, body), path
        assert response["Cache-Control"] == "no-store"
    # Every other path still checks the host.
    assert client.get("/health", HTTP_HOST="10.244.1.7:8000").status_code == 400


def test_liveness_touches_no_database(client):
    # No database for this test: pytest-django refuses any query with an error.
    assert client.get("/health/live").status_code == 200


def test_readiness_and_startup_fail_when_the_database_does_not_answer_but_liveness_holds():
    answers, result = _probe_in_a_process(
        "postgres://postgres@127.0.0.1:1/nothing",
        "/health/live",
        "/health/ready",
        "/health/startup",
    )
    assert answers == {
        "/health/live": [200, {"status": "ok"}],
        "/health/ready": [503, {"status": "unavailable", "database": "unreachable", "cache": "ok"}],
        "/health/startup": [503, {"status": "unavailable", "database": "unreachable"}],
    }
    assert "127.0.0.1" not in result.stdout


def test_startup_waits_for_migrations_while_readiness_does_not_ask(tmp_path):
    """A database nobody has migrated yet: it answers, so the pod would be
    ready, but it does not start before the migration Job has run."""
    answers, _ = _probe_in_a_process(
        f"sqlite:///{tmp_path / 'empty.sqlite3'}", "/health/ready", "/health/startup"
    )
    assert answers["/health/ready"][0] == 200
    assert answers["/health/startup"] == [
        503,
        {"status": "unavailable", "database": "ok", "migrations": "pending"},
    ]


@pytest.mark.django_db
def test_readiness_fails_when_the_shared_cache_does_not_answer(client, settings):
    from registry import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    cache._redis.cache_clear()
    try:
        response = client.get("/health/ready")
        assert (response.status_code, response.json()) == (
            503,
            {"status": "unavailable", "database": "ok", "cache": "unreachable"},
        )
        # Switched off, a pod without Redis keeps serving (uncached).
        settings.HEALTH_READY_REQUIRES_CACHE = False
        assert client.get("/health/ready").json() == {"status": "ok", "database": "ok"}
    finally:
        cache._redis.cache_clear()


def test_wait_for_migrations_gives_up_on_an_unmigrated_database_with_the_reason(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "wait_for_migrations", *["--timeout", "0.5"], "-v", "1"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
    )
    assert result.returncode == 1
    assert "CommandError: Gave up after 0.5 s:" in result.stderr
    assert "migrations not applied yet" in result.stderr


@pytest.mark.django_db
def test_wait_for_migrations_returns_at_once_on_a_migrated_database():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("wait_for_migrations", "--timeout", "0", stdout=out)
    assert out.getvalue() == "Every migration is applied.\n"
