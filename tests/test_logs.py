"""The worker's console: quiet when tasks go well, one line for a task that fails."""

import logging

from registry.logs import OneLineFormatter


def _record(level, exc_info=None):
    return logging.LogRecord("django_tasks", level, __file__, 1, "Task id=%s", ("7",), exc_info)


def test_a_failed_task_is_one_line_with_the_error():
    try:
        raise ValueError("the source answered 500\nwith a body")
    except ValueError:
        import sys

        line = OneLineFormatter().format(_record(logging.ERROR, sys.exc_info()))
    assert "\n" not in line
    assert line.startswith("ERROR Task id=7")
    assert "ValueError: the source answered 500" in line


def test_tasks_that_go_well_are_not_logged_by_default():
    assert not logging.getLogger("django_tasks").isEnabledFor(logging.INFO)
    assert logging.getLogger("django_tasks").isEnabledFor(logging.ERROR)


def test_the_worker_command_stays_quiet_about_tasks_that_went_well(tmp_path):
    """db_worker sets the django_tasks logger to INFO itself; the handler's own
    level keeps the console to failures (it printed two lines per task)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    script = (
        "import django, logging; django.setup();"
        "logging.getLogger('django_tasks').setLevel(logging.INFO);"
        "logging.getLogger('django_tasks').info('Task id=1 state=SUCCESSFUL');"
        "logging.getLogger('django_tasks').error('Task id=2 state=FAILED')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "registry.settings"},
        check=True,
    )
    assert "Task id=1" not in result.stderr
    assert "ERROR Task id=2 state=FAILED" in result.stderr
