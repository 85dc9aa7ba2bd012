"""Webhooks against a real local receiver, run by the real background worker."""

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, transaction

from components.constants import Assertion, DeliveryStatus
from components.models import Event, Release, WebhookDelivery, WebhookSubscription
from components.notifications import deliver, queue_deliveries, retry_delay

from .conftest import client_for
from .factories import ReleaseFactory, UsageFactory

pytestmark = pytest.mark.django_db

# The worker runs as its own process, as docker-compose runs it, so it must see
# committed rows: these tests commit (and PostgreSQL lets both processes share
# the test database).
worker_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "s3cret-for-tests"


class Receiver:
    """A tiny HTTP server that records what it gets and answers from a script."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                code = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_settings(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    settings.WEBHOOK_PAUSE_AFTER = 3
    return settings


@pytest.fixture
def receiver_factory():
    receivers = []

    def make(*answers):
        receiver = Receiver(answers or [200])
        receivers.append(receiver)
        return receiver

    yield make
    for receiver in receivers:
        receiver.close()


def run_worker(settings):
    """`manage.py db_worker`, the command docker-compose runs, until the queue is empty."""
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WEBHOOK_ALLOW_PRIVATE": "True",
        "WEBHOOK_RETRY_BASE_SECONDS": str(settings.WEBHOOK_RETRY_BASE_SECONDS),
        "WEBHOOK_MAX_ATTEMPTS": str(settings.WEBHOOK_MAX_ATTEMPTS),
        "WEBHOOK_PAUSE_AFTER": str(settings.WEBHOOK_PAUSE_AFTER),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def subscribed(webhook_settings, utrecht, acme_component, receiver_factory):
    """Utrecht uses Acme Zaken and listens to a webhook."""
    UsageFactory(organisation=utrecht, component=acme_component)

    def subscribe(*answers):
        receiver = receiver_factory(*answers)
        WebhookSubscription.objects.create(organisation=utrecht, url=receiver.url, secret=SECRET)
        return receiver

    return subscribe


def publish_release(acme, version="2.0.0"):
    api = client_for(acme, name=f"ci-{version}")
    response = api.post(
        "/api/v1/components/acme-zaken/releases",
        {"version": version, "releaseDate": "2026-11-28"},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.postgres
@worker_test
def test_a_release_reaches_the_webhook_signed_and_only_via_the_worker(
    subscribed, acme, webhook_settings
):
    receiver = subscribed(200)
    publish_release(acme)
    assert receiver.requests == []  # nothing is sent inside the request
    run_worker(webhook_settings)
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert headers["X-Registry-Signature"] == signature(headers["X-Registry-Timestamp"], body)
    assert headers["X-Registry-Event"] == "release.published"
    payload = json.loads(body)
    assert payload["type"] == "release.published"
    assert payload["component"]["slug"] == "acme-zaken"
    assert payload["data"]["version"] == "2.0.0"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)


@pytest.mark.postgres
@worker_test
def test_a_failed_delivery_is_retried_after_a_500(subscribed, acme, webhook_settings):
    receiver = subscribed(500, 200)
    publish_release(acme)
    run_worker(webhook_settings)
    assert [json.loads(body)["type"] for _h, body in receiver.requests] == [
        "release.published",
        "release.published",
    ]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert WebhookSubscription.objects.get().consecutive_failures == 0


@pytest.mark.postgres
@worker_test
def test_a_subscription_is_paused_after_repeated_failures(subscribed, acme, webhook_settings):
    receiver = subscribed(500)
    publish_release(acme)
    run_worker(webhook_settings)
    subscription = WebhookSubscription.objects.get()
    assert subscription.paused_at is not None
    assert subscription.consecutive_failures == 3
    assert len(receiver.requests) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "500" in delivery.error
    # A paused subscription gets nothing more.
    publish_release(acme, version="2.1.0")
    run_worker(webhook_settings)
    assert len(receiver.requests) == 3


@pytest.mark.postgres
@worker_test
def test_nothing_is_sent_for_a_rolled_back_write(subscribed, acme_component, webhook_settings):
    from django_tasks_db.models import DBTaskResult

    receiver = subscribed(200)
    try:
        with transaction.atomic():
            ReleaseFactory(component=acme_component, version="9.9.9")
            raise RuntimeError("something failed after the release was written")
    except RuntimeError:
        pass
    run_worker(webhook_settings)
    assert not DBTaskResult.objects.exists()
    assert not Release.objects.filter(version="9.9.9").exists()
    assert not Event.objects.exists()
    assert receiver.requests == []


def signature(timestamp, body, secret=SECRET):
    """What a receiver computes: HMAC-SHA256 of '<timestamp>.<body>'."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def test_a_delivery_is_signed_over_its_timestamp_and_body(subscribed, acme_component):
    """The timestamp is signed with the body, so a receiver can refuse a replay: a
    captured delivery sent again later keeps its old timestamp, or breaks the HMAC."""
    receiver = subscribed(200)
    ReleaseFactory(component=acme_component, version="3.0.0")
    [delivery] = queue_deliveries(Event.objects.get())
    before = int(time.time())
    deliver(WebhookDelivery.objects.get(pk=delivery))
    after = int(time.time())
    [(headers, body)] = receiver.requests
    timestamp = headers["X-Registry-Timestamp"]
    assert timestamp.isdigit() and before <= int(timestamp) <= after
    assert headers["X-Registry-Signature"] == signature(timestamp, body)
    # The body alone, or another timestamp, does not verify.
    assert headers["X-Registry-Signature"] != signature(str(int(timestamp) + 1), body)
    unsigned_time = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Registry-Signature"] != unsigned_time


@pytest.mark.parametrize(
    "change",
    [{"reuseRestriction": "public-sector"}, {"reuseTerms": "Het logo is voorbehouden."}],
    ids=["restriction", "terms"],
)
def test_a_change_of_reuse_terms_is_announced_like_a_change_of_restriction(
    change, acme_api, acme_component, utrecht, client
):
    UsageFactory(organisation=utrecht, component=acme_component)
    hook = WebhookSubscription.objects.create(
        organisation=utrecht, url="http://127.0.0.1:9/hook", secret=SECRET
    )
    response = acme_api.patch("/api/v1/components/acme-zaken", change, format="json")
    assert response.status_code == 200
    event = Event.objects.get()
    assert (event.type, event.summary) == ("component.updated", "Acme Zaken was updated")
    queue_deliveries(event)
    assert WebhookDelivery.objects.get().subscription == hook
    feed = client.get("/feeds/components/acme-zaken.atom", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Acme Zaken was updated" in feed.content


def test_back_off_doubles_each_time(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_deprecation_and_licence_change_are_their_own_events(acme_api, acme_component):
    acme_api.patch("/api/v1/components/acme-zaken", {"license": "MIT"}, format="json")
    acme_api.delete("/api/v1/components/acme-zaken")
    acme_api.patch("/api/v1/components/acme-zaken", {"name": "Acme Zaken 2"}, format="json")
    assert list(Event.objects.order_by("id").values_list("type", flat=True)) == [
        "component.licenseChanged",
        "component.deprecated",
        "component.updated",
    ]
    assert Event.objects.get(type="component.licenseChanged").data == {
        "old": "EUPL-1.2",
        "new": "MIT",
    }


@pytest.mark.postgres
@worker_test
def test_a_claim_is_told_only_to_the_organisation_named(
    webhook_settings, acme, globex, utrecht, acme_component, receiver_factory
):
    utrecht_hook = receiver_factory(200)
    globex_hook = receiver_factory(200)
    WebhookSubscription.objects.create(organisation=utrecht, url=utrecht_hook.url, secret=SECRET)
    WebhookSubscription.objects.create(organisation=globex, url=globex_hook.url, secret=SECRET)
    UsageFactory(organisation=globex, component=acme_component)
    response = client_for(acme).post(
        "/api/v1/usages",
        {"organisation": "gemeente-utrecht", "component": "acme-zaken"},
        format="json",
    )
    assert response.json()["assertion"] == Assertion.CLAIMED
    run_worker(webhook_settings)
    assert [json.loads(b)["type"] for _h, b in utrecht_hook.requests] == ["usage.claimed"]
    assert globex_hook.requests == []


class TestWebhookApi:
    def test_the_secret_is_shown_once_and_the_log_is_visible(
        self, webhook_settings, utrecht_api, acme_api, utrecht
    ):
        created = utrecht_api.post(
            "/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook"}, format="json"
        )
        assert created.status_code == 201
        secret = created.json()["secret"]
        assert len(secret) > 30
        hook = created.json()["id"]
        assert utrecht_api.get(f"/api/v1/webhooks/{hook}").json()["secret"] is None
        assert utrecht_api.get(f"/api/v1/webhooks/{hook}/deliveries").json()["count"] == 0
        assert acme_api.get(f"/api/v1/webhooks/{hook}").status_code == 404
        assert acme_api.get("/api/v1/webhooks").json()["count"] == 0

    def test_anonymous_clients_see_no_webhooks(self, api):
        assert api.get("/api/v1/webhooks").status_code == 401

    def test_a_private_address_is_refused_unless_configured(self, utrecht_api):
        response = utrecht_api.post(
            "/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook"}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["invalidParams"][0]["name"] == "url"
        assert not WebhookSubscription.objects.exists()
