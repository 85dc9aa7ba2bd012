"""An organisation's licence report for its members: the licences its usages
bring, their obligations and the flagged usages, also as a CSV download."""

import csv
import io

import pytest
from django.test import Client

from components.constants import ReuseRestriction, UsageStatus, Visibility

from .conftest import signed_in, text_of
from .factories import ComponentFactory, UsageFactory

pytestmark = pytest.mark.django_db

MINE = "/mijn-organisatie/gemeente-utrecht"


def test_the_licence_report_lists_licences_obligations_and_flagged_usages(bob, utrecht, acme):
    ComponentFactory(name="Open Zaak", publisher=acme, license_expression="EUPL-1.2")
    UsageFactory(
        organisation=utrecht,
        component=ComponentFactory(name="Zaken", publisher=acme, license_expression="EUPL-1.2"),
    )
    reserved = ComponentFactory(
        name="Merkstijl",
        publisher=acme,
        license_expression="MIT",
        reuse_restriction=ReuseRestriction.OWNER_ONLY,
    )
    UsageFactory(organisation=utrecht, component=reserved)
    page = text_of(signed_in(bob).get(f"{MINE}/licenties"))
    assert "Licenties in gebruik bij Gemeente Utrecht" in page
    assert 'href="/licenties/EUPL-1.2"' in page and 'href="/licenties/MIT"' in page
    assert "Open Zaak" not in page
    flagged = page.split('id="flagged-heading"')[1].split('id="licences-heading"')[0]
    assert "Merkstijl" in flagged and "Zaken" not in flagged


def test_the_licence_report_downloads_as_csv(bob, utrecht, acme):
    UsageFactory(
        organisation=utrecht,
        component=ComponentFactory(slug="zaken", publisher=acme, license_expression="EUPL-1.2"),
        visibility=Visibility.GOVERNMENT,
    )
    response = signed_in(bob).get(f"{MINE}/licenties.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="licences-gemeente-utrecht.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "component"
    assert rows[1][0] == "zaken" and rows[1][5] == "EUPL-1.2" and rows[1][7] == "no"


def test_the_licence_report_is_for_members_only(bob, secretive, utrecht):
    assert Client().get(f"{MINE}/licenties").status_code == 302
    assert Client().get(f"{MINE}/licenties.csv").status_code == 302
    client = signed_in(bob)
    assert client.get("/mijn-organisatie/gemeente-geheimdorp/licenties").status_code == 404
    assert client.get("/mijn-organisatie/gemeente-geheimdorp/licenties.csv").status_code == 404


def test_the_licence_report_costs_the_same_queries_for_3_or_30(
    bob, utrecht, acme, django_assert_max_num_queries
):
    client = signed_in(bob)
    for component in ComponentFactory.create_batch(3, publisher=acme):
        UsageFactory(organisation=utrecht, component=component)
    with django_assert_max_num_queries(12) as few:
        text_of(client.get(f"{MINE}/licenties"))
    for component in ComponentFactory.create_batch(27, publisher=acme, license_expression="MIT"):
        UsageFactory(organisation=utrecht, component=component)
    with django_assert_max_num_queries(len(few.captured_queries)):
        text_of(client.get(f"{MINE}/licenties"))


def test_stopped_usages_are_listed_but_bring_no_licence(bob, utrecht, acme):
    UsageFactory(
        organisation=utrecht,
        component=ComponentFactory(name="Oud", publisher=acme, license_expression="MIT"),
        status=UsageStatus.STOPPED,
    )
    page = text_of(signed_in(bob).get(f"{MINE}/licenties"))
    assert "Oud" in page and 'href="/licenties/MIT"' not in page
