"""Reuse figures, exactly right on a fixed dataset, and blind to names."""

import datetime

import pytest

from accounts.constants import OrganisationKind
from components.constants import Assertion, Visibility
from components.models import CustomerQuestion

from ..conftest import client_for
from ..factories import ComponentFactory, OrganisationFactory, UsageFactory, VendorFactory

pytestmark = pytest.mark.django_db


def day(year, month=1):
    return datetime.date(year, month, 1)


@pytest.fixture
def dataset(db):
    vendor = VendorFactory(slug="vendor")
    city = OrganisationFactory(slug="gemeente-a", kind=OrganisationKind.MUNICIPALITY)
    town = OrganisationFactory(slug="gemeente-b", kind=OrganisationKind.MUNICIPALITY)
    village = OrganisationFactory(slug="gemeente-c", kind=OrganisationKind.MUNICIPALITY)
    province = OrganisationFactory(slug="provincie", kind=OrganisationKind.PROVINCE)
    zaken = ComponentFactory(slug="zaken", name="Zaken", kind="software", layer="services",
                             publisher=city)  # fmt: skip
    forms = ComponentFactory(slug="forms", name="Forms", kind="software", layer="interaction",
                             publisher=vendor)  # fmt: skip
    api = ComponentFactory(slug="api", name="API", kind="api", layer="services", publisher=vendor)
    moving = CustomerQuestion.objects.get(code="verhuizen")
    waste = CustomerQuestion.objects.get(code="afval-buurt")
    zaken.customer_questions.add(moving)
    forms.customer_questions.add(moving, waste)
    UsageFactory(organisation=town, component=zaken, since=day(2024), status="production")
    UsageFactory(organisation=province, component=zaken, since=day(2025), status="pilot")
    UsageFactory(organisation=village, component=zaken, since=day(2024), until=day(2025, 6),
                 status="stopped")  # fmt: skip
    UsageFactory(organisation=town, component=forms, since=day(2025), status="production",
                 visibility=Visibility.GOVERNMENT)  # fmt: skip
    UsageFactory(organisation=village, component=forms, since=day(2026), status="planned")
    UsageFactory(organisation=city, component=forms, since=day(2025), status="production")
    UsageFactory(organisation=city, component=api, since=day(2026), status="production",
                 assertion=Assertion.REJECTED, claimed_by=vendor)  # fmt: skip
    return {"city": city, "town": town, "village": village, "vendor": vendor}


def test_registry_figures_are_exact(api, dataset, settings):
    settings.FIGURES_CACHE_SECONDS = 0
    body = api.get("/api/v1/figures").json()
    # A tie is broken by age: zaken was registered first.
    assert body["mostReused"] == [
        {"component": "zaken", "name": "Zaken", "users": 2},
        {"component": "forms", "name": "Forms", "users": 2},
    ]
    by_kind = {row["value"]: row for row in body["byKind"]}
    assert by_kind["software"] == {"value": "software", "components": 2, "usages": 4}
    assert by_kind["api"] == {"value": "api", "components": 1, "usages": 0}
    by_layer = {row["value"]: row for row in body["byLayer"]}
    assert by_layer["services"]["usages"] == 2 and by_layer["interaction"]["usages"] == 2
    assert body["acrossKinds"] == [
        {"publisherKind": "municipality", "userKind": "municipality", "usages": 1},
        {"publisherKind": "municipality", "userKind": "province", "usages": 1},
        {"publisherKind": "vendor", "userKind": "municipality", "usages": 2},
    ]
    adoption = {row["year"]: row for row in body["adoption"]}
    assert adoption[2024] == {"year": 2024, "started": 2, "stopped": 0, "inUse": 2}
    assert adoption[2025] == {"year": 2025, "started": 3, "stopped": 1, "inUse": 4}
    coverage = {row["code"]: row for row in body["questionCoverage"]}
    assert coverage["verhuizen"] == {"code": "verhuizen", "components": 2, "municipalities": 2}
    assert coverage["afval-buurt"] == {"code": "afval-buurt", "components": 1, "municipalities": 2}
    assert "gemeente" not in str(body)  # counts only, never names


def test_component_figures_are_exact(api, dataset):
    body = api.get("/api/v1/components/zaken/figures").json()
    assert body["usersByStatus"] == {"production": 1, "pilot": 1, "stopped": 1}
    assert body["usersByOrganisationKind"] == {"municipality": 2, "province": 1}
    assert [(r["year"], r["inUse"]) for r in body["adoption"]][:2] == [(2024, 2), (2025, 2)]


def test_organisation_figures_follow_visibility(api, dataset):
    town_api = client_for(dataset["town"])
    own = town_api.get("/api/v1/organisations/gemeente-b/figures").json()
    assert own["questionsCovered"] == ["verhuizen", "afval-buurt"]
    assert own["questionsTotal"] == 13
    anonymous = api.get("/api/v1/organisations/gemeente-b/figures").json()
    # Its use of Forms is government-only: an anonymous caller cannot see it.
    assert anonymous["questionsCovered"] == ["verhuizen"]


def test_organisations_like_yours_use(api, dataset):
    # gemeente-a (city) uses forms; gemeente-b, another municipality, also uses
    # zaken (and forms, government-only); the province's pilot of zaken is no
    # municipality's, gemeente-c's use of zaken has stopped.
    town_api = client_for(dataset["town"])
    expected = [{"component": "zaken", "name": "Zaken", "organisations": 1}]
    body = client_for(dataset["city"]).get("/api/v1/organisations/gemeente-a/figures").json()
    assert body["similarOrganisationsUse"] == expected
    # "Like yours" is the same kind, whatever they share: an anonymous caller, who
    # cannot see gemeente-b's government-only use of forms, is suggested zaken too.
    assert (
        api.get("/api/v1/organisations/gemeente-a/figures").json()["similarOrganisationsUse"]
        == expected
    )
    # gemeente-b uses everything another municipality uses.
    body = town_api.get("/api/v1/organisations/gemeente-b/figures").json()
    assert body["similarOrganisationsUse"] == []


@pytest.mark.parametrize("whose", ["its own", "a peer's"])
@pytest.mark.parametrize("caller", ["anonymous", "vendor"])
def test_organisations_like_yours_never_reveal_a_government_only_usage(api, whose, caller):
    """Whether gemeente-y or its peer uses Signalen government-only, neither an
    anonymous caller nor a vendor can tell from gemeente-y's suggestions: they are
    built only on the usages the caller may see, exclusions and counts alike."""
    vendor = VendorFactory(slug="vendor")
    y = OrganisationFactory(slug="gemeente-y", kind=OrganisationKind.MUNICIPALITY)
    peer = OrganisationFactory(slug="gemeente-p", kind=OrganisationKind.MUNICIPALITY)
    zaken = ComponentFactory(slug="zaken", name="Zaken", publisher=vendor)
    signalen = ComponentFactory(slug="signalen", name="Signalen", publisher=vendor)
    forms = ComponentFactory(slug="forms", name="Forms", publisher=vendor)
    for organisation in (y, peer):
        UsageFactory(organisation=organisation, component=zaken, status="production")
    UsageFactory(organisation=peer, component=forms, status="production")
    if whose == "its own":
        UsageFactory(organisation=peer, component=signalen, status="production")
    client = api if caller == "anonymous" else client_for(vendor)

    def suggestions():
        body = client.get("/api/v1/organisations/gemeente-y/figures").json()
        return body["similarOrganisationsUse"]

    without = suggestions()
    UsageFactory(
        organisation=y if whose == "its own" else peer,
        component=signalen,
        status="production",
        visibility=Visibility.GOVERNMENT,
    )
    assert suggestions() == without
    expected = [{"component": "forms", "name": "Forms", "organisations": 1}]
    if whose == "its own":
        expected.append({"component": "signalen", "name": "Signalen", "organisations": 1})
    assert sorted(without, key=lambda row: row["component"]) == expected


def test_organisations_like_yours_count_what_only_the_caller_sees(api):
    """A vendor sees the government-only usages it claimed itself: its suggestions
    count them, an anonymous caller's do not (the public tally leaves them out)."""
    vendor = VendorFactory(slug="vendor")
    y = OrganisationFactory(slug="gemeente-y", kind=OrganisationKind.MUNICIPALITY)
    peer = OrganisationFactory(slug="gemeente-p", kind=OrganisationKind.MUNICIPALITY)
    other = OrganisationFactory(slug="gemeente-o", kind=OrganisationKind.MUNICIPALITY)
    signalen = ComponentFactory(slug="signalen", name="Signalen", publisher=vendor)
    UsageFactory(organisation=other, component=signalen, status="production")
    UsageFactory(
        organisation=peer,
        component=signalen,
        status="pilot",
        visibility=Visibility.GOVERNMENT,
        assertion=Assertion.CLAIMED,
        claimed_by=vendor,
    )

    def suggestions(client):
        body = client.get(f"/api/v1/organisations/{y.slug}/figures").json()
        return [(row["component"], row["organisations"]) for row in body["similarOrganisationsUse"]]

    assert suggestions(api) == [("signalen", 1)]
    assert suggestions(client_for(vendor)) == [("signalen", 2)]
    assert suggestions(client_for(peer)) == [("signalen", 2)]  # public sector: sees it all
