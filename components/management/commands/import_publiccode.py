from pathlib import Path

from django.core.management.base import CommandError

from accounts.models import Organisation
from audit.commands import AuditedCommand
from components.publiccode import import_publiccode


class Command(AuditedCommand):
    help = (
        "Import publiccode.yml files into the catalogue for a publisher. Prints every "
        "finding as file:line:column: severity: key: message and a summary; exits with "
        "status 1 when any file has errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="publiccode.yml files to import.")
        parser.add_argument(
            "--publisher", required=True, help="Slug of the organisation that publishes them."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and match, but save nothing."
        )

    def handle(self, *args, files, publisher, dry_run, **options):
        organisation = Organisation.objects.filter(slug=publisher).first()
        if organisation is None:
            raise CommandError(f"no organisation with slug {publisher!r}")
        imported = created = refused = 0
        for name in files:
            try:
                content = Path(name).read_bytes()
            except OSError as exc:
                self.stdout.write(f"{name}:0:0: error: cannot read the file: {exc.strerror}")
                refused += 1
                continue
            result = import_publiccode(content, organisation, dry_run=dry_run)
            for finding in result.findings:
                self.stdout.write(f"{name}:{finding}")
            if result.ok:
                imported += 1
                created += result.created
                if result.unmatched:
                    self.stdout.write(
                        f"{name}: usedBy names matching no organisation, kept: "
                        + ", ".join(result.unmatched)
                    )
            else:
                refused += 1
        summary = f"{imported} imported ({created} new), {refused} refused"
        if dry_run:
            summary += " (dry run: nothing saved)"
        self.stdout.write(summary)
        if refused:
            raise CommandError(f"{refused} of {len(files)} file(s) refused")
