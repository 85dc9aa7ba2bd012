"""An organisation's integrations in its spreadsheet: the workbook's second
sheet (and a CSV file of their own), imported back with the usages through
the same preview, all or nothing.

The personas (tests/integration_personas.py): Utrecht uses Open Zaak, Open
Notificaties and Signalen; Signalen → Open Zaak over the ZGW API's (public),
Open Zaak → Open Notificaties (government-only)."""

import datetime
import io
import re
import zipfile

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from components.constants import Assertion, IntegrationStatus, Visibility
from components.models import Integration, Usage
from components.spreadsheets import integrations, usages
from components.spreadsheets.plan import CHANGED, ERROR, NEW, UNCHANGED

from .conftest import signed_in
from .factories import (
    ComponentFactory,
    IntegrationFactory,
    MembershipFactory,
    OrganisationFactory,
    UsageFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet"
INTEGRATIONS_CSV = "/mijn-organisatie/gemeente-utrecht/koppelingen/spreadsheet.csv"
EXPORT_QUERIES = 5
DANGER = '=HYPERLINK("http://127.0.0.1/x","klik")'


@pytest.fixture
def world(landscape, utrecht, acme, open_zaak, signalen, stuf):
    """The personas, a dangerous note, a claim awaiting Utrecht's answer, and
    another organisation's integration between the same components."""
    landscape["public"].notes = DANGER
    landscape["public"].save()
    claim = IntegrationFactory(
        organisation=utrecht,
        source_usage=landscape["usages"]["open-zaak"],
        target_usage=landscape["usages"]["signalen"],
        standard=stuf,
        assertion=Assertion.CLAIMED,
        claimed_by=acme,
        notes="voorstel van Acme",
    )
    other = OrganisationFactory(slug="gemeente-elders", name="Gemeente Elders")
    theirs = IntegrationFactory(
        organisation=other,
        source_usage=UsageFactory(organisation=other, component=signalen),
        target_usage=UsageFactory(organisation=other, component=open_zaak),
        notes="van Elders",
    )
    return {**landscape, "claim": claim, "theirs": theirs}


def book(usage_rows=None, integration_rows=(), *, usage_header=None, header=None):
    """A workbook as a member's spreadsheet program would save it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "usages"
    sheet.append(usage_header or usages.COLUMNS)
    for row in usage_rows or []:
        sheet.append(row)
    second = workbook.create_sheet("integrations")
    second.append(header or integrations.COLUMNS)
    for row in integration_rows:
        second.append(row)
    for cells in second.iter_rows():
        for cell in cells:
            if cell.value == DANGER:  # text, as the export writes it; "=1+1" stays a formula
                cell.data_type, cell.quotePrefix = "s", True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(pk="", source="", target="", standard="", status="production", **more):
    """An integrations row in the export's column order."""
    values = {
        "id": pk,
        "from": source,
        "to": target,
        "standard": standard,
        "direction": "one-way",
        "status": status,
        "visibility": "public",
        **more,
    }
    return [values.get(column, "") for column in integrations.COLUMNS]


def snapshot():
    return sorted(
        Integration.objects.values_list(
            "pk",
            "organisation_id",
            "source_usage_id",
            "target_usage_id",
            "standard_id",
            "status",
            "visibility",
            "assertion",
            "notes",
        )
    )


# --- export ------------------------------------------------------------------


def test_the_workbook_has_a_second_sheet_of_the_organisations_own_integrations(world, bob):
    content = signed_in(bob).get(f"{BASE}.xlsx").content
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["usages", "integrations"]
    rows = [[cell.value for cell in r] for r in workbook["integrations"].iter_rows()]
    assert rows[0] == integrations.COLUMNS
    # Government-only included (its own); the claim awaiting an answer and
    # another organisation's integration are not.
    assert [(r[0], r[1], r[3], r[5]) for r in rows[1:]] == [
        (world["hidden"].pk, "open-zaak", "open-notificaties", None),
        (world["public"].pk, "signalen", "open-zaak", "zgw-apis"),
    ]
    assert rows[1][11] == "government" and rows[2][6] == "ZGW API's"


def test_the_integrations_have_a_csv_of_their_own(world, bob, victor):
    response = signed_in(bob).get(INTEGRATIONS_CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="integrations-gemeente-utrecht.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == ",".join(integrations.COLUMNS)
    assert lines[1].startswith(f"{world['hidden'].pk},open-zaak,Open Zaak,open-notificaties,")
    assert len(lines) == 3
    assert signed_in(victor).get(INTEGRATIONS_CSV).status_code == 404


def test_formulas_are_neutralised_on_the_integrations_sheet_and_csv(world, bob):
    member = signed_in(bob)
    xlsx = member.get(f"{BASE}.xlsx").content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cell = load_workbook(io.BytesIO(xlsx))["integrations"]["M3"]
    assert cell.value == DANGER and cell.data_type == "s" and cell.quotePrefix
    csv_text = member.get(INTEGRATIONS_CSV).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    # And back: the quote comes off again, so the note is unchanged.
    plan = usages.plan_import(world["public"].organisation, csv_text.encode(), "i.csv")
    assert plan.counts == {NEW: 0, CHANGED: 0, UNCHANGED: 2, ERROR: 0}


@pytest.mark.parametrize("count", [10, 100])
def test_the_exports_queries_do_not_grow_with_the_integrations(bob, utrecht, count, stuf):
    components = [ComponentFactory(slug=f"c-{n}", name=f"C {n}") for n in range(count + 1)]
    used = [UsageFactory(organisation=utrecht, component=c) for c in components]
    for n in range(count):
        IntegrationFactory(
            organisation=utrecht,
            source_usage=used[n],
            target_usage=used[n + 1],
            standard=stuf if n % 2 else None,
        )
    member = signed_in(bob)
    counted = {}
    for url in (f"{BASE}.xlsx", INTEGRATIONS_CSV):
        with CaptureQueriesContext(connection) as queries:
            response = member.get(url)
        assert response.status_code == 200
        counted[url] = len(queries)
        if url.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(response.content))["integrations"]
            assert sheet.max_row == count + 1
    # The session, the user and the membership; then the usages and the
    # integrations, one query each, for 10 as for 100.
    assert counted == {f"{BASE}.xlsx": EXPORT_QUERIES, INTEGRATIONS_CSV: EXPORT_QUERIES - 1}


# --- the import's plan ----------------------------------------------------------------


@pytest.mark.parametrize("url", [f"{BASE}.xlsx", INTEGRATIONS_CSV])
def test_importing_the_export_unchanged_finds_every_row_unchanged_and_writes_nothing(
    world, bob, utrecht, url
):
    content = signed_in(bob).get(url).content
    before, history = snapshot(), Integration.history.count()
    plan = usages.plan_import(utrecht, content, url.rsplit("/", 1)[-1])
    assert plan.ok, [(r.sheet, r.number, r.problems) for r in plan.rows]
    rows = [r for r in plan.rows if r.sheet == integrations.SHEET]
    assert [r.state for r in rows] == [UNCHANGED, UNCHANGED]
    assert plan.to_save == []
    assert list(usages.apply(plan)) == [(0, 0)]
    assert snapshot() == before and Integration.history.count() == history


def test_edited_rows_are_changed_new_or_errors_with_the_cell_and_the_reason(
    world, utrecht, open_zaak
):
    ComponentFactory(slug="objecten", name="Objecten")  # nobody in Utrecht uses it
    public, hidden = world["public"], world["hidden"]
    content = book(
        integration_rows=[
            row(
                hidden.pk,
                "open-zaak",
                "open-notificaties",
                status="stopped",
                visibility="government",
                notes="Intern",
            ),
            row("", "Open Notificaties", "signalen", "StUF", direction="two-way"),
            row("", "open-zaak", "objecten"),
            row(world["theirs"].pk, "signalen", "open-zaak"),
            row(world["claim"].pk, "open-zaak", "signalen", "stuf"),
            row("", "signalen", "signalen"),
            row("", "open-notificaties", "open-zaak", "Open Zaak"),
            row("", "opn-zaak", "signalen"),
            row("", "signalen", "open-zaak", "zgw-apis", status="sometimes"),
            row(public.pk, "signalen", "open-zaak", "zgw-apis", notes=DANGER),
        ]
    )
    plan = usages.plan_import(utrecht, content, "landschap.xlsx")
    rows = [r for r in plan.rows if r.sheet == integrations.SHEET]
    assert [(r.number, r.state) for r in rows] == [
        (2, CHANGED),
        (3, NEW),
        *[(n, ERROR) for n in range(4, 11)],
        (11, UNCHANGED),
    ]
    assert rows[0].changes == ["status"]
    assert rows[1].label == "Open Notificaties → Signalen (StUF)"

    def problem(number):
        found = rows[number - 2].problems
        return [(p.cell, p.column) for p in found], " ".join(p.reason for p in found)

    assert problem(4) == (
        [("D4", "to")],
        "Your organisation records no usage of Objecten (objecten): add it to the usages "
        "sheet or record it on the usages page first.",
    )
    # Another organisation's integration, and a claim Utrecht has not answered: no id of its own.
    assert problem(5)[0] == [("A5", "id")] and "no integration with the id" in problem(5)[1]
    assert problem(6)[0] == [("A6", "id")]
    assert problem(7) == ([("D7", "to")], "An integration connects two different components.")
    assert problem(8) == (
        [("F8", "standard")],
        "Open Zaak (open-zaak) is not a standard or an API.",
    )
    assert problem(9)[0] == [("B9", "from")]
    assert rows[7].suggestions[0] == "Open Zaak (open-zaak)"
    assert problem(10)[0] == [("I10", "status")]
    assert not plan.ok
    with pytest.raises(ValueError):
        list(usages.apply(plan))


def test_a_row_without_an_id_that_the_organisation_records_already_is_that_one(world, utrecht):
    content = book(
        integration_rows=[
            row(
                "",
                "https://example.org/none",
                "open-zaak",
                fromName="Signalen",
                standard="zgw-apis",
                notes=DANGER,
            ),
            row("", "signalen", "open-zaak", "zgw-apis"),
        ]
    )
    plan = usages.plan_import(utrecht, content, "i.xlsx")
    rows = plan.rows
    assert rows[0].state == UNCHANGED  # found by the name beside the unknown URL
    assert rows[1].state == ERROR and "Row 2 already names this integration" in (
        rows[1].problems[0].reason
    )


def test_a_sheet_without_the_needed_columns_is_refused_as_a_whole(world, utrecht):
    content = book(integration_rows=[["signalen", "x"]], header=["from", "notes"])
    plan = usages.plan_import(utrecht, content, "i.xlsx")
    assert plan.problems == [
        "The first row of the integrations sheet must name the columns to, status, visibility."
    ]


def test_a_formula_typed_into_an_integrations_cell_is_an_error(world, utrecht):
    content = book(
        integration_rows=[row(world["public"].pk, "signalen", "open-zaak", notes="=1+1")]
    )
    plan = usages.plan_import(utrecht, content, "i.xlsx")
    assert [(p.cell, p.column) for p in plan.rows[0].problems] == [("M2", "notes")]


# --- saving -----------------------------------------------------------------------------


def test_a_new_usage_and_an_integration_to_it_are_saved_together(world, utrecht, bob):
    objecten = ComponentFactory(slug="objecten", name="Objecten")
    content = book(
        [["objecten", "", "", "", "production", "", "", "public", ""]],
        [row("", "open-zaak", "Objecten", status="planned")],
    )
    plan = usages.plan_import(utrecht, content, "i.xlsx")
    assert [(r.sheet, r.state) for r in plan.rows] == [("usages", NEW), ("integrations", NEW)]
    assert list(usages.apply(plan, user=bob, actor="bob (spreadsheet i.xlsx)")) == [(2, 2)]
    integration = Integration.objects.get(target_usage__component=objecten)
    assert integration.source_usage == world["usages"]["open-zaak"]
    assert integration.target_usage.organisation == utrecht
    assert (integration.status, integration.assertion) == (IntegrationStatus.PLANNED, "self")
    assert integration.history.get().history_actor == "bob (spreadsheet i.xlsx)"
    again = usages.plan_import(utrecht, content, "i.xlsx")
    assert again.counts == {NEW: 0, CHANGED: 0, UNCHANGED: 2, ERROR: 0}


def test_one_error_anywhere_in_the_file_saves_nothing_of_either_sheet(world, utrecht):
    ComponentFactory(slug="objecten", name="Objecten")
    content = book(
        [["objecten", "", "", "", "production", "", "", "public", ""]],
        [
            row(world["public"].pk, "signalen", "open-zaak", "zgw-apis", status="stopped"),
            row("", "open-zaak", "signalen", status="nooit"),
        ],
    )
    plan = usages.plan_import(utrecht, content, "i.xlsx")
    assert [r.state for r in plan.rows] == [NEW, CHANGED, ERROR]
    with pytest.raises(ValueError):
        list(usages.apply(plan))
    assert not Usage.objects.filter(component__slug="objecten").exists()
    assert Integration.objects.get(pk=world["public"].pk).status == IntegrationStatus.PRODUCTION


def test_a_failure_while_saving_the_integrations_undoes_the_usages_too(world, utrecht):
    ComponentFactory(slug="objecten", name="Objecten")
    content = book(
        [["objecten", "", "", "", "production", "", "", "public", ""]],
        [row("", "signalen", "open-notificaties")],
    )
    plan = usages.plan_import(utrecht, content, "i.xlsx")
    assert plan.ok
    # Meanwhile a colleague records the same integration: the plan's insert fails.
    IntegrationFactory(
        organisation=utrecht,
        source_usage=world["usages"]["signalen"],
        target_usage=world["usages"]["open-notificaties"],
    )
    before = snapshot()
    with pytest.raises(IntegrityError), transaction.atomic():
        list(usages.apply(plan))
    assert not Usage.objects.filter(component__slug="objecten").exists()
    assert snapshot() == before


def _upload(client, content, name):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(BASE, {"file": upload})


def _fingerprint(page):
    return re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)


def test_through_the_site_a_second_import_changes_nothing_and_others_stay_untouched(
    world, bob, utrecht
):
    member = signed_in(bob)
    workbook = load_workbook(io.BytesIO(member.get(f"{BASE}.xlsx").content))
    sheet = workbook["integrations"]
    assert sheet["A3"].value == world["public"].pk
    sheet["I3"] = "stopped"
    sheet["K3"] = datetime.date(2026, 1, 31)
    sheet.append(row("", "open-notificaties", "signalen", "stuf", visibility="government"))
    out = io.BytesIO()
    workbook.save(out)
    content = out.getvalue()
    claim_before = Integration.objects.filter(pk=world["claim"].pk).values().get()
    theirs_before = Integration.objects.filter(pk=world["theirs"].pk).values().get()

    preview = _upload(member, content, "landschap.xlsx")["Location"]
    page = member.get(preview).content.decode()
    assert "Blad: Koppelingen" in page
    assert "Open Notificaties → Signalen (StUF)" in page
    saved = member.post(preview, {"fingerprint": _fingerprint(page)})
    body = b"".join(saved.streaming_content).decode()
    assert "2 van 2 rijen opgeslagen" in body
    public = Integration.objects.get(pk=world["public"].pk)
    assert public.status == "stopped" and public.until == datetime.date(2026, 1, 31)
    assert public.notes == DANGER
    assert public.history.first().history_user == bob
    new = Integration.objects.get(standard__slug="stuf", assertion=Assertion.SELF)
    assert new.visibility == Visibility.GOVERNMENT

    history = Integration.history.count()
    second = _upload(member, content, "landschap.xlsx")["Location"]
    page = member.get(second).content.decode()
    assert "niets om op te slaan" in page
    assert Integration.history.count() == history
    assert Integration.objects.filter(pk=world["claim"].pk).values().get() == claim_before
    assert Integration.objects.filter(pk=world["theirs"].pk).values().get() == theirs_before


def test_the_preview_shows_the_integration_rows_errors_with_the_cell(world, bob):
    content = book(integration_rows=[row("", "open-zaak", "objecten")])
    ComponentFactory(slug="objecten", name="Objecten")
    member = signed_in(bob)
    response = member.get(_upload(member, content, "fout.xlsx")["Location"])
    page = response.content.decode()
    assert response.status_code == 400
    assert "Cel D2" in page and "Je organisatie legt geen gebruik van Objecten" in page
    assert 'name="fingerprint"' not in page


def test_a_colleague_of_another_organisation_cannot_touch_utrechts_integrations(world):
    elders = world["theirs"].organisation
    member = MembershipFactory(organisation=elders).user
    content = book(integration_rows=[row(world["public"].pk, "signalen", "open-zaak")])
    plan = usages.plan_import(elders, content, "i.xlsx")
    assert plan.rows[0].state == ERROR and plan.rows[0].problems[0].column == "id"
    assert signed_in(member).get(INTEGRATIONS_CSV).status_code == 404
