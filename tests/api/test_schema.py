"""The OpenAPI document: generated from the code, committed, and documenting
what each operation can answer."""

import subprocess
import sys

import pytest
import yaml
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    with open(settings.BASE_DIR / "openapi.yaml") as handle:
        return yaml.safe_load(handle)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_the_committed_document_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--file", str(generated), "--fail-on-warn"],
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )
    assert generated.read_text() == (settings.BASE_DIR / "openapi.yaml").read_text(), (
        "openapi.yaml is stale: run `.venv/bin/python manage.py spectacular --file openapi.yaml`"
    )


def test_it_is_served_as_json_and_yaml_with_a_browsable_ui(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["version"] == "1.0.0"
    assert b"openapi: 3" in client.get("/api/v1/openapi.yaml").content
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_the_document_names_a_contact_and_a_versioned_server(schema):
    assert set(schema["info"]["contact"]) == {"name", "email", "url"}
    assert schema["servers"][0]["url"] == "/api/v1"


def test_every_path_is_kebab_case_without_trailing_slash(schema):
    for path in schema["paths"]:
        assert not path.endswith("/")
        assert path == path.lower() or "{" in path


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_write_documents_400_401_403_and_404(schema, method):
    found = 0
    for path, m, operation in operations(schema):
        if m != method:
            continue
        found += 1
        assert {"400", "401", "403", "404"} <= set(operation["responses"]), (method, path)
    assert found


def test_every_read_documents_400_401_and_404(schema):
    for path, method, operation in operations(schema):
        if method == "get":
            assert {"400", "401", "404"} <= set(operation["responses"]), path


def test_every_error_is_problem_json_and_every_answer_has_api_version(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            assert "API-Version" in response["headers"], (path, method, code)
            if code[0] in "45":
                assert list(response["content"]) == ["application/problem+json"]


def test_query_parameters_are_camel_case(schema):
    names = {
        parameter["name"]
        for _path, _method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }
    assert {"developmentStatus", "publisherKind", "usedBy", "updatedSince", "pageSize"} <= names
    assert all("_" not in name for name in names)


def test_help_texts_become_descriptions(schema):
    component = schema["components"]["schemas"]["Component"]["properties"]
    assert "natural key of a publiccode.yml" in component["repositoryUrl"]["description"]
