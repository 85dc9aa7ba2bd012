"""An organisation's usages as a spreadsheet, and back: the first sheet of
its workbook (the second holds its integrations: `integrations`), or a CSV
file. The import of a workbook plans and saves both sheets together.

The export holds the organisation's own word about its use (stated by it, or
a claim it confirmed), government-only usages included: they are its own.
Claims awaiting its answer are not its word yet and are answered on the
claims page; rejected claims are no usage.

The import matches each row to a component, then to the organisation's usage
of it: none is new, one is changed or unchanged. Only the columns the file
has are compared and written, so a sheet without 'notes' leaves the notes
alone. A usage not in the file is left as it is: removing a row stops
nothing (set its status to 'stopped' for that).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from registry import cache

from ..constants import Assertion, UsageStatus, Visibility
from ..licensing import restriction_flag
from ..models import OWN_WORD, Component, Release, Usage
from . import integrations
from .plan import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    ComponentMatcher,
    Plan,
    RowPlan,
    cell_reader,
    choice_reader,
    columns_of,
    read_values,
    refuse_formulas,
    text,
)
from .sheets import SheetError, read_book

COLUMNS = [
    "component",
    "componentName",
    "repositoryUrl",
    "release",
    "status",
    "since",
    "until",
    "visibility",
    "notes",
]
SAVED = ["release", "status", "since", "until", "visibility", "notes"]
REQUIRED = ("status", "visibility")
BATCH = 250
SHEET = "usages"
CHOICES = {"status": choice_reader(UsageStatus), "visibility": choice_reader(Visibility)}


def own_usages(organisation):
    return (
        Usage.objects.filter(organisation=organisation, assertion__in=OWN_WORD)
        .select_related("component", "release")
        .order_by("component__name", "component__slug")
    )


def export_rows(organisation):
    for usage in own_usages(organisation).iterator(chunk_size=2000):
        component = usage.component
        yield [
            component.slug,
            component.name,
            component.repository_url,
            usage.release.version if usage.release else "",
            usage.status,
            usage.since,
            usage.until,
            usage.visibility,
            usage.notes,
        ]


def export_book(organisation):
    """The workbook's sheets: (title, columns, rows) of the usages and the integrations."""
    return [
        (SHEET, COLUMNS, export_rows(organisation)),
        (integrations.SHEET, integrations.COLUMNS, integrations.export_rows(organisation)),
    ]


def plan_import(organisation, content, filename) -> Plan:
    """What importing the file would do to the organisation's usages and
    integrations. A workbook's sheet of integrations (by its title or its
    columns) goes to the integrations, its first other sheet to the usages;
    a CSV file is either."""
    book = [sheet for sheet in read_book(content, filename) if any(sheet.header) or sheet.rows]
    integration_sheets = [sheet for sheet in book if integrations.is_integrations(sheet)]
    usage_sheets = [sheet for sheet in book if sheet not in integration_sheets]
    if not book or not all(
        any(sheet.header) for sheet in (*usage_sheets[:1], *integration_sheets[:1])
    ):
        raise SheetError(_("The first row must name the columns."))
    plan = Plan(rows=[])
    matcher = ComponentMatcher()
    used = {usage.component_id: usage for usage in own_usages(organisation)}
    if usage_sheets:
        _plan_usages(organisation, usage_sheets[0], plan, matcher, used)
    if integration_sheets and not plan.problems:
        integrations.plan_sheet(organisation, integration_sheets[0], plan, matcher, used)
    return plan


def _plan_usages(organisation, sheet, plan, matcher, used):
    """Add the usages sheet's rows to `plan`; the new usages join `used`."""
    columns, ignored = columns_of(sheet.header, COLUMNS)
    plan.ignored_columns += ignored
    missing = [name for name in REQUIRED if name not in columns]
    if not {"component", "componentName", "repositoryUrl"} & set(columns):
        missing.insert(0, "component")
    if missing:
        plan.problems.append(
            _("The first row must name the columns %(names)s.") % {"names": ", ".join(missing)}
        )
        return

    cell = cell_reader(columns)
    existing = dict(used)
    seen = {}
    matched = []
    for row in sheet.rows:
        result = RowPlan(number=row.number, sheet=SHEET)
        plan.rows.append(result)
        refuse_formulas(row, columns, result)
        values = read_values(row, result, columns, CHOICES)
        slug = text(cell(row, "component"))
        url = text(cell(row, "repositoryUrl"))
        name = text(cell(row, "componentName"))
        result.label = slug or name or url
        component_id, reason, suggestions = matcher.match(slug, url, name)
        if component_id is None:
            result.error(
                cell(row, "component") or cell(row, "componentName") or cell(row, "repositoryUrl"),
                "component",
                reason,
            )
            result.suggestions = suggestions
            continue
        if component_id in seen:
            result.error(
                cell(row, "component") or cell(row, "componentName"),
                "component",
                _("Row %(n)d already names this component.") % {"n": seen[component_id]},
            )
            continue
        seen[component_id] = row.number
        matched.append((row, result, component_id, values))

    # Everything the rows need, in a few queries whatever their number.
    components = {
        c.pk: c
        for c in Component.objects.filter(pk__in=[m[2] for m in matched])
        .select_related("publisher")
        .prefetch_related("reuse_organisations")
    }
    releases = {
        (r.component_id, r.version): r
        for r in Release.objects.filter(component_id__in=list(components))
    }
    for row, result, component_id, values in matched:
        component = components[component_id]
        result.label = component.name
        if "release" in columns:
            version = text(cell(row, "release"))
            values["release"] = releases.get((component_id, version)) if version else None
            if version and values["release"] is None:
                result.error(
                    cell(row, "release"),
                    "release",
                    _("%(c)s has no release %(v)s.") % {"c": component.name, "v": version},
                )
        if result.state == ERROR:
            continue
        usage = existing.get(component_id)
        if usage is None:
            usage = Usage(organisation=organisation, component=component, assertion=Assertion.SELF)
            result.state = NEW
        else:
            usage.component = component
            result.changes = [
                name
                for name in SAVED
                if name in values
                and (getattr(usage, f"{name}_id") if name == "release" else getattr(usage, name))
                != (values[name].pk if name == "release" and values[name] else values[name])
            ]
            result.state = CHANGED if result.changes else UNCHANGED
        for name, value in values.items():
            setattr(usage, name, value)
        if usage.since and usage.until and usage.until < usage.since:
            result.error(cell(row, "until"), "until", _("The end date is before the start date."))
            continue
        result.target = usage
        if result.state == NEW:
            used[component_id] = usage


def apply(plan, *, user=None, actor=""):
    """Save the plan's new and changed usages, then its integrations (whose
    ends may be those new usages), all or nothing. Yields (saved, total) after
    each batch, for a progress indication.

    In batches (bulk inserts and updates, each with its history rows naming
    the user and the file): a save per row, with its signals, took 20 s for
    5,000 rows. What the signals would do is done here: each usage's
    restriction flag, and one invalidation of cached reads."""
    if not plan.ok:
        raise ValueError("a plan with errors is not saved")
    rows = plan.to_save
    total = len(rows)
    history = {"default_user": user, "custom_historical_attrs": {"history_actor": actor}}
    now = timezone.now()
    # Sorted by sheet: every usage is saved before an integration may name it.
    rows = [row for row in rows if row.sheet == SHEET] + [
        row for row in rows if row.sheet == integrations.SHEET
    ]
    with transaction.atomic():
        done = 0
        for start in range(0, total, BATCH):
            batch = rows[start : start + BATCH]
            _save_usages([row for row in batch if row.sheet == SHEET], history, now)
            integrations.save_batch(
                [row for row in batch if row.sheet == integrations.SHEET], history, now
            )
            done += len(batch)
            yield done, total
        if total:
            cache.changed()
    if not total:
        yield 0, 0


def _save_usages(batch, history, now):
    for row in batch:
        row.target.restriction_flag = restriction_flag(row.target)
        row.target.updated_at = now
    new = [row.target for row in batch if row.state == NEW]
    changed = [row.target for row in batch if row.state == CHANGED]
    if new:
        bulk_create_with_history(new, Usage, batch_size=BATCH, **history)
    if changed:
        bulk_update_with_history(
            changed, Usage, [*SAVED, "restriction_flag", "updated_at"], **history
        )


__all__ = [
    "CHANGED",
    "COLUMNS",
    "NEW",
    "UNCHANGED",
    "apply",
    "export_book",
    "export_rows",
    "plan_import",
]
