"""Hand-made bad input is a 400 (problem+json in the API), never a 500 or 503;
concurrent identical creates are a 409; every /api/ answer is problem+json."""

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.test import Client

from registry.api import ApiMiddleware

from .api.test_errors import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/componenten?q=%00",
        "/organisaties?q=%00",
        "/componenten/acme-zaken?organisation=%00",
        "/licenties/MIT%00",
        "/en/components?q=zaak%00",
    ],
)
def test_a_nul_byte_in_a_site_address_is_a_400_page(client, acme_component, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reuse-check?organisation=%00&component=acme-zaken",
        "/api/v1/components?q=%00",
        "/api/v1/components/acme%00",
    ],
)
def test_a_nul_byte_in_an_api_address_is_a_problem_400(api, acme_component, path):
    assert_problem(api.get(path), 400)


def test_json_nested_a_thousand_levels_deep_is_a_400(acme_api):
    body = "[" * 5000 + "]" * 5000
    response = acme_api.post("/api/v1/components", body, content_type="application/json")
    assert_problem(response, 400)


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/usages/abc"),
        ("patch", "/api/v1/usages/abc"),
        ("put", "/api/v1/usages/abc"),
        ("delete", "/api/v1/usages/abc"),
        ("post", "/api/v1/usages/abc/confirm"),
        ("post", "/api/v1/usages/abc/reject"),
        ("post", "/api/v1/usages/1e3/confirm"),
    ],
)
def test_a_non_numeric_usage_id_is_a_404(utrecht_api, method, path):
    assert_problem(getattr(utrecht_api, method)(path, {}, format="json"), 404)


@pytest.mark.parametrize("path", ["/api/v1/webhooks/abc", "/api/v1/harvest-sources/abc"])
def test_non_numeric_ids_elsewhere_are_a_404(utrecht_api, path):
    assert_problem(utrecht_api.patch(path, {}, format="json"), 404)


def test_a_write_to_an_unknown_api_path_is_a_problem_404_not_a_csrf_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/nothing-here", "{}", content_type="application/json")
    assert_problem(response, 404)


def test_a_cookie_write_without_csrf_token_is_refused_as_problem_json(bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post("/api/v1/usages", "{}", content_type="application/json")
    assert response["Content-Type"] == "application/problem+json"
    assert response.status_code in (401, 403)


def _database_error(statement):
    """A real error from the real database (not a stand-in)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except DatabaseError as error:
        return error
    raise AssertionError("the statement did not fail")


def test_a_unique_clash_from_concurrent_writers_is_a_409_not_a_503(acme_component, rf):
    """Two identical creates at once: both pass validation, one insert loses
    on the unique index. That loser is told 409 (it was 503 and unlogged)."""
    clash = _database_error(
        "INSERT INTO components_component (slug, name) SELECT slug, name FROM"
        " components_component WHERE slug = 'acme-zaken'"
    )
    assert isinstance(clash, IntegrityError)
    request = rf.post("/api/v1/components")
    response = ApiMiddleware(lambda r: None).process_exception(request, clash)
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"


def test_a_real_database_outage_is_a_logged_503(rf, caplog):
    outage = OperationalError("server closed the connection unexpectedly")
    request = rf.get("/api/v1/components")
    response = ApiMiddleware(lambda r: None).process_exception(request, outage)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert "database error on GET /api/v1/components" in caplog.text
