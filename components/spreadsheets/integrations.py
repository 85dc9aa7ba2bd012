"""An organisation's integrations as a spreadsheet, and back: the second sheet
("integrations") of its workbook, or a CSV file of their own.

Like the usages sheet, it holds the organisation's own word (stated by it, or
a claim it confirmed), government-only integrations included. Claims awaiting
its answer are answered on the claims page and are neither exported nor
touched; another organisation's integrations never are.

Each row is identified by the `id` column, the integration's own id, so an
edited row changes that integration (its ends and standard included). A row
without an id is new, unless the organisation already records the same
integration (from, to, over the same standard): then it is that one, so a
second import of the same file changes nothing. Both ends must be components
the organisation uses (or that the file's usages sheet adds); the standard or
API is optional. Components are found by identifier, repository URL or exact
name, in one cell, with the name column beside it as the fallback. Only the
columns the file has are compared and written. An integration not in the file
is left as it is.
"""

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..constants import Assertion, IntegrationDirection, IntegrationStatus, Visibility
from ..models import CARRIER_KINDS, OWN_WORD, Integration
from .plan import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    RowPlan,
    cell_reader,
    choice_reader,
    columns_of,
    read_values,
    refuse_formulas,
    text,
)

SHEET = "integrations"
COLUMNS = [
    "id",
    "from",
    "fromName",
    "to",
    "toName",
    "standard",
    "standardName",
    "direction",
    "status",
    "since",
    "until",
    "visibility",
    "notes",
]
# Column → model field, for what is compared and saved.
FIELDS = {
    "from": "source_usage",
    "to": "target_usage",
    "standard": "standard",
    "direction": "direction",
    "status": "status",
    "since": "since",
    "until": "until",
    "visibility": "visibility",
    "notes": "notes",
}
SAVED = [*FIELDS.values(), "updated_at"]
REQUIRED = ("status", "visibility")
CHOICES = {
    "status": choice_reader(IntegrationStatus),
    "direction": choice_reader(IntegrationDirection),
    "visibility": choice_reader(Visibility),
}
# How a sheet is known to hold integrations: by its title, or by its columns.
TITLES = ("integrations", "integraties", "koppelingen")


def is_integrations(sheet) -> bool:
    columns, _ignored = columns_of(sheet.header, COLUMNS)
    return (
        sheet.title.strip().lower() in TITLES
        or {"from", "to"} <= set(columns)
        or {"fromName", "toName"} <= set(columns)
    )


def own_integrations(organisation):
    return (
        Integration.objects.filter(organisation=organisation, assertion__in=OWN_WORD)
        .select_related("source_usage__component", "target_usage__component", "standard")
        .order_by("source_usage__component__name", "target_usage__component__name", "id")
    )


def export_rows(organisation):
    for integration in own_integrations(organisation).iterator(chunk_size=2000):
        yield [
            integration.pk,
            *integration.named_ends(),
            integration.direction,
            integration.status,
            integration.since,
            integration.until,
            integration.visibility,
            integration.notes,
        ]


class _Sheet:
    """What planning one integrations sheet needs and learns as it goes."""

    def __init__(self, organisation, columns, matcher, used):
        self.organisation = organisation
        self.columns = columns
        self.matcher = matcher
        self.used = used
        self.cell = cell_reader(columns)
        self.existing = {i.pk: i for i in own_integrations(organisation)}
        # (from's component, to's component, standard) → id: once per organisation's own word.
        self.by_key = {
            (i.source_usage.component_id, i.target_usage.component_id, i.standard_id): i.pk
            for i in self.existing.values()
        }
        self.seen_ids, self.seen_keys = {}, {}

    def integration(self, row, result):
        """The existing integration the row's id names, or None (a new one)."""
        raw = text(self.cell(row, "id"))
        if not raw:
            return None
        found = self.existing.get(int(raw)) if raw.isdigit() else None
        if found is None:
            result.error(
                self.cell(row, "id"),
                "id",
                _(
                    "Your organisation records no integration with the id '%(v)s'; "
                    "leave the id empty for a new one."
                )
                % {"v": raw},
            )
        elif found.pk in self.seen_ids:
            result.error(
                self.cell(row, "id"),
                "id",
                _("Row %(n)d already names this integration.") % {"n": self.seen_ids[found.pk]},
            )
            return None
        else:
            self.seen_ids[found.pk] = row.number
        return found

    def component(self, row, result, end):
        """The component named at one end ("from", "to"), or None with an error."""
        value, name = text(self.cell(row, end)), text(self.cell(row, f"{end}Name"))
        cell = self.cell(row, end) or self.cell(row, f"{end}Name")
        component_id, reason, suggestions = self.matcher.find(value, name)
        if component_id is None:
            result.error(cell, end, reason)
            result.suggestions += suggestions
        return component_id, cell

    def standard(self, row, result):
        """(standard's id or None, whether the row names one at all)."""
        if "standard" not in self.columns and "standardName" not in self.columns:
            return None, False
        value, name = text(self.cell(row, "standard")), text(self.cell(row, "standardName"))
        if not value and not name:
            return None, True
        cell = self.cell(row, "standard") or self.cell(row, "standardName")
        standard_id, reason, suggestions = self.matcher.find(value, name)
        if standard_id is None:
            result.error(cell, "standard", reason)
            result.suggestions += suggestions
        elif self.matcher.kind[standard_id] not in CARRIER_KINDS:
            result.error(
                cell,
                "standard",
                _("%(c)s is not a standard or an API.") % {"c": self.matcher.label[standard_id]},
            )
            standard_id = None
        return standard_id, True

    def usage(self, result, component_id, cell, end):
        usage = self.used.get(component_id)
        if usage is None:
            result.error(
                cell,
                end,
                _(
                    "Your organisation records no usage of %(c)s: add it to the usages "
                    "sheet or record it on the usages page first."
                )
                % {"c": self.matcher.label[component_id]},
            )
        return usage


def plan_sheet(organisation, sheet, plan, matcher, used):
    """Add the integrations sheet's rows to `plan`. `used` maps a component's
    id to the organisation's usage of it: the ones it records, and the new ones
    the file's usages sheet adds."""
    columns, ignored = columns_of(sheet.header, COLUMNS)
    plan.ignored_columns += ignored
    missing = [name for name in REQUIRED if name not in columns]
    for end in ("to", "from"):
        if end not in columns and f"{end}Name" not in columns:
            missing.insert(0, end)
    if missing:
        plan.problems.append(
            _("The first row of the integrations sheet must name the columns %(names)s.")
            % {"names": ", ".join(missing)}
        )
        return
    state = _Sheet(organisation, columns, matcher, used)
    for row in sheet.rows:
        result = RowPlan(number=row.number, sheet=SHEET)
        plan.rows.append(result)
        _plan_row(state, row, result)


def _label(matcher, source_id, target_id, standard_id):
    label = f"{matcher.name[source_id]} → {matcher.name[target_id]}"
    return f"{label} ({matcher.name[standard_id]})" if standard_id else label


def _plan_row(state, row, result):
    refuse_formulas(row, state.columns, result)
    values = read_values(row, result, state.columns, CHOICES)
    integration = state.integration(row, result)
    typed = [text(state.cell(row, name)) for name in ("from", "fromName", "to", "toName")]
    result.label = f"{typed[0] or typed[1]} → {typed[2] or typed[3]}"
    source_id, source_cell = state.component(row, result, "from")
    target_id, target_cell = state.component(row, result, "to")
    standard_id, names_standard = state.standard(row, result)
    if not names_standard and integration is not None:
        standard_id = integration.standard_id
    if source_id is None or target_id is None:
        return
    result.label = _label(state.matcher, source_id, target_id, standard_id)
    if source_id == target_id:
        result.error(target_cell, "to", _("An integration connects two different components."))
        return
    source = state.usage(result, source_id, source_cell, "from")
    target = state.usage(result, target_id, target_cell, "to")
    if result.state == ERROR:
        return
    key = (source_id, target_id, standard_id)
    if key in state.seen_keys:
        result.error(
            source_cell,
            "from",
            _("Row %(n)d already names this integration.") % {"n": state.seen_keys[key]},
        )
        return
    state.seen_keys[key] = row.number
    owner = state.by_key.get(key)
    if integration is None and owner is not None and owner not in state.seen_ids:
        # No id, but the organisation records just this: the same one, not a second.
        integration = state.existing[owner]
        state.seen_ids[owner] = row.number
    elif owner is not None and (integration is None or owner != integration.pk):
        result.error(
            source_cell,
            "from",
            _("Your organisation already records this integration (id %(id)d).") % {"id": owner},
        )
        return
    wanted = {**values, "from": source, "to": target, "standard": standard_id}
    if integration is None:
        integration = Integration(organisation=state.organisation, assertion=Assertion.SELF)
        result.state = NEW
    else:
        result.changes = [column for column in FIELDS if _differs(integration, column, wanted)]
        result.state = CHANGED if result.changes else UNCHANGED
    for column, value in wanted.items():
        if column == "standard":
            integration.standard_id = value
        else:
            setattr(integration, FIELDS[column], value)
    if integration.since and integration.until and integration.until < integration.since:
        result.error(
            state.cell(row, "until") or state.cell(row, "since"),
            "until",
            _("The end date is before the start date."),
        )
        return
    result.target = integration


def _differs(integration, column, wanted):
    if column not in wanted:
        return False
    if column in ("from", "to"):
        return getattr(integration, f"{FIELDS[column]}_id") != wanted[column].pk
    if column == "standard":
        return integration.standard_id != wanted[column]
    return getattr(integration, FIELDS[column]) != wanted[column]


def save_batch(batch, history, now):
    """Save one batch of new and changed integrations (their ends may be usages
    saved moments before, in the same transaction)."""
    for row in batch:
        row.target.updated_at = now
    new = [row.target for row in batch if row.state == NEW]
    changed = [row.target for row in batch if row.state == CHANGED]
    if new:
        bulk_create_with_history(new, Integration, batch_size=len(new), **history)
    if changed:
        bulk_update_with_history(changed, Integration, SAVED, **history)


__all__ = ["COLUMNS", "SHEET", "export_rows", "is_integrations", "plan_sheet", "save_batch"]
