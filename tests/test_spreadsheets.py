"""Spreadsheets in and out: an organisation's usages (members) and the whole
catalogue (curators), as .xlsx and .csv, imported back through a preview."""

import datetime
import io
import re
import time
import zipfile

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import Workbook, load_workbook

from accounts.constants import OrganisationKind
from components.constants import Assertion, UsageStatus, Visibility
from components.models import Component, SpreadsheetUpload, Usage
from components.spreadsheets import catalogue, sheets, usages
from components.spreadsheets.plan import CHANGED, ERROR, NEW, UNCHANGED

from .conftest import signed_in
from .factories import (
    ComponentFactory,
    MembershipFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def zaak(acme):
    return ComponentFactory(
        slug="open-zaak", name="Open Zaak", publisher=acme, repository_url="https://example.org/oz"
    )


@pytest.fixture
def formulieren(acme):
    return ComponentFactory(slug="open-formulieren", name="Open Formulieren", publisher=acme)


@pytest.fixture
def landscape(utrecht, zaak, formulieren, acme_component, globex):
    """Utrecht's own usages, one government-only, one with a dangerous note;
    a claim awaiting its answer; and someone else's usage."""
    ReleaseFactory(component=zaak, version="1.2.0")
    UsageFactory(
        organisation=utrecht,
        component=zaak,
        status=UsageStatus.PRODUCTION,
        since=datetime.date(2024, 6, 1),
        notes='=HYPERLINK("http://127.0.0.1/x","klik")',
    )
    UsageFactory(
        organisation=utrecht,
        component=formulieren,
        status=UsageStatus.PILOT,
        visibility=Visibility.GOVERNMENT,
    )
    UsageFactory(
        organisation=utrecht,
        component=acme_component,
        assertion=Assertion.CLAIMED,
        claimed_by=globex,
    )
    UsageFactory(organisation=OrganisationFactory(), component=zaak)


def xlsx_of(rows, header=usages.COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rows_of_xlsx(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# --- export ------------------------------------------------------------------


def test_the_export_holds_the_organisations_own_usages_government_only_included(landscape, bob):
    response = signed_in(bob).get("/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == sheets.XLSX_CONTENT_TYPE
    rows = rows_of_xlsx(response.content)
    assert rows[0] == usages.COLUMNS
    assert [row[0] for row in rows[1:]] == ["open-formulieren", "open-zaak"]
    formulieren = rows[1]
    assert formulieren[4:8] == ["pilot", None, None, "government"]
    # The pending claim is not the organisation's word; nobody else's usage is in it.
    assert len(rows) == 3


def test_the_csv_export_has_the_same_rows(landscape, bob):
    response = signed_in(bob).get("/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet.csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == ",".join(usages.COLUMNS)
    assert lines[2].startswith("open-zaak,Open Zaak,https://example.org/oz,,production,2024-06-01")


def test_formulas_are_neutralised_in_both_formats(landscape, bob):
    member = signed_in(bob)
    xlsx = member.get("/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet.xlsx").content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cell = load_workbook(io.BytesIO(xlsx)).active["I3"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    assert cell.quotePrefix
    csv_text = member.get("/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet.csv").content
    assert "'=HYPERLINK" in csv_text.decode("utf-8-sig")


def test_another_organisations_spreadsheet_is_a_404(landscape, victor):
    response = signed_in(victor).get("/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet.xlsx")
    assert response.status_code == 404


# --- the import's plan (the preview) ---------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_importing_the_export_unchanged_changes_nothing(landscape, bob, utrecht, fmt):
    exported = signed_in(bob).get(f"/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet.{fmt}")
    plan = usages.plan_import(utrecht, exported.content, f"usages.{fmt}")
    assert plan.ok, [(r.number, r.problems) for r in plan.rows]
    assert plan.counts == {NEW: 0, CHANGED: 0, UNCHANGED: 2, ERROR: 0}
    assert plan.to_save == []


def test_each_row_is_new_changed_unchanged_or_an_error_with_the_cell_and_reason(
    landscape, utrecht, zaak
):
    ComponentFactory(slug="signalen", name="Signalen")
    ComponentFactory(slug="objecten", name="Objecten")
    content = xlsx_of(
        [
            ["open-zaak", "", "", "1.2.0", "production", "2024-06-01", "", "public", "anders"],
            ["open-formulieren", "", "", "", "pilot", None, None, "government", ""],
            ["", "Signalen", "", "", "In productie", "1-3-2025", "", "Openbaar", ""],
            ["opn-zaak", "", "", "", "production", "", "", "public", ""],
            ["", "", "https://example.org/oz/", "", "pilot", "", "", "public", ""],
            ["objecten", "", "", "9.9", "sometimes", "gisteren", "", "public", ""],
        ]
    )
    plan = usages.plan_import(utrecht, content, "usages.xlsx")
    states = [(row.number, row.state) for row in plan.rows]
    assert states == [(2, CHANGED), (3, UNCHANGED), (4, NEW), (5, ERROR), (6, ERROR), (7, ERROR)]
    assert plan.rows[0].changes == ["release", "notes"]
    near_miss = plan.rows[3]
    assert near_miss.problems[0].cell == "A5"
    assert near_miss.suggestions[0] == "Open Zaak (open-zaak)"
    # Found by its repository URL (trailing slash and all): named by row 2 already.
    assert "Row 2 already names this component" in plan.rows[4].problems[0].reason
    bad = {(p.cell, p.column) for p in plan.rows[5].problems}
    assert bad == {("D7", "release"), ("E7", "status"), ("F7", "since")}
    assert not plan.ok
    with pytest.raises(ValueError):
        list(usages.apply(plan))


def test_a_file_without_the_needed_columns_is_refused_as_a_whole(utrecht, zaak):
    content = xlsx_of([["open-zaak"]], header=["component"])
    plan = usages.plan_import(utrecht, content, "x.xlsx")
    assert not plan.ok
    assert "status, visibility" in plan.problems[0]


def test_a_formula_typed_into_a_cell_is_an_error_not_evaluated(utrecht, zaak):
    content = xlsx_of([["open-zaak", "", "", "", "production", "", "", "public", "=1+1"]])
    plan = usages.plan_import(utrecht, content, "x.xlsx")
    assert plan.rows[0].state == ERROR
    assert plan.rows[0].problems[0].cell == "I2"


def test_a_csv_with_semicolons_as_dutch_excel_writes_it_is_read(utrecht, zaak):
    content = b"component;status;visibility\nopen-zaak;pilot;public\n"
    plan = usages.plan_import(utrecht, content, "x.csv")
    assert [row.state for row in plan.rows] == [NEW]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a zip", "x.xlsx", "not a readable .xlsx"),
        ("é".encode("latin-1"), "x.csv", "not UTF-8"),
        (b"a,b", "x.ods", "Upload an .xlsx or a .csv"),
    ],
)
def test_an_unreadable_file_is_a_clear_error(utrecht, content, name, message):
    with pytest.raises(sheets.SheetError, match=message):
        usages.plan_import(utrecht, content, name)


# --- saving -------------------------------------------------------------------------


def test_saving_is_all_or_nothing(utrecht, zaak, formulieren):
    content = xlsx_of(
        [
            ["open-zaak", "", "", "", "production", "", "", "public", ""],
            ["open-formulieren", "", "", "", "production", "", "", "public", ""],
        ]
    )
    plan = usages.plan_import(utrecht, content, "x.xlsx")
    assert plan.ok
    # Meanwhile someone records the second usage: saving the plan's second row fails.
    UsageFactory(organisation=utrecht, component=formulieren)
    with pytest.raises(IntegrityError), transaction.atomic():
        list(usages.apply(plan))
    assert not Usage.objects.filter(organisation=utrecht, component=zaak).exists()


def _upload(client, url, content, name):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(url, {"file": upload})


def _streamed(response):
    return b"".join(response.streaming_content).decode()


def test_upload_preview_and_save_through_the_site_and_a_second_import_changes_nothing(
    landscape, bob, utrecht, zaak
):
    member = signed_in(bob)
    base = "/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet"
    # Edited as a spreadsheet program would: the workbook itself, its cells' types kept.
    workbook = load_workbook(io.BytesIO(member.get(f"{base}.xlsx").content))
    sheet = workbook.active
    assert sheet["A3"].value == "open-zaak"
    sheet["E3"] = "stopped"
    sheet["G3"] = datetime.date(2026, 1, 31)
    sheet.append(["", "Acme Zaken", "", "", "pilot", "", "", "government", "via de sheet"])
    out = io.BytesIO()
    workbook.save(out)
    content = out.getvalue()

    response = _upload(member, base, content, "usages.xlsx")
    assert response.status_code == 302
    preview_url = response["Location"]
    assert re.search(r"/spreadsheet/[0-9a-f-]{36}$", preview_url)
    page = member.get(preview_url).content.decode()
    assert "1 nieuw" in page and "1 gewijzigd" in page and "1 ongewijzigd" in page
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)

    history_before = Usage.history.count()
    saved = member.post(preview_url, {"fingerprint": fingerprint})
    body = _streamed(saved)
    assert "2 van 2 rijen opgeslagen" in body
    assert "Opgeslagen: 1 nieuw, 1 gewijzigd, 1 ongewijzigd." in body
    usage = Usage.objects.get(organisation=utrecht, component=zaak, assertion=Assertion.SELF)
    assert usage.status == UsageStatus.STOPPED and usage.until == datetime.date(2026, 1, 31)
    new = Usage.objects.get(organisation=utrecht, component__slug="acme-zaken", assertion="self")
    assert new.visibility == Visibility.GOVERNMENT
    # The history names who did it and with which file.
    assert usage.history.first().history_actor == "bob (spreadsheet usages.xlsx)"
    assert usage.history.first().history_user == bob

    # Saving the same upload again saves nothing.
    again = member.post(preview_url, {"fingerprint": fingerprint})
    assert again.status_code == 409
    assert "Dit bestand is al opgeslagen" in again.content.decode()
    # A second import of the same file: every row unchanged, nothing written.
    second = _upload(member, base, content, "usages.xlsx")["Location"]
    page = member.get(second).content.decode()
    assert "3 ongewijzigd" in page and "niets om op te slaan" in page
    assert Usage.history.count() == history_before + 2


def test_a_preview_that_went_stale_is_shown_again_not_saved(bob, utrecht, zaak):
    member = signed_in(bob)
    base = "/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet"
    content = xlsx_of([["open-zaak", "", "", "", "pilot", "", "", "public", ""]])
    preview_url = _upload(member, base, content, "u.xlsx")["Location"]
    page = member.get(preview_url).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    UsageFactory(organisation=utrecht, component=zaak, status=UsageStatus.PILOT)
    response = member.post(preview_url, {"fingerprint": fingerprint})
    assert response.status_code == 409
    assert Usage.objects.filter(organisation=utrecht).count() == 1


def test_only_the_uploader_sees_the_preview(bob, utrecht, zaak):
    base = "/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet"
    content = xlsx_of([["open-zaak", "", "", "", "pilot", "", "", "public", ""]])
    preview_url = _upload(signed_in(bob), base, content, "u.xlsx")["Location"]
    colleague = MembershipFactory(organisation=utrecht).user
    assert signed_in(colleague).get(preview_url).status_code == 404
    assert signed_in(colleague).post(preview_url, {"fingerprint": "x"}).status_code == 404
    assert SpreadsheetUpload.objects.get().user == bob


def test_a_file_that_is_not_a_spreadsheet_gets_a_message_next_to_the_field(bob, utrecht):
    response = _upload(
        signed_in(bob), "/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet", b"x", "a.txt"
    )
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()
    assert not SpreadsheetUpload.objects.exists()


def test_five_thousand_rows_import_in_under_thirty_seconds(utrecht, acme):
    components = Component.objects.bulk_create(
        [
            Component(
                slug=f"c-{n}",
                name=f"Component {n}",
                kind="software",
                short_description="x",
                publisher=acme,
                license_expression="EUPL-1.2",
            )
            for n in range(5000)
        ]
    )
    content = xlsx_of(
        [[c.slug, "", "", "", "production", "2025-01-01", "", "public", ""] for c in components]
    )
    started = time.monotonic()
    plan = usages.plan_import(utrecht, content, "big.xlsx")
    progress = list(usages.apply(plan))
    elapsed = time.monotonic() - started
    assert plan.counts[NEW] == 5000
    assert progress[0] == (250, 5000) and progress[-1] == (5000, 5000)
    assert Usage.objects.filter(organisation=utrecht).count() == 5000
    assert elapsed < 30, elapsed
    print(f"5,000 usage rows planned and saved in {elapsed:.1f} s")


# --- the catalogue, for curators -------------------------------------------------------


@pytest.fixture
def curator(db):
    return UserFactory(username="cora", is_staff=True)


def test_only_curators_export_and_import_the_catalogue(bob, curator, zaak):
    assert signed_in(bob).get("/catalogus-spreadsheet.xlsx").status_code == 403
    assert signed_in(bob).get("/catalogus-spreadsheet").status_code == 403
    assert Client().get("/catalogus-spreadsheet.csv").status_code == 302  # to sign in
    response = signed_in(curator).get("/catalogus-spreadsheet.xlsx")
    rows = rows_of_xlsx(response.content)
    assert rows[0] == catalogue.COLUMNS
    assert [row[0] for row in rows[1:]] == ["open-zaak"]


def test_the_catalogue_import_adds_changes_and_refuses_with_reasons(zaak, acme, ministry):
    header = ["slug", "name", "kind", "publisher", "licenseExpression", "shortDescription"]
    content = xlsx_of(
        [
            ["open-zaak", "Open Zaak", "api", "acme", "EUPL-1.2", zaak.short_description],
            ["", "Nieuwe Huisstijl", "house-style", "ministerie-bzk", "MIT", "Een stijl."],
            ["", "Iets", "software", "acme-bv", "EUPL-1.2", "x"],
            ["", "Nog iets", "software", "acme", "Not A Licence", "x"],
            ["", "Open Zak", "software", "acme", "MIT", "x"],
        ],
        header=header,
    )
    plan = catalogue.plan_import(content, "c.xlsx")
    assert [row.state for row in plan.rows] == [CHANGED, NEW, ERROR, ERROR, NEW]
    assert plan.rows[0].changes == ["kind"]
    assert plan.rows[2].problems[0].cell == "D4"
    assert plan.rows[3].problems[0].cell == "E5"
    assert plan.rows[4].suggestions == ["Open Zaak (open-zaak)"]

    fixed = xlsx_of(
        [
            ["open-zaak", "Open Zaak", "api", "acme", "EUPL-1.2", zaak.short_description],
            ["", "Nieuwe Huisstijl", "house-style", "ministerie-bzk", "MIT", "Een stijl."],
        ],
        header=header,
    )
    plan = catalogue.plan_import(fixed, "c.xlsx")
    list(catalogue.apply(plan))
    created = Component.objects.get(slug="nieuwe-huisstijl")
    assert created.publisher == ministry
    assert list(created.licenses.values_list("id", flat=True)) == ["MIT"]
    assert Component.objects.get(slug="open-zaak").kind == "api"
    again = catalogue.plan_import(fixed, "c.xlsx")
    assert again.counts[UNCHANGED] == 2 and not again.to_save


def test_the_catalogue_export_imports_back_unchanged(curator, zaak, formulieren):
    content = signed_in(curator).get("/catalogus-spreadsheet.csv").content
    plan = catalogue.plan_import(content, "c.csv")
    assert plan.ok, [(r.number, r.problems) for r in plan.rows]
    assert plan.counts[UNCHANGED] == 2


def test_five_thousand_new_components_import_in_under_thirty_seconds(acme):
    header = ["name", "kind", "publisher", "licenseExpression", "shortDescription"]
    content = xlsx_of(
        [[f"Onderdeel {n}", "software", "acme", "EUPL-1.2", "Iets"] for n in range(5000)],
        header=header,
    )
    started = time.monotonic()
    plan = catalogue.plan_import(content, "big.xlsx")
    list(catalogue.apply(plan))
    elapsed = time.monotonic() - started
    assert Component.objects.filter(publisher=acme).count() == 5000
    assert elapsed < 30, elapsed
    print(f"5,000 new components planned and saved in {elapsed:.1f} s")


def test_the_organisations_kind_does_not_matter_for_its_own_export(db):
    vendor = OrganisationFactory(kind=OrganisationKind.VENDOR)
    member = MembershipFactory(organisation=vendor).user
    UsageFactory(organisation=vendor, visibility=Visibility.GOVERNMENT)
    response = signed_in(member).get(f"/en/my-organisation/{vendor.slug}/usages/spreadsheet.csv")
    assert response.content.decode("utf-8-sig").count("government") == 1
