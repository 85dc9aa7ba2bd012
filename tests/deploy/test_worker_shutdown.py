"""What db_worker does on SIGTERM, with a real worker process: it finishes the
task it is running (marked successful), takes no new one (left READY for the
next worker), and exits 0. A SQLite file of its own, so the worker and this
test see the same queue on either database."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from .conftest import ROOT


def _statuses(database):
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT args_kwargs, status FROM django_tasks_database_dbtaskresult"
            " ORDER BY enqueued_at"
        ).fetchall()
    return [status for _args, status in rows]


def test_sigterm_lets_the_running_task_finish_and_leaves_the_next_queued(tmp_path):
    database = tmp_path / "queue.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # As in production: with DEBUG on, db_worker runs under the autoreloader,
        # whose parent process dies at once on SIGTERM and takes the task with it.
        "DEBUG": "False",
        "SECRET_KEY": "test",
    }

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )

    manage("migrate", "-v", "0")
    first, second = tmp_path / "first", tmp_path / "second"
    manage(
        "shell",
        "-c",
        "from tests.deploy.worker_tasks import nap;"
        f"nap.enqueue(3, {str(first)!r}); nap.enqueue(0, {str(second)!r})",
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while _statuses(database)[0] != "RUNNING":
            assert time.monotonic() < deadline, "the worker did not start the task"
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, worker.stdout.read()
        assert first.read_text() == "done"
        assert not second.exists()
        assert _statuses(database) == ["SUCCESSFUL", "READY"]
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
