from django.core.management.base import CommandError

from accounts.models import Organisation
from audit.commands import AuditedCommand
from components.merging import MOVE, REVOKE, MergeError, merge, plan_merge


class Command(AuditedCommand):
    help = (
        "Merge organisation SOURCE into TARGET: its components, releases, usages, claims, "
        "members, API tokens, webhooks, harvest sources and history move to TARGET; SOURCE "
        "is ended and its addresses lead to TARGET. --dry-run lists what would move and "
        "what conflicts, and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Slug of the organisation that is merged away (B).")
        parser.add_argument("target", help="Slug of the organisation it is merged into (A).")
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument(
            "--tokens",
            choices=[REVOKE, MOVE],
            help="What happens to SOURCE's active API tokens: revoked, or moved to TARGET.",
        )

    def handle(self, *args, source, target, dry_run, tokens, **options):
        found = {o.slug: o for o in Organisation.objects.filter(slug__in=[source, target])}
        for slug in (source, target):
            if slug not in found:
                raise CommandError(f"no organisation with slug {slug!r}")
        try:
            if dry_run:
                plan = plan_merge(found[source], found[target], tokens)
            else:
                plan = merge(found[source], found[target], tokens)
        except MergeError as exc:
            raise CommandError(str(exc)) from None
        for line in plan.lines():
            self.stdout.write(line)
        if dry_run:
            self.stderr.write("Dry run: nothing was changed.")
        else:
            self.stderr.write(f"Merged {plan.source.name} into {plan.target.name}.")
