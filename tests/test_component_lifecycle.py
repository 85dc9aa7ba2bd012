"""A deprecated component names its successor and end of support; an orphaned
one (its publiccode.yml gone from the source) is marked on its page and in the
catalogue."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from components.constants import DevelopmentStatus
from components.models import Component

from .factories import ComponentFactory

pytestmark = pytest.mark.django_db


def test_a_deprecated_component_names_its_successor_and_end_of_support(acme_api, acme):
    ComponentFactory(slug="nieuw", name="Nieuwe Zaken", publisher=acme)
    ComponentFactory(slug="oud", name="Oude Zaken", publisher=acme)
    etag = acme_api.get("/api/v1/components/oud")["ETag"]
    response = acme_api.patch(
        "/api/v1/components/oud",
        {"developmentStatus": "obsolete", "replacedBy": "nieuw", "sunsetDate": "2027-06-30"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["replacedBy"], body["sunsetDate"]) == ("nieuw", "2027-06-30")
    page = Client().get("/componenten/oud").content.decode()
    assert "Dit component is verouderd" in page
    assert 'href="/componenten/nieuw">Nieuwe Zaken</a>' in page
    assert "Ondersteund tot 30 juni 2027." in page


def test_a_component_cannot_be_its_own_successor(acme_api, acme):
    ComponentFactory(slug="oud", publisher=acme)
    etag = acme_api.get("/api/v1/components/oud")["ETag"]
    response = acme_api.patch(
        "/api/v1/components/oud", {"replacedBy": "oud"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["replacedBy"]
    assert Component.objects.get(slug="oud").replaced_by is None


def test_an_orphaned_component_is_marked_on_its_page_and_in_the_catalogue(acme):
    ComponentFactory(
        slug="wees",
        name="Weeskind",
        publisher=acme,
        orphaned_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 12)),
        development_status=DevelopmentStatus.STABLE,
    )
    page = Client().get("/componenten/wees").content.decode()
    assert "sinds 1 maart 2026 niet meer bij de bron gevonden" in page
    catalogue = Client().get("/componenten").content.decode()
    assert "bron verdwenen" in catalogue
