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
