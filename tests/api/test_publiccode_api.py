"""publiccode.yml over the API: publishing a file (POST /publiccode), a
component as a file (GET /components/{slug}/publiccode.yml), and the harvest
sources an organisation registers (/harvest-sources)."""

import pytest
from django.utils import timezone

from components.constants import Assertion, HarvestStatus, Visibility
from components.models import Component, Event, HarvestSource, Usage
from components.publiccode import validate

from ..factories import ComponentFactory, UsageFactory
from ..test_harvest import GOOD, INVALID, INVALID_YAML, REPOSITORY

pytestmark = pytest.mark.django_db

YAML = "application/yaml"


def publish(client, text, query="", content_type=YAML):
    return client.generic(
        "POST", f"/api/v1/publiccode{query}", data=text.encode(), content_type=content_type
    )


# --- POST /publiccode -------------------------------------------------------------


def test_an_anonymous_client_cannot_publish(api):
    response = publish(api, GOOD)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert not Component.objects.exists()


def test_a_file_registers_a_component_of_the_tokens_organisation(acme_api, acme):
    response = publish(acme_api, GOOD)

    assert response.status_code == 201
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert set(body) == {"created", "component", "findings", "claims", "unmatchedUsers"}
    assert (body["created"], body["findings"], body["claims"], body["unmatchedUsers"]) == (
        True,
        [],
        [],
        [],
    )
    component = body["component"]
    assert component["slug"] == "zaakregistratie"
    assert component["publisher"] == "acme"
    assert component["repositoryUrl"] == REPOSITORY
    assert component["latestRelease"] == {"version": "1.4.0", "releaseDate": "2025-03-01"}
    assert component["orphanedAt"] is None
    saved = Component.objects.get(slug="zaakregistratie")
    assert saved.publisher == acme
    assert saved.history.last().history_actor == "token 'ci' of Acme Software B.V."


def test_the_same_file_again_updates_with_200(acme_api):
    publish(acme_api, GOOD)

    response = publish(acme_api, GOOD.replace("Registreert zaken", "Beheert zaken"))

    assert response.status_code == 200
    assert response.json()["created"] is False
    assert response.json()["component"]["shortDescription"] == "Beheert zaken voor gemeenten."
    assert Component.objects.count() == 1


@pytest.mark.parametrize("media", ["text/yaml", "application/x-yaml", "text/plain"])
def test_the_other_yaml_media_types_are_accepted(acme_api, media):
    assert publish(acme_api, GOOD, content_type=media).status_code == 201


def test_a_json_body_is_refused_with_415(acme_api):
    response = acme_api.post("/api/v1/publiccode", {"name": "x"}, format="json")
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"


def test_an_empty_body_is_a_400(acme_api):
    response = publish(acme_api, "")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "body"


def test_a_dry_run_shows_the_would_be_component_and_writes_nothing(
    acme_api, utrecht, django_capture_on_commit_callbacks
):
    text = GOOD + "usedBy:\n  - Gemeente Utrecht\n  - Gemeente Nergenshuizen\n"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = publish(acme_api, text, "?dryRun=true")

    assert response.status_code == 200
    body = response.json()
    assert body["created"] is True
    assert body["component"]["slug"] == "zaakregistratie"
    assert body["component"]["latestRelease"]["version"] == "1.4.0"
    assert body["claims"] == [
        {
            "organisation": "gemeente-utrecht",
            "organisationName": "Gemeente Utrecht",
            "assertion": "claimed",
            "status": "production",
        }
    ]
    assert body["unmatchedUsers"] == ["Gemeente Nergenshuizen"]
    assert not Component.objects.exists()
    assert not Component.history.exists()
    assert not Usage.objects.exists()
    assert not Event.objects.exists()
    assert callbacks == []


def test_a_dry_run_of_a_change_leaves_the_component_as_it_was(acme_api):
    publish(acme_api, GOOD)
    before = Component.objects.get()

    renamed = GOOD.replace("name: Zaakregistratie", "name: Zaken 2")
    response = publish(acme_api, renamed, "?dryRun=true")

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["component"]["name"]) == (
        False,
        "Zaken 2",
    )
    after = Component.objects.get()
    assert (after.name, after.updated_at) == ("Zaakregistratie", before.updated_at)


@pytest.mark.parametrize("value", ["perhaps", "1", "0", "TRUE"])
def test_a_bad_dry_run_value_is_named(acme_api, value):
    # The document calls dryRun a boolean: true or false, nothing else.
    response = publish(acme_api, GOOD, f"?dryRun={value}")
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [{"name": "dryRun", "reason": "Use true or false."}]


def test_an_invalid_file_is_a_400_naming_each_error_with_its_line(acme_api):
    response = publish(acme_api, INVALID.replace('"0"', "0.7"))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["invalidParams"] == [
        {
            "name": "developmentStatus",
            "reason": "10:1: developmentStatus must be one of the following: "
            '"concept", "development", "beta", "stable" or "obsolete" (found \'finished\')',
        }
    ]
    severities = {(f["severity"], f["path"], f["line"]) for f in body["findings"]}
    assert ("error", "developmentStatus", 10) in severities
    assert ("warning", "publiccodeYmlVersion", 1) in severities
    assert set(body["findings"][0]) == {"severity", "path", "line", "column", "message"}
    assert body["status"] == 400
    assert not Component.objects.exists()


def test_invalid_yaml_is_named_as_the_body(acme_api):
    body = publish(acme_api, INVALID_YAML).json()
    [param] = body["invalidParams"]
    assert param["name"] == "body"
    assert "invalid YAML" in param["reason"]


def test_another_publishers_repository_is_a_403(acme_api, globex):
    theirs = ComponentFactory(publisher=globex, repository_url=REPOSITORY, name="Hun Zaken")

    response = publish(acme_api, GOOD)

    assert response.status_code == 403
    body = response.json()
    assert "Globex B.V." in body["detail"]
    assert body["findings"][-1]["path"] == "url"
    theirs.refresh_from_db()
    assert theirs.name == "Hun Zaken"


# --- GET /components/{slug}/publiccode.yml ----------------------------------------


def test_a_component_exports_as_a_file_the_validator_accepts(api, acme_component):
    response = api.get("/api/v1/components/acme-zaken/publiccode.yml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["API-Version"] == "1.0.0"
    result = validate(response.content)
    assert result.errors == []
    assert result.data["name"] == "Acme Zaken"
    again = api.get(
        "/api/v1/components/acme-zaken/publiccode.yml", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_an_exported_file_imports_back_unchanged(acme_api):
    publish(acme_api, GOOD)
    exported = acme_api.get("/api/v1/components/zaakregistratie/publiccode.yml").content

    response = publish(acme_api, exported.decode())

    assert response.status_code == 200
    assert response.json()["findings"] == []
    assert Component.history.count() == 1  # nothing changed, nothing written


def test_government_only_usages_are_never_exported(api, acme_component, utrecht, ministry):
    UsageFactory(organisation=utrecht, component=acme_component, visibility=Visibility.PUBLIC)
    UsageFactory(organisation=ministry, component=acme_component, visibility=Visibility.GOVERNMENT)

    text = api.get("/api/v1/components/acme-zaken/publiccode.yml").content.decode()

    assert "Gemeente Utrecht" in text
    assert "Ministerie" not in text


def test_an_unknown_component_has_no_file(api):
    response = api.get("/api/v1/components/bestaat-niet/publiccode.yml")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# --- /harvest-sources -------------------------------------------------------------


@pytest.fixture
def allow_private(settings):
    settings.HARVEST_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def acme_source(acme):
    return HarvestSource.objects.create(url="http://127.0.0.1:9/publiccode.yml", organisation=acme)


def test_anonymous_clients_see_no_harvest_sources(api, acme_source):
    assert api.get("/api/v1/harvest-sources").status_code == 401
    assert api.get(f"/api/v1/harvest-sources/{acme_source.pk}").status_code == 401
    assert api.post(f"/api/v1/harvest-sources/{acme_source.pk}/run").status_code == 401


def test_a_source_is_registered_and_read_back_whole(acme_api, allow_private):
    response = acme_api.post(
        "/api/v1/harvest-sources", {"url": "https://github.com/example/zaken"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "url": "https://github.com/example/zaken",
        "intervalHours": 24,
        "enabled": True,
        "component": None,
        "fetchUrls": [
            "https://raw.githubusercontent.com/example/zaken/HEAD/publiccode.yml",
            "https://raw.githubusercontent.com/example/zaken/HEAD/publiccode.yaml",
        ],
        "lastRunAt": None,
        "lastStatus": "never",
        "lastErrors": [],
        "lastSuccessAt": None,
        "vanishedSince": None,
    }
    assert acme_api.get(f"/api/v1/harvest-sources/{body['id']}").json() == body
    assert HarvestSource.objects.get().organisation.slug == "acme"


def test_a_private_address_is_refused_unless_configured(acme_api):
    response = acme_api.post(
        "/api/v1/harvest-sources", {"url": "http://127.0.0.1:8000/publiccode.yml"}, format="json"
    )
    assert response.status_code == 400
    [param] = response.json()["invalidParams"]
    assert param["name"] == "url"
    assert "non-public address" in param["reason"]
    assert not HarvestSource.objects.exists()


def test_another_organisations_sources_are_not_found(globex_api, acme_source):
    path = f"/api/v1/harvest-sources/{acme_source.pk}"
    assert globex_api.get("/api/v1/harvest-sources").json()["count"] == 0
    assert globex_api.get(path).status_code == 404
    assert globex_api.patch(path, {"enabled": False}, format="json").status_code == 404
    assert globex_api.post(f"{path}/run").status_code == 404
    assert globex_api.delete(path).status_code == 404
    acme_source.refresh_from_db()
    assert acme_source.enabled is True


def test_the_owner_sees_the_errors_of_the_last_run(acme_api, acme_source, acme_component):
    acme_source.component = acme_component
    acme_source.last_status = HarvestStatus.FAILED
    acme_source.last_run_at = timezone.now()
    acme_source.last_errors = [
        {
            "severity": "error",
            "path": "developmentStatus",
            "line": 10,
            "column": 1,
            "message": "developmentStatus must be one of the following: ...",
        },
        {
            "severity": "error",
            "path": "",
            "line": None,
            "column": None,
            "message": "http://127.0.0.1:9/publiccode.yml: no answer within 10 seconds",
        },
    ]
    acme_source.save()

    body = acme_api.get(f"/api/v1/harvest-sources/{acme_source.pk}").json()

    assert (body["lastStatus"], body["component"]) == ("failed", "acme-zaken")
    assert body["lastErrors"] == acme_source.last_errors


def test_an_orphaned_component_says_since_when(api, acme_component):
    orphaned = timezone.now()
    Component.objects.filter(pk=acme_component.pk).update(orphaned_at=orphaned)
    body = api.get("/api/v1/components/acme-zaken").json()
    assert body["orphanedAt"] == timezone.localtime(orphaned).isoformat()


def test_a_source_is_changed_with_if_match_and_removed(acme_api, acme_source, allow_private):
    path = f"/api/v1/harvest-sources/{acme_source.pk}"
    HarvestSource.objects.filter(pk=acme_source.pk).update(etag='"abc"', last_modified="x")
    etag = acme_api.get(path)["ETag"]

    assert acme_api.patch(path, {"intervalHours": 0}, format="json").status_code == 400
    stale = acme_api.patch(path, {"enabled": False}, format="json", HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412
    response = acme_api.patch(
        path,
        {"enabled": False, "url": "http://127.0.0.1:9/other.yml"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200
    assert response.json()["enabled"] is False
    acme_source.refresh_from_db()
    assert (acme_source.etag, acme_source.last_modified) == ("", "")  # another file now
    assert acme_api.patch(path, {"lastStatus": "ok"}, format="json").status_code == 400
    assert acme_api.delete(path).status_code == 204
    assert not HarvestSource.objects.exists()


def test_run_queues_a_harvest_and_answers_202(
    acme_api, acme_source, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        response = acme_api.post(f"/api/v1/harvest-sources/{acme_source.pk}/run")

    assert response.status_code == 202
    assert response.json()["id"] == acme_source.pk
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "components.tasks.harvest_source"
    assert queued.args_kwargs == {"args": [acme_source.pk], "kwargs": {}}
    acme_source.refresh_from_db()
    assert acme_source.last_run_at is None  # nothing is fetched inside the request


def test_the_list_costs_the_same_queries_for_any_number_of_sources(
    acme_api, acme, acme_component, django_assert_num_queries
):
    acme_api.get("/api/v1/harvest-sources")  # the token's first use is recorded once
    for n in range(3):
        HarvestSource.objects.create(
            url=f"https://example.nl/{n}.yml", organisation=acme, component=acme_component
        )
    with django_assert_num_queries(3):
        assert acme_api.get("/api/v1/harvest-sources").json()["count"] == 3


def test_claims_from_used_by_name_the_organisation(acme_api, utrecht):
    response = publish(acme_api, GOOD + "usedBy:\n  - Gemeente Utrecht\n")
    assert response.json()["claims"][0]["organisation"] == "gemeente-utrecht"
    assert Usage.objects.get().assertion == Assertion.CLAIMED
