"""Full-text search on SQLite, level with PostgreSQL's (issue 13.1).

PostgreSQL searches Component.search_document (migration 0004): the name and
slug weigh most (A), the short descriptions less (B), the long ones least (C);
the text is queried with websearch_to_tsquery and ranked with ts_rank.

SQLite gets the same search from FTS5 (migration 0008):

- components_component_fts indexes the same six columns. It is an
  external-content table: the text stays in components_component, the index
  holds only the tokens. unicode61 with remove_diacritics 2 folds accents, as
  the Dutch stemmer does on PostgreSQL ("cafe" finds "café").
- Triggers on components_component keep it in step, so every write is indexed,
  the ORM's and a bulk insert or raw SQL alike.
- Django's SQLite schema editor alters a table by building a new one and
  dropping the old, which drops the old one's triggers. After every migrate
  `repair` puts missing triggers back and re-indexes, or a later migration
  of Component would silently stop the index from following the table.
- `fts_query` reads websearch_to_tsquery's syntax (words are all required,
  "quoted words" are a phrase, `or` separates alternatives, a leading - excludes
  a term) and writes an FTS5 query in which every word is a quoted string:
  user input is never FTS5 syntax, so no text can make a query fail.
- Rank is -bm25 with ts_rank's default weights for each column's class (A 1.0,
  B 0.4, C 0.2): higher is better, as with SearchRank.

What SQLite cannot do: it has no Dutch or English stemmer and no stop words, so
"zaak" does not find "zaken" and "van" is a word like any other; and the
order of equally good matches can differ, as bm25 also weighs how rare a word
is and how long the text. Ties are broken alike (by name, then id).
"""

import re
import unicodedata

from django.db import connections
from django.db.models import F, FloatField, Func, IntegerField, Value

# The index holds the columns that migration 0004 puts in search_document.
SCHEMA = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS components_component_fts USING fts5(
        name, slug, short_description, short_description_en, long_description,
        long_description_en,
        content='components_component', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS components_component_fts_insert
    AFTER INSERT ON components_component BEGIN
        INSERT INTO components_component_fts(rowid, name, slug, short_description,
            short_description_en, long_description, long_description_en)
        VALUES (new.id, new.name, new.slug, new.short_description,
            new.short_description_en, new.long_description, new.long_description_en);
    END""",
    # An external-content index forgets a row by being told the text it indexed.
    """CREATE TRIGGER IF NOT EXISTS components_component_fts_delete
    AFTER DELETE ON components_component BEGIN
        INSERT INTO components_component_fts(components_component_fts, rowid, name, slug,
            short_description, short_description_en, long_description, long_description_en)
        VALUES ('delete', old.id, old.name, old.slug, old.short_description,
            old.short_description_en, old.long_description, old.long_description_en);
    END""",
    # Only when indexed text changes: most saves change other columns alone.
    """CREATE TRIGGER IF NOT EXISTS components_component_fts_update
    AFTER UPDATE OF id, name, slug, short_description, short_description_en,
        long_description, long_description_en ON components_component BEGIN
        INSERT INTO components_component_fts(components_component_fts, rowid, name, slug,
            short_description, short_description_en, long_description, long_description_en)
        VALUES ('delete', old.id, old.name, old.slug, old.short_description,
            old.short_description_en, old.long_description, old.long_description_en);
        INSERT INTO components_component_fts(rowid, name, slug, short_description,
            short_description_en, long_description, long_description_en)
        VALUES (new.id, new.name, new.slug, new.short_description,
            new.short_description_en, new.long_description, new.long_description_en);
    END""",
]
TRIGGERS = [
    "components_component_fts_insert",
    "components_component_fts_delete",
    "components_component_fts_update",
]
REBUILD = "INSERT INTO components_component_fts(components_component_fts) VALUES ('rebuild')"
DROP = [
    *(f"DROP TRIGGER IF EXISTS {trigger}" for trigger in TRIGGERS),
    "DROP TABLE IF EXISTS components_component_fts",
]


def install(connection):
    """Create the index and its triggers where missing, and index every component."""
    with connection.cursor() as cursor:
        for statement in SCHEMA:
            cursor.execute(statement)
        cursor.execute(REBUILD)


def repair(sender, using, **kwargs):
    """After a migrate (post_migrate): put back triggers that a table rebuild dropped,
    and re-index what changed while they were gone."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    names = ["components_component_fts", *TRIGGERS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names)
        present = {name for (name,) in cursor.fetchall()}
    # No table: the migration that makes it has not run (or was reversed).
    if "components_component_fts" in present and not set(TRIGGERS) <= present:
        install(connection)


# websearch_to_tsquery's terms: an optional leading -, then a "quoted phrase" (the
# closing quote may be missing) or a run of anything but spaces and quotes.
_TERM = re.compile(r'(?:(-)\s*)?(?:"([^"]*)"?|([^\s"]+))')


def _has_token(text):
    # unicode61's token characters: letters, numbers and private-use characters.
    return any(unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co" for c in text)


def fts_query(text):
    """(the FTS5 query of what must match, [FTS5 queries of what must not]).

    The first is '' when the text asks for no word at all; the second lists the
    alternatives made only of exclusions ("zaak or -melding"), which FTS5 cannot
    say on its own (NOT needs something on its left): the caller excludes those
    matches in SQL. Each word or phrase becomes an FTS5 string, which FTS5 splits
    into tokens as it split the indexed text ("e-mail" the phrase "e mail")."""
    groups, group = [], []
    # FTS5 reads its query as a C string: a NUL would end it inside a quote.
    for minus, quoted, bare in _TERM.findall(text.replace("\0", " ")):
        if not minus and bare.lower() == "or":
            groups.append(group)
            group = []
            continue
        words = quoted if quoted else bare
        if _has_token(words):
            group.append((bool(minus), '"' + words.replace('"', '""') + '"'))
    groups.append(group)
    positive, negative = [], []
    for group in groups:
        required = " AND ".join(phrase for minus, phrase in group if not minus)
        excluded = " OR ".join(phrase for minus, phrase in group if minus)
        if required and excluded:
            positive.append(f"({required}) NOT ({excluded})")
        elif required:
            positive.append(required)
        elif excluded:
            negative.append(excluded)
    return " OR ".join(f"({p})" for p in positive), negative


class Matches(Func):
    """The ids of the components that match an FTS5 query, for `pk__in`."""

    template = (
        "(SELECT rowid FROM components_component_fts"
        " WHERE components_component_fts MATCH %(expressions)s)"
    )
    output_field = IntegerField()

    def __init__(self, query):
        super().__init__(Value(query))


class Rank(Func):
    """-bm25 of the component against an FTS5 query: higher is better, NULL when
    it does not match. bm25 weighs the columns as ts_rank weighs their classes
    (A 1.0, B 0.4, C 0.2)."""

    # One pass over the matches, then a lookup per row. The LIMIT keeps SQLite
    # from merging the inner query into the outer one, which would run the match
    # again for every row: seconds, not milliseconds, when thousands match.
    template = (
        "(SELECT ranked.score FROM ("
        "SELECT rowid AS id, -bm25(components_component_fts, 1.0, 1.0, 0.4, 0.4, 0.2, 0.2)"
        " AS score FROM components_component_fts WHERE components_component_fts MATCH %%s"
        " LIMIT -1) AS ranked WHERE ranked.id = %(expressions)s)"
    )
    output_field = FloatField()

    def __init__(self, query):
        super().__init__(F("pk"))
        self.query = query

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (self.query, *params)
