"""The licensing endpoints: the reuse check, licences with their obligation,
and an organisation's licence report (JSON and CSV), as far as you may see."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.constants import OrganisationKind
from components.constants import ReuseRestriction, UsageStatus, Visibility
from components.models import Dependency, License

from ..factories import ComponentFactory, OrganisationFactory, UsageFactory
from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def house_style(ministry):
    License.objects.create(
        id="LicenseRef-Rijkshuisstijl",
        name="Gebruiksvoorwaarden Rijkshuisstijl",
        is_custom=True,
        reuse_allowed=False,
        owner=ministry,
    )
    return ComponentFactory(
        slug="rijkshuisstijl",
        name="Rijkshuisstijl",
        kind="house-style",
        publisher=ministry,
        license_expression="LicenseRef-Rijkshuisstijl",
        reuse_restriction=ReuseRestriction.ORGANISATION_KINDS,
        reuse_organisation_kinds=[OrganisationKind.CENTRAL_GOVERNMENT],
    )


def test_the_reuse_check_answers_in_english_with_the_reasons_in_both_languages(
    api, house_style, utrecht
):
    """The API speaks English whatever the client prefers; each reason also
    carries its Dutch text for sites that show it to Dutch readers."""
    response = api.get(
        "/api/v1/components/rijkshuisstijl/reuse-check?organisation=gemeente-utrecht",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert response["ETag"].startswith('"')
    assert response.json() == {
        "verdict": "not-allowed",
        "label": "Not allowed",
        "component": "rijkshuisstijl",
        "organisation": "gemeente-utrecht",
        "reasons": [
            {
                "code": "restriction-organisation-kinds",
                "severity": "blocker",
                "text": "Only central government organisations may reuse this component; "
                "Gemeente Utrecht is a municipality.",
                "textNl": "Alleen organisaties van de Rijksoverheid mogen dit onderdeel "
                "hergebruiken; Gemeente Utrecht is een gemeente.",
                "textEn": "Only central government organisations may reuse this component; "
                "Gemeente Utrecht is a municipality.",
            },
            {
                "code": "license-custom-not-allowed",
                "severity": "blocker",
                "text": "Licence LicenseRef-Rijkshuisstijl (Gebruiksvoorwaarden "
                "Rijkshuisstijl) does not allow reuse by anyone but its owner, Ministerie "
                "van Algemene Zaken.",
                "textNl": "Licentie LicenseRef-Rijkshuisstijl (Gebruiksvoorwaarden "
                "Rijkshuisstijl) staat hergebruik door anderen dan de rechthebbende, "
                "Ministerie van Algemene Zaken, niet toe.",
                "textEn": "Licence LicenseRef-Rijkshuisstijl (Gebruiksvoorwaarden "
                "Rijkshuisstijl) does not allow reuse by anyone but its owner, Ministerie "
                "van Algemene Zaken.",
            },
        ],
    }


def test_the_reuse_check_speaks_english_when_asked(api, house_style, ministry):
    response = api.get(
        "/api/v1/components/rijkshuisstijl/reuse-check?organisation=ministerie-van-algemene-zaken",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.json()
    assert response["Content-Language"] == "en"
    assert (body["verdict"], body["label"]) == ("allowed", "Allowed")
    assert all(reason["text"] == reason["textEn"] for reason in body["reasons"])


def test_the_reuse_check_names_a_dependency_conflict(api, acme, utrecht):
    component = ComponentFactory(slug="kern", publisher=acme, license_expression="GPL-2.0-only")
    Dependency.objects.create(
        component=component, name="Apache Commons", license_expression="Apache-2.0"
    )
    body = api.get(
        "/api/v1/components/kern/reuse-check?organisation=gemeente-utrecht",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert body["verdict"] == "conditional"
    texts = [reason["text"] for reason in body["reasons"]]
    assert (
        "GPL-2.0-only (component) cannot incorporate Apache-2.0 (dependency Apache Commons): "
        "the OSADL matrix marks this combination as incompatible."
    ) in texts


@pytest.mark.parametrize(
    "query, reason",
    [
        ("", "Give the slug of the organisation that wants to reuse it."),
        ("?organisation=", "Give the slug of the organisation that wants to reuse it."),
        ("?organisation=gemeente-nergens", "No organisation has the slug 'gemeente-nergens'."),
    ],
    ids=["missing", "empty", "unknown"],
)
def test_the_reuse_check_wants_a_known_organisation(api, house_style, query, reason):
    response = api.get(
        f"/api/v1/components/rijkshuisstijl/reuse-check{query}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"] == [{"name": "organisation", "reason": reason}]


def test_the_reuse_check_of_an_unknown_component_is_404(api, utrecht):
    response = api.get("/api/v1/components/niets/reuse-check?organisation=gemeente-utrecht")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_licence_id_is_refused_naming_the_token(acme_api):
    response = acme_api.post(
        "/api/v1/components",
        {
            "slug": "nieuw",
            "name": "Nieuw",
            "kind": "software",
            "shortDescription": "Iets nieuws.",
            "license": "MIT OR Foo-1.0",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "license", "reason": "Unknown licence identifier(s): Foo-1.0"}
    ]


def test_a_deprecated_id_is_stored_as_its_successor(acme_api):
    response = acme_api.post(
        "/api/v1/components",
        {
            "slug": "oud",
            "name": "Oud",
            "kind": "software",
            "shortDescription": "Iets ouds.",
            "license": "GPL-2.0 OR LGPL-2.1+",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["license"] == "GPL-2.0-only OR LGPL-2.1-or-later"


# ---------------------------------------------------------------------------
# Licences
# ---------------------------------------------------------------------------


def test_a_licence_tells_its_family_obligation_and_how_many_components_use_it(api, acme):
    ComponentFactory(publisher=acme, license_expression="Apache-2.0")
    ComponentFactory(publisher=acme, license_expression="MIT OR Apache-2.0")
    body = api.get("/api/v1/licenses/Apache-2.0", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["family"] == "permissive"
    assert body["obligation"].startswith(
        "Keep the copyright notice, the licence text and the NOTICE"
    )
    assert body["componentCount"] == 2
    # The API speaks English whatever the client prefers.
    asked_in_dutch = api.get("/api/v1/licenses/Apache-2.0", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert asked_in_dutch["obligation"] == body["obligation"]
    listed = api.get("/api/v1/licenses?q=Apache-2.0").json()["results"]
    assert {item["id"]: item["componentCount"] for item in listed}["Apache-2.0"] == 2


# ---------------------------------------------------------------------------
# The licence report
# ---------------------------------------------------------------------------


@pytest.fixture
def landscape(utrecht, acme, house_style):
    """Utrecht uses three components, one in secret, one against a restriction."""
    zaken = ComponentFactory(
        slug="zaken", name="Zaken", publisher=acme, license_expression="EUPL-1.2"
    )
    geheim = ComponentFactory(
        slug="geheim", name="Geheim", publisher=acme, license_expression="AGPL-3.0-only"
    )
    UsageFactory(organisation=utrecht, component=zaken)
    UsageFactory(organisation=utrecht, component=geheim, visibility=Visibility.GOVERNMENT)
    UsageFactory(organisation=utrecht, component=house_style, status=UsageStatus.PILOT)
    return utrecht


def test_the_report_lists_licences_obligations_and_flagged_usages(landscape, utrecht_api):
    response = utrecht_api.get(
        "/api/v1/organisations/gemeente-utrecht/license-report", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["organisation"], body["organisationKind"]) == ("gemeente-utrecht", "municipality")
    assert [u["component"] for u in body["usages"]] == ["geheim", "rijkshuisstijl", "zaken"]
    assert [(entry["id"], entry["family"], entry["components"]) for entry in body["licenses"]] == [
        ("AGPL-3.0-only", "network-copyleft", ["geheim"]),
        ("EUPL-1.2", "network-copyleft", ["zaken"]),
        ("LicenseRef-Rijkshuisstijl", "custom", ["rijkshuisstijl"]),
    ]
    assert body["licenses"][0]["obligation"].startswith("If you distribute it or offer it")
    assert body["flaggedUsages"] == [
        {
            "component": "rijkshuisstijl",
            "componentName": "Rijkshuisstijl",
            "license": "LicenseRef-Rijkshuisstijl",
            "status": "pilot",
            "visibility": "public",
            "assertion": "self",
            "flagged": True,
            "reason": {
                "code": "restriction-organisation-kinds",
                "severity": "blocker",
                "text": "Only central government organisations may reuse this component; "
                "Gemeente Utrecht is a municipality.",
                "textNl": "Alleen organisaties van de Rijksoverheid mogen dit onderdeel "
                "hergebruiken; Gemeente Utrecht is een gemeente.",
                "textEn": "Only central government organisations may reuse this component; "
                "Gemeente Utrecht is a municipality.",
            },
        }
    ]


def test_the_report_respects_usage_visibility(landscape, api, acme_api, ministry):
    url = "/api/v1/organisations/gemeente-utrecht/license-report"
    for client in (api, acme_api):  # anonymous, and a vendor
        body = client.get(url).json()
        assert [u["component"] for u in body["usages"]] == ["rijkshuisstijl", "zaken"]
        assert "AGPL-3.0-only" not in [entry["id"] for entry in body["licenses"]]
    public_sector = client_for(ministry).get(url).json()
    assert [u["component"] for u in public_sector["usages"]] == [
        "geheim",
        "rijkshuisstijl",
        "zaken",
    ]


def test_the_report_downloads_as_csv(landscape, utrecht_api):
    url = "/api/v1/organisations/gemeente-utrecht/license-report"
    for response in (
        utrecht_api.get(f"{url}?format=csv", HTTP_ACCEPT_LANGUAGE="en"),
        utrecht_api.get(url, HTTP_ACCEPT="text/csv", HTTP_ACCEPT_LANGUAGE="en"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="license-report-gemeente-utrecht.csv"'
        )
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [row["component"] for row in rows] == ["geheim", "rijkshuisstijl", "zaken"]
        flagged = rows[1]
        assert flagged["flagged"] == "yes"
        assert flagged["restrictionFlag"].startswith("Only central government organisations")
        assert rows[2]["obligations"].startswith("EUPL-1.2: If you distribute it")
        assert rows[2]["flagged"] == "no"


def test_the_report_in_csv_hides_government_usages_from_a_vendor(landscape, acme_api):
    response = acme_api.get("/api/v1/organisations/gemeente-utrecht/license-report?format=csv")
    assert b"geheim" not in response.content


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/organisations/gemeente-utrecht/license-report?format=xml", 400),
        ("/api/v1/organisations/gemeente-nergens/license-report", 404),
        ("/api/v1/organisations/gemeente-nergens/license-report?format=csv", 404),
    ],
)
def test_report_errors_are_problem_json(landscape, api, url, status):
    response = api.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"


def test_the_report_takes_the_same_queries_however_many_usages(api, utrecht, acme):
    def count():
        with CaptureQueriesContext(connection) as queries:
            for fmt in ("json", "csv"):
                response = api.get(
                    f"/api/v1/organisations/gemeente-utrecht/license-report?format={fmt}"
                )
                assert response.status_code == 200
        return len(queries)

    named = ComponentFactory(
        publisher=acme,
        reuse_restriction=ReuseRestriction.NAMED_ORGANISATIONS,
        license_expression="MIT AND Apache-2.0",
    )
    UsageFactory(organisation=utrecht, component=named)
    few = count()
    for n in range(15):
        component = ComponentFactory(
            publisher=acme,
            license_expression=["EUPL-1.2", "MIT OR Apache-2.0", "GPL-3.0-only"][n % 3],
            reuse_restriction=[ReuseRestriction.NONE, ReuseRestriction.OWNER_ONLY][n % 2],
        )
        UsageFactory(organisation=utrecht, component=component)
        UsageFactory(organisation=OrganisationFactory(), component=component)
    many = count()
    assert few == many
    assert many <= 2 * 6
