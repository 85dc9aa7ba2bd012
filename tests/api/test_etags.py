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


def test_an_etag_of_content_hashes_bytes_text_and_data_alike():
    from components.api.etags import etag_of_content

    # The first 32 hex digits of SHA-256("abc"), quoted: clients may have stored these.
    assert etag_of_content(b"abc") == '"ba7816bf8f01cfea414140de5dae2223"'
    assert etag_of_content("abc") == etag_of_content(b"abc")
    # Data is hashed as JSON with sorted keys, whatever order it was built in.
    assert etag_of_content({"b": 1, "a": 2}) == etag_of_content('{"a": 2, "b": 1}')


def test_a_stored_etag_ignores_the_search_document(acme_component):
    from components.api.etags import etag_for

    before = etag_for(acme_component)
    acme_component.search_document = "'iets':1"
    assert etag_for(acme_component) == before
    acme_component.name = "Anders"
    assert etag_for(acme_component) != before


def test_if_none_match_may_list_several_tags_and_weak_ones(api, acme_component):
    etag = api.get("/api/v1/components/acme-zaken")["ETag"]
    response = api.get("/api/v1/components/acme-zaken", HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert api.get("/api/v1/components/acme-zaken", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_if_match_star_or_a_weak_fresh_tag_lets_the_write_through(acme_api, acme_component):
    etag = acme_api.get("/api/v1/components/acme-zaken")["ETag"]
    url = "/api/v1/components/acme-zaken"
    response = acme_api.patch(url, {"name": "Een"}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    assert response.status_code == 200
    assert (
        acme_api.patch(url, {"name": "Twee"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    )
