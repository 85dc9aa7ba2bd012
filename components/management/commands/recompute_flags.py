from audit.commands import AuditedCommand
from components.licensing import recompute_all_flags
from components.models import Usage


class Command(AuditedCommand):
    help = (
        "Recompute every usage's restriction flag from its component's reuse restriction "
        "(saves keep them in step; run this after loading data another way). Safe to run again."
    )

    def handle(self, *args, **options):
        changed = recompute_all_flags()
        flagged = Usage.objects.exclude(restriction_flag="").count()
        self.stdout.write(f"{changed} flag(s) changed; {flagged} usage(s) flagged.")
