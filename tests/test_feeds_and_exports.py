import csv
import io
import json

import feedparser
import pytest

from accounts.constants import OrganisationKind
from components.constants import Assertion, Visibility

from .conftest import client_for
from .factories import ComponentFactory, OrganisationFactory, ReleaseFactory, UsageFactory

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_a_component_feed_is_valid_atom_with_its_releases_and_changes(client, acme_component):
    ReleaseFactory(component=acme_component, version="2.0.0")
    acme_component.license_expression = "MIT"
    acme_component.save()
    feed = parse(client.get("/feeds/components/acme-zaken.atom", HTTP_ACCEPT_LANGUAGE="en"))
    assert [entry.title for entry in feed.entries] == [
        "Acme Zaken: licence EUPL-1.2 → MIT",
        "Acme Zaken 2.0.0 released",
    ]
    assert all(entry.id and entry.updated and entry.link for entry in feed.entries)


def test_an_organisation_feed_follows_only_its_public_usages(client, utrecht):
    public = ComponentFactory(name="Openbaar")
    secret = ComponentFactory(name="Geheim")
    UsageFactory(organisation=utrecht, component=public, visibility=Visibility.PUBLIC)
    UsageFactory(organisation=utrecht, component=secret, visibility=Visibility.GOVERNMENT)
    ReleaseFactory(component=public, version="1.0.0")
    ReleaseFactory(component=secret, version="1.0.0")
    feed = parse(
        client.get("/feeds/organisations/gemeente-utrecht.atom", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert [entry.title for entry in feed.entries] == ["Openbaar 1.0.0 released"]


def test_claims_never_appear_in_a_public_feed(client, acme, utrecht, acme_component):
    UsageFactory(
        organisation=utrecht, component=acme_component, assertion=Assertion.CLAIMED, claimed_by=acme
    )
    feed = parse(client.get("/feeds/components/acme-zaken.atom"))
    assert feed.entries == []


def test_feeds_link_to_the_dutch_site_pages_also_when_they_speak_english(
    client, settings, acme_component, utrecht
):
    ReleaseFactory(component=acme_component, version="2.0.0")
    settings.SITE_URL = site = "https://componenten.example.nl"
    for language in ("nl", "en"):
        feed = parse(client.get("/feeds/components/acme-zaken.atom", HTTP_ACCEPT_LANGUAGE=language))
        assert feed.feed.link == f"{site}/componenten/acme-zaken"
        assert [entry.link for entry in feed.entries] == [f"{site}/componenten/acme-zaken"]
        feed = parse(
            client.get("/feeds/organisations/gemeente-utrecht.atom", HTTP_ACCEPT_LANGUAGE=language)
        )
        assert feed.feed.link == f"{site}/organisaties/gemeente-utrecht"


def test_an_unknown_feed_is_a_404(client):
    assert client.get("/feeds/components/nothing.atom").status_code == 404


@pytest.fixture
def landscape(utrecht, acme, acme_component):
    province = OrganisationFactory(kind=OrganisationKind.PROVINCE, slug="provincie")
    UsageFactory(organisation=utrecht, component=acme_component, visibility=Visibility.PUBLIC)
    UsageFactory(organisation=province, component=acme_component, visibility=Visibility.GOVERNMENT)
    UsageFactory(
        organisation=OrganisationFactory(slug="afgewezen"),
        component=acme_component,
        assertion=Assertion.REJECTED,
        claimed_by=acme,
    )


def export_csv(client):
    response = client.get("/api/v1/exports/usages.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    return sorted(row["organisation"] for row in rows)


def test_the_csv_export_respects_visibility(api, landscape, globex, utrecht):
    assert export_csv(api) == ["gemeente-utrecht"]
    assert export_csv(client_for(globex)) == ["gemeente-utrecht"]
    assert export_csv(client_for(utrecht)) == ["gemeente-utrecht", "provincie"]


def test_the_json_export_gives_hidden_usages_only_as_counts(api, landscape, utrecht):
    response = api.get("/api/v1/exports/usages.json")
    body = json.loads(b"".join(response.streaming_content))
    assert [u["organisation"] for u in body["usages"]] == ["gemeente-utrecht"]
    assert body["governmentOnlyByOrganisationKind"] == {"province": 1}
    body = json.loads(
        b"".join(client_for(utrecht).get("/api/v1/exports/usages.json").streaming_content)
    )
    assert len(body["usages"]) == 2
    assert body["governmentOnlyByOrganisationKind"] == {}
