#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["db_worker"]:
        # OpenTelemetry, when the environment switches it on: a span per task.
        from registry import tracing

        try:
            tracing.setup("worker")
        except ValueError as error:
            sys.exit(f"Configuration error: {error}")
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A bad environment is the operator's to fix: one line, not a traceback.
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
