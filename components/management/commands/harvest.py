from functools import partial

from django.core.management.base import CommandError
from tqdm import tqdm

from audit.commands import AuditedCommand
from components import harvest, tasks
from components.models import HarvestSource


class Command(AuditedCommand):
    help = (
        "Harvest publiccode.yml files: every due source (enabled, and not fetched for its "
        "interval), with a progress bar on stderr and a one-line summary. A broken source "
        "is recorded on the source, not in the exit status."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="Every enabled source, due or not.")
        which.add_argument(
            "--source",
            type=int,
            action="append",
            metavar="ID",
            help="Only this source (by id), enabled or not; may be repeated.",
        )
        which.add_argument(
            "--schedule",
            action="store_true",
            help=(
                "Queue the background task that harvests due sources every "
                "HARVEST_TICK_MINUTES, unless it is queued already; harvest nothing now. "
                "Run it when the worker starts."
            ),
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            queued = tasks.schedule_harvests()
            # The daily check of API components' OpenAPI documents rides along.
            tasks.schedule_lints()
            self.stdout.write(
                "harvest task queued" if queued else "harvest task already queued; nothing to do"
            )
            return
        progress = partial(
            tqdm, desc="harvest", unit=" sources", file=self.stderr._out, leave=False
        )
        source = options["source"]
        if source:
            sources = HarvestSource.objects.filter(pk__in=source)
            missing = set(source) - set(sources.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    "no harvest source with id " + ", ".join(map(str, sorted(missing)))
                )
            counts = harvest.run(sources.order_by("pk"), progress=progress)
        elif options["all"]:
            counts = harvest.run(
                HarvestSource.objects.filter(enabled=True).order_by("pk"), progress=progress
            )
        else:
            counts = harvest.run_due(progress=progress)
        self.stdout.write(harvest.summary(counts))
