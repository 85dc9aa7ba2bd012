from django.core.management.base import CommandError

from audit.commands import AuditedCommand
from components.merging import MergeError
from components.models import Component
from components.takeover import merge_components, plan_component_merge


class Command(AuditedCommand):
    help = (
        "Merge duplicate component SOURCE into TARGET: its usages (with their integrations), "
        "releases, dependencies, links, API checks and history move to TARGET; two usages by "
        "one organisation become one; SOURCE's address answers 301 to TARGET. --dry-run lists "
        "what would move and what conflicts, and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Slug of the duplicate that is merged away.")
        parser.add_argument("target", help="Slug of the component it is merged into.")
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    def handle(self, *args, source, target, dry_run, **options):
        found = Component.objects.in_bulk([source, target], field_name="slug")
        for slug in (source, target):
            if slug not in found:
                raise CommandError(f"no component with slug {slug!r}")
        try:
            lines = plan_component_merge(found[source], found[target])
            if not dry_run:
                merge_components(found[source], found[target])
        except MergeError as exc:
            raise CommandError(str(exc)) from None
        for line in lines:
            self.stdout.write(line)
        if dry_run:
            self.stderr.write("Dry run: nothing was changed.")
        else:
            self.stderr.write(f"Merged {source} into {target}.")
