"""Harvesting publiccode.yml files from a real local HTTP server started by
each test: what a run does for every answer a source can give."""

import contextlib
import hashlib
import io
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone, translation

from components import harvest, tasks
from components.constants import HarvestStatus
from components.models import Component, HarvestSource, Release

from .factories import ComponentFactory
from .test_publiccode_validate import VALID

pytestmark = pytest.mark.django_db

REPOSITORY = "https://github.com/example/zaakregistratie"

# A valid publiccode.yml, shared with the validator tests.
GOOD = VALID
CHANGED = GOOD.replace("Registreert zaken voor gemeenten.", "Registreert en volgt zaken.").replace(
    '"1.4.0"', '"1.5.0"'
)
OTHER_REPOSITORY = GOOD.replace(REPOSITORY, "https://github.com/example/zaken-nieuw").replace(
    "name: Zaakregistratie", "name: Zaken Nieuw"
)
INVALID_YAML = GOOD.replace("platforms:\n  - web", "platforms: [web\n")
INVALID = GOOD.replace("developmentStatus: stable", "developmentStatus: finished")
LAST_MODIFIED = "Wed, 01 Oct 2025 10:00:00 GMT"


class FileServer:
    """Serves publiccode.yml files the test sets, with an ETag per content,
    honouring If-None-Match; any path can be made to answer a fixed status,
    redirect, or be slow."""

    def __init__(self):
        self.files = {}
        self.statuses = {}
        self.redirects = {}
        self.delay = 0
        self.without_length = False
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                if server.delay:
                    time.sleep(server.delay)
                if self.path in server.redirects:
                    self.send_response(302)
                    self.send_header("Location", server.redirects[self.path])
                    self.end_headers()
                    return
                content = server.files.get(self.path)
                status = server.statuses.get(self.path, 200 if content is not None else 404)
                if status != 200:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(content).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/yaml")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
                if not server.without_length:
                    self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                # The harvester may stop reading an oversized file, as it should.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, path, content):
        self.files[path] = content.encode() if isinstance(content, str) else content
        self.statuses.pop(path, None)

    def url(self, path="/publiccode.yml"):
        return self.base + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def harvest_settings(settings):
    settings.HARVEST_ALLOW_PRIVATE = True
    settings.HARVEST_TIMEOUT_SECONDS = 5
    settings.HARVEST_MAX_BYTES = 1024 * 1024
    return settings


@pytest.fixture
def server():
    server = FileServer()
    yield server
    server.close()


@pytest.fixture
def source(harvest_settings, server, acme):
    server.serve("/publiccode.yml", GOOD)
    return HarvestSource.objects.create(url=server.url(), organisation=acme)


def run(source):
    source.refresh_from_db()
    outcome = harvest.harvest_source(source)
    source.refresh_from_db()
    return outcome


def messages(source):
    return " ".join(e.get("message", "") for e in source.last_errors)


def last_actor(component):
    return Component.history.filter(id=component.pk).order_by("history_date").last().history_actor


# --- 200, 304, changed content ----------------------------------------------


def test_a_new_file_is_imported_as_the_sources_organisation(source, acme):
    outcome = run(source)
    assert (outcome.status, outcome.created) == ("ok", True)
    component = Component.objects.get(repository_url=REPOSITORY)
    assert component.publisher == acme
    assert component.orphaned_at is None
    assert Release.objects.get(component=component).version == "1.4.0"
    assert source.component == component
    assert source.last_status == HarvestStatus.OK
    assert source.last_errors == []
    assert source.last_good_content == GOOD
    assert source.last_success_at == source.last_run_at
    assert source.etag.startswith('"')
    assert source.last_modified == LAST_MODIFIED
    assert last_actor(component) == f"harvest of {source.url}"


def test_an_unchanged_file_is_not_downloaded_or_written_again(source, server):
    run(source)
    component = source.component
    history = Component.history.count()
    first_success = source.last_success_at

    outcome = run(source)

    assert outcome.status == "unchanged"
    _path, headers = server.requests[-1]
    assert headers["If-None-Match"] == source.etag
    assert headers["If-Modified-Since"] == LAST_MODIFIED
    assert source.last_status == HarvestStatus.OK
    assert source.last_success_at == first_success
    assert source.last_run_at > first_success
    assert Component.history.count() == history
    component.refresh_from_db()
    assert component.short_description == "Registreert zaken voor gemeenten."


def test_changed_content_updates_the_component_and_history_names_the_harvest(source, server):
    run(source)
    server.serve("/publiccode.yml", CHANGED)

    outcome = run(source)

    assert (outcome.status, outcome.created) == ("ok", False)
    component = Component.objects.get(repository_url=REPOSITORY)
    assert component.short_description == "Registreert en volgt zaken."
    assert sorted(Release.objects.values_list("version", flat=True)) == ["1.4.0", "1.5.0"]
    assert source.last_good_content == CHANGED
    assert last_actor(component) == f"harvest of {source.url}"
    # The request still asked "changed since?"; the server said yes.
    assert "If-None-Match" in server.requests[-1][1]


# --- failures keep the last good version -------------------------------------


def assert_untouched(source, component):
    before = (component.short_description, component.updated_at)
    component.refresh_from_db()
    assert (component.short_description, component.updated_at) == before
    assert component.orphaned_at is None
    assert source.last_good_content == GOOD
    assert source.component == component


def test_invalid_yaml_is_reported_with_its_line_and_the_last_good_version_stays(source, server):
    run(source)
    component = source.component
    server.serve("/publiccode.yml", INVALID_YAML)

    outcome = run(source)

    assert outcome.status == "failed"
    assert source.last_status == HarvestStatus.FAILED
    [error] = [e for e in source.last_errors if e["severity"] == "error"]
    assert "invalid YAML" in error["message"]
    assert error["line"] is not None
    assert harvest.last_findings(source)[0].line == error["line"]
    assert_untouched(source, component)


def test_validation_errors_are_kept_for_the_owner_and_nothing_changes(source, server):
    run(source)
    component = source.component
    server.serve("/publiccode.yml", INVALID)

    outcome = run(source)

    assert outcome.status == "failed"
    [error] = [e for e in source.last_errors if e["severity"] == "error"]
    assert error["path"] == "developmentStatus"
    assert error["line"] == 10
    assert "finished" in error["message"]
    assert_untouched(source, component)


def test_a_timeout_fails_the_run_and_keeps_the_last_good_version(source, server, settings):
    run(source)
    component = source.component
    settings.HARVEST_TIMEOUT_SECONDS = 1
    server.serve("/publiccode.yml", CHANGED)
    server.delay = 2

    started = time.monotonic()
    outcome = run(source)

    assert time.monotonic() - started < 2
    assert outcome.status == "failed"
    assert "no answer within 1 seconds" in messages(source)
    assert_untouched(source, component)


@pytest.mark.parametrize("declared", [True, False], ids=["with-length", "without-length"])
def test_an_oversized_file_is_refused_without_reading_it_all(source, server, settings, declared):
    run(source)
    component = source.component
    settings.HARVEST_MAX_BYTES = 4096
    server.serve("/publiccode.yml", CHANGED + "#" * 100_000 + "\n")
    server.without_length = not declared

    outcome = run(source)

    assert outcome.status == "failed"
    assert "larger than 4,096 bytes" in messages(source)
    assert_untouched(source, component)


def test_a_server_error_fails_the_run(source, server):
    run(source)
    component = source.component
    server.statuses["/publiccode.yml"] = 500

    assert run(source).status == "failed"
    assert "HTTP 500" in messages(source)
    assert_untouched(source, component)


def test_a_repository_of_another_publisher_is_refused(source, globex):
    theirs = ComponentFactory(publisher=globex, repository_url=REPOSITORY, name="Hun Zaken")

    outcome = run(source)

    assert outcome.status == "failed"
    [error] = source.last_errors
    assert error["path"] == "url"
    assert "Globex" in error["message"]
    theirs.refresh_from_db()
    assert (theirs.name, theirs.publisher) == ("Hun Zaken", globex)
    assert source.component is None


# --- vanished, orphaned, back -------------------------------------------------


def test_a_file_that_disappears_orphans_its_component_and_deletes_nothing(source, server):
    run(source)
    component = source.component
    etag = source.etag
    del server.files["/publiccode.yml"]

    outcome = run(source)

    assert outcome.status == "vanished"
    assert source.last_status == HarvestStatus.VANISHED
    assert "HTTP 404" in messages(source)
    vanished = source.vanished_since
    assert vanished is not None
    component.refresh_from_db()
    assert component.orphaned_at == vanished
    assert last_actor(component) == f"harvest of {source.url}"
    assert source.last_good_content == GOOD
    assert source.etag == etag
    assert Release.objects.filter(component=component).exists()

    # Still gone: the first date stays.
    run(source)
    component.refresh_from_db()
    assert (source.vanished_since, component.orphaned_at) == (vanished, vanished)


def test_a_file_that_comes_back_unchanged_clears_both_marks(source, server):
    run(source)
    component = source.component
    del server.files["/publiccode.yml"]
    run(source)

    server.serve("/publiccode.yml", GOOD)
    outcome = run(source)

    assert outcome.status == "unchanged"  # the ETag of the last good version still fits
    assert (source.last_status, source.vanished_since, source.last_errors) == ("ok", None, [])
    component.refresh_from_db()
    assert component.orphaned_at is None


def test_a_file_that_comes_back_changed_clears_both_marks(source, server):
    run(source)
    server.statuses["/publiccode.yml"] = 410
    run(source)

    server.serve("/publiccode.yml", CHANGED)
    outcome = run(source)

    assert outcome.status == "ok"
    assert source.vanished_since is None
    component = Component.objects.get()
    assert (component.orphaned_at, component.short_description) == (
        None,
        "Registreert en volgt zaken.",
    )


def test_a_source_that_now_describes_another_repository_orphans_the_old_component(source, server):
    run(source)
    old = source.component
    server.serve("/publiccode.yml", OTHER_REPOSITORY)

    assert run(source).status == "ok"

    old.refresh_from_db()
    assert old.orphaned_at is not None
    assert source.component.repository_url == "https://github.com/example/zaken-nieuw"
    assert source.component.orphaned_at is None
    assert Component.objects.count() == 2


# --- addresses ----------------------------------------------------------------


def test_a_private_address_is_refused_unless_configured(source, server, settings):
    settings.HARVEST_ALLOW_PRIVATE = False

    assert run(source).status == "failed"

    assert "refused" in messages(source)
    assert "non-public address" in messages(source)
    assert server.requests == []
    assert not Component.objects.exists()


def test_every_redirect_is_checked_again(source, server, monkeypatch):
    real = harvest.check_public_url

    def refuse_localhost(url, *, allow_private=False):
        if "//localhost:" in url:
            raise harvest.UnsafeURL("the host 'localhost' resolves to a non-public address")
        return real(url, allow_private=allow_private)

    monkeypatch.setattr(harvest, "check_public_url", refuse_localhost)
    port = server.server.server_port
    server.redirects["/moved"] = f"http://localhost:{port}/publiccode.yml"
    source.url = server.url("/moved")
    source.save()

    assert run(source).status == "failed"

    assert f"http://localhost:{port}/publiccode.yml: refused" in messages(source)
    assert [path for path, _headers in server.requests] == ["/moved"]


def test_a_redirect_to_a_public_address_is_followed(source, server):
    server.redirects["/moved"] = "/publiccode.yml"
    source.url = server.url("/moved")
    source.save()

    assert run(source).status == "ok"
    assert [path for path, _headers in server.requests] == ["/moved", "/publiccode.yml"]


# --- repository URLs ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://github.com/example/zaken",
            [
                "https://raw.githubusercontent.com/example/zaken/HEAD/publiccode.yml",
                "https://raw.githubusercontent.com/example/zaken/HEAD/publiccode.yaml",
            ],
        ),
        (
            "https://github.com/example/zaken.git/",
            [
                "https://raw.githubusercontent.com/example/zaken/HEAD/publiccode.yml",
                "https://raw.githubusercontent.com/example/zaken/HEAD/publiccode.yaml",
            ],
        ),
        (
            "https://github.com/example/zaken/blob/main/publiccode.yml",
            ["https://raw.githubusercontent.com/example/zaken/main/publiccode.yml"],
        ),
        (
            "https://gitlab.com/groep/sub/zaken",
            [
                "https://gitlab.com/groep/sub/zaken/-/raw/HEAD/publiccode.yml",
                "https://gitlab.com/groep/sub/zaken/-/raw/HEAD/publiccode.yaml",
            ],
        ),
        (
            "https://gitlab.example.nl/groep/zaken/-/blob/develop/publiccode.yml",
            ["https://gitlab.example.nl/groep/zaken/-/raw/develop/publiccode.yml"],
        ),
        (
            "https://raw.githubusercontent.com/example/zaken/main/publiccode.yml",
            ["https://raw.githubusercontent.com/example/zaken/main/publiccode.yml"],
        ),
        ("https://example.nl/publiccode.yml", ["https://example.nl/publiccode.yml"]),
    ],
)
def test_a_repository_url_becomes_the_raw_file_urls_to_try(url, expected):
    assert harvest.fetch_urls(url) == expected


def test_publiccode_yaml_is_tried_when_publiccode_yml_is_missing(source, server, monkeypatch):
    monkeypatch.setattr(
        harvest,
        "fetch_urls",
        lambda url: [server.url("/publiccode.yml"), server.url("/publiccode.yaml")],
    )
    del server.files["/publiccode.yml"]
    server.serve("/publiccode.yaml", GOOD)

    assert run(source).status == "ok"
    assert [path for path, _headers in server.requests] == ["/publiccode.yml", "/publiccode.yaml"]


# --- due sources, the command, the schedule -----------------------------------


def test_due_sources_are_the_enabled_ones_not_fetched_for_their_interval(acme):
    now = timezone.now()

    def make(name, **fields):
        return HarvestSource.objects.create(
            url=f"https://example.nl/{name}.yml", organisation=acme, **fields
        )

    never = make("never")
    overdue = make("overdue", interval_hours=6, last_run_at=now - timedelta(hours=7))
    make("recent", interval_hours=6, last_run_at=now - timedelta(hours=5))
    daily = make("daily", last_run_at=now - timedelta(hours=25))
    make("disabled", enabled=False)

    assert set(harvest.due_sources(now)) == {never, overdue, daily}


def test_a_source_another_run_took_first_is_skipped(source):
    stale = HarvestSource.objects.get(pk=source.pk)
    HarvestSource.objects.filter(pk=source.pk).update(last_run_at=timezone.now())

    assert harvest.claim(stale, timezone.now()) is False


def test_the_command_harvests_due_sources_and_prints_one_summary(source, server, acme):
    HarvestSource.objects.create(url=server.url("/gone.yml"), organisation=acme)
    out, err = io.StringIO(), io.StringIO()

    call_command("harvest", stdout=out, stderr=err)

    assert out.getvalue() == "2 source(s) harvested: 1 ok, 0 unchanged, 0 failed, 1 vanished\n"
    assert "harvest" in err.getvalue()  # the progress bar
    out = io.StringIO()
    call_command("harvest", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("0 source(s) harvested")
    call_command("harvest", "--all", stdout=out, stderr=io.StringIO())
    assert "1 unchanged, 0 failed, 1 vanished" in out.getvalue()


def test_the_command_runs_one_source_on_request_and_refuses_unknown_ids(source):
    out = io.StringIO()
    call_command("harvest", "--source", str(source.pk), stdout=out, stderr=io.StringIO())
    assert "1 ok" in out.getvalue()
    with pytest.raises(CommandError, match="no harvest source with id 999999"):
        call_command("harvest", "--source", "999999", stderr=io.StringIO())


def test_scheduling_queues_one_tick_however_often_it_is_asked(db):
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("harvest", "--schedule", stdout=out)
    call_command("harvest", "--schedule", stdout=out)

    assert out.getvalue().splitlines() == [
        "harvest task queued",
        "harvest task already queued; nothing to do",
    ]
    assert DBTaskResult.objects.filter(task_path="components.tasks.harvest_due").count() == 1


def test_the_tick_harvests_due_sources_and_queues_the_next_one(source, harvest_settings):
    from django_tasks_db.models import DBTaskResult

    harvest_settings.HARVEST_TICK_MINUTES = 15
    counts = tasks.harvest_due.call()

    assert counts["ok"] == 1
    [tick] = DBTaskResult.objects.filter(task_path="components.tasks.harvest_due")
    expected = timezone.now() + timedelta(minutes=15)
    assert abs((tick.run_after - expected).total_seconds()) < 60


def test_an_unforeseen_error_fails_only_that_source(source, server, acme, monkeypatch):
    other = HarvestSource.objects.create(url=server.url("/other.yml"), organisation=acme)
    real = harvest.harvest_source

    def breaks_on_other(s):
        if s.pk == other.pk:
            raise RuntimeError("boom")
        return real(s)

    monkeypatch.setattr(harvest, "harvest_source", breaks_on_other)

    counts = harvest.run_due()

    assert (counts["ok"], counts["failed"]) == (1, 1)
    other.refresh_from_db()
    assert other.last_errors == [
        {
            "severity": "error",
            "path": "",
            "line": None,
            "column": None,
            "message": "internal error: RuntimeError",
            # Kept as template and parameters too, for the owner's page in Dutch.
            "msgid": "internal error: %(error)s",
            "params": {"error": "RuntimeError"},
        }
    ]
    [finding] = harvest.last_findings(other)
    assert str(finding) == "0:0: error: internal error: RuntimeError"
    with translation.override("nl"):
        assert finding.localised == "interne fout: RuntimeError"


# --- the real worker ----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_harvests_on_schedule(source, harvest_settings):
    from django_tasks_db.models import DBTaskResult

    call_command("harvest", "--schedule", stdout=io.StringIO())
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "HARVEST_ALLOW_PRIVATE": "True",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=harvest_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    source.refresh_from_db()
    assert source.last_status == HarvestStatus.OK
    assert source.component.repository_url == REPOSITORY
    ticks = DBTaskResult.objects.filter(task_path="components.tasks.harvest_due")
    assert sorted(ticks.values_list("status", flat=True)) == ["READY", "SUCCESSFUL"]
    assert ticks.get(status="READY").run_after > timezone.now()
