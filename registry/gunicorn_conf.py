"""Gunicorn's configuration, from the environment (`gunicorn -c python:registry.gunicorn_conf`).

- GUNICORN_WORKERS (2), GUNICORN_THREADS (1), GUNICORN_TIMEOUT (30 s): size per pod.
- GUNICORN_GRACEFUL_TIMEOUT (25 s): after SIGTERM the workers finish the
  requests in flight for at most this long; keep it below the pod's
  terminationGracePeriodSeconds (30 s), or the kubelet kills them mid-request.
- GUNICORN_WORKER_CLASS (sync): gunicorn's sync worker, which takes a connection
  only when it is free. An answer that streams for longer than the timeout (the
  whole catalogue as JSON-LD, 45 s at 50,000 components) keeps its worker alive
  through registry/heartbeat.py, registered here after the fork.
- HOST (0.0.0.0) and PORT (8000) serve the site; METRICS_PORT (unset: off) is a second listener on
  which, and only on which, /metrics answers (registry/metrics.py).
- PROMETHEUS_MULTIPROC_DIR: the workers' metric files; emptied at start, and a
  dead worker's files are merged away (prometheus_client's multiprocess mode).
- OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER, … (unset: off): OpenTelemetry
  tracing (registry/tracing.py), checked here at start and set up in each
  worker after the fork: the SDK's export thread would not survive the fork.
"""

import os
import shutil

from prometheus_client import multiprocess

from registry import heartbeat, tracing


def _int(name, default):
    value = os.environ.get(name) or default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


try:
    tracing.exporters()  # a setting we cannot honour stops the start, not every worker
except ValueError as error:
    raise SystemExit(str(error)) from None

host = os.environ.get("HOST") or "0.0.0.0"  # noqa: S104 (a container listens on its own address)
bind = [f"{host}:{_int('PORT', 8000)}"]
if os.environ.get("METRICS_PORT"):
    bind.append(f"{host}:{_int('METRICS_PORT', 9100)}")
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Heartbeat files in memory, not on the (read-only) image's disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Gunicorn's control socket (a file in $HOME) is not used in a container.
control_socket_disable = True
# The access log is the application's own JSON line per request (registry/logs.py).
accesslog = None


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker):
    heartbeat.register(worker)
    # Before the worker loads the application, so that OpenTelemetry's
    # middleware is in the chain; does nothing unless tracing is switched on.
    tracing.setup("web")


def worker_exit(server, worker):
    tracing.shutdown()
