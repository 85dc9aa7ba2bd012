"""The served API keeps the promises of openapi.yaml.

Schemathesis reads the committed document and sends the live server generated
requests, valid and invalid, in all its phases (coverage, fuzzing and stateful
sequences that feed one answer's ids into the next request), once anonymously
and once with a vendor's token. Every answer must be one the document promises:
never a server error, only documented statuses, the documented content type, and
a body that matches the documented schema. Zero failures; a failure prints the
request that reproduces it.

Nothing leaves the machine. The fuzzer talks to the live server on 127.0.0.1
only. What it writes stays in the test database: webhook and harvest URLs it
invents pass the SSRF guard (registry/net.py) only when they are public, and
nothing is sent to them, since background work is only queued in the database
and no worker runs here. The guard resolves host names, so socket.getaddrinfo is
stubbed for the test (`no_dns`): a name resolves, without any lookup, to
192.0.2.1 (TEST-NET-1, documentation only, not global), which the guard refuses;
an IP literal is only parsed, never looked up.

The run is repeatable (a fixed seed, no example database kept between runs) and
sized to stay well within the suite's time: a few examples per operation.
"""

import ipaddress
import json
import os
import socket
import subprocess
import sys
from datetime import date
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test.testcases import QuietWSGIRequestHandler
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from accounts.constants import OrganisationKind
from accounts.models import ApiToken
from components.constants import Assertion, UsageStatus
from components.models import HarvestSource, WebhookSubscription
from registry.api import WindowRateThrottle

from ..factories import ComponentFactory, OrganisationFactory, ReleaseFactory, UsageFactory

# The live server reads what the test wrote: committed rows, rolled back by a
# flush that restores the migrations' data (the SPDX licences) afterwards.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
SEED = "20261130"
# Examples per operation in the fuzzing phase; the coverage and stateful phases
# add their own. With the fixes of issue 12.16 undone, this finds the wrong
# security, URI, nullable and publiccode.yml declarations again; the rarer finds
# (409, NUL, offsets) are pinned by the tests at the end.
MAX_EXAMPLES = "5"
# The document has no examples to replay; every other phase must run.
PHASES = {"examples": "skip", "coverage": "success", "fuzzing": "success", "stateful": "success"}
DOCUMENTATION_ADDRESS = "192.0.2.1"


@pytest.fixture
def no_dns(monkeypatch):
    """socket.getaddrinfo without DNS, in this process (the live server's): an IP
    literal is read as a number (AI_NUMERICHOST: never a lookup), `localhost` is
    127.0.0.1, and any other host name "resolves" to 192.0.2.1. The fuzzer's
    webhook and harvest URLs then meet the SSRF guard without a query leaving the
    machine, and the guard refuses them: 192.0.2.1 is not a global address. The
    names are kept, to show that the guard was reached."""
    real = socket.getaddrinfo
    looked_up = []

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        if name == "localhost":
            name = "127.0.0.1"
        elif name is not None:
            try:
                ipaddress.ip_address(name)
            except ValueError:
                looked_up.append(name)
                name = DOCUMENTATION_ADDRESS
        return real(name, port, family, type, proto, flags | socket.AI_NUMERICHOST)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert not ipaddress.ip_address(DOCUMENTATION_ADDRESS).is_global
    return looked_up


@pytest.fixture
def unthrottled(monkeypatch):
    """The rate limits have their own tests (test_rate_limits.py); here they would
    turn most of the run into 429s, which are documented but test nothing."""
    monkeypatch.setattr(WindowRateThrottle, "THROTTLE_RATES", {"anonymous": None, "token": None})


@pytest.fixture
def quick_server(monkeypatch):
    """The live server writes a response's headers and body in separate packets;
    with Nagle's algorithm on, each answer then waits for the client's delayed
    ACK (40 ms), which made the run several times slower than against gunicorn."""
    monkeypatch.setattr(QuietWSGIRequestHandler, "disable_nagle_algorithm", True)
    # A new database connection for every request (CONN_MAX_AGE 0) took most of the
    # time on PostgreSQL. A server thread serves one client connection and closes
    # its database connection when the client hangs up (ThreadedWSGIServer).
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)


@pytest.fixture
def catalogue(db):
    """A vendor with a token, a component of its own with releases, a usage of it,
    a claim it made, a webhook and a harvest source: data for the operations that
    need an existing id, slug or version, and for the stateful sequences."""
    vendor = OrganisationFactory(name="Acme Software", slug="acme", kind=OrganisationKind.VENDOR)
    municipality = OrganisationFactory(
        name="Gemeente Utrecht", slug="gemeente-utrecht", kind=OrganisationKind.MUNICIPALITY
    )
    province = OrganisationFactory(
        name="Provincie Utrecht", slug="provincie-utrecht", kind=OrganisationKind.PROVINCE
    )
    component = ComponentFactory(slug="acme-zaken", name="Acme Zaken", publisher=vendor)
    ReleaseFactory(component=component, version="1.0.0", release_date=date(2026, 1, 15))
    release = ReleaseFactory(component=component, version="1.1.0", release_date=date(2026, 3, 1))
    UsageFactory(
        organisation=municipality,
        component=component,
        release=release,
        status=UsageStatus.PRODUCTION,
    )
    UsageFactory(
        organisation=province,
        component=component,
        status=UsageStatus.PILOT,
        assertion=Assertion.CLAIMED,
        claimed_by=vendor,
    )
    UsageFactory(organisation=vendor, component=ComponentFactory(slug="gemeente-formulieren"))
    # Made directly, not through the API: their hosts are never resolved or contacted.
    WebhookSubscription.objects.create(
        organisation=vendor, url="https://hooks.example/registry", secret="not-a-secret"
    )
    HarvestSource.objects.create(organisation=vendor, url="https://example.org/publiccode.yml")
    _token, plaintext = ApiToken.issue(vendor, "schemathesis")
    return plaintext


def schemathesis(live_server, tmp_path, *options):
    """Run the CLI against the live server; fail with its report unless every
    operation was tested and nothing failed."""
    # The live server listens on the loopback address; name it as a number.
    base_url = f"http://127.0.0.1:{urlsplit(live_server.url).port}/api/v1"
    report_path = tmp_path / "report.json"
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "run"),
        str(settings.BASE_DIR / "openapi.yaml"),
        *("--url", base_url),
        *("--checks", CHECKS),
        *("--max-examples", MAX_EXAMPLES, "--seed", SEED),
        # Nothing kept between runs: the same examples every time.
        *("--generation-database", "none"),
        # One client at a time: on SQLite the live server shares one connection.
        *("--workers", "1", "--request-timeout", "30"),
        *("--report", "json", "--report-json-path", str(report_path)),
        "--no-color",
        *options,
    ]
    # Straight to the live server, whatever proxy the environment names.
    environment = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    environment["NO_PROXY"] = environment["no_proxy"] = "*"
    result = subprocess.run(
        command,
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = result.stdout + result.stderr
    # The failures, with a command to reproduce each, come before the summary.
    start = output.find("FAILURES")
    assert result.returncode == 0, output[max(0, start - 40) :][:30000] if start >= 0 else output
    report = json.loads(report_path.read_text())
    operations = report["operations"]
    assert operations["tested"] == operations["total"] and not operations["errored"], operations
    phases = {name: phase["status"] for name, phase in report["phases"].items()}
    assert phases == PHASES, phases
    assert (report["failures"], report["errors"]) == ([], []), output
    return report


@pytest.fixture
def served(live_server, no_dns, unthrottled, quick_server, catalogue):
    # Work the fuzzer causes (webhook deliveries, harvests) must stay queued, never run.
    assert isinstance(task_backends["default"], DatabaseBackend)
    return catalogue


@live
def test_anonymous_requests_get_what_the_document_promises(live_server, served, tmp_path):
    report = schemathesis(live_server, tmp_path)
    # No public read answered nothing but 401/403. (While the document declared a
    # token required for them, the fuzzer sent made-up tokens, and every read was a
    # 401 that checked nothing.) Only webhooks and harvest sources are private.
    document = yaml.safe_load((settings.BASE_DIR / "openapi.yaml").read_text())
    public_reads = {
        f"GET {path}"
        for path, item in document["paths"].items()
        if "get" in item and not path.startswith(("/webhooks", "/harvest-sources"))
    }
    assert not public_reads & set(report["warnings"]["missing_auth"])


@live
def test_a_vendors_requests_get_what_the_document_promises(live_server, served, no_dns, tmp_path):
    schemathesis(live_server, tmp_path, "--header", f"Authorization: Bearer {served}")
    # Its webhook and harvest URLs reached the guard with host names, which the
    # stub answered: no DNS query was made.
    assert no_dns


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


@pytest.mark.django_db
def test_a_put_that_creates_answers_201_as_documented(document, acme_api, acme_component):
    for path in ("/components/{slug}", "/components/{component_slug}/releases/{version}"):
        assert {"200", "201"} <= set(document["paths"][path]["put"]["responses"]), path
    response = acme_api.put(
        "/api/v1/components/acme-zaken/releases/2.0.0", {"releaseDate": "2026-05-01"}, format="json"
    )
    assert response.status_code == 201, response.content


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
