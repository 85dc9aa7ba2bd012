from django.db import connection, transaction

from audit.commands import AuditedCommand
from components import tally


class Command(AuditedCommand):
    help = (
        "Count the tally of organisations per component and kind (what 'organisations "
        "like yours use' reads) and of their usages per status (every component's usage "
        "counts) afresh from the usages. Triggers keep it; this says "
        "whether it was exact and makes it so. Safe to run again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            before = _kept()
            tally.rebuild(connection)
            after = _kept()
        wrong = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        self.stdout.write(
            f"{len(after)} tally row(s); {len(wrong)} were wrong and are counted afresh."
        )


def _kept():
    """{(component, kind): what its row counts}, the rows that count anything."""
    organisations, usages = tally.kept(connection), tally.kept_usages(connection)
    return {
        key: (organisations.get(key), usages.get(key))
        for key in organisations.keys() | usages.keys()
    }
