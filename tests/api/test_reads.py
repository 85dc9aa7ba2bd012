import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.constants import OrganisationKind
from components.constants import Assertion, Visibility
from components.models import Dependency

from ..factories import (
    ComponentFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_a_component_list_has_the_agreed_shape(api, acme_component):
    ReleaseFactory(
        component=acme_component, version="1.0.0", release_date=datetime.date(2025, 1, 1)
    )
    ReleaseFactory(
        component=acme_component, version="1.1.0", release_date=datetime.date(2026, 1, 1)
    )
    body = api.get("/api/v1/components").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    item = body["results"][0]
    assert item["publisher"] == "acme"
    assert item["license"] == "EUPL-1.2"
    assert item["reuseRestriction"] == "none"
    assert item["latestRelease"] == {"version": "1.1.0", "releaseDate": "2026-01-01"}
    assert item["usageCounts"] == {"total": 0, "byStatus": {}, "byOrganisationKind": {}}
    assert all("_" not in key for key in item)


def test_pages_are_twenty_by_default_and_at_most_a_hundred(api, acme):
    ComponentFactory.create_batch(25, publisher=acme)
    first = api.get("/api/v1/components").json()
    assert len(first["results"]) == 20
    assert first["next"].endswith("/api/v1/components?page=2")
    assert len(api.get("/api/v1/components?pageSize=100").json()["results"]) == 25


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/components",
        "/api/v1/usages",
        "/api/v1/organisations",
        "/api/v1/licenses",
        "/api/v1/components/acme-zaken/releases",
        "/api/v1/components/acme-zaken/history",
    ],
)
def test_list_query_counts_do_not_grow_with_page_size(api, acme, acme_component, url):
    for n in range(12):
        component = ComponentFactory(publisher=acme)
        organisation = OrganisationFactory()
        UsageFactory(organisation=organisation, component=component)
        UsageFactory(organisation=organisation, component=acme_component)
        ReleaseFactory(component=acme_component, version=f"0.{n}.0")
        acme_component.name = f"Acme Zaken {n}"
        acme_component.save()
    # A dependency only beyond the first page: prefetching must not add a query for it.
    Dependency.objects.create(component=component, depends_on=acme_component)
    separator = "&" if "?" in url else "?"
    small = query_count(api, f"{url}{separator}pageSize=1")
    large = query_count(api, f"{url}{separator}pageSize=100")
    assert small == large
    assert large <= 10


def test_usage_counts_include_government_usages_as_numbers(api, acme_component):
    UsageFactory(component=acme_component, visibility=Visibility.GOVERNMENT)
    UsageFactory(component=acme_component, status="pilot")
    UsageFactory(
        component=acme_component,
        organisation=OrganisationFactory(kind=OrganisationKind.PROVINCE),
    )
    UsageFactory(
        component=acme_component,
        assertion=Assertion.REJECTED,
        claimed_by=acme_component.publisher,
    )
    counts = api.get("/api/v1/components/acme-zaken").json()["usageCounts"]
    assert counts == {
        "total": 3,
        "byStatus": {"production": 2, "pilot": 1},
        "byOrganisationKind": {"municipality": 2, "province": 1},
    }


class TestFilters:
    @pytest.fixture
    def catalogue(self, acme, globex, utrecht):
        ComponentFactory(
            slug="zaken-api",
            name="Zaken API",
            kind="api",
            layer="services",
            license_expression="MIT OR Apache-2.0",
            publisher=acme,
        )
        ComponentFactory(
            slug="formulieren",
            name="Formulieren",
            kind="software",
            layer="interaction",
            license_expression="EUPL-1.2",
            publisher=globex,
            development_status="stable",
        )
        ComponentFactory(
            slug="huisstijl",
            name="Huisstijl",
            kind="house-style",
            layer="interaction",
            license_expression="GPL-2.0",
            publisher=utrecht,
        )

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("kind=api", ["zaken-api"]),
            ("kind=api&kind=house-style", ["huisstijl", "zaken-api"]),
            ("layer=interaction", ["formulieren", "huisstijl"]),
            ("developmentStatus=stable", ["formulieren"]),
            ("license=Apache-2.0", ["zaken-api"]),
            ("license=mit", ["zaken-api"]),
            ("license=GPL-2.0-only", ["huisstijl"]),
            ("publisher=globex", ["formulieren"]),
            ("publisherKind=municipality", ["huisstijl"]),
            ("publisherKind=vendor", ["formulieren", "zaken-api"]),
            ("kind=software&layer=interaction&license=EUPL-1.2", ["formulieren"]),
            ("ordering=-name", ["zaken-api", "huisstijl", "formulieren"]),
            ("updatedSince=2999-01-01T00:00:00Z", []),
        ],
    )
    def test_filters(self, api, catalogue, query, expected):
        result = slugs(api.get(f"/api/v1/components?{query}"))
        assert (result if query.startswith("ordering") else sorted(result)) == expected

    def test_customer_question_and_upl_filters(self, api, catalogue):
        from components.models import Component, CustomerQuestion, UplProduct

        component = Component.objects.get(slug="formulieren")
        component.customer_questions.add(CustomerQuestion.objects.get(code="verhuizen"))
        product = UplProduct.objects.create(
            uri="http://standaarden.overheid.nl/owms/terms/Verhuizing", name="Verhuizing"
        )
        component.upl_products.add(product)
        assert slugs(api.get("/api/v1/components?customerQuestion=verhuizen")) == ["formulieren"]
        assert slugs(api.get(f"/api/v1/components?uplProduct={product.uri}")) == ["formulieren"]

    def test_full_text_search(self, api, acme, on_postgres):
        ComponentFactory(
            slug="meldingen",
            name="Meldingen openbare ruimte",
            publisher=acme,
            short_description="Bewoners melden losliggende stoeptegels en volle afvalbakken.",
        )
        ComponentFactory(slug="zaken", name="Zaaksysteem", publisher=acme)
        assert slugs(api.get("/api/v1/components?q=stoeptegels")) == ["meldingen"]
        if on_postgres:
            # Dutch stemming: 'afvalbak' finds 'afvalbakken'.
            assert slugs(api.get("/api/v1/components?q=afvalbak")) == ["meldingen"]


def test_used_by_does_not_reveal_a_government_only_usage(api, utrecht_api, globex_api, utrecht):
    secret = ComponentFactory(slug="geheim")
    ComponentFactory(slug="openbaar")
    UsageFactory(organisation=utrecht, component=secret, visibility=Visibility.GOVERNMENT)
    UsageFactory(
        organisation=utrecht,
        component=ComponentFactory(slug="bekend"),
        visibility=Visibility.PUBLIC,
    )
    url = "/api/v1/components?usedBy=gemeente-utrecht"
    assert slugs(api.get(url)) == ["bekend"]
    assert slugs(globex_api.get(url)) == ["bekend"]
    assert sorted(slugs(utrecht_api.get(url))) == ["bekend", "geheim"]


def test_usages_follow_the_visibility_rules(api, acme_api, utrecht_api, utrecht, acme_component):
    ministry_member = OrganisationFactory(kind=OrganisationKind.CENTRAL_GOVERNMENT)
    from .conftest import client_for

    ministry_api = client_for(ministry_member)
    public = UsageFactory(component=acme_component, visibility=Visibility.PUBLIC)
    government = UsageFactory(component=acme_component, visibility=Visibility.GOVERNMENT)
    rejected = UsageFactory(
        component=acme_component, assertion=Assertion.REJECTED, claimed_by=acme_component.publisher
    )
    other_vendor = VendorFactory()
    own = UsageFactory(
        organisation=other_vendor, component=acme_component, visibility=Visibility.GOVERNMENT
    )
    other_vendor_api = client_for(other_vendor)

    def ids(client):
        response = client.get("/api/v1/usages")
        assert response.status_code == 200
        return sorted(item["id"] for item in response.json()["results"])

    assert ids(api) == [public.pk]
    assert ids(acme_api) == sorted([public.pk, rejected.pk])  # it made the rejected claim
    assert ids(ministry_api) == sorted([public.pk, government.pk, own.pk])
    assert ids(other_vendor_api) == sorted([public.pk, own.pk])
    assert api.get(f"/api/v1/usages/{government.pk}").status_code == 404
    assert ministry_api.get(f"/api/v1/usages/{government.pk}").status_code == 200
    assert api.get(f"/api/v1/usages/{rejected.pk}").status_code == 404


def test_a_government_usage_does_not_leak_through_filters(api, utrecht, acme_component):
    UsageFactory(organisation=utrecht, component=acme_component, visibility=Visibility.GOVERNMENT)
    for query in ("organisation=gemeente-utrecht", "component=acme-zaken", "visibility=government"):
        assert api.get(f"/api/v1/usages?{query}").json()["count"] == 0


def test_organisations_and_licences_can_be_read_and_filtered(api, utrecht, acme):
    body = api.get("/api/v1/organisations?kind=municipality").json()
    assert [o["slug"] for o in body["results"]] == ["gemeente-utrecht"]
    assert body["results"][0]["cbsCode"] == "GM0344"
    licence = api.get("/api/v1/licenses/GPL-2.0").json()
    assert licence["isDeprecated"] is True and licence["supersededBy"] == "GPL-2.0-only"
    custom = api.get("/api/v1/licenses?custom=true").json()
    assert custom["count"] == 0
    osi = api.get("/api/v1/licenses?osiApproved=true&q=EUPL").json()
    assert {item["id"] for item in osi["results"]} >= {"EUPL-1.2"}


def test_every_response_carries_the_api_version(api):
    for url in ("/api/v1/components", "/api/v1/nothing", "/api/v1/openapi.json"):
        assert api.get(url)["API-Version"] == "1.0.0"


def test_history_names_the_token_and_its_organisation(acme_api, acme_component):
    from accounts.models import ApiToken

    response = acme_api.patch(
        "/api/v1/components/acme-zaken", {"developmentStatus": "beta"}, format="json"
    )
    assert response.status_code == 200
    acme_api.post(
        "/api/v1/components/acme-zaken/releases",
        {"version": "3.0.0", "releaseDate": "2026-11-01"},
        format="json",
    )
    entries = acme_api.get("/api/v1/components/acme-zaken/history").json()["results"]
    token = ApiToken.objects.get(organisation__slug="acme")
    assert entries[0]["resource"] == "release" and entries[0]["object"] == "3.0.0"
    assert entries[0]["actor"] == f"token '{token.name}' of Acme Software B.V."
    change = entries[1]
    assert change["action"] == "changed"
    assert change["changes"] == [
        {"field": "developmentStatus", "old": "development", "new": "beta"}
    ]
    assert change["actor"] == f"token '{token.name}' of Acme Software B.V."


def test_history_shows_no_government_only_usage_to_those_who_may_not_see_it(
    api, utrecht_api, utrecht, acme_component
):
    UsageFactory(organisation=utrecht, component=acme_component, visibility=Visibility.GOVERNMENT)
    url = "/api/v1/components/acme-zaken/history"
    assert [e["resource"] for e in api.get(url).json()["results"]] == ["component"]
    assert sorted(e["resource"] for e in utrecht_api.get(url).json()["results"]) == [
        "component",
        "usage",
    ]
