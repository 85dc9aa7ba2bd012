"""Two background workers share one queue, and each webhook is delivered
exactly once: every event reaches the subscriber one time, signed, and the
delivery log says so. Releases are published through both servers, and the
release list that server B had cached shows them all at once."""

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

pytestmark = pytest.mark.production

SETTLE_SECONDS = 30


class Receiver(ThreadingHTTPServer):
    """A webhook subscriber on 127.0.0.1 that records every POST."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.posts = []
        self.lock = threading.Lock()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/registry"


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            self.server.posts.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def unfinished_tasks(database_url):
    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING')"
        ).fetchone()[0]


def settle(live_site, receiver, expected):
    """Wait until the queue is empty and at least `expected` posts arrived: after
    that no task is left that could post again."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        if len(receiver.posts) >= expected and not unfinished_tasks(live_site.database_url):
            return
        time.sleep(0.25)
    pytest.fail(
        f"deliveries did not settle in {SETTLE_SECONDS} s: {len(receiver.posts)} of "
        f"{expected} received, {unfinished_tasks(live_site.database_url)} task(s) unfinished"
    )


def test_two_workers_deliver_each_webhook_exactly_once(live_site, seed, on_a, on_b, receiver):
    subscribed = on_a.municipality.post(
        "/api/v1/webhooks", json={"url": receiver.url, "eventTypes": ["release.published"]}
    )
    assert subscribed.status_code == 201, subscribed.text
    subscription, secret = subscribed.json()["id"], subscribed.json()["secret"]

    releases = f"/api/v1/components/{seed['component_slug']}/releases"
    for _ in range(2):
        assert on_b.anonymous.get(releases).json()["results"] == []

    versions = [f"2.{n}.0" for n in range(5)]
    for n, version in enumerate(versions):
        vendor = (on_a, on_b)[n % 2].vendor
        published = vendor.post(releases, json={"version": version, "releaseDate": "2026-03-02"})
        assert published.status_code == 201, published.text
    listed = on_b.anonymous.get(releases).json()["results"]
    assert sorted(release["version"] for release in listed) == versions

    settle(live_site, receiver, expected=len(versions))
    bodies = [json.loads(body) for _headers, body in receiver.posts]
    assert Counter(body["id"] for body in bodies).most_common(1)[0][1] == 1
    assert sorted(body["data"]["version"] for body in bodies) == versions
    assert {body["type"] for body in bodies} == {"release.published"}
    for headers, body in receiver.posts:
        # Signed over "<timestamp>.<body>", so a receiver can refuse replays.
        message = f"{headers['X-Registry-Timestamp']}.".encode() + body
        expected = "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
        assert headers["X-Registry-Signature"] == expected
    assert len({headers["X-Registry-Delivery"] for headers, _body in receiver.posts}) == 5

    log = on_b.municipality.get(f"/api/v1/webhooks/{subscription}/deliveries").json()["results"]
    assert [(entry["status"], entry["attempts"]) for entry in log] == [("delivered", 1)] * 5
