"""A task for tests/deploy/test_worker_shutdown.py: it naps, then leaves a note."""

import time
from pathlib import Path

from django_tasks import task


@task()
def nap(seconds, note) -> str:
    time.sleep(seconds)
    Path(note).write_text("done")
    return "rested"
