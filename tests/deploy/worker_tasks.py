"""Tasks for the tests in tests/deploy that start a real worker process."""

import time
from pathlib import Path

from django_tasks import task


@task()
def nap(seconds, note) -> str:
    """Writes "started" to the note, sleeps, then "done"."""
    Path(note).write_text("started")
    time.sleep(seconds)
    Path(note).write_text("done")
    return "rested"


@task()
def scribble(slug, times) -> int:
    """Write to the catalogue `times` times, each in a transaction of its own,
    as a busy worker does (tests/deploy/test_sqlite_concurrency.py)."""
    from django.db import transaction

    from components.models import Component

    for n in range(1, times + 1):
        with transaction.atomic():
            Component.objects.filter(slug=slug).update(short_description=f"Geschreven {n}")
        time.sleep(0.01)
    return times
