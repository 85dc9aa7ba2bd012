import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from registry.health import pending_migrations


class Command(BaseCommand):
    help = (
        "Wait until every migration is applied (by the migration Job), then exit 0; "
        "exit 1 with the reason after --timeout seconds. The init container of the "
        "web and worker pods: they start only on a migrated database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=600, help="Seconds to wait.")
        parser.add_argument("--interval", type=float, default=3, help="Seconds between looks.")

    def handle(self, *args, timeout, interval, **options):
        deadline = time.monotonic() + timeout
        while True:
            try:
                pending = pending_migrations()
                reason = f"{len(pending)} migrations not applied yet" if pending else None
            except DatabaseError as exc:
                reason = f"the database does not answer ({type(exc).__name__})"
            if reason is None:
                self.stdout.write("Every migration is applied.")
                return
            if time.monotonic() >= deadline:
                raise CommandError(f"Gave up after {timeout:g} s: {reason}.")
            self.stderr.write(f"Waiting: {reason}.")
            time.sleep(interval)
