"""Full-text search, on the site and in the API, the same on PostgreSQL and on
SQLite (FTS5, components/search.py): which components a text finds, in which
order, at what cost, and that no text makes it fail.

The words here are searched as they are written: only PostgreSQL stems Dutch
("zaak" finding "zaken"), see test_site_pages.py."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components import search
from components.constants import ComponentKind
from components.models import Component

from .factories import ComponentFactory, UsageFactory

pytestmark = pytest.mark.django_db

RESULT = re.compile(
    r'<h3 class="utrecht-heading-3"><a [^>]*href="/(?:en/components|componenten)/([^"]+)"'
)


def found(url, **params):
    """The slugs a catalogue page lists, in its order."""
    response = Client().get(url, params)
    assert response.status_code == 200, response.status_code
    return RESULT.findall(response.content.decode())


def api_found(api, q, **params):
    response = api.get("/api/v1/components", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 index is SQLite's; PostgreSQL searches search_document")


@pytest.fixture
def catalogue(acme):
    def make(slug, name, short="", short_en="", long=""):
        return ComponentFactory(
            slug=slug,
            name=name,
            publisher=acme,
            short_description=short,
            short_description_en=short_en,
            long_description=long,
        )

    make(
        "meldingen",
        "Meldingen openbare ruimte",
        short="Bewoners melden losliggende stoeptegels en volle afvalbakken.",
        short_en="Residents report loose paving stones and full bins.",
    )
    make("stoeptegels", "Stoeptegels", short="Het beheer van de bestrating.")
    make("open-zaak", "Open Zaak", short="Registratie van zaken en documenten.")
    make("kassa", "Kassa", long="Afrekenen in het café van het stadhuis.")
    make("bord", "Coördinatiebord", short="Wie doet wat bij een evenement.")


# Which components a text finds ------------------------------------------------


@pytest.mark.parametrize(
    "q, expected",
    [
        ("stoeptegels", {"meldingen", "stoeptegels"}),
        ("STOEPTEGELS", {"meldingen", "stoeptegels"}),
        # Every word is required, wherever it stands.
        ("stoeptegels afvalbakken", {"meldingen"}),
        ("afvalbakken stoeptegels", {"meldingen"}),
        ("stoeptegels documenten", set()),
        # The English descriptions are searched too.
        ("paving", {"meldingen"}),
        # Accents do not matter, either way round.
        ("cafe", {"kassa"}),
        ("coordinatiebord", {"bord"}),
        ("coördinatiebord", {"bord"}),
        # The slug is searched as the name is.
        ("open-zaak", {"open-zaak"}),
        # PostgreSQL's web search syntax: "a phrase", or, -excluded.
        ('"volle afvalbakken"', {"meldingen"}),
        ('"afvalbakken volle"', set()),
        ("documenten or afvalbakken", {"open-zaak", "meldingen"}),
        # (A word PostgreSQL stems alike in Dutch and English: it excludes only what
        # both its configurations exclude.)
        ("stoeptegels -volle", {"stoeptegels"}),
        ("-bestrating", {"meldingen", "open-zaak", "kassa", "bord"}),
        ("stoeptegels or -bestrating", {"meldingen", "stoeptegels", "open-zaak", "kassa", "bord"}),
        # Text without a word finds nothing, as PostgreSQL's empty query does.
        ("-", set()),
        ('?? "" :', set()),
    ],
)
def test_a_text_finds_the_same_components_on_either_database(api, catalogue, q, expected):
    assert set(Component.objects.search(q).values_list("slug", flat=True)) == expected
    assert set(api_found(api, q)) == expected
    assert set(found("/componenten", q=q)) == expected


def test_the_search_follows_every_kind_of_write(acme):
    """The index is kept by the database (a trigger on either engine), so a bulk
    insert, a queryset update and a delete are searchable at once."""
    Component.objects.bulk_create(
        [
            Component(
                slug=f"bulk-{n}",
                name=f"Wachtrij {n}",
                kind=ComponentKind.SOFTWARE,
                publisher=acme,
                license_expression="MIT",
            )
            for n in range(3)
        ]
    )
    assert Component.objects.matching("wachtrij").count() == 3
    Component.objects.filter(slug="bulk-0").update(short_description_en="Queue for the desk")
    Component.objects.filter(slug="bulk-1").update(name="Balie")
    Component.objects.filter(slug="bulk-2").delete()
    assert list(Component.objects.matching("wachtrij").values_list("slug", flat=True)) == ["bulk-0"]
    assert list(Component.objects.matching("queue").values_list("slug", flat=True)) == ["bulk-0"]
    assert list(Component.objects.matching("balie").values_list("slug", flat=True)) == ["bulk-1"]
    # A change to a column the index does not hold leaves it as it was.
    Component.objects.filter(slug="bulk-1").update(license_expression="EUPL-1.2")
    assert list(Component.objects.matching("balie").values_list("slug", flat=True)) == ["bulk-1"]
    assert_index_in_step()


def assert_index_in_step():
    """On SQLite: FTS5 compares its index with the component table, row by row."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO components_component_fts(components_component_fts, rank)"
                " VALUES ('integrity-check', 1)"
            )


# In which order ----------------------------------------------------------------


def test_relevance_puts_a_match_in_the_name_above_one_in_a_description(catalogue):
    assert found("/componenten?q=stoeptegels") == ["stoeptegels", "meldingen"]
    assert found("/componenten?q=stoeptegels&sort=relevance") == ["stoeptegels", "meldingen"]
    assert found("/en/components?q=stoeptegels") == ["stoeptegels", "meldingen"]
    ranked = Component.objects.search("stoeptegels").order_by("-search_rank")
    assert [c.slug for c in ranked] == ["stoeptegels", "meldingen"]
    assert ranked[0].search_rank > ranked[1].search_rank > 0


def test_equally_relevant_components_come_by_name_then_by_id(acme):
    for slug, name in [("beta", "Beta"), ("alfa2", "Alfa"), ("alfa", "Alfa")]:
        ComponentFactory(slug=slug, name=name, publisher=acme, short_description="Een wachtrij.")
    assert found("/componenten?q=wachtrij") == ["alfa2", "alfa", "beta"]


def test_the_other_sorts_still_apply_to_a_search(api, catalogue, utrecht):
    UsageFactory(component=Component.objects.get(slug="meldingen"), organisation=utrecht)
    assert found("/componenten?q=stoeptegels&sort=users") == ["meldingen", "stoeptegels"]
    assert found("/componenten?q=stoeptegels&sort=name") == ["meldingen", "stoeptegels"]
    # The API orders by name unless asked otherwise, never by relevance.
    assert api_found(api, "stoeptegels") == ["meldingen", "stoeptegels"]
    assert api_found(api, "stoeptegels", ordering="-name") == ["stoeptegels", "meldingen"]


# On the site ----------------------------------------------------------------------


def test_the_home_search_box_leads_to_results_in_dutch_and_in_english(catalogue):
    for home, catalogue_path in [("/", "/componenten"), ("/en/", "/en/components")]:
        page = Client().get(home).content.decode()
        assert f'action="{catalogue_path}"' in page
        response = Client().get(f"{catalogue_path}?q=zaak")
        page = response.content.decode()
        assert response.status_code == 200
        assert RESULT.findall(page) == ["open-zaak"]
        assert '<option value="relevance" selected>' in page


def test_a_search_combines_with_the_facets(catalogue):
    assert found("/componenten?q=stoeptegels&publisher=acme") == ["stoeptegels", "meldingen"]
    assert found("/componenten?q=stoeptegels&publisher=globex") == []
    page = Client().get("/componenten?q=stoeptegels").content.decode()
    assert "2 componenten gevonden" in page


# At what cost -------------------------------------------------------------------


def test_a_search_costs_the_same_queries_as_the_plain_catalogue(
    acme, utrecht, django_assert_max_num_queries, django_assert_num_queries
):
    """Matching and ranking are part of the catalogue's own queries, whether 3 or
    30 components match."""
    ComponentFactory.create_batch(3, publisher=acme, short_description="Een wachtrij.")
    plain = {}
    for sort in ["name", "users"]:
        # The page, its count, and one query per facet (the API-quality facet is the 13th).
        with django_assert_max_num_queries(13) as queries:
            Client().get(f"/componenten?sort={sort}")
        plain[sort] = len(queries.captured_queries)
    searches = [
        ("name", "q=wachtrij"),
        ("name", "q=wachtrij&sort=name"),
        ("users", "q=wachtrij&sort=users"),
    ]
    for sort, query in searches:
        with django_assert_num_queries(plain[sort]):
            Client().get(f"/componenten?{query}")
    for component in ComponentFactory.create_batch(
        27, publisher=acme, short_description="Een wachtrij."
    ):
        UsageFactory(component=component, organisation=utrecht)
    for sort, query in searches:
        with django_assert_num_queries(plain[sort]):
            Client().get(f"/componenten?{query}")


def test_sqlite_ranks_the_matches_in_one_pass(sqlite_only, catalogue):
    """Not one full-text match per row: the ranks are computed once and looked up
    (at 10,000 matches, 40 ms rather than 4 seconds)."""
    ranked = Component.objects.search("stoeptegels").order_by("-search_rank")
    sql, params = ranked.values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "SEARCH ranked USING AUTOMATIC COVERING INDEX" in plan, plan


# That no text makes it fail ---------------------------------------------------------

# Whatever a browser can send: anything but a NUL (a 400, see test_bad_input.py),
# with FTS5's and tsquery's operators and quotes often.
pieces = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\0"), max_size=12
) | st.sampled_from([*'"*-:^()+{}|&!<>', " OR ", " NEAR ", " NOT ", " or ", "AND", "zaak"])
texts = st.lists(pieces, max_size=8).map("".join)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=texts)
def test_no_text_makes_a_search_fail(api, catalogue, q):
    cache.clear()  # anonymous API calls are rate-limited
    for url in ["/componenten", "/en/components"]:
        for sort in ["relevance", "users"]:
            assert Client().get(url, {"q": q, "sort": sort}).status_code == 200
    assert api.get("/api/v1/components", {"q": q}).status_code == 200


@settings(max_examples=300, deadline=None)
@given(q=st.text(max_size=60) | texts)
def test_the_sqlite_query_quotes_every_word(q):
    """No input is taken as FTS5 syntax: the query is made of quoted strings joined
    by the operators the translation itself writes."""
    positive, negative = search.fts_query(q)
    for query in [positive, *negative]:
        unquoted = re.sub(r'"(?:[^"]|"")*"', "S", query)
        assert re.fullmatch(r"(?:S|\(|\)| |AND|OR|NOT)*", unquoted), query


# The SQLite index itself ------------------------------------------------------------


def test_the_demo_catalogue_is_searchable_as_it_loads():
    call_command("load_demo", verbosity=0)
    assert_index_in_step()
    assert Component.objects.matching("zaak").filter(slug="open-zaak").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the SPDX rows
def test_a_migration_that_rebuilds_the_component_table_leaves_search_working(sqlite_only, acme):
    """Django's SQLite schema editor alters a table by copying it into a new one;
    the old one's triggers go with it. After the migrate, repair puts them back."""
    ComponentFactory(slug="voor", name="Wachtrij", publisher=acme)
    with connection.schema_editor() as editor:
        editor._remake_table(Component)
    try:
        ComponentFactory(slug="tijdens", name="Wachtrij", publisher=acme)
        assert Component.objects.matching("wachtrij").count() == 1  # the new row is missing
    finally:
        call_command("migrate", verbosity=0)  # post_migrate: search.repair
    ComponentFactory(slug="na", name="Wachtrij", publisher=acme)
    assert set(Component.objects.matching("wachtrij").values_list("slug", flat=True)) == {
        "voor",
        "tijdens",
        "na",
    }
    assert_index_in_step()
