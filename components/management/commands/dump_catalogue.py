from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from components import dumps, tasks


class Command(BaseCommand):
    help = (
        "Write a full dump of the public catalogue (JSON Lines per resource, the DCAT-AP "
        "catalogue and a manifest with counts and SHA-256 per file) to DUMP_DIR, with a "
        "progress bar per resource on stderr; prints the dump's path as the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, help="Write here instead of DUMP_DIR (the API serves DUMP_DIR)."
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="Afterwards keep only the newest N dumps in DUMP_DIR (DUMP_KEEP by default).",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help=(
                "Queue the nightly dump (at DUMP_HOUR_UTC) for the background worker unless "
                "it is queued already; dump nothing now. Run it when the worker starts."
            ),
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            queued = tasks.schedule_dumps()
            self.stdout.write(
                "nightly dump queued" if queued else "nightly dump already queued; nothing to do"
            )
            return
        bars = []

        def progress(name, total):
            # One resource at a time: the bar of the one before is done.
            for done in bars:
                done.close()
            bar = tqdm(total=total, desc=name, unit=" records", file=self.stderr._out, leave=False)
            bars.append(bar)
            return bar.update

        try:
            path = dumps.write_dump(options["dir"], progress=progress)
        finally:
            for bar in bars:
                bar.close()
        if options["dir"] is None:
            dumps.prune(options["keep"] if options["keep"] is not None else settings.DUMP_KEEP)
        self.stdout.write(str(path))
