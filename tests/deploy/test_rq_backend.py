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
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", *JOB_CLASS, "default"],
        cwd=ROOT,
        env=rq_environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    queue = Queue("default", connection=redis.Redis.from_url(REDIS_URL))
    try:
        deadline = time.monotonic() + 30
        # The task itself has begun (not only its registration, which comes before
        # the worker forks the process that runs it: a SIGTERM in between made the
        # worker hang under load, a race of the test's, not a shutdown we ask for).
        while not (note.exists() and queue.started_job_registry.count):
            assert time.monotonic() < deadline, "the worker did not start the job"
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, worker.stdout.read()
        assert note.read_text() == "done"
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
