# ruff: noqa: S608  -- SQL built from this module's own constants, never from input.
"""The triggers that keep components_usetally (components.models.tally.UseTally),
the same statements on PostgreSQL and SQLite.

A usage counts when it is in use: pilot or production, and not a rejected claim.
An organisation counts once per component and kind however many of its usages
count (its own word and a vendor's claim, say), so a usage adds one only when it
is the first that counts for its organisation and component, and takes one away
only when it was the last. An update is the old row taken away and the new one
added; the triggers skip updates that change none of the columns that count
(a usage's notes, say), so an ordinary PATCH costs nothing here.

On PostgreSQL, two transactions writing usages of the same organisation and
component at once would each miss the other's row in their "is it the first?"
check. So each trigger first locks the tally row its usage counts in (creating
it, empty, when there is none): the second writer waits for the first to commit,
and its check then sees what has committed. A row lock, not an advisory lock:
advisory locks are kept in shared memory until the transaction ends, and a dump
or an import writing tens of thousands of usages in one transaction ran out of
it ("out of shared memory", seen with the benchmark's generator); a row lock is
written in the row. SQLite has one writer at a time.

Why BEFORE triggers on PostgreSQL and AFTER on SQLite: each must see the rows a
statement has already written before this one, and not the rows it writes after
(a DELETE of a pair's two usages at once must count the pair out once, at its
last usage). PostgreSQL runs AFTER ROW triggers only when the whole statement is
done, when they all see every row gone; its BEFORE ROW triggers see the earlier
rows. SQLite runs AFTER ROW triggers row by row, as each row is written.

An organisation that changes kind moves its counts from one kind to the other
(a trigger on accounts_organisation). rebuild() counts everything afresh: the
migration fills the tally with it, and `manage.py rebuild_use_tally` is there for
an operator who wants to be sure.
"""

from .constants import Assertion, UsageStatus, Visibility
from .query import IN_USE as IN_USE_STATUSES

TALLY = "components_usetally"
USAGE = "components_usage"
ORGANISATION = "accounts_organisation"

# What Usage.objects.in_use() means (components/query.py), as SQL on a row.
IN_USE = (
    f"{{row}}.status IN ({', '.join(repr(str(status)) for status in IN_USE_STATUSES)}) "
    f"AND {{row}}.assertion <> '{Assertion.REJECTED}'"
)
# Each counter, with the condition a usage meets to count in it and the values
# of a new tally row that counts it.
COUNTERS = (
    ("organisations", "", "1, 0"),
    ("public_organisations", f" AND {{row}}.visibility = '{Visibility.PUBLIC}'", "0, 1"),
)
COUNTING_COLUMNS = ("organisation_id", "component_id", "status", "assertion", "visibility")

# The usages themselves, per status (what the API's usageCounts show): every usage
# but a rejected claim, of any visibility (a count names no one), each counting
# one. Unlike the organisations above no "is it the first?" check is needed, so a
# usage simply adds one to its status's column and takes it away again.
USAGE_COLUMNS = {status: f"usages_{status}" for status in UsageStatus.values}
COUNTED = f"{{row}}.assertion <> '{Assertion.REJECTED}'"

# Another usage of the same organisation and component that counts (as public).
OTHER = (
    f"SELECT 1 FROM {USAGE} u WHERE u.organisation_id = {{row}}.organisation_id "
    f"AND u.component_id = {{row}}.component_id AND u.id <> {{row}}.id "
    f"AND {IN_USE.format(row='u')}"
)
KIND = f"(SELECT o.kind FROM {ORGANISATION} o WHERE o.id = {{row}}.organisation_id)"


def _add(row):
    """Statements that count the usage `row` (NEW) in."""
    return [
        f"INSERT INTO {TALLY} (component_id, organisation_kind, organisations, "
        f"public_organisations) SELECT {row}.component_id, o.kind, {values} "
        f"FROM {ORGANISATION} o WHERE o.id = {row}.organisation_id "
        f"AND {IN_USE.format(row=row)}{only.format(row=row)} "
        f"AND NOT EXISTS ({OTHER.format(row=row)}{only.format(row='u')}) "
        f"ON CONFLICT (component_id, organisation_kind) "
        f"DO UPDATE SET {column} = {TALLY}.{column} + 1"
        for column, only, values in COUNTERS
    ]


def _take(row):
    """Statements that count the usage `row` (OLD) out."""
    return [
        f"UPDATE {TALLY} SET {column} = {column} - 1 "
        f"WHERE component_id = {row}.component_id "
        f"AND organisation_kind = {KIND.format(row=row)} "
        f"AND {IN_USE.format(row=row)}{only.format(row=row)} "
        f"AND NOT EXISTS ({OTHER.format(row=row)}{only.format(row='u')})"
        for column, only, _values in COUNTERS
    ]


def _one_if(row, status):
    """1 when the usage `row` has this status, else 0."""
    return f"CASE WHEN {row}.status = '{status}' THEN 1 ELSE 0 END"


def _per_status(row):
    """The usage columns' values for the usage `row`: 1 in its status's column."""
    return ", ".join(_one_if(row, status) for status in USAGE_COLUMNS)


_USAGE_NAMES = ", ".join(USAGE_COLUMNS.values())
_USAGE_SUMS = ", ".join(
    f"{column} = {TALLY}.{column} + excluded.{column}" for column in USAGE_COLUMNS.values()
)


def _add_usage(row):
    """The statement that counts the usage `row` (NEW) in its status's column."""
    return (
        f"INSERT INTO {TALLY} (component_id, organisation_kind, organisations, "
        f"public_organisations, {_USAGE_NAMES}) SELECT {row}.component_id, o.kind, 0, 0, "
        f"{_per_status(row)} FROM {ORGANISATION} o WHERE o.id = {row}.organisation_id "
        f"AND {COUNTED.format(row=row)} "
        f"ON CONFLICT (component_id, organisation_kind) DO UPDATE SET {_USAGE_SUMS}"
    )


def _take_usage(row):
    """The statement that counts the usage `row` (OLD) out of its status's column."""
    columns = ", ".join(
        f"{column} = {column} - {_one_if(row, status)}" for status, column in USAGE_COLUMNS.items()
    )
    return (
        f"UPDATE {TALLY} SET {columns} WHERE component_id = {row}.component_id "
        f"AND organisation_kind = {KIND.format(row=row)} AND {COUNTED.format(row=row)}"
    )


def _kind_change():
    """Statements that move an organisation's counts from OLD.kind to NEW.kind."""
    statements = []
    for column, only, values in COUNTERS:
        used = (
            f"SELECT DISTINCT u.component_id FROM {USAGE} u "
            f"WHERE u.organisation_id = NEW.id AND {IN_USE.format(row='u')}{only.format(row='u')}"
        )
        statements.append(
            f"UPDATE {TALLY} SET {column} = {column} - 1 "
            f"WHERE organisation_kind = OLD.kind AND component_id IN ({used})"
        )
        statements.append(
            f"INSERT INTO {TALLY} (component_id, organisation_kind, organisations, "
            f"public_organisations) SELECT component_id, NEW.kind, {values} "
            f"FROM ({used}) used WHERE true "
            f"ON CONFLICT (component_id, organisation_kind) "
            f"DO UPDATE SET {column} = {TALLY}.{column} + 1"
        )
    return statements


def _kind_change_usages():
    """Statements that move an organisation's usages, per component and status,
    from OLD.kind to NEW.kind."""
    sums = ", ".join(
        f"SUM({_one_if('u', status)}) AS {column}" for status, column in USAGE_COLUMNS.items()
    )
    moved = (
        f"SELECT u.component_id, {sums} FROM {USAGE} u "
        f"WHERE u.organisation_id = NEW.id AND {COUNTED.format(row='u')} GROUP BY u.component_id"
    )
    less = ", ".join(
        f"{column} = {TALLY}.{column} - moved.{column}" for column in USAGE_COLUMNS.values()
    )
    return [
        f"UPDATE {TALLY} SET {less} FROM ({moved}) moved "
        f"WHERE {TALLY}.component_id = moved.component_id AND {TALLY}.organisation_kind = OLD.kind",
        f"INSERT INTO {TALLY} (component_id, organisation_kind, organisations, "
        f"public_organisations, {_USAGE_NAMES}) SELECT component_id, NEW.kind, 0, 0, "
        f"{_USAGE_NAMES} FROM ({moved}) moved WHERE true "
        f"ON CONFLICT (component_id, organisation_kind) DO UPDATE SET {_USAGE_SUMS}",
    ]


CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COUNTING_COLUMNS)
CHANGED_PG = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COUNTING_COLUMNS)


def _lock(*rows):
    """Lock the tally rows that `rows` (OLD, NEW) count in, in one order."""
    keys = ", ".join(f"({row}.component_id, {KIND.format(row=row)})" for row in rows)
    return "\n".join(
        [
            f"INSERT INTO {TALLY} (component_id, organisation_kind, organisations, "
            f"public_organisations) SELECT {row}.component_id, o.kind, 0, 0 "
            f"FROM {ORGANISATION} o WHERE o.id = {row}.organisation_id "
            f"ON CONFLICT (component_id, organisation_kind) DO NOTHING;"
            for row in rows
        ]
        + [
            f"PERFORM 1 FROM {TALLY} WHERE (component_id, organisation_kind) IN ({keys}) "
            f"ORDER BY component_id, organisation_kind FOR UPDATE;"
        ]
    )


def _body(statements, first=()):
    return "\n".join([*first, *(s + ";" for s in statements)])


def _pg_function(name, body, returns="NULL"):
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nRETURN {returns};\nEND $$"
    )


def install_sql(vendor, usages=True):
    """The triggers' statements. usages=False: as migration 0026 made them, before
    the tally counted usages per status (0027)."""
    add, take = _add("NEW"), _take("OLD")
    kind_change = _kind_change()
    # Every usage but a rejected claim counts in its status's column; those in use
    # count their organisation too (IN_USE is COUNTED and more, and the organisation
    # statements check it themselves).
    counted_new, counted_old = COUNTED.format(row="NEW"), COUNTED.format(row="OLD")
    if usages:
        add, take = [*add, _add_usage("NEW")], [*take, _take_usage("OLD")]
        kind_change = [*kind_change, *_kind_change_usages()]
    else:
        counted_new, counted_old = IN_USE.format(row="NEW"), IN_USE.format(row="OLD")
    if vendor == "postgresql":
        # An update that moves a usage (a merge) locks both rows in one order, so
        # two such updates cannot deadlock on them.
        both = _lock("OLD", "NEW")
        return [
            _pg_function("usetally_insert", _body(add, [_lock("NEW")]), returns="NEW"),
            _pg_function("usetally_delete", _body(take, [_lock("OLD")]), returns="OLD"),
            _pg_function("usetally_update", _body(take + add, [both]), returns="NEW"),
            _pg_function("usetally_kind", _body(kind_change)),
            f"CREATE TRIGGER usetally_insert BEFORE INSERT ON {USAGE} "
            f"FOR EACH ROW WHEN ({counted_new}) EXECUTE FUNCTION usetally_insert()",
            f"CREATE TRIGGER usetally_delete BEFORE DELETE ON {USAGE} "
            f"FOR EACH ROW WHEN ({counted_old}) EXECUTE FUNCTION usetally_delete()",
            f"CREATE TRIGGER usetally_update BEFORE UPDATE ON {USAGE} "
            f"FOR EACH ROW WHEN ({CHANGED_PG}) EXECUTE FUNCTION usetally_update()",
            f"CREATE TRIGGER usetally_kind AFTER UPDATE ON {ORGANISATION} "
            f"FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind) "
            f"EXECUTE FUNCTION usetally_kind()",
        ]

    def trigger(name, event, table, statements, when=None):
        when = f" WHEN {when}" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when}\n"
            f"BEGIN\n{_body(statements)}\nEND"
        )

    return [
        trigger("usetally_insert", "INSERT", USAGE, add, when=counted_new),
        trigger("usetally_delete", "DELETE", USAGE, take, when=counted_old),
        trigger("usetally_update", "UPDATE", USAGE, take + add, when=f"({CHANGED})"),
        trigger(
            "usetally_kind", "UPDATE", ORGANISATION, kind_change, when="OLD.kind IS NOT NEW.kind"
        ),
    ]


TRIGGERS = {
    "usetally_insert": USAGE,
    "usetally_delete": USAGE,
    "usetally_update": USAGE,
    "usetally_kind": ORGANISATION,
}


def uninstall_sql(vendor):
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in TRIGGERS.items()] + [
            f"DROP FUNCTION IF EXISTS {name}()" for name in TRIGGERS
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]


_IN_USE_U = IN_USE.format(row="u")
COUNT = (
    f"SELECT u.component_id, o.kind, COUNT(DISTINCT u.organisation_id), "
    f"COUNT(DISTINCT CASE WHEN u.visibility = 'public' THEN u.organisation_id END) "
    f"FROM {USAGE} u JOIN {ORGANISATION} o ON o.id = u.organisation_id "
    f"WHERE {_IN_USE_U} GROUP BY u.component_id, o.kind"
)
_STATUS_SUMS = ", ".join(f"SUM({_one_if('u', status)})" for status in USAGE_COLUMNS)
COUNT_USAGES = (
    f"SELECT u.component_id, o.kind, {_STATUS_SUMS} "
    f"FROM {USAGE} u JOIN {ORGANISATION} o ON o.id = u.organisation_id "
    f"WHERE {COUNTED.format(row='u')} GROUP BY u.component_id, o.kind"
)
REBUILD = [
    f"DELETE FROM {TALLY}",
    f"INSERT INTO {TALLY} (component_id, organisation_kind, organisations, public_organisations, "
    f"{_USAGE_NAMES}) SELECT u.component_id, o.kind, "
    f"COUNT(DISTINCT CASE WHEN {_IN_USE_U} THEN u.organisation_id END), "
    f"COUNT(DISTINCT CASE WHEN {_IN_USE_U} AND u.visibility = 'public' "
    f"THEN u.organisation_id END), {_STATUS_SUMS} "
    f"FROM {USAGE} u JOIN {ORGANISATION} o ON o.id = u.organisation_id "
    f"WHERE {COUNTED.format(row='u')} GROUP BY u.component_id, o.kind",
]


# As migration 0026 counted, before the usage columns (0027).
REBUILD_0026 = [
    f"DELETE FROM {TALLY}",
    f"INSERT INTO {TALLY} (component_id, organisation_kind, organisations, public_organisations) "
    + COUNT,
]


def rebuild(connection, usages=True):
    """Count the tally afresh from the usages (in the caller's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # No usage may change while it is counted.
            cursor.execute(f"LOCK TABLE {USAGE} IN SHARE MODE")
        for statement in REBUILD if usages else REBUILD_0026:
            cursor.execute(statement)


def counted(connection):
    """{(component_id, kind): (organisations, public_organisations)} counted from the
    usages, for comparing with the tally (tests, the rebuild command's check)."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT)
        return {(c, k): (n, p) for c, k, n, p in cursor.fetchall()}


def kept(connection):
    """The tally as kept, its rows that count anything."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT component_id, organisation_kind, organisations, public_organisations "
            f"FROM {TALLY} WHERE organisations > 0 OR public_organisations > 0"
        )
        return {(c, k): (n, p) for c, k, n, p in cursor.fetchall()}


def counted_usages(connection):
    """{(component_id, kind): (usages per status, in USAGE_COLUMNS' order)} counted
    from the usages, for comparing with the tally."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT_USAGES)
        return {(c, k): tuple(n) for c, k, *n in cursor.fetchall()}


def kept_usages(connection):
    """The usage columns of the tally as kept, its rows that count any usage."""
    anything = " OR ".join(f"{column} <> 0" for column in USAGE_COLUMNS.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT component_id, organisation_kind, {_USAGE_NAMES} FROM {TALLY} WHERE {anything}"
        )
        return {(c, k): tuple(n) for c, k, *n in cursor.fetchall()}
