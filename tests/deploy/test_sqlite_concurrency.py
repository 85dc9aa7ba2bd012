"""The embedded default (SQLite) as `make run` runs it: gunicorn with several
worker processes and a db_worker beside it, all writing to one SQLite file.
Twenty writes at once — through the API with a token, through the site's
forms as a signed-in member, and by the background worker — all succeed: no
"database is locked", no 500 or 503 (WAL, a busy timeout and immediate
write transactions, registry/settings.py). Real processes on 127.0.0.1."""

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.production.servers import _die_with_parent, free_port

from .conftest import ROOT, manage

# Its own SQLite file whichever database the suite runs on: once, in the SQLite suite.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="the SQLite suite runs it (its own file)"
)

API_WRITES, SITE_WRITES, WORKER_TASKS, WORKER_WRITES = 12, 8, 4, 25
PASSWORD = "correct horse battery"

SEED = f"""
import json
from tests.production.seed import main
from components.models import Component
from accounts.models import Organisation
import contextlib, io
out = io.StringIO()
with contextlib.redirect_stdout(out):
    main()
seed = json.loads(out.getvalue().strip().splitlines()[-1])
vendor = Organisation.objects.get(slug=seed["vendor_slug"])
for n in range({API_WRITES + SITE_WRITES}):
    c = Component.objects.create(
        slug=f"onderdeel-{{n}}", name=f"Onderdeel {{n}}", kind="software",
        short_description="Een onderdeel.", publisher=vendor, license_expression="EUPL-1.2",
    )
    c.sync_licenses()
from tests.deploy.worker_tasks import scribble
for n in range({WORKER_TASKS}):
    scribble.enqueue(f"onderdeel-{{n}}", {WORKER_WRITES})
print(json.dumps(seed))
"""


@pytest.fixture
def site(tmp_path):
    database = tmp_path / "registry.sqlite3"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "False",
        "HTTPS": "False",
        "SECRET_KEY": "test",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "API_RATE_ANONYMOUS": "",
        "API_RATE_TOKEN": "",
    }

    manage(environment, "migrate", "--noinput", "-v", "0")
    manage(environment, "collectstatic", "--noinput", "-v", "0")
    seed = json.loads(manage(environment, "shell", "-c", SEED).stdout.strip().splitlines()[-1])
    port = free_port()
    environment = {
        **environment,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": "3",
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
    }
    for name in ("METRICS_PORT", "PROMETHEUS_MULTIPROC_DIR"):
        environment.pop(name, None)
    logs = tmp_path / "processes.log"
    processes = []
    with logs.open("wb") as log:
        for command in (
            # As `make run` starts it: registry/gunicorn_conf.py, from the environment.
            [sys.executable, "-m", "gunicorn", "--config", "python:registry.gunicorn_conf",
             "registry.wsgi"],
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
        ):  # fmt: skip
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
            )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health/live", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, logs.read_text()
        time.sleep(0.2)
    try:
        yield {"base": base, "database": database, "logs": logs, **seed}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _api_write(site, n):
    response = httpx.post(
        f"{site['base']}/api/v1/usages",
        json={
            "organisation": site["municipality_slug"],
            "component": f"onderdeel-{n}",
            "status": "production",
            "visibility": "public",
        },
        headers={"Authorization": f"Bearer {site['municipality_token']}"},
        timeout=60,
    )
    return response.status_code, response.text[:300]


def _site_write(site, n):
    """A member signs in and records a usage with the site's form (CSRF and all)."""
    with httpx.Client(base_url=site["base"], timeout=60) as browser:
        page = browser.get("/inloggen")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        signed_in = browser.post(
            "/inloggen",
            data={"csrfmiddlewaretoken": token, "username": "mila", "password": PASSWORD},
        )
        if signed_in.status_code != 302:
            return signed_in.status_code, "sign-in: " + signed_in.text[:300]
        form = f"/mijn-organisatie/{site['municipality_slug']}/gebruik/nieuw"
        page = browser.get(form)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = browser.post(
            form,
            data={
                "csrfmiddlewaretoken": token,
                "component": f"onderdeel-{n}",
                "status": "production",
                "visibility": "public",
            },
        )
        return response.status_code, response.text[:300]


def test_twenty_writes_at_once_from_the_api_the_site_and_the_worker_all_succeed(site):
    with ThreadPoolExecutor(max_workers=API_WRITES + SITE_WRITES) as pool:
        api = [pool.submit(_api_write, site, n) for n in range(API_WRITES)]
        members = [
            pool.submit(_site_write, site, n) for n in range(API_WRITES, API_WRITES + SITE_WRITES)
        ]
        answers = [f.result() for f in api], [f.result() for f in members]
    assert [status for status, _text in answers[0]] == [201] * API_WRITES, answers[0]
    # The form answers with a redirect to the usages page once saved.
    assert [status for status, _text in answers[1]] == [302] * SITE_WRITES, answers[1]

    deadline = time.monotonic() + 60
    with sqlite3.connect(site["database"]) as connection:
        while True:
            statuses = [
                row[0]
                for row in connection.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult"
                    " WHERE task_path LIKE '%scribble'"
                )
            ]
            if all(status in ("SUCCESSFUL", "FAILED") for status in statuses):
                break
            assert time.monotonic() < deadline, statuses
            time.sleep(0.2)
        assert statuses == ["SUCCESSFUL"] * WORKER_TASKS, site["logs"].read_text()[-3000:]
        usages = connection.execute(
            "SELECT count(*) FROM components_usage u JOIN components_component c"
            " ON c.id = u.component_id WHERE c.slug LIKE 'onderdeel-%'"
        ).fetchone()[0]
        written = connection.execute(
            "SELECT count(*) FROM components_component WHERE short_description = ?",
            (f"Geschreven {WORKER_WRITES}",),
        ).fetchone()[0]
    assert usages == API_WRITES + SITE_WRITES
    assert written == WORKER_TASKS
    log = site["logs"].read_text()
    assert "database is locked" not in log
