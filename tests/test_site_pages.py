"""The public pages: what they show, in which language, and how many queries."""

import datetime
import re

import pytest
from django.test import Client

from accounts.constants import OrganisationKind
from components.constants import (
    Assertion,
    ComponentKind,
    DependencyUse,
    DevelopmentStatus,
    Layer,
    UsageStatus,
    Visibility,
)

from .factories import (
    ComponentFactory,
    DependencyFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    question,
)

pytestmark = pytest.mark.django_db


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Every page type, as (url, fixture names it needs).
def page_urls(acme_component, utrecht):
    return {
        "home": "/",
        "catalogue": "/componenten?kind=software&layer=services&q=zaken",
        "component": f"/componenten/{acme_component.slug}",
        "organisation": f"/organisaties/{utrecht.slug}",
        "organisations": "/organisaties",
        "questions": "/klantvragen",
        "question": "/klantvragen/verhuizen",
        "figures": "/cijfers",
        "sign-in": "/inloggen",
        "licence": "/licenties/EUPL-1.2",
        "about": "/over",
    }


def test_every_public_page_answers_in_dutch_and_in_english(acme_component, utrecht):
    for name, url in page_urls(acme_component, utrecht).items():
        dutch = text_of(Client().get(url))
        assert '<html lang="nl">' in dutch, name
        assert "Naar de inhoud" in dutch, name
        english = Client().get("/en" + url.replace("/componenten", "/components"))
        assert english.status_code == 200 or english.status_code == 404, name


def test_english_pages_live_under_en_with_english_paths(acme_component, utrecht):
    pairs = {
        "/componenten": "/en/components",
        f"/componenten/{acme_component.slug}": f"/en/components/{acme_component.slug}",
        f"/organisaties/{utrecht.slug}": f"/en/organisations/{utrecht.slug}",
        "/klantvragen": "/en/customer-questions",
        "/klantvragen/verhuizen": "/en/customer-questions/verhuizen",
        "/cijfers": "/en/figures",
        "/inloggen": "/en/sign-in",
        "/": "/en/",
    }
    for dutch, english in pairs.items():
        page = text_of(Client().get(english))
        assert '<html lang="en">' in page, english
        assert "Skip to content" in page
        # The visible switch leads back to the same page in Dutch.
        assert f'href="{dutch}" lang="nl"' in page, english
        assert f'href="{english}" lang="en"' in text_of(Client().get(dutch)), dutch


def test_the_language_switch_keeps_the_query_string():
    page = text_of(Client().get("/componenten?kind=api&q=zaak"))
    assert 'href="/en/components?kind=api&amp;q=zaak" lang="en"' in page


def test_the_customer_questions_are_named_in_the_pages_language():
    assert "Verhuizen" in text_of(Client().get("/klantvragen"))
    assert "Moving house" in text_of(Client().get("/en/customer-questions"))


def test_home_offers_search_questions_kinds_layers_and_the_most_reused(acme, utrecht):
    popular = ComponentFactory(name="Open Formulieren", publisher=acme)
    UsageFactory(component=popular, organisation=utrecht)
    page = text_of(Client().get("/"))
    assert 'role="search"' in page
    assert page.count('href="/klantvragen/') == 13
    assert 'href="/componenten?kind=house-style"' in page
    assert 'href="/componenten?layer=data"' in page
    assert "Open Formulieren" in page
    assert "Meest hergebruikt" in page


# Catalogue -----------------------------------------------------------------


@pytest.fixture
def catalogue(acme, globex, utrecht):
    move = question("verhuizen")
    zaak = ComponentFactory(
        name="Zaakregister",
        kind=ComponentKind.API,
        layer=Layer.SERVICES,
        publisher=acme,
        short_description="Registreert zaken",
        license_expression="EUPL-1.2",
        development_status=DevelopmentStatus.STABLE,
    )
    zaak.customer_questions.add(move)
    ComponentFactory(
        name="Huisstijl",
        kind=ComponentKind.HOUSE_STYLE,
        layer=Layer.INTERACTION,
        publisher=utrecht,
        license_expression="MIT",
    )
    ComponentFactory(
        name="Formulieren",
        kind=ComponentKind.SOFTWARE,
        layer=Layer.INTERACTION,
        publisher=globex,
        license_expression="MIT",
    )
    return zaak


def test_the_catalogue_lists_components_with_facet_counts(catalogue):
    page = text_of(Client().get("/componenten"))
    assert "3 componenten gevonden" in page
    assert "Zaakregister" in page and "Huisstijl" in page
    # Each facet value shows how many results ticking it would give.
    assert 'value="interaction" id="f-layer-interaction"' in page
    assert 'API <span class="site-count">(1)</span>' in page
    mit = '(MIT License)</span> <span class="site-count">(2)</span>'
    assert 'for="f-licence-MIT">MIT<span class="site-visually-hidden"> ' + mit in page


def test_a_facets_counts_apply_the_other_facets_but_not_its_own(catalogue):
    page = text_of(Client().get("/componenten?layer=interaction"))
    assert "2 componenten gevonden" in page
    # Kinds are counted within the interaction layer ...
    assert 'Huisstijl <span class="site-count">(1)</span>' in page
    assert 'API <span class="site-count">(1)</span>' not in page
    # ... while the layer facet still offers the other layers with their counts.
    assert 'Diensten <span class="site-count">(1)</span>' in page
    assert 'Interactie <span class="site-count">(2)</span>' in page


def test_values_within_a_facet_are_alternatives_and_facets_combine(catalogue):
    assert "2 componenten gevonden" in text_of(
        Client().get("/componenten?kind=api&kind=house-style")
    )
    assert "1 component gevonden" in text_of(
        Client().get("/componenten?kind=api&kind=house-style&licence=MIT")
    )
    assert "1 component gevonden" in text_of(Client().get("/componenten?question=verhuizen"))
    assert "1 component gevonden" in text_of(
        Client().get("/componenten?publisher_kind=municipality")
    )


def test_an_unknown_facet_value_is_ignored_rather_than_an_error(catalogue):
    assert "3 componenten gevonden" in text_of(Client().get("/componenten?kind=spaceship&page=x"))


# PostgreSQL only: SQLite has no Dutch stemmer, so there "zaak" finds only "zaak"
# (tests/test_search.py searches the same on both).
@pytest.mark.postgres
def test_full_text_search_finds_dutch_word_forms(catalogue):
    page = text_of(Client().get("/componenten?q=zaak"))
    assert "Zaakregister" in page
    assert "Huisstijl" not in page
    assert '<option value="relevance" selected>' in page


def test_sorting_by_use_puts_the_most_used_first(catalogue, utrecht):
    formulieren = catalogue.__class__.objects.get(name="Formulieren")
    UsageFactory(component=formulieren, organisation=utrecht)
    page = text_of(Client().get("/componenten?sort=users"))
    assert page.index("Formulieren") < page.index("Zaakregister")
    page = text_of(Client().get("/componenten?sort=name"))
    assert page.index("Formulieren") < page.index("Zaakregister")


def test_the_catalogue_pages_and_keeps_the_filters_in_the_links(acme):
    ComponentFactory.create_batch(25, publisher=acme, kind=ComponentKind.API)
    page = text_of(Client().get("/componenten?kind=api"))
    assert "Pagina 1 van 2" in page
    assert 'href="?kind=api&amp;page=2"' in page
    assert "Pagina 2 van 2" in text_of(Client().get("/componenten?kind=api&page=2"))


def test_an_active_filter_can_be_removed_by_a_link(catalogue):
    page = text_of(Client().get("/componenten?kind=api&layer=services"))
    assert 'href="?kind=api"' in page  # removes the layer
    assert 'href="?layer=services"' in page  # removes the kind


def test_the_catalogue_filters_by_publisher_from_an_organisation_page(catalogue, acme):
    page = text_of(Client().get(f"/componenten?publisher={acme.slug}"))
    assert "1 component gevonden" in page
    assert "Acme Software B.V." in page


def test_the_catalogue_costs_the_same_queries_for_3_or_30_components(
    acme, utrecht, django_assert_max_num_queries
):
    def render():
        Client().get("/componenten?sort=users&licence=EUPL-1.2")

    ComponentFactory.create_batch(3, publisher=acme)
    with django_assert_max_num_queries(12) as few:
        render()
    for component in ComponentFactory.create_batch(27, publisher=acme):
        UsageFactory(component=component, organisation=utrecht)
        component.customer_questions.add(question("ondernemen"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        render()


# Component page --------------------------------------------------------------


def test_the_component_page_shows_what_it_is_links_licence_releases_and_dependencies(
    acme_component, acme
):
    acme_component.repository_url = "https://example.org/acme/zaken"
    acme_component.documentation_url = "https://docs.example.org/zaken"
    acme_component.api_specification_url = "https://example.org/acme/zaken/openapi.yaml"
    acme_component.save()
    ReleaseFactory(
        component=acme_component, version="2.1.0", release_date=datetime.date(2026, 2, 1)
    )
    library = ComponentFactory(name="Zaak Bibliotheek", publisher=acme)
    DependencyFactory(component=acme_component, depends_on=library)
    DependencyFactory(
        component=acme_component,
        depends_on=None,
        name="PostgreSQL",
        version=">=14",
        license_expression="PostgreSQL",
        how_used=DependencyUse.RUNTIME_SERVICE,
    )
    page = text_of(Client().get(f"/componenten/{acme_component.slug}"))
    for expected in [
        "Acme Zaken",
        "Software",
        "Diensten",
        "In ontwikkeling",
        "https://example.org/acme/zaken",
        "https://docs.example.org/zaken",
        "openapi.yaml",
        "EUPL-1.2",
        "2.1.0",
        "Zaak Bibliotheek</a>: ingebouwd (open)",
        "PostgreSQL &gt;=14: achterliggende dienst (open, PostgreSQL)",
        "Alleen de licenties van ingebouwde en gelinkte code tellen mee",
        "Mag mijn organisatie dit hergebruiken?",
    ]:
        assert expected in page, expected


def test_an_anonymous_visitor_picks_an_organisation_for_the_reuse_verdict(acme_component, utrecht):
    page = text_of(
        Client().get(f"/componenten/{acme_component.slug}?organisation=Gemeente+Utrecht")
    )
    # EUPL's copyleft binds sharing, not use: a plain yes, the copyleft named.
    assert "Gemeente Utrecht: ja, hergebruik is toegestaan" in page
    assert "Licentie EUPL-1.2 (copyleft, ook bij online gebruik)" in page
    acme_component.reuse_terms = "Meld je bij de uitgever."
    acme_component.save()
    page = text_of(
        Client().get(f"/componenten/{acme_component.slug}?organisation=Gemeente+Utrecht")
    )
    assert "Gemeente Utrecht: ja, onder voorwaarden" in page
    page = text_of(Client().get(f"/componenten/{acme_component.slug}?organisation=nergens"))
    assert "Geen organisatie heet" in page
    assert 'aria-invalid="true"' in page


def test_a_signed_in_member_sees_the_verdict_for_their_own_organisation(
    acme_component, bob, client
):
    acme_component.reuse_restriction = "owner-only"
    acme_component.save()
    client.force_login(bob)
    page = text_of(client.get(f"/componenten/{acme_component.slug}"))
    assert "Gemeente Utrecht: nee, hergebruik is niet toegestaan" in page


def test_the_component_page_shows_its_change_history_to_signed_in_people(
    acme_component, bob, client
):
    acme_component.name = "Acme Zaken Pro"
    acme_component.save()
    assert "2 vastgelegde wijzigingen" in text_of(
        Client().get(f"/componenten/{acme_component.slug}")
    )
    client.force_login(bob)
    page = text_of(client.get(f"/componenten/{acme_component.slug}"))
    assert "naam gewijzigd" in page
    assert "geregistreerd" in page


def test_the_component_page_costs_the_same_queries_for_3_or_30_users(
    acme_component, bob, django_assert_max_num_queries
):
    client = Client()
    client.force_login(bob)

    def render():
        client.get(f"/componenten/{acme_component.slug}")

    for _ in range(3):
        UsageFactory(component=acme_component)
    with django_assert_max_num_queries(30) as few:
        render()
    for i in range(27):
        UsageFactory(
            component=acme_component,
            visibility=Visibility.GOVERNMENT if i % 2 else Visibility.PUBLIC,
        )
        ReleaseFactory(component=acme_component)
    with django_assert_max_num_queries(len(few.captured_queries)):
        render()


# Who uses it: the visibility rules on every page that names users ---------------


def pages_naming_users(acme_component, secretive):
    acme_component.customer_questions.add(question("verhuizen"))
    return [
        f"/componenten/{acme_component.slug}",
        f"/organisaties/{secretive.slug}",
        "/klantvragen/verhuizen",
    ]


@pytest.mark.parametrize("who", ["anonymous", "victor"])
def test_a_government_only_user_stays_unnamed_for_outsiders(
    who, request, government_only_usage, acme_component, secretive
):
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in pages_naming_users(acme_component, secretive):
        page = text_of(client.get(url))
        names = page.count("Gemeente Geheimdorp")
        # The organisation's own page carries its name in title and heading only.
        allowed = 2 if url.startswith("/organisaties/") else 0
        assert names == allowed, (url, names)
    component_page = text_of(client.get(f"/componenten/{acme_component.slug}"))
    assert "1 gemeente (namen alleen zichtbaar voor overheden)" in component_page
    org_page = text_of(client.get(f"/organisaties/{secretive.slug}"))
    assert "Acme Zaken" not in org_page


@pytest.mark.parametrize("who", ["bob", "mira"])
def test_a_government_only_user_is_named_to_public_sector_members(
    who, request, government_only_usage, acme_component, secretive
):
    acme_component.customer_questions.add(question("verhuizen"))
    client = Client()
    client.force_login(request.getfixturevalue(who))
    page = text_of(client.get(f"/componenten/{acme_component.slug}"))
    assert 'href="/organisaties/gemeente-geheimdorp">Gemeente Geheimdorp</a>' in page
    assert "alleen zichtbaar voor overheden" not in page
    assert "Acme Zaken" in text_of(client.get(f"/organisaties/{secretive.slug}"))
    assert "Gemeente Geheimdorp" in text_of(client.get("/klantvragen/verhuizen"))


def test_search_counts_and_figures_do_not_name_government_only_users(
    government_only_usage, acme_component
):
    for url in ["/componenten", "/componenten?q=acme", "/cijfers", "/klantvragen", "/"]:
        assert "Geheimdorp" not in text_of(Client().get(url)), url


def test_a_rejected_claim_is_never_shown_as_usage(acme_component, utrecht, acme, bob):
    UsageFactory(
        component=acme_component,
        organisation=utrecht,
        assertion=Assertion.REJECTED,
        claimed_by=acme,
    )
    member = Client()
    member.force_login(bob)
    for client in [Client(), member]:
        page = text_of(client.get(f"/componenten/{acme_component.slug}"))
        assert 'href="/organisaties/gemeente-utrecht"' not in page
        assert "Nog geen organisatie" in page


def test_a_pending_claim_is_shown_as_a_claim(acme_component, utrecht, acme):
    UsageFactory(
        component=acme_component, organisation=utrecht, assertion=Assertion.CLAIMED, claimed_by=acme
    )
    page = text_of(Client().get(f"/componenten/{acme_component.slug}"))
    assert "geclaimd door Acme Software B.V., nog niet bevestigd" in page


# Organisation page ---------------------------------------------------------------


def test_the_organisation_page_shows_what_it_publishes_uses_and_covers(utrecht, acme_component):
    style = ComponentFactory(name="Utrechtse huisstijl", publisher=utrecht)
    style.customer_questions.add(question("afval-buurt"))
    acme_component.customer_questions.add(question("verhuizen"))
    UsageFactory(organisation=utrecht, component=acme_component)
    page = text_of(Client().get(f"/organisaties/{utrecht.slug}"))
    assert "Utrechtse huisstijl" in page
    assert "Acme Zaken" in page
    # Coverage is what it uses now (as the figures API counts it); what it
    # publishes is shown per question in the table beside it.
    assert "dekken 1 van de 13 klantvragen" in page
    covered = Client().get(f"/api/v1/organisations/{utrecht.slug}/figures").json()
    assert covered["questionsCovered"] == ["verhuizen"]
    assert "GM0344" in page


def test_the_organisation_page_does_not_count_the_usages_it_may_not_show(
    secretive, acme_component, victor
):
    """ "And 1 more usage visible to government organisations only" on its page, next
    to "also used by 1 municipality" on a component's, tells a vendor what it uses."""
    UsageFactory(organisation=secretive, component=acme_component, visibility=Visibility.GOVERNMENT)
    vendor = Client()
    vendor.force_login(victor)
    for client in (Client(), vendor):
        page = text_of(client.get(f"/organisaties/{secretive.slug}"))
        assert "Acme Zaken" not in page
        assert "alleen voor overheden zichtbaar" not in page
        assert "Geen gebruik vastgelegd." in page


def test_the_organisation_page_costs_the_same_queries_for_3_or_30_rows(
    utrecht, acme, django_assert_max_num_queries
):
    def render():
        Client().get(f"/organisaties/{utrecht.slug}")

    for component in ComponentFactory.create_batch(3, publisher=acme):
        UsageFactory(organisation=utrecht, component=component)
    with django_assert_max_num_queries(20) as few:
        render()
    for component in ComponentFactory.create_batch(27, publisher=acme):
        UsageFactory(organisation=utrecht, component=component)
        ComponentFactory(publisher=utrecht).customer_questions.add(question("verhuizen"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        render()


def test_the_organisation_list_costs_the_same_queries_for_3_or_30(
    django_assert_max_num_queries,
):
    OrganisationFactory.create_batch(3)
    with django_assert_max_num_queries(10) as few:
        text_of(Client().get("/organisaties?kind=municipality"))
    OrganisationFactory.create_batch(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text_of(Client().get("/organisaties?kind=municipality"))
    assert "30 organisaties" in page


# Customer questions ----------------------------------------------------------------


def test_the_question_overview_counts_municipalities_using_a_component_for_each(
    acme, utrecht, secretive, ministry
):
    move = question("verhuizen")
    for kind_of_use in [UsageStatus.PRODUCTION, UsageStatus.PILOT]:
        component = ComponentFactory(publisher=acme)
        component.customer_questions.add(move)
        UsageFactory(organisation=utrecht, component=component, status=kind_of_use)
    stopped = ComponentFactory(publisher=acme)
    stopped.customer_questions.add(move)
    UsageFactory(organisation=secretive, component=stopped, status=UsageStatus.STOPPED)
    UsageFactory(organisation=ministry, component=stopped)  # not a municipality
    rows = {q.code: q for q in __import__("components.figures").figures.question_coverage()}
    assert rows["verhuizen"].municipality_count == 1
    assert rows["verhuizen"].component_count == 3
    assert rows["ondernemen"].municipality_count == 0
    page = text_of(Client().get("/klantvragen"))
    assert "Dekking onder 2 gemeenten" in page


def test_the_question_page_lists_components_and_their_users(acme, utrecht):
    component = ComponentFactory(name="Verhuisservice", publisher=acme)
    component.customer_questions.add(question("verhuizen"))
    UsageFactory(organisation=utrecht, component=component)
    page = text_of(Client().get("/klantvragen/verhuizen"))
    assert "Verhuisservice" in page
    assert "Gemeente Utrecht" in page
    assert "1 van 1 gemeenten gebruikt" in page


def test_an_unknown_question_is_a_404():
    assert Client().get("/klantvragen/niet-bestaand").status_code == 404


def test_the_question_page_costs_the_same_queries_for_3_or_30_components(
    acme, django_assert_max_num_queries
):
    move = question("verhuizen")

    def add(n):
        for component in ComponentFactory.create_batch(n, publisher=acme):
            component.customer_questions.add(move)
            UsageFactory(component=component)
            UsageFactory(component=component, visibility=Visibility.GOVERNMENT)

    add(3)
    with django_assert_max_num_queries(15) as few:
        Client().get("/klantvragen/verhuizen")
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        Client().get("/klantvragen/verhuizen")


def test_the_question_overview_and_home_cost_a_fixed_number_of_queries(
    acme, django_assert_max_num_queries
):
    for url in ["/klantvragen", "/", "/cijfers"]:
        ComponentFactory.create_batch(3, publisher=acme)
        with django_assert_max_num_queries(20) as few:
            Client().get(url)
        for component in ComponentFactory.create_batch(27, publisher=acme):
            UsageFactory(component=component)
        with django_assert_max_num_queries(len(few.captured_queries)):
            Client().get(url)


# Figures ---------------------------------------------------------------------------


def test_the_figures_page_draws_each_chart_with_its_data_table(acme, utrecht):
    component = ComponentFactory(name="Open Formulieren", publisher=acme, layer=Layer.PROCESS)
    UsageFactory(organisation=utrecht, component=component, since=datetime.date(2024, 3, 1))
    page = text_of(Client().get("/cijfers"))
    assert page.count("<figure") == 4
    assert page.count("<table") == 4
    assert page.count('role="img"') == 4
    assert "<title>Open Formulieren: 1</title>" in page
    assert "<title>Proces: 1</title>" in page
    assert "<title>2024: 1</title>" in page


def test_chart_coordinates_are_not_written_with_a_dutch_decimal_comma(acme, utrecht):
    for component in ComponentFactory.create_batch(3, publisher=acme):
        UsageFactory(organisation=utrecht, component=component)
    page = text_of(Client().get("/cijfers"))
    assert 'y="19.84"' in page
    assert not re.search(r'(x|y|width|height)="-?\d+,\d', page)


def test_an_empty_registry_still_shows_every_page(db):
    for url in ["/", "/componenten", "/klantvragen", "/klantvragen/verhuizen", "/cijfers"]:
        assert Client().get(url).status_code == 200, url


def test_organisation_kinds_are_named_in_words_in_hidden_counts(acme_component):
    for kind in [OrganisationKind.PROVINCE, OrganisationKind.PROVINCE, OrganisationKind.VENDOR]:
        UsageFactory(
            component=acme_component,
            organisation=OrganisationFactory(kind=kind),
            visibility=Visibility.GOVERNMENT,
        )
    page = text_of(Client().get(f"/componenten/{acme_component.slug}"))
    assert "2 provincies, 1 leverancier" in page


def test_a_popular_components_users_are_named_twenty_five_per_page(acme_component):
    for _ in range(30):
        UsageFactory(component=acme_component)
    page = text_of(Client().get(f"/componenten/{acme_component.slug}"))
    assert page.count('href="/organisaties/gemeente-voorbeeld-') == 25
    assert 'href="?users=2#users-heading"' in page
    second = text_of(Client().get(f"/componenten/{acme_component.slug}?users=2"))
    assert second.count('href="/organisaties/gemeente-voorbeeld-') == 5


def test_the_question_page_names_at_most_ten_users_per_component(acme):
    component = ComponentFactory(publisher=acme)
    component.customer_questions.add(question("verhuizen"))
    for _ in range(12):
        UsageFactory(component=component)
    page = text_of(Client().get("/klantvragen/verhuizen"))
    assert page.count('href="/organisaties/gemeente-voorbeeld-') == 10
    assert "alle gebruikers" in page


def test_figures_are_cached_until_the_catalogue_changes(settings, acme, utrecht):
    from django.core.cache import cache

    from registry.cache import _bump

    settings.FIGURES_CACHE_SECONDS = 60
    cache.clear()
    component = ComponentFactory(name="Eerste", publisher=acme)
    UsageFactory(component=component, organisation=utrecht)
    assert "<title>Eerste: 1</title>" in text_of(Client().get("/cijfers"))
    component.name = "Hernoemd"
    component.save()  # inside the test's transaction: no commit, so no new version yet
    assert "<title>Eerste: 1</title>" in text_of(Client().get("/cijfers"))
    _bump()  # what a committed change does
    assert "<title>Hernoemd: 1</title>" in text_of(Client().get("/cijfers"))
    cache.clear()
