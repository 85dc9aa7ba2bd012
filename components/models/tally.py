"""How many organisations of each kind use each component: the tally that
"organisations like yours use" reads (components.figures.similar_organisations_use),
and how many usages of each status they have: the usage counts every component's
representation shows (components.query.usage_summaries).

Counting that from the usages meant grouping every usage of every organisation
of a kind (at 50,000 components and 500,000 usages, 114,000 rows and 110-140 ms
for one organisation page). The tally keeps, per component and organisation
kind, the number of distinct organisations with a usage in use (pilot or
production, not a rejected claim) and, apart, those with such a usage that is
public. Triggers in the database keep it (migration 0026, components/tally.py):
every way a usage is written (the API, the site, spreadsheets, imports, dumps,
merges, raw SQL) counts, and a change is in the tally in the same transaction
as the usage, so the next read sees it.
"""

from django.db import models

from accounts.constants import OrganisationKind


class UseTally(models.Model):
    component = models.ForeignKey(
        "components.Component", on_delete=models.CASCADE, related_name="+"
    )
    organisation_kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    # Distinct organisations of that kind with a usage in use, of any visibility…
    organisations = models.PositiveIntegerField(default=0)
    # …and with a public one: what a visitor who sees no government-only usage may count.
    public_organisations = models.PositiveIntegerField(default=0)
    # The usages of organisations of that kind, per status: every usage but a
    # rejected claim, of any visibility (the API's usageCounts; migration 0027).
    # One column per UsageStatus (components.tally.USAGE_COLUMNS; a test holds the
    # two together). db_default: the triggers' statements that count organisations
    # insert rows without naming these.
    usages_planned = models.PositiveIntegerField(default=0, db_default=0)
    usages_pilot = models.PositiveIntegerField(default=0, db_default=0)
    usages_production = models.PositiveIntegerField(default=0, db_default=0)
    usages_stopped = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = "usage tally"
        constraints = [
            models.UniqueConstraint(
                fields=["component", "organisation_kind"], name="usetally_once_per_kind"
            ),
        ]
        indexes = [
            # The most used first, for each kind and each kind of viewer.
            models.Index(
                fields=["organisation_kind", "-organisations", "component"],
                name="usetally_kind_all",
            ),
            models.Index(
                fields=["organisation_kind", "-public_organisations", "component"],
                name="usetally_kind_public",
            ),
        ]

    def __str__(self):
        return f"{self.component_id}/{self.organisation_kind}: {self.organisations}"
