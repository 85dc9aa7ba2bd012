"""The served API keeps the promises of openapi.yaml: what an outside schemathesis
run found (issue 12.16), pinned down."""

import pytest
import yaml
from django.conf import settings

from components.models import HarvestSource, WebhookSubscription

# --- what the runs found, pinned down ----------------------------------------
# The fuzzer's examples depend on its seed and version; these do not.


@pytest.fixture(scope="module")
def document():
    return yaml.safe_load((settings.BASE_DIR / "openapi.yaml").read_text())


def test_public_reads_take_a_token_or_none_and_the_rest_need_one(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            private = method != "get" or path.startswith(("/webhooks", "/harvest-sources"))
            expected = [{"organisationToken": []}] + ([] if private else [{}])
            assert operation["security"] == expected, (method, path)


def test_what_may_be_empty_or_null_is_documented_so(document):
    schemas = document["components"]["schemas"]
    uri_or_empty = [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]
    assert schemas["License"]["properties"]["url"]["oneOf"] == uri_or_empty
    assert schemas["Organisation"]["properties"]["tooiUri"]["oneOf"] == uri_or_empty
    assert schemas["Organisation"]["properties"]["website"]["oneOf"] == uri_or_empty
    assert schemas["Usage"]["properties"]["claimedBy"]["nullable"] is True


def test_every_write_documents_409_and_refuses_unknown_fields(document):
    for path, item in document["paths"].items():
        for method in ("post", "put", "patch"):
            if method in item:
                assert "409" in item[method]["responses"], (method, path)
    bodies = {
        media["schema"]["$ref"].rsplit("/", 1)[-1]
        for item in document["paths"].values()
        for operation in item.values()
        for media in operation.get("requestBody", {}).get("content", {}).values()
        if "$ref" in media.get("schema", {})
    }
    assert {"ComponentRequest", "PatchedUsageRequest", "WebhookSubscriptionRequest"} <= bodies
    for name in bodies | {"DependencyRequest"}:
        assert document["components"]["schemas"][name]["additionalProperties"] is False, name


def test_a_publiccode_yml_is_documented_as_the_mapping_it_is(document):
    answer = document["paths"]["/components/{slug}/publiccode.yml"]["get"]["responses"]["200"]
    assert answer["content"]["application/yaml"]["schema"]["type"] == "object"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "1", "maybe", "True", "yes"])
def test_a_boolean_query_parameter_is_true_or_false_only(api, value):
    for path, name in [("/api/v1/licenses", "osiApproved"), ("/api/v1/organisations", "verified")]:
        response = api.get(f"{path}?{name}={value}")
        assert response.status_code == 400, (path, response.content)
        assert response.json()["invalidParams"] == [
            {"name": name, "reason": "Must be true or false."}
        ]


@pytest.mark.django_db
def test_boolean_query_parameters_still_filter(api, acme, utrecht):
    type(utrecht).objects.filter(pk=utrecht.pk).update(verified=True)
    type(acme).objects.filter(pk=acme.pk).update(verified=False)
    slugs = {
        value: [
            o["slug"] for o in api.get(f"/api/v1/organisations?verified={value}").json()["results"]
        ]
        for value in ("true", "false")
    }
    assert slugs == {"true": ["gemeente-utrecht"], "false": ["acme"]}
    assert api.get("/api/v1/organisations?verified=").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [({"active": 0}, "active"), ({"active": "true"}, "active"), ({"active": 1}, "active")],
)
def test_a_boolean_in_a_body_is_a_json_boolean(acme_api, acme, body, field):
    subscription = WebhookSubscription.objects.create(
        organisation=acme, url="https://hooks.example/a", secret="x"
    )
    response = acme_api.patch(f"/api/v1/webhooks/{subscription.pk}", body, format="json")
    assert response.status_code == 400, response.content
    assert [p["name"] for p in response.json()["invalidParams"]] == [field]
    harvest = HarvestSource.objects.create(organisation=acme, url="https://example.org/p.yml")
    response = acme_api.patch(
        f"/api/v1/harvest-sources/{harvest.pk}", {"enabled": 0}, format="json"
    )
    assert response.status_code == 400, response.content
    accepted = acme_api.patch(
        f"/api/v1/harvest-sources/{harvest.pk}", {"enabled": False}, format="json"
    )
    assert (accepted.status_code, accepted.json()["enabled"]) == (200, False)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/usages", "/api/v1/components"])
def test_an_offset_postgresql_cannot_hold_is_compared_in_utc(api, acme_component, path):
    # ISO 8601 allows offsets to ±23:59; PostgreSQL stops at ±15:59 (it was a 503).
    response = api.get(path, {"updatedSince": "2020-01-01T00:00:00+23:49"})
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_a_moment_that_leaves_the_calendar_in_utc_is_a_400(api):
    response = api.get("/api/v1/usages", {"updatedSince": "0001-01-01T00:00:00+05:00"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "updatedSince"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/usages", {"organisation": "acme\x00", "component": "acme-zaken"}, "organisation"),
        ("/api/v1/usages", {"organisation": "acme", "component": "\x00"}, "component"),
        (
            "/api/v1/components",
            {"slug": "x", "name": "X", "license": "MIT", "customerQuestions": ["\x00"]},
            "customerQuestions",
        ),
        (
            "/api/v1/components",
            {"slug": "x", "name": "X", "license": "MIT", "dependencies": [{"component": "\x00"}]},
            "dependencies.0.component",
        ),
    ],
)
def test_a_nul_in_a_reference_is_a_reference_to_nothing(
    acme_api, acme_component, path, body, field
):
    # PostgreSQL text cannot hold a NUL: looking it up was a 503.
    response = acme_api.post(path, body, format="json")
    assert response.status_code == 400, response.content
    assert field in [p["name"] for p in response.json()["invalidParams"]]
