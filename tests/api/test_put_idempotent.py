"""PUT /components/{slug} is create-or-replace by the path's slug: a publishing
job that sends the same body on every run gets 201, then 200, and no change."""

import pytest

from components.models import Component

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Zaakregistratie",
    "kind": "software",
    "shortDescription": "Registreert zaken.",
    "license": "EUPL-1.2",
}


def test_the_same_put_twice_creates_then_changes_nothing(acme_api, acme):
    url = "/api/v1/components/zaakregistratie"
    first = acme_api.put(url, BODY, format="json")
    assert first.status_code == 201, first.content
    before = Component.objects.get(slug="zaakregistratie")
    history_before = acme_api.get(f"{url}/history").json()["count"]
    second = acme_api.put(url, BODY, format="json")
    assert second.status_code == 200, second.content
    assert second["ETag"] == first["ETag"]
    after = Component.objects.get(slug="zaakregistratie")
    assert (after.name, after.updated_at) == (before.name, before.updated_at)
    assert acme_api.get(f"{url}/history").json()["count"] == history_before
    assert Component.objects.filter(publisher=acme).count() == 1


def test_a_put_with_a_changed_field_replaces_it(acme_api):
    url = "/api/v1/components/zaakregistratie"
    acme_api.put(url, BODY, format="json")
    response = acme_api.put(url, {**BODY, "name": "Zaakregistratie 2"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Zaakregistratie 2"


def test_a_put_whose_body_names_another_slug_is_refused(acme_api):
    response = acme_api.put(
        "/api/v1/components/zaakregistratie", {**BODY, "slug": "iets-anders"}, format="json"
    )
    assert response.status_code == 400
    assert not Component.objects.filter(slug__in=["zaakregistratie", "iets-anders"]).exists()
