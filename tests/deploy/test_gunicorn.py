"""gunicorn's configuration (registry/gunicorn_conf.py) comes from the
environment, and a real gunicorn with it lets a request in flight finish after
SIGTERM."""

import importlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.production.servers import free_port

from .conftest import ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"


def configuration(monkeypatch, **environment):
    for name in (
        "PORT", "METRICS_PORT", "GUNICORN_WORKERS", "GUNICORN_GRACEFUL_TIMEOUT",
        "GUNICORN_TIMEOUT", "GUNICORN_WORKER_CLASS",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    import registry.gunicorn_conf as conf

    return importlib.reload(conf)


def test_workers_and_timeouts_come_from_the_environment(monkeypatch):
    conf = configuration(monkeypatch, GUNICORN_WORKERS="5", GUNICORN_GRACEFUL_TIMEOUT="12")
    assert (conf.workers, conf.graceful_timeout) == (5, 12)
    assert conf.bind == ["0.0.0.0:8000"]
    assert conf.control_socket_disable is True
    assert conf.worker_class == "sync"


def test_metrics_get_a_listener_of_their_own_when_asked(monkeypatch):
    conf = configuration(monkeypatch, PORT="8080", METRICS_PORT="9100")
    assert conf.bind == ["0.0.0.0:8080", "0.0.0.0:9100"]


def test_a_bad_number_stops_gunicorn_with_the_reason(monkeypatch):
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS must be a whole number, not 'two'"):
        configuration(monkeypatch, GUNICORN_WORKERS="two")
    configuration(monkeypatch)


SLOW_APP = """
import time
from registry.heartbeat import beating
def app(environ, start_response):
    seconds = float(environ["QUERY_STRING"] or 0)
    start_response("200 OK", [("Content-Type", "text/plain")])
    if environ["PATH_INFO"] == "/stream":
        return beating(streamed(seconds))
    if environ["PATH_INFO"] == "/silent":
        return streamed(seconds)
    time.sleep(seconds)
    return [b"finished"]
def streamed(seconds):
    for _ in range(20):
        time.sleep(seconds / 20)
        yield b"part\\n"
    yield b"finished"
"""


def start(tmp_path, **environment):
    """gunicorn with registry/gunicorn_conf.py serving SLOW_APP; (process, port)."""
    (tmp_path / "slow_app.py").write_text(SLOW_APP)
    port = free_port()
    environment = {
        **os.environ,
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "PYTHONPATH": f"{tmp_path}:{ROOT}",
        **environment,
    }
    for name in ("METRICS_PORT", "PROMETHEUS_MULTIPROC_DIR", "GUNICORN_WORKER_CLASS"):
        environment.pop(name, None)
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "python:registry.gunicorn_conf", "slow_app:app"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/?0", timeout=1)
            return server, port
        except httpx.TransportError:
            if time.monotonic() > deadline:
                server.kill()
                raise AssertionError("gunicorn did not start") from None
            time.sleep(0.1)


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed (make install)")
def test_an_answer_streaming_longer_than_the_timeout_arrives_whole(tmp_path):
    """The whole catalogue streams for longer than GUNICORN_TIMEOUT at 50,000
    components: the sync worker was killed mid-stream (a truncated 200). A stream
    that beats (registry/heartbeat.py) arrives whole; one that does not is still
    cut off, as a hung request would be."""
    server, port = start(tmp_path, GUNICORN_TIMEOUT="2")
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/stream?5", timeout=20)
        assert response.status_code == 200
        assert response.text == "part\n" * 20 + "finished"
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/silent?5", timeout=20).raise_for_status()
    finally:
        server.kill()
        server.wait()


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed (make install)")
def test_sigterm_lets_the_request_in_flight_finish(tmp_path):
    server, port = start(tmp_path, GUNICORN_GRACEFUL_TIMEOUT="10")
    try:
        answer = {}

        def slow_request():
            answer["response"] = httpx.get(f"http://127.0.0.1:{port}/?2", timeout=15)

        requester = threading.Thread(target=slow_request)
        requester.start()
        time.sleep(0.5)  # the request is in the worker now
        server.send_signal(signal.SIGTERM)
        requester.join(timeout=15)
        assert answer["response"].status_code == 200
        assert answer["response"].text == "finished"
        assert server.wait(timeout=15) == 0
        # ...and no new request is accepted once it stopped.
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/?0", timeout=1)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
