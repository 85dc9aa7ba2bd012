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
