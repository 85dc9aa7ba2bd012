"""Every error is application/problem+json with status, title and detail; bad
input changes nothing and never gives a 500."""

import pytest

from components.models import Component

pytestmark = pytest.mark.django_db

VALID = {
    "slug": "nieuw",
    "name": "Nieuw",
    "kind": "library",
    "shortDescription": "Kort.",
    "license": "MIT",
}


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def test_validation_errors_name_each_camelcase_field(acme_api):
    body = {**VALID, "kind": "spreadsheet", "shortDescription": "x" * 151, "license": "Foo-1"}
    problem = assert_problem(acme_api.post("/api/v1/components", body, format="json"), 400)
    names = {p["name"] for p in problem["invalidParams"]}
    assert names == {"kind", "shortDescription", "license"}
    reason = next(p["reason"] for p in problem["invalidParams"] if p["name"] == "license")
    assert "Foo-1" in reason
    assert not Component.objects.exists()


def test_nested_errors_have_a_dotted_path(acme_api):
    body = {**VALID, "dependencies": [{"name": "PostgreSQL"}, {"kind": "open"}]}
    problem = assert_problem(acme_api.post("/api/v1/components", body, format="json"), 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["dependencies.1.name"]


def test_unknown_fields_are_named(acme_api):
    body = {**VALID, "colour": "blue", "publisher": "globex"}
    problem = assert_problem(acme_api.post("/api/v1/components", body, format="json"), 400)
    assert {p["name"]: p["reason"] for p in problem["invalidParams"]} == {
        "colour": "Unknown field.",
        "publisher": "This field is read-only.",
    }
    assert not Component.objects.exists()


def test_malformed_json_is_a_400(acme_api):
    response = acme_api.post("/api/v1/components", '{"slug": "x",', content_type="application/json")
    assert "JSON" in assert_problem(response, 400)["detail"]


def test_a_json_array_instead_of_an_object_is_a_400(acme_api):
    response = acme_api.post("/api/v1/components", [1, 2], format="json")
    assert_problem(response, 400)


def test_the_wrong_content_type_is_a_415(acme_api):
    response = acme_api.post("/api/v1/components", "slug=x", content_type="text/plain")
    assert_problem(response, 415)


def test_a_body_over_one_megabyte_is_a_413(acme_api):
    big = {**VALID, "longDescription": "x" * (1024 * 1024)}
    import json

    response = acme_api.post("/api/v1/components", json.dumps(big), content_type="application/json")
    assert_problem(response, 413)
    assert not Component.objects.exists()


@pytest.mark.parametrize(
    "query, name",
    [
        ("kind=spreadsheet", "kind"),
        ("layer=roof", "layer"),
        ("developmentStatus=done", "developmentStatus"),
        ("publisherKind=alien", "publisherKind"),
        ("updatedSince=yesterday", "updatedSince"),
        ("ordering=colour", "ordering"),
        ("pageSize=0", "pageSize"),
        ("pageSize=101", "pageSize"),
        ("pageSize=ten", "pageSize"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(api, query, name):
    problem = assert_problem(api.get(f"/api/v1/components?{query}"), 400)
    assert [p["name"] for p in problem["invalidParams"]] == [name]


@pytest.mark.parametrize("page", ["99", "0", "abc"])
def test_an_unknown_page_is_a_404(api, acme_component, page):
    assert_problem(api.get(f"/api/v1/components?page={page}"), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/components/nothing-here",
        "/api/v1/components/",
        "/api/v1/nothing",
        "/api/v1/usages/999999",
        "/api/v1/usages/abc",
        "/api/v1/licenses/NOT-A-LICENSE",
    ],
)
def test_unknown_resources_are_a_problem_404(api, path):
    assert_problem(api.get(path), 404)


def test_a_method_that_does_not_exist_is_a_405(acme_api):
    assert_problem(acme_api.delete("/api/v1/organisations"), 405)


def test_a_duplicate_slug_is_a_400(acme_api, acme_component):
    problem = assert_problem(
        acme_api.post("/api/v1/components", {**VALID, "slug": "acme-zaken"}, format="json"), 400
    )
    assert [p["name"] for p in problem["invalidParams"]] == ["slug"]


def test_a_duplicate_usage_is_a_409(utrecht_api, acme_component, utrecht):
    body = {"organisation": "gemeente-utrecht", "component": "acme-zaken"}
    assert utrecht_api.post("/api/v1/usages", body, format="json").status_code == 201
    assert_problem(utrecht_api.post("/api/v1/usages", body, format="json"), 409)


def test_a_usage_that_ends_before_it_starts_is_a_400(utrecht_api, acme_component, utrecht):
    body = {
        "organisation": "gemeente-utrecht",
        "component": "acme-zaken",
        "since": "2026-05-01",
        "until": "2026-04-01",
    }
    problem = assert_problem(utrecht_api.post("/api/v1/usages", body, format="json"), 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["until"]


def test_a_release_version_that_exists_is_a_400(acme_api, acme_component):
    body = {"version": "1.0.0", "releaseDate": "2026-01-01"}
    url = "/api/v1/components/acme-zaken/releases"
    assert acme_api.post(url, body, format="json").status_code == 201
    problem = assert_problem(acme_api.post(url, body, format="json"), 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["version"]


def test_rate_limits_answer_429_with_retry_after(api, settings):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anonymous": "3/minute"}
    from registry.api import AnonymousRateThrottle

    original = AnonymousRateThrottle.THROTTLE_RATES
    AnonymousRateThrottle.THROTTLE_RATES = rates
    try:
        codes = [api.get("/api/v1/licenses?pageSize=1").status_code for _ in range(4)]
        response = api.get("/api/v1/licenses?pageSize=1")
    finally:
        AnonymousRateThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 200, 429]
    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_token_has_its_own_rate_limit(acme_api, api):
    from registry.api import AnonymousRateThrottle, TokenRateThrottle

    original = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {**original, "token": "2/minute"}
    try:
        codes = [acme_api.get("/api/v1/licenses?pageSize=1").status_code for _ in range(3)]
        anonymous = api.get("/api/v1/licenses?pageSize=1").status_code
    finally:
        TokenRateThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 429]
    assert anonymous == 200
    assert AnonymousRateThrottle.THROTTLE_RATES is not None


def test_reads_are_open_to_other_origins_but_writes_are_not(api):
    response = api.get("/api/v1/components", HTTP_ORIGIN="https://catalogus.example.eu")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        "/api/v1/components",
        HTTP_ORIGIN="https://catalogus.example.eu",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")


def test_reuse_restricted_to_organisation_kinds_names_one_in_the_api_and_the_model(
    acme_api, acme_component
):
    from django.core.exceptions import ValidationError

    body = {**VALID, "reuseRestriction": "organisation-kinds"}
    response = acme_api.post("/api/v1/components", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert assert_problem(response, 400)["invalidParams"] == [
        {"name": "reuseOrganisationKinds", "reason": "Name at least one organisation kind."}
    ]
    acme_component.reuse_restriction = "organisation-kinds"
    with pytest.raises(ValidationError) as refused:
        acme_component.clean()
    assert refused.value.message_dict == {
        "reuse_organisation_kinds": ["Name at least one organisation kind."]
    }
