"""TASKS_BACKEND=rq: the queue in Redis (django-tasks-rq), worked by a real
`manage.py rqworker` process against the Redis at 127.0.0.1:6379 (database
14, or 10 in the SQLite suite: this test's own). Without that Redis the test
is skipped, or fails under CI."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, manage

# A database of its own per suite: CI runs the PostgreSQL and the SQLite suite at
# the same time, and this test empties its database.
REDIS_URL = f"redis://127.0.0.1:6379/{14 if os.environ.get('DATABASE_URL') else 10}"
# django-tasks-rq runs a task through a Job class of its own.
JOB_CLASS = ["--job-class", "django_tasks_rq.Job"]


@pytest.fixture
def rq_environment(tmp_path):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the RQ test needs Redis at 127.0.0.1:6379 ({exc})")
        pytest.skip(f"the RQ test needs Redis at 127.0.0.1:6379 ({exc})")
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "TASKS_BACKEND": "rq",
        "TASKS_REDIS_URL": REDIS_URL,
        "DEBUG": "False",
        "SECRET_KEY": "test",
    }
    connection.flushdb()
    connection.close()


def test_a_task_queued_in_redis_is_run_by_an_rq_worker(rq_environment, tmp_path):
    note = tmp_path / "note"
    manage(
        rq_environment,
        "shell",
        "-c",
        f"from tests.deploy.worker_tasks import nap; print(nap.enqueue(0, {str(note)!r}).id)",
    )
    assert not note.exists()
    manage(rq_environment, "rqworker", "--burst", *JOB_CLASS, "default")
    assert note.read_text() == "done"


def test_the_periodic_harvest_is_queued_once_however_often_workers_start(rq_environment):
    first = manage(rq_environment, "harvest", "--schedule").stdout
    second = manage(rq_environment, "harvest", "--schedule").stdout
    assert (first, second) == (
        "harvest task queued\n",
        "harvest task already queued; nothing to do\n",
    )
    import redis
    from rq import Queue

    queue = Queue("default", connection=redis.Redis.from_url(REDIS_URL))
    waiting = queue.get_jobs() + [
        queue.fetch_job(job_id) for job_id in queue.scheduled_job_registry.get_job_ids()
    ]
    # Each periodic task once: the harvest tick and the daily lint that rides along.
    described = sorted(str(job.args[0] if job.args else job.func_name) for job in waiting)
    assert len(waiting) == 2, described
    assert sum("harvest_due" in name for name in described) == 1, described
    assert sum("lint" in name for name in described) == 1, described


def start_worker(rq_environment, log):
    """The worker as README and the deployment run it. Its output goes to a file:
    a pipe nobody reads until the end could fill and stop the worker itself."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", "--with-scheduler", *JOB_CLASS, "default"],
        cwd=ROOT,
        env=rq_environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_sigterm_lets_the_rq_worker_finish_its_job(rq_environment, tmp_path):
    import redis
    from rq import Queue

    note = tmp_path / "note"
    manage(
        rq_environment,
        "shell",
        "-c",
        f"from tests.deploy.worker_tasks import nap; nap.enqueue(3, {str(note)!r})",
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = start_worker(rq_environment, log)
    queue = Queue("default", connection=redis.Redis.from_url(REDIS_URL))
    try:
        deadline = time.monotonic() + 30
        # The task itself has begun (not only its registration, which comes before
        # the worker forks the process that runs it).
        while not (note.exists() and queue.started_job_registry.count):
            assert time.monotonic() < deadline, "the worker did not start the job"
            assert worker.poll() is None, log_path.read_text()
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        try:
            # The nap ends 3 s after it began; the worker then leaves at once.
            assert worker.wait(timeout=20) == 0, log_path.read_text()
        except subprocess.TimeoutExpired:
            pytest.fail("the worker did not stop after its job:\n" + log_path.read_text())
        assert note.read_text() == "done"
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_an_idle_rq_worker_stops_at_once_on_sigterm(rq_environment, tmp_path):
    import redis
    from rq import Worker as RQWorker

    connection = redis.Redis.from_url(REDIS_URL)
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = start_worker(rq_environment, log)
    try:
        deadline = time.monotonic() + 30
        while not RQWorker.all(connection=connection):
            assert time.monotonic() < deadline, "the worker did not register"
            assert worker.poll() is None, log_path.read_text()
            time.sleep(0.1)
        time.sleep(0.5)  # listening on its queue and its command channel
        stopped = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        try:
            assert worker.wait(timeout=20) == 0, log_path.read_text()
        except subprocess.TimeoutExpired:
            pytest.fail("the idle worker did not stop:\n" + log_path.read_text())
        assert time.monotonic() - stopped < 10, log_path.read_text()
        assert not RQWorker.all(connection=connection), "the worker did not register its death"
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_the_worker_leaves_even_when_its_listener_lost_the_race(rq_environment):
    """The order RQ 3 on redis-py 8 loses now and then: the listener thread reads
    the UNSUBSCRIBE reply before it is told to stop, then waits a minute for a
    subscription. Forced here: we unsubscribe first and wait until the thread has
    seen it. RQ's own unsubscribe then waits for that minute; ours returns."""
    import redis
    from rq import Queue

    from registry.rq_worker import LISTENER_JOIN_SECONDS, Worker

    connection = redis.Redis.from_url(REDIS_URL)
    worker = Worker([Queue("default", connection=connection)], connection=connection)
    worker.subscribe()
    try:
        deadline = time.monotonic() + 10
        while not worker.pubsub.subscribed:
            assert time.monotonic() < deadline, "never subscribed"
            time.sleep(0.01)
        worker.pubsub.unsubscribe()
        while worker.pubsub.subscribed:
            assert time.monotonic() < deadline, "the listener never read the reply"
            time.sleep(0.01)
        time.sleep(0.2)  # the listener is round again, waiting to be subscribed
        assert worker.pubsub_thread.is_alive()

        began = time.monotonic()
        worker.unsubscribe()
        assert time.monotonic() - began < LISTENER_JOIN_SECONDS + 2
        # Whatever the thread still waits for cannot keep the process alive.
        assert worker.pubsub_thread.daemon
    finally:
        worker.pubsub_thread.stop(timeout=0)
        connection.close()
