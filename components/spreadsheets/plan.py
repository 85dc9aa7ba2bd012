"""What an import would do, row by row, before anything is saved: the
preview. Shared by the usages and the catalogue import.

Each row is new, changed (with the columns that change), unchanged, or an
error (with the cell and the reason). Saving is all-or-nothing: a plan with
one error saves nothing. A second import of the same file finds every row
unchanged and saves nothing.
"""

import datetime
import difflib
import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import override

from ..models import Component

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
STATES = (NEW, CHANGED, UNCHANGED, ERROR)
# Rows with a near miss get suggestions; past this many, difflib's cost is not worth it.
SUGGESTED_ROWS = 50


@dataclass
class Problem:
    cell: str  # "C7", or "" for the row as a whole
    column: str
    reason: str


@dataclass
class RowPlan:
    number: int
    label: str = ""
    sheet: str = ""  # the sheet's name where a file has several (usages, integrations)
    state: str = UNCHANGED
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    # What saving does with the row: the model instance to save, prepared.
    target: object = None
    values: dict = field(default_factory=dict)

    def error(self, cell, column, reason):
        self.problems.append(Problem(cell.ref if cell else "", column, reason))
        self.state = ERROR


@dataclass
class Plan:
    rows: list
    problems: list = field(default_factory=list)  # problems with the file as a whole
    ignored_columns: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(row.state == ERROR for row in self.rows)

    def count(self, state) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def counts(self) -> dict:
        return {state: self.count(state) for state in STATES}

    @property
    def sheets(self) -> list:
        """The sheets the rows come from, in order."""
        return list(dict.fromkeys(row.sheet for row in self.rows))

    @property
    def to_save(self) -> list:
        return [row for row in self.rows if row.state in (NEW, CHANGED)]

    @property
    def fingerprint(self) -> str:
        """What the preview showed, in short: saving checks that a fresh plan
        is the same, or shows the new one instead (the catalogue changed)."""
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(f"{row.sheet}{row.number}:{row.state}:{','.join(row.changes)};".encode())
        return digest.hexdigest()[:32]


def cell_reader(columns):
    """A function giving a row's cell of one of our columns, or None where the
    file lacks the column."""

    def cell(row, name):
        return row.cells.get(columns[name]) if name in columns else None

    return cell


def refuse_formulas(row, columns, result):
    """A formula in any of our columns is an error: it is not evaluated."""
    for name, written in columns.items():
        if row.cells[written].formula:
            result.error(
                row.cells[written], name, _("The cell holds a formula; type the value itself.")
            )


def read_values(row, result, columns, choices):
    """The row's choices (e.g. status, visibility: {column: reader}), dates
    (since, until) and notes, for the columns the file has; problems are noted
    on `result`. A choice column the file has must be filled in."""
    cell = cell_reader(columns)
    values = {}
    for name, reader in choices.items():
        if name in columns:
            values[name], reason = reader(cell(row, name))
            if reason or values[name] is None:
                result.error(cell(row, name), name, reason or GIVE[name]())
    for name in ("since", "until"):
        if name in columns:
            values[name], reason = read_date(cell(row, name))
            if reason:
                result.error(cell(row, name), name, reason)
    if values.get("since") and values.get("until") and values["until"] < values["since"]:
        result.error(cell(row, "until"), "until", _("The end date is before the start date."))
    if "notes" in columns:
        values["notes"] = text(cell(row, "notes"))
    return values


# What an empty choice cell is told, in the reader's language at the time.
GIVE = {
    "status": lambda: _("Give a status."),
    "visibility": lambda: _("Give a visibility."),
    "direction": lambda: _("Give a direction."),
}


def columns_of(header, known):
    """{our column: the name as written} for the header's known columns, matched
    without regard to case, spaces or underscores; and the unknown ones."""
    wanted = {_fold(name): name for name in known}
    found, ignored = {}, []
    for written in header:
        if not written:
            continue
        ours = wanted.get(_fold(written))
        if ours and ours not in found:
            found[ours] = written
        else:
            ignored.append(written)
    return found, ignored


def _fold(name):
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


def text(cell) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def choice_reader(choices):
    """A function reading a choice from a cell: its value (e.g. 'production') or
    its label in Dutch or English ('In productie', 'In production')."""
    mapping = {}
    for value, label in choices.choices:
        mapping[value.lower()] = value
        for language in ("nl", "en"):
            with override(language):
                mapping[str(label).lower()] = value

    def read(cell):
        raw = text(cell)
        if not raw:
            return None, ""
        value = mapping.get(raw.lower())
        if value is None:
            return None, _("'%(v)s' is not one of: %(choices)s.") % {
                "v": raw,
                "choices": ", ".join(choices.values),
            }
        return value, ""

    return read


def read_date(cell):
    """(date or None, reason): a date cell, or text as 2024-06-01 or 1-6-2024."""
    if cell is None or cell.value in (None, ""):
        return None, ""
    value = cell.value
    if isinstance(value, datetime.datetime):
        return value.date(), ""
    if isinstance(value, datetime.date):
        return value, ""
    raw = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw, pattern).date(), ""
        except ValueError:
            continue
    return None, _("'%(v)s' is not a date; write it as 2024-06-01.") % {"v": raw}


def normalise_url(url) -> str:
    url = (url or "").strip().lower()
    url = url.removesuffix("/").removesuffix(".git")
    return url.replace("http://", "https://", 1)


class ComponentMatcher:
    """Finds a component by slug, repository URL or exact name (in that order),
    with near misses suggested (difflib) when none matches. Reads the
    catalogue's identifiers once."""

    def __init__(self, queryset=None):
        rows = (queryset if queryset is not None else Component.objects.all()).values_list(
            "pk", "slug", "name", "repository_url", "kind"
        )
        self.by_slug, self.by_url, self.by_name = {}, {}, {}
        self.names, self.label, self.name, self.kind = [], {}, {}, {}
        for pk, slug, name, url, kind in rows:
            self.by_slug[slug] = pk
            self.label[pk] = f"{name} ({slug})"
            self.name[pk], self.kind[pk] = name, kind
            if url:
                self.by_url[normalise_url(url)] = pk
            self.by_name.setdefault(name.strip().lower(), []).append(pk)
            self.names.append(name)
        self.slugs = list(self.by_slug)
        self.suggested = 0

    def match(self, slug="", url="", name=""):
        """(component id or None, reason, suggestions)."""
        if slug and slug in self.by_slug:
            return self.by_slug[slug], "", []
        if url and normalise_url(url) in self.by_url:
            return self.by_url[normalise_url(url)], "", []
        if name:
            found = self.by_name.get(name.strip().lower(), [])
            if len(found) == 1:
                return found[0], "", []
            if len(found) > 1:
                return (
                    None,
                    _("Several components are called '%(name)s'; give the identifier.")
                    % {"name": name},
                    [],
                )
        asked = slug or url or name
        if not asked:
            return None, _("Give the component's identifier, repository URL or name."), []
        return (
            None,
            _("No component has the identifier, repository URL or name '%(v)s'.") % {"v": asked},
            self.suggest(slug or name),
        )

    def find(self, value, name=""):
        """One cell that may hold any of the three (slug, repository URL or
        exact name), with a name column beside it as the fallback:
        (component id or None, reason, suggestions)."""
        if not value:
            return self.match(name=name)
        found = self.match(value, value, value)
        if found[0] is None and name and name != value:
            named = self.match(name=name)
            if named[0] is not None:
                return named
        return found

    def suggest(self, asked):
        """Up to 3 components whose name or identifier is close to `asked`,
        as "Name (identifier)"."""
        if not asked or self.suggested >= SUGGESTED_ROWS:
            return []
        self.suggested += 1
        found = []
        for name in difflib.get_close_matches(asked, self.names, n=3, cutoff=0.6):
            found += self.by_name.get(name.strip().lower(), [])
        for slug in difflib.get_close_matches(asked, self.slugs, n=3, cutoff=0.6):
            found.append(self.by_slug[slug])
        return [self.label[pk] for pk in dict.fromkeys(found)][:3]
