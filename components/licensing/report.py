"""The licence report of an organisation: the licences it uses, their
obligations and its flagged usages; also as CSV rows."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch

from accounts.models import Organisation

from ..constants import UsageStatus
from ..models import Usage
from .obligations import BLOCKER, Obligation, licence_obligation
from .verdicts import Reason, restriction_reason


@dataclass
class ReportLicence:
    license: object  # a License
    obligation: Obligation
    components: list = field(default_factory=list)  # the components it is used under


@dataclass
class ReportUsage:
    usage: object  # a Usage, with its component
    reason: Reason | None  # why it is flagged; None when it is not


@dataclass
class LicenceReport:
    organisation: object
    usages: list  # ReportUsage, by component name
    licences: list  # ReportLicence, by id

    @property
    def flagged(self) -> list[ReportUsage]:
        return [row for row in self.usages if row.reason is not None]


def licence_report(organisation, viewer) -> LicenceReport:
    """The licences `organisation` uses, their obligations, and its flagged usages.

    Only the usages `viewer` may see count (a government-only usage is
    reported only to public-sector viewers, curators and the organisation
    itself); rejected claims are no use. Licences come from usages that have
    not stopped; every usage, stopped or not, is listed. Three queries,
    however many usages.
    """
    usages = list(
        Usage.objects.filter(organisation=organisation)
        .visible_to(viewer)
        .counted()
        .select_related("component__publisher", "organisation")
        .prefetch_related(
            "component__licenses__owner",
            # Only whether this organisation is named matters for its flags.
            Prefetch(
                "component__reuse_organisations",
                queryset=Organisation.objects.filter(pk=organisation.pk),
            ),
        )
        .order_by("component__name", "pk")
    )
    rows, licences = [], {}
    for usage in usages:
        reason = None
        if usage.restriction_flag:
            fresh = restriction_reason(usage.component, organisation)
            reason = (
                fresh
                if fresh.severity == BLOCKER
                else Reason(
                    "restriction-flag", usage.restriction_flag, usage.restriction_flag, BLOCKER
                )
            )
        rows.append(ReportUsage(usage, reason))
        if usage.status == UsageStatus.STOPPED:
            continue
        for licence in usage.component.licenses.all():
            entry = licences.get(licence.id)
            if entry is None:
                entry = licences[licence.id] = ReportLicence(licence, licence_obligation(licence))
            entry.components.append(usage.component)
    return LicenceReport(
        organisation=organisation,
        usages=rows,
        licences=[licences[key] for key in sorted(licences)],
    )


CSV_COLUMNS = [
    "component",
    "componentName",
    "status",
    "visibility",
    "assertion",
    "license",
    "obligations",
    "flagged",
    "restrictionFlag",
]


def licence_report_rows(report: LicenceReport) -> Iterator[list[str]]:
    """The report as CSV rows (one per usage, header first), texts in the active language."""
    obligations = {entry.license.id: entry.obligation for entry in report.licences}
    yield CSV_COLUMNS
    for row in report.usages:
        usage = row.usage
        texts = [
            f"{licence.id}: {(obligations.get(licence.id) or licence_obligation(licence)).text}"
            for licence in usage.component.licenses.all()
        ]
        yield [
            usage.component.slug,
            usage.component.name,
            usage.status,
            usage.visibility,
            usage.assertion,
            usage.component.license_expression,
            " | ".join(texts),
            "yes" if row.reason else "no",
            row.reason.text if row.reason else "",
        ]
