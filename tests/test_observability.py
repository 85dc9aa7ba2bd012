"""Structured request logs with W3C trace context, and /metrics for the cluster only."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from components.constants import DeliveryStatus, HarvestStatus
from components.models import HarvestSource
from components.tasks import harvest_source

from .conftest import client_for

INCOMING = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def request_lines(caplog):
    return [r.msg for r in caplog.records if r.name == "registry.requests"]


def test_a_request_is_one_json_line_with_its_ids_status_and_duration(tmp_path):
    """A real process with LOG_FORMAT=json, as the image runs it."""
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        f"r = Client().get('/api/v1/no-such-thing', HTTP_TRACEPARENT={INCOMING!r});"
        "print('ANSWER', r.status_code, r['X-Request-ID'], r['traceparent'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "registry.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            "LOG_FORMAT": "json",
        },
        check=True,
    )
    status, request_id, traceparent = result.stdout.split("ANSWER ")[1].split()
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "registry.requests"]
    assert len(requests) == 1
    line = requests[0]
    assert line["event"] == "request"
    assert line["request_id"] == request_id
    assert line["trace_id"] == "0af7651916cd43dd8448eb211c80319c"
    assert line["parent_span_id"] == "b7ad6b7169203331"
    assert traceparent == f"00-0af7651916cd43dd8448eb211c80319c-{line['span_id']}-01"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/no-such-thing", 404)
    assert status == "404"
    assert line["route"] == "registry.views.not_found"  # the API's catch-all
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "info" and line["timestamp"].endswith("Z")


@pytest.mark.django_db
def test_a_token_write_names_the_token_and_its_organisation(acme, caplog):
    api = client_for(acme, name="deploy")
    caplog.set_level("INFO", logger="registry.requests")
    response = api.post(
        "/api/v1/components",
        {"slug": "nieuw", "name": "Nieuw", "kind": "software", "shortDescription": "x"},
        format="json",
    )
    [line] = request_lines(caplog)
    assert line["status"] == response.status_code
    assert line["token"] == f"{api.plaintext[:10]}… (deploy)"
    assert line["organisation"] == "acme"
    assert line["user"] is None
    assert line["route"] == "component-list"


@pytest.mark.django_db
def test_a_member_page_names_the_user_and_the_organisation(bob, caplog):
    from .conftest import signed_in

    caplog.set_level("INFO", logger="registry.requests")
    signed_in(bob).get("/mijn-organisatie/gemeente-utrecht/gebruik")
    [line] = request_lines(caplog)
    assert (line["user"], line["organisation"], line["status"]) == ("bob", "gemeente-utrecht", 200)
    # The route is the pattern's name: the same in Dutch and in English.
    assert line["route"] == "member-usages"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "not a traceparent",
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",  # all-zero trace id
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",  # all-zero parent
        "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x",
    ],
)
def test_without_a_valid_traceparent_a_new_trace_begins(client, header, caplog):
    caplog.set_level("INFO", logger="registry.requests")
    extra = {"HTTP_TRACEPARENT": header} if header else {}
    response = client.get("/api/v1/no-such-thing", **extra)
    [line] = request_lines(caplog)
    assert re.fullmatch(r"[0-9a-f]{32}", line["trace_id"])
    assert line["trace_id"] not in (header or "")
    assert line["parent_span_id"] is None
    assert response["traceparent"] == f"00-{line['trace_id']}-{line['span_id']}-01"


def test_calls_made_during_a_request_carry_its_trace_on():
    import structlog

    from registry.observability import outgoing_headers

    assert outgoing_headers() == {}
    with structlog.contextvars.bound_contextvars(trace_id="a" * 32, span_id="b" * 16):
        assert outgoing_headers() == {"traceparent": f"00-{'a' * 32}-{'b' * 16}-01"}


# /metrics


def metric(text, name, **labels):
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = re.escape(f"{name}{{{wanted}}}" if labels else name) + r" ([0-9.e+]+)"
    found = re.search(pattern, text)
    return float(found.group(1)) if found else None


@pytest.mark.django_db
def test_metrics_count_requests_by_route_and_status_and_the_work_in_the_database(
    client, acme, acme_component
):
    client.get("/api/v1/components")
    before = metric(
        client.get("/metrics").content.decode(),
        "registry_http_requests_total",
        method="GET",
        route="component-list",
        status="200",
    )
    client.get("/api/v1/components")
    HarvestSource.objects.create(
        url="https://example.nl/publiccode.yml", organisation=acme, last_status=HarvestStatus.OK
    )
    harvest_source.enqueue(1)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    counted = metric(
        text, "registry_http_requests_total", method="GET", route="component-list", status="200"
    )
    assert counted == before + 1
    assert metric(
        text, "registry_http_request_duration_seconds_count", method="GET", route="component-list"
    )
    assert metric(text, "registry_tasks", state="ready") == 1
    assert metric(text, "registry_tasks", state="failed") == 0
    assert metric(text, "registry_harvest_sources", result=HarvestStatus.OK) == 1
    assert metric(text, "registry_webhook_deliveries", status=DeliveryStatus.DELIVERED) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "where",
    [
        {"REMOTE_ADDR": "10.1.2.3"},  # another machine, even a private one
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},  # through a proxy
    ],
)
def test_without_a_metrics_port_only_this_machine_reads_metrics(client, where):
    assert client.get("/metrics", **where).status_code == 404


@pytest.mark.django_db
def test_with_a_metrics_port_metrics_answer_there_and_only_there(client, settings):
    settings.METRICS_PORT = 9100
    assert client.get("/metrics", SERVER_PORT="9100", REMOTE_ADDR="10.1.2.3").status_code == 200
    # The site's port (the one the ingress reaches) has no /metrics, even from loopback.
    assert client.get("/metrics", SERVER_PORT="8000").status_code == 404
    # The metrics port serves nothing else but the probes.
    assert client.get("/api/v1/components", SERVER_PORT="9100").status_code == 404
    assert client.get("/health/live", SERVER_PORT="9100").status_code == 200


@pytest.mark.django_db
def test_metrics_count_failed_tasks_and_webhook_outcomes(client, acme, acme_component):
    """A task that failed and deliveries that went and did not go are counted as
    the database holds them."""
    from django_tasks_db.models import DBTaskResult

    from components.constants import EventType
    from components.models import Event, WebhookDelivery, WebhookSubscription

    harvest_source.enqueue(1)
    harvest_source.enqueue(2)
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.order_by("pk").first().pk).update(
        status="FAILED"
    )
    hook = WebhookSubscription.objects.create(
        organisation=acme, url="https://hooks.example.nl/x", secret="s"
    )
    for n, status in enumerate(
        (DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)
    ):
        event = Event.objects.create(
            type=EventType.RELEASE_PUBLISHED, component=acme_component, summary=f"2.{n}", data={}
        )
        WebhookDelivery.objects.create(subscription=hook, event=event, status=status)
    text = client.get("/metrics").content.decode()
    assert metric(text, "registry_tasks", state="failed") == 1
    assert metric(text, "registry_tasks", state="ready") == 1
    assert metric(text, "registry_webhook_deliveries", status=DeliveryStatus.DELIVERED) == 2
    assert metric(text, "registry_webhook_deliveries", status=DeliveryStatus.FAILED) == 1
