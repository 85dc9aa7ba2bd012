"""Management commands that change the registry record themselves in the audit
log: who ran which command with which options, what it changed, and whether it
finished (audit.recording.system_write)."""

from django.core.management.base import BaseCommand

from .recording import COMMAND, operator, system_write

# Options every command has; they say nothing about the change.
COMMON = {
    "verbosity",
    "settings",
    "pythonpath",
    "traceback",
    "no_color",
    "force_color",
    "skip_checks",
    "stdout",
    "stderr",
}


class AuditedCommand(BaseCommand):
    def execute(self, *args, **options):
        name = self.__module__.rsplit(".", 1)[-1]
        change = {key: value for key, value in options.items() if key not in COMMON}
        if args:
            change["args"] = list(args)
        with system_write(COMMAND, f"manage.py {name}", operator(), change):
            return super().execute(*args, **options)
