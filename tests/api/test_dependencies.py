"""Dependencies through the API: howUsed is written and read, guessed when
left out, part of what makes a PUT a change, and decides whether a
dependency's licence is weighed in the reuse check."""

import pytest

from components.models import Component, Dependency

pytestmark = pytest.mark.django_db

BODY = {
    "slug": "nieuw",
    "name": "Nieuw",
    "kind": "software",
    "shortDescription": "Kort.",
    "license": "MIT",
}


def put(client, dependencies):
    return client.put(
        "/api/v1/components/nieuw", {**BODY, "dependencies": dependencies}, format="json"
    )


def test_how_a_dependency_is_used_is_written_and_read_back(acme_api):
    response = put(
        acme_api,
        [
            {
                "name": "PostGIS",
                "howUsed": "runtime-service",
                "licenseExpression": "GPL-2.0-or-later",
            },
            {"name": "libkern", "howUsed": "linked", "licenseExpression": "MIT"},
        ],
    )
    assert response.status_code == 201, response.content
    assert acme_api.get("/api/v1/components/nieuw").json()["dependencies"] == [
        {
            "component": None,
            "name": "PostGIS",
            "kind": "open",
            "howUsed": "runtime-service",
            "version": "",
            "licenseExpression": "GPL-2.0-or-later",
            "conformance": "",
            "evidence": "",
        },
        {
            "component": None,
            "name": "libkern",
            "kind": "open",
            "howUsed": "linked",
            "version": "",
            "licenseExpression": "MIT",
            "conformance": "",
            "evidence": "",
        },
    ]


def test_left_out_how_used_is_guessed_from_the_target_and_the_name(acme_api, acme):
    from ..factories import ComponentFactory

    ComponentFactory(slug="zgw", kind="standard", publisher=acme)
    ComponentFactory(slug="zaakbieb", kind="library", publisher=acme)
    response = put(
        acme_api,
        [
            {"component": "zgw"},
            {"component": "zaakbieb"},
            {"name": "PostgreSQL"},
            {"name": "Django"},
            {"name": "Kaartlezer", "kind": "hardware"},
        ],
    )
    assert response.status_code == 201, response.content
    assert [d["howUsed"] for d in response.json()["dependencies"]] == [
        "implements",
        "incorporated",
        "runtime-service",
        "incorporated",
        "runtime-service",
    ]


def test_an_unknown_how_used_is_refused_with_its_path(acme_api):
    response = put(acme_api, [{"name": "PostgreSQL", "howUsed": "beside"}])
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["dependencies.0.howUsed"]
    assert not Component.objects.exists()


def test_changing_only_how_a_dependency_is_used_is_a_change(acme_api):
    put(acme_api, [{"name": "Redis", "howUsed": "incorporated"}])
    etag = acme_api.get("/api/v1/components/nieuw")["ETag"]
    assert put(acme_api, [{"name": "Redis", "howUsed": "incorporated"}])["ETag"] == etag
    assert Component.history.filter(slug="nieuw").count() == 1
    changed = put(acme_api, [{"name": "Redis", "howUsed": "runtime-service"}])
    assert changed["ETag"] != etag
    assert Dependency.objects.get().how_used == "runtime-service"


def test_the_reuse_check_weighs_only_built_in_and_linked_code(acme_api, api, utrecht):
    def check():
        return api.get(
            "/api/v1/components/nieuw/reuse-check?organisation=gemeente-utrecht",
            HTTP_ACCEPT_LANGUAGE="en",
        ).json()

    put(
        acme_api,
        [
            {
                "name": "PostGIS",
                "howUsed": "incorporated",
                "licenseExpression": "GPL-2.0-or-later",
            }
        ],
    )
    built_in = check()
    assert built_in["verdict"] == "conditional"
    assert "dependency-conflict" in [r["code"] for r in built_in["reasons"]]

    put(
        acme_api,
        [
            {
                "name": "PostGIS",
                "howUsed": "runtime-service",
                "licenseExpression": "GPL-2.0-or-later",
            }
        ],
    )
    beside = check()
    assert beside["verdict"] == "allowed"
    assert [r["code"] for r in beside["reasons"]] == [
        "restriction-none",
        "license-permissive",
        "dependency-runtime-service",
    ]
    assert beside["reasons"][-1]["text"] == (
        "This component runs beside PostGIS (a runtime service it talks to); its licence "
        "does not bind this component."
    )
