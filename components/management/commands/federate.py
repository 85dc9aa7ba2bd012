from django.core.management.base import CommandError
from tqdm import tqdm

from audit.commands import AuditedCommand
from components import federation


class Command(AuditedCommand):
    help = (
        "Pull a peer registry's public catalogue through its API: the components changed "
        "since the last run (updatedSince, page by page, ETag), with their releases and "
        "publishers. Each is kept read-only here, its source shown on its page; a local "
        "publisher's component is never overwritten (reported as skipped)."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="The peer's address (or its /api/v1).")

    def handle(self, *args, url, **options):
        with tqdm(desc="federate", unit=" components", file=self.stderr._out, leave=False) as bar:
            try:
                summary = federation.federate(url, progress=bar.update)
            except federation.FederationError as exc:
                raise CommandError(str(exc)) from None
        for slug, reason in summary.skipped:
            self.stderr.write(f"{slug}: skipped: {reason}")
        self.stdout.write(summary.line(federation.api_url(url)))
