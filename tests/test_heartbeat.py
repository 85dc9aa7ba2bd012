"""registry/heartbeat.py: a streamed answer tells gunicorn's arbiter that its worker
is alive while it streams (tests/deploy/test_gunicorn.py shows it with a real
gunicorn); files are left to sendfile."""

import pytest
from django.core.files.base import ContentFile
from django.http import FileResponse

from registry import heartbeat

from .factories import ComponentFactory


class Worker:
    """What gunicorn hands to post_fork, as far as the heartbeat uses it."""

    def __init__(self):
        self.beats = 0

    def notify(self):
        self.beats += 1


@pytest.fixture
def worker(monkeypatch):
    worker = Worker()
    monkeypatch.setattr(heartbeat, "INTERVAL", 0)
    monkeypatch.setattr(heartbeat, "_worker", worker)
    return worker


@pytest.mark.django_db
def test_the_streamed_catalogue_beats_for_its_worker_and_reads_the_same(client, worker):
    for index in range(3):
        ComponentFactory(slug=f"beat-{index}")
    expected = b"".join(client.get("/api/v1/catalogue.ttl").streaming_content)
    worker.beats = 0
    response = client.get("/api/v1/catalogue.ttl")
    chunks = list(response.streaming_content)
    assert b"".join(chunks) == expected
    assert worker.beats == len(chunks) >= 2


def test_without_a_gunicorn_worker_nothing_beats(monkeypatch):
    monkeypatch.setattr(heartbeat, "_worker", None)
    assert list(heartbeat.beating(iter([b"a", b"b"]))) == [b"a", b"b"]


def test_a_file_is_left_to_sendfile(rf, worker):
    response = FileResponse(ContentFile(b"dump", name="dump.zip"))
    middleware = heartbeat.HeartbeatMiddleware(lambda request: response)
    assert middleware(rf.get("/")) is response
    assert response.file_to_stream is not None
    assert b"".join(response.streaming_content) == b"dump"
    assert worker.beats == 0
