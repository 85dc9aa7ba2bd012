"""The quality of every registered API (issue 15, part 5): the OpenAPI document
is fetched from 127.0.0.1 (or uploaded), validated, linted with Spectral against
the NL API Design Rules, and each check is stored with its findings and score."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from components import quality
from components.constants import ComponentKind, DevelopmentStatus
from components.models import ApiLint

from .factories import ComponentFactory
from .test_harvest import FileServer, harvest_settings  # noqa: F401  (a fixture)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (Path(settings.BASE_DIR) / "node_modules" / ".bin" / "spectral").exists(),
        reason="Spectral is installed by make install (npm)",
    ),
]

GOOD = {
    "openapi": "3.0.3",
    "info": {
        "title": "Zaken",
        "version": "1.0.0",
        "description": "Zaken van de gemeente.",
        "contact": {"name": "Team", "email": "team@example.org", "url": "https://example.org"},
    },
    "servers": [{"url": "https://api.example.org/zaken/v1"}],
    "tags": [{"name": "zaken", "description": "Zaken"}],
    "paths": {
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "tags": ["zaken"],
                "description": "Het document.",
                "responses": {
                    "200": {
                        "description": "OK",
                        "headers": {
                            "API-Version": {"schema": {"type": "string"}, "description": "v"}
                        },
                    }
                },
            }
        },
        "/zaken": {
            "get": {
                "operationId": "listZaken",
                "tags": ["zaken"],
                "description": "Lijst.",
                "responses": {
                    "200": {
                        "description": "OK",
                        "headers": {
                            "API-Version": {"schema": {"type": "string"}, "description": "v"}
                        },
                    }
                },
            }
        },
    },
}


def bad():
    document = yaml.safe_load(yaml.safe_dump(GOOD))
    document["servers"] = [{"url": "http://api.example.org/Zaken/"}]
    document["paths"]["/Zaken_Lijst/"] = document["paths"].pop("/zaken")
    return document


@pytest.fixture
def server():
    server = FileServer()
    yield server
    server.close()


@pytest.fixture
def api_component(acme, server, harvest_settings):  # noqa: F811
    return ComponentFactory(
        slug="zaken-api",
        kind=ComponentKind.API,
        publisher=acme,
        api_specification_url=server.url("/openapi.yaml"),
    )


def test_required_rules_are_the_error_rules_of_the_ruleset():
    required = quality.required_rules(quality.ruleset_path())
    assert "nlgov:paths-kebab-case" in required
    assert "oas3-schema" in required
    text = quality.ruleset_path().read_text()
    # "rule: error" and "severity: error" alike
    assert len(required) == text.count(": error")


def test_a_fetched_document_is_checked_and_stored_with_findings(api_component, server):
    server.serve("/openapi.yaml", yaml.safe_dump(bad()))
    lint = quality.lint_component(api_component)
    assert lint is not None and lint.valid
    assert lint.etag and lint.document_url.endswith("/openapi.yaml")
    assert lint.ruleset_version.startswith("sha256:")
    assert "nlgov:include-major-version-in-uri" in lint.failed
    assert "nlgov:paths-kebab-case" in lint.failed
    assert not lint.meets_rules
    assert 0 < lint.score < 100
    assert lint.score == round(100 * len(lint.passed) / (len(lint.passed) + len(lint.failed)))
    finding = next(f for f in lint.findings if f["rule"] == "nlgov:paths-kebab-case")
    assert finding["path"].startswith("paths") and finding["message"]
    # A rule the ADR do not require is listed but does not count.
    https = [f for f in lint.findings if f["rule"] == "nlgov:servers-use-https"]
    assert https and all(f["severity"] != "error" for f in https)
    assert "nlgov:servers-use-https" not in lint.failed + lint.passed


def test_an_unchanged_etag_is_not_checked_again_a_changed_one_is(api_component, server):
    server.serve("/openapi.yaml", yaml.safe_dump(bad()))
    assert quality.lint_component(api_component) is not None
    assert quality.lint_component(api_component) is None  # 304: same ETag, under a day
    assert server.requests[-1][1].get("If-None-Match")
    server.serve("/openapi.yaml", yaml.safe_dump(GOOD))
    second = quality.lint_component(api_component)
    assert second is not None
    assert ApiLint.objects.filter(component=api_component).count() == 2  # history


def test_an_unchanged_document_is_checked_again_once_a_day_has_passed(api_component, server):
    """The daily check: after a day the ETag is not sent, and the same document
    is fetched and checked again (a ruleset may have changed meanwhile)."""
    from datetime import timedelta

    from django.utils import timezone

    server.serve("/openapi.yaml", yaml.safe_dump(bad()))
    first = quality.lint_component(api_component)
    assert quality.lint_component(api_component) is None  # within the day: skipped
    ApiLint.objects.filter(pk=first.pk).update(
        checked_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    again = quality.lint_component(api_component)
    assert again is not None and again.pk != first.pk
    assert not server.requests[-1][1].get("If-None-Match")
    assert (again.sha256, again.score) == (first.sha256, first.score)


def test_invalid_openapi_is_recorded_as_invalid(api_component, server):
    server.serve("/openapi.yaml", "openapi: 3.0.3\ninfo: {title: x}\npaths: 12\n")
    lint = quality.lint_component(api_component)
    assert not lint.valid and not lint.meets_rules
    assert any(f["rule"] == "openapi-spec-validator" for f in lint.findings)


def test_lifecycle_marks_set_deprecation_and_sunset(api_component, server):
    document = yaml.safe_load(yaml.safe_dump(GOOD))
    document["info"]["x-deprecated"] = True
    document["info"]["x-sunset"] = "2027-06-30"
    server.serve("/openapi.yaml", yaml.safe_dump(document))
    quality.lint_component(api_component)
    api_component.refresh_from_db()
    assert api_component.development_status == DevelopmentStatus.OBSOLETE
    assert str(api_component.sunset_date) == "2027-06-30"


def test_a_private_address_is_refused_without_the_setting(api_component, settings):
    settings.HARVEST_ALLOW_PRIVATE = False
    with pytest.raises(Exception, match="refused"):
        quality.lint_component(api_component)
    assert not ApiLint.objects.exists()


def test_the_publisher_uploads_a_document_and_the_api_shows_the_history(
    acme_api, globex_api, api, api_component
):
    url = "/api/v1/components/zaken-api/api-quality"
    refused = globex_api.post(url, yaml.safe_dump(GOOD), content_type="application/yaml")
    assert refused.status_code == 403
    garbage = acme_api.post(url, "- just\n- a list\n", content_type="application/yaml")
    assert garbage.status_code == 400
    assert not ApiLint.objects.exists()
    response = acme_api.post(url, yaml.safe_dump(bad()), content_type="application/yaml")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["valid"] is True and body["meetsRules"] is False
    assert "nlgov:paths-kebab-case" in body["failed"]
    history = api.get(url).json()
    assert len(history) == 1 and history[0]["score"] == body["score"]


def test_the_list_filters_on_meeting_the_rules(acme, api):
    good = ComponentFactory(slug="good-api", kind=ComponentKind.API, publisher=acme)
    worse = ComponentFactory(slug="worse-api", kind=ComponentKind.API, publisher=acme)
    quality.record(good, yaml.safe_dump(bad()).encode())
    quality.record(good, yaml.safe_dump(GOOD).encode())
    quality.record(worse, yaml.safe_dump(bad()).encode())
    meets = [
        c["slug"] for c in api.get("/api/v1/components?meetsApiDesignRules=true").json()["results"]
    ]
    fails = [
        c["slug"] for c in api.get("/api/v1/components?meetsApiDesignRules=false").json()["results"]
    ]
    assert ("good-api" in meets) == ApiLint.objects.filter(component=good).first().meets_rules
    assert "worse-api" in fails and "worse-api" not in meets


def test_spectral_is_where_the_check_looks():
    assert shutil.which(quality.spectral_command()[0])


def test_the_component_page_shows_the_latest_check_and_its_history(client, acme):
    component = ComponentFactory(slug="page-api", kind=ComponentKind.API, publisher=acme)
    quality.record(component, yaml.safe_dump(bad()).encode())
    latest = quality.record(component, yaml.safe_dump(GOOD).encode())
    page = client.get("/en/components/page-api").content.decode()
    assert "API Design Rules" in page
    assert f"{latest.score}% ({len(latest.passed)} required rules passed" in page
    assert "Earlier checks" in page
    assert "uploaded document" in page


def test_the_catalogue_filters_on_meeting_the_rules(client, acme):
    good = ComponentFactory(
        slug="good-api", name="Goede API", kind=ComponentKind.API, publisher=acme
    )
    worse = ComponentFactory(
        slug="worse-api", name="Slechte API", kind=ComponentKind.API, publisher=acme
    )
    quality.record(good, yaml.safe_dump(bad()).encode())
    quality.record(good, yaml.safe_dump(GOOD).encode())
    quality.record(worse, yaml.safe_dump(bad()).encode())
    if not ApiLint.objects.filter(component=good).first().meets_rules:
        pytest.skip("the sample document does not meet this ruleset")
    page = client.get("/en/components").content.decode()
    assert 'name="adr" value="meets"' in page
    filtered = client.get("/en/components?adr=meets").content.decode()
    assert "Goede API" in filtered and "Slechte API" not in filtered


def test_the_daily_check_is_queued_once_with_the_harvest_schedule(db):
    import io

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    call_command("harvest", "--schedule", stdout=io.StringIO())
    call_command("harvest", "--schedule", stdout=io.StringIO())
    assert DBTaskResult.objects.filter(task_path="components.tasks.lint_apis").count() == 1


def test_only_the_latest_check_of_each_api_decides_whether_it_meets_the_rules(acme):
    """The filter reads the lint results, not the components (issue 14): the latest
    result decides, and at the same moment the one recorded last."""
    from django.utils import timezone

    from components.models import Component

    now = timezone.now()
    earlier = now - timezone.timedelta(days=1)

    def lint(component, at, meets):
        return ApiLint.objects.create(
            component=component, checked_at=at, valid=True, score=100 if meets else 10,
            meets_rules=meets, ruleset_version="test",
        )  # fmt: skip

    improved, worsened, tied, _never = (
        ComponentFactory(slug=slug, kind=ComponentKind.API, publisher=acme)
        for slug in ("improved", "worsened", "tied", "never")
    )
    lint(improved, earlier, False)
    lint(improved, now, True)
    lint(worsened, earlier, True)
    lint(worsened, now, False)
    lint(tied, now, False)
    lint(tied, now, True)  # same moment, recorded later: this one counts
    meeting = set(Component.objects.meeting_api_design_rules().values_list("slug", flat=True))
    assert meeting == {"improved", "tied"}
