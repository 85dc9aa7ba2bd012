"""OpenTelemetry tracing (registry/tracing.py): off by default, switched on by
the standard OTEL_* variables; a request's span continues the incoming
`traceparent` and has the trace and span ids of the request's log line.

The spans go to an OTLP/HTTP receiver this file starts on 127.0.0.1 (a thread
that records the POSTed protobuf, decoded with opentelemetry-proto). The
servers and workers are real processes (gunicorn with registry/gunicorn_conf.py,
`manage.py db_worker`), each with the environment it is given and nothing of
ours; nothing but 127.0.0.1 is contacted."""

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from registry import tracing

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"
TRACE_ID, PARENT_ID = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
INCOMING = f"00-{TRACE_ID}-{PARENT_ID}-01"


class Receiver:
    """An OTLP/HTTP trace receiver: every POST recorded, decoded, answered 200."""

    def __init__(self):
        self.posts = []  # (path, content type, ExportTraceServiceRequest)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = ExportTraceServiceRequest()
                request.ParseFromString(body)
                receiver.posts.append((self.path, self.headers.get("Content-Type"), request))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def spans(self):
        """(resource attributes, span) of everything received so far."""
        found = []
        for _path, _type, request in list(self.posts):
            for resource_spans in request.resource_spans:
                resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    found.extend((resource, span) for span in scope_spans.spans)
        return found

    def wait_for(self, name=None, kind=None, seconds=15):
        """(resource attributes, span) of the first span with this name (or kind)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for resource, span in self.spans():
                if span.name == name or span.kind == kind:
                    return resource, span
            time.sleep(0.05)
        raise AssertionError(
            f"no span {name or kind}; received {[s.name for _, s in self.spans()]}"
        )


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def attributes(span):
    values = {}
    for attribute in span.attributes:
        value = attribute.value
        values[attribute.key] = value.string_value or value.int_value
    return values


def environment(**extra):
    """This process's environment without any OTEL_ or proxy variable, plus extra."""
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("OTEL_") and "proxy" not in key.lower()
    }
    return {**kept, "DJANGO_SETTINGS_MODULE": "registry.settings", "SECRET_KEY": "test", **extra}


def database_url(tmp_path):
    """A database the processes can reach: on PostgreSQL the server's own
    maintenance database (the probes' SELECT 1 needs no table), else a file."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return f"sqlite:///{tmp_path / 'empty.sqlite3'}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, []),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, ["otlp"]),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, ["otlp"]),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, ["otlp"]),
        ({"OTEL_TRACES_EXPORTER": "Console"}, ["console"]),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, []),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, []),
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, []),  # off, so nothing to refuse
    ],
)
def test_the_environment_switches_tracing_on(variables, expected):
    assert tracing.exporters(variables) == expected


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"OTEL_TRACES_EXPORTER": "jaeger"}, "OTEL_TRACES_EXPORTER: jaeger is not available"),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
            "OTEL_EXPORTER_OTLP_PROTOCOL: grpc is not available",
        ),
    ],
)
def test_a_setting_we_cannot_honour_stops_gunicorn_at_start(variables, message):
    with pytest.raises(ValueError, match=message):
        tracing.exporters(variables)
    result = subprocess.run(
        [sys.executable, "-c", "import registry.gunicorn_conf"],
        cwd=ROOT,
        env=environment(**variables),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


OFF_SCRIPT = f"""
INCOMING = {INCOMING!r}
import json, sys, threading
import django
django.setup()
from registry import tracing, wsgi
from django.test import Client
answer = Client().get("/health", HTTP_TRACEPARENT=INCOMING)
print("RESULT " + json.dumps({{
    "status": answer.status_code,
    "traceparent": answer["traceparent"],
    "on": tracing.enabled(),
    "modules": sorted(m for m in sys.modules if m.startswith((
        "opentelemetry.sdk.trace", "opentelemetry.exporter", "opentelemetry.instrumentation"))),
    "threads": threading.active_count(),
}}))
"""


@pytest.mark.parametrize(
    "variables",
    [
        {},  # the default
        {"OTEL_SDK_DISABLED": "true"},
    ],
    ids=["unset", "sdk-disabled"],
)
def test_off_no_span_processor_no_thread_and_nothing_sent(receiver, tmp_path, variables):
    """Off, the SDK's tracing, its exporters and instrumentations are never
    imported, so no span processor exists, no thread runs, and the receiver,
    named by the endpoint variable in the second case, hears nothing."""
    if variables:
        variables = {**variables, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url}
    result = subprocess.run(
        [sys.executable, "-c", OFF_SCRIPT],
        cwd=ROOT,
        env=environment(DATABASE_URL=database_url(tmp_path), **variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(result.stdout.split("RESULT ")[1])
    assert found["status"] == 200
    assert found["on"] is False
    assert found["modules"] == []
    assert found["threads"] == 1
    # The W3C trace context works without OpenTelemetry.
    assert found["traceparent"].startswith(f"00-{TRACE_ID}-")
    time.sleep(0.5)  # the process has exited: anything queued would have been sent
    assert receiver.posts == []


@pytest.fixture
def gunicorn(receiver, tmp_path):
    """A gunicorn server as the image runs it, one worker, tracing to the receiver."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(GUNICORN), "--config", "python:registry.gunicorn_conf", "registry.wsgi"],
            cwd=ROOT,
            env=environment(
                DEBUG="False",
                HTTPS="False",
                ALLOWED_HOSTS="127.0.0.1",
                HOST="127.0.0.1",
                PORT=str(port),
                GUNICORN_WORKERS="1",
                LOG_FORMAT="json",
                DATABASE_URL=database_url(tmp_path),
                OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
                OTEL_BSP_SCHEDULE_DELAY="100",  # ms: send at once rather than every 5 s
            ),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    http = httpx.Client(trust_env=False)  # no proxy: only 127.0.0.1
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if http.get(f"{base}/health/live", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield base, server, log
    finally:
        http.close()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def test_a_request_span_continues_the_incoming_trace_with_the_log_lines_ids(gunicorn, receiver):
    base, server, log = gunicorn
    answer = httpx.get(f"{base}/health", headers={"traceparent": INCOMING}, trust_env=False)
    assert answer.status_code == 200
    traceparent = answer.headers["traceparent"]

    resource, span = receiver.wait_for("GET health")
    # The worker sends OTLP over HTTP, protobuf, to the standard path.
    assert {(path, kind) for path, kind, _ in receiver.posts} == {
        ("/v1/traces", "application/x-protobuf")
    }
    assert resource["service.name"] == "component-registry"
    assert resource["registry.process"] == "web"
    assert span.kind == Span.SPAN_KIND_SERVER
    assert attributes(span)["http.route"] == "health"
    assert attributes(span)["registry.route"] == "health"
    assert attributes(span)["http.status_code"] == 200
    # One trace: the caller's, continued by the span the answer names as parent.
    assert span.trace_id.hex() == TRACE_ID
    assert span.parent_span_id.hex() == PARENT_ID
    assert traceparent == f"00-{TRACE_ID}-{span.span_id.hex()}-01"

    # The probe gunicorn was waited with is answered before the span begins.
    assert all("live" not in s.name for _, s in receiver.spans())

    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [line] = [
        line
        for line in lines
        if line.get("logger") == "registry.requests" and line["path"] == "/health"
    ]
    assert line["trace_id"] == span.trace_id.hex()
    assert line["span_id"] == span.span_id.hex()
    assert line["parent_span_id"] == PARENT_ID

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # The view's query: a span of its own, a child of the request's.
        queries = [
            s
            for _, s in receiver.spans()
            if attributes(s).get("db.system") == "postgresql"
            and attributes(s).get("db.statement") == "SELECT 1"
        ]
        assert queries, [s.name for _, s in receiver.spans()]
        assert {(q.trace_id.hex(), q.parent_span_id.hex()) for q in queries} == {
            (TRACE_ID, span.span_id.hex())
        }


def test_without_a_traceparent_the_span_begins_the_trace_the_log_line_names(gunicorn, receiver):
    base, server, log = gunicorn
    answer = httpx.get(f"{base}/api/v1/no-such-thing", trust_env=False)
    assert answer.status_code == 404
    traceparent = answer.headers["traceparent"]
    _, span = receiver.wait_for(kind=Span.SPAN_KIND_SERVER)
    assert span.parent_span_id == b""
    assert attributes(span)["http.status_code"] == 404
    assert traceparent == f"00-{span.trace_id.hex()}-{span.span_id.hex()}-01"
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    [line] = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{") and '"registry.requests"' in line and "no-such-thing" in line
    ]
    assert (line["trace_id"], line["span_id"]) == (span.trace_id.hex(), span.span_id.hex())
    assert line["parent_span_id"] is None


def test_the_worker_sends_a_span_per_task(receiver, tmp_path):
    database = tmp_path / "queue.sqlite3"
    variables = environment(
        DATABASE_URL=f"sqlite:///{database}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DEBUG="False",
    )

    def manage(*args, **extra):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**variables, **extra},
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )

    note = tmp_path / "note"
    manage(
        "shell",
        "-c",
        "from django.core.management import call_command;"
        "call_command('migrate', 'django_tasks_database', verbosity=0);"  # the queue's table
        f"from tests.deploy.worker_tasks import nap; nap.enqueue(0, {str(note)!r})",
    )
    manage(
        "db_worker",
        "--no-startup-delay",
        "--interval",
        "0.1",
        "--max-tasks",
        "1",
        OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
        OTEL_SERVICE_NAME="registry-worker",
    )
    assert note.read_text() == "done"
    resource, span = receiver.wait_for("task tests.deploy.worker_tasks.nap", seconds=5)
    assert resource["service.name"] == "registry-worker"
    assert resource["registry.process"] == "worker"
    assert attributes(span)["registry.task.status"] == "SUCCESSFUL"
    assert span.parent_span_id == b""
