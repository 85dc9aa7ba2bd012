from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from audit.commands import AuditedCommand
from components import dumps


class Command(AuditedCommand):
    help = (
        "Fill an empty registry from a dump (manage.py dump_catalogue, or "
        "GET /api/v1/dumps/latest). Every checksum is checked first and everything is "
        "written in one transaction: a corrupt file or a registry that is not empty is "
        "refused with the reason, and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The dump (.zip).")

    def handle(self, *args, **options):
        bars = []

        def progress(name, total):
            # One resource at a time: the bar of the one before is done.
            for done in bars:
                done.close()
            bar = tqdm(total=total, desc=name, unit=" records", file=self.stderr._out, leave=False)
            bars.append(bar)
            return bar.update

        try:
            loaded = dumps.load_dump(options["file"], progress=progress)
        except dumps.DumpError as exc:
            raise CommandError(str(exc)) from None
        finally:
            for bar in bars:
                bar.close()
        for name, count in loaded.items():
            self.stdout.write(f"{name}: {count}")
