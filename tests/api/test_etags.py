"""No lost updates: a write with a stale If-Match gets 412 and changes nothing."""

import pytest

from ..factories import ReleaseFactory, UsageFactory

pytestmark = pytest.mark.django_db


def test_every_detail_response_has_an_etag(api, acme_component, utrecht):
    usage = UsageFactory(organisation=utrecht, component=acme_component)
    ReleaseFactory(component=acme_component, version="1.0.0")
    for url in (
        "/api/v1/components/acme-zaken",
        "/api/v1/components/acme-zaken/releases/1.0.0",
        f"/api/v1/usages/{usage.pk}",
        "/api/v1/organisations/acme",
        "/api/v1/licenses/MIT",
    ):
        etag = api.get(url)["ETag"]
        assert etag.startswith('"') and len(etag) > 10


def test_a_fresh_etag_lets_the_write_through_and_changes_the_etag(acme_api, acme_component):
    etag = acme_api.get("/api/v1/components/acme-zaken")["ETag"]
    response = acme_api.patch(
        "/api/v1/components/acme-zaken", {"name": "Nieuw"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert acme_api.get("/api/v1/components/acme-zaken")["ETag"] == response["ETag"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_stale_etag_gets_412_and_nothing_changes(acme_api, acme_component, method):
    stale = acme_api.get("/api/v1/components/acme-zaken")["ETag"]
    acme_api.patch("/api/v1/components/acme-zaken", {"name": "Eerste"}, format="json")
    body = {
        "slug": "acme-zaken",
        "name": "Tweede",
        "kind": "software",
        "shortDescription": "x",
        "license": "MIT",
    }
    response = getattr(acme_api, method)(
        "/api/v1/components/acme-zaken",
        body if method != "delete" else None,
        format="json",
        HTTP_IF_MATCH=stale,
    )
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    acme_component.refresh_from_db()
    assert acme_component.name == "Eerste"
    assert acme_component.development_status == "development"


def test_a_stale_etag_on_a_usage_or_release_gets_412(
    utrecht_api, acme_api, utrecht, acme_component
):
    usage = UsageFactory(organisation=utrecht, component=acme_component)
    stale = utrecht_api.get(f"/api/v1/usages/{usage.pk}")["ETag"]
    utrecht_api.patch(f"/api/v1/usages/{usage.pk}", {"status": "pilot"}, format="json")
    response = utrecht_api.patch(
        f"/api/v1/usages/{usage.pk}", {"status": "stopped"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    usage.refresh_from_db()
    assert usage.status == "pilot"

    ReleaseFactory(component=acme_component, version="1.0.0")
    url = "/api/v1/components/acme-zaken/releases/1.0.0"
    stale = acme_api.get(url)["ETag"]
    acme_api.patch(url, {"notes": "eerste"}, format="json")
    assert (
        acme_api.patch(url, {"notes": "tweede"}, format="json", HTTP_IF_MATCH=stale).status_code
        == 412
    )
    assert acme_api.get(url).json()["notes"] == "eerste"


def test_put_creates_then_replaces_idempotently(acme_api, acme):
    body = {
        "slug": "nieuw",
        "name": "Nieuw",
        "kind": "library",
        "shortDescription": "Kort.",
        "license": "MIT",
        "homepageUrl": "https://example.nl",
    }
    first = acme_api.put("/api/v1/components/nieuw", body, format="json")
    assert first.status_code == 201
    second = acme_api.put("/api/v1/components/nieuw", body, format="json")
    assert second.status_code == 200
    assert second["ETag"] == first["ETag"]
    from components.models import Component

    assert Component.history.filter(slug="nieuw").count() == 1
    without_homepage = {k: v for k, v in body.items() if k != "homepageUrl"}
    third = acme_api.put("/api/v1/components/nieuw", without_homepage, format="json")
    assert third.json()["homepageUrl"] == ""


def test_delete_retires_a_component_instead_of_removing_it(acme_api, acme_component):
    assert acme_api.delete("/api/v1/components/acme-zaken").status_code == 204
    acme_component.refresh_from_db()
    assert acme_component.development_status == "obsolete"
    assert acme_api.get("/api/v1/components/acme-zaken").status_code == 200
