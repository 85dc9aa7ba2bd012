"""Licence pages, the about page, and the members' licence report, publiccode.yml
upload, harvest sources and webhooks."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from components.constants import (
    Assertion,
    DeliveryStatus,
    EventType,
    HarvestStatus,
    ReuseRestriction,
    UsageStatus,
    Visibility,
)
from components.licensing import OSADL_ATTRIBUTION
from components.models import (
    Component,
    Event,
    HarvestSource,
    License,
    Usage,
    WebhookDelivery,
    WebhookSubscription,
)

from .factories import ComponentFactory, CustomLicenseFactory, UsageFactory
from .test_publiccode_import import document

pytestmark = pytest.mark.django_db

MINE = "/mijn-organisatie/gemeente-utrecht"


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# Licence pages ------------------------------------------------------------------------


def test_a_licence_page_shows_flags_obligation_and_components(acme):
    ComponentFactory(name="Zaakregister", publisher=acme, license_expression="EUPL-1.2")
    page = text_of(Client().get("/licenties/EUPL-1.2"))
    assert "European Union Public License 1.2" in page
    assert "<code>EUPL-1.2</code>" in page
    assert "goedgekeurd" in page
    assert "Zaakregister" in page and "Acme Software B.V." in page
    english = text_of(Client().get("/en/licences/EUPL-1.2"))
    assert '<html lang="en">' in english
    assert "Components under this licence" in english
    assert "Open Source Initiative" in english and "approved" in english


def test_a_deprecated_licence_links_to_its_successor():
    licence = License.objects.get(id="GPL-2.0+")
    assert licence.is_deprecated
    page = text_of(Client().get("/licenties/GPL-2.0+"))
    assert f'href="/licenties/{licence.superseded_by_id}"' in page


def test_a_custom_licence_page_shows_url_summary_and_whether_others_may_reuse(acme):
    CustomLicenseFactory(
        id="LicenseRef-Acme-Brand",
        name="Acme merklicentie",
        url="https://acme.example/licentie",
        summary="Alleen Acme mag het merk gebruiken.",
        reuse_allowed=False,
        owner=acme,
    )
    page = text_of(Client().get("/licenties/LicenseRef-Acme-Brand"))
    assert "https://acme.example/licentie" in page
    assert "Alleen Acme mag het merk gebruiken." in page
    assert "Niet toegestaan: alleen de rechthebbende mag het gebruiken." in page
    assert 'href="/organisaties/acme"' in page


def test_an_unknown_licence_is_a_404():
    assert Client().get("/licenties/No-Such-Licence").status_code == 404


def test_the_licence_page_costs_the_same_queries_for_3_or_30_components(
    acme, django_assert_max_num_queries
):
    ComponentFactory.create_batch(3, publisher=acme, license_expression="MIT")
    with django_assert_max_num_queries(10) as few:
        text_of(Client().get("/licenties/MIT"))
    ComponentFactory.create_batch(27, publisher=acme, license_expression="MIT")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text_of(Client().get("/licenties/MIT"))
    assert "Pagina 1 van 2" in page


def test_the_component_page_links_to_its_licences_and_its_publiccode(acme_component):
    page = text_of(Client().get(f"/componenten/{acme_component.slug}"))
    assert 'href="/licenties/EUPL-1.2"' in page
    assert f'href="/api/v1/components/{acme_component.slug}/publiccode.yml"' in page


def test_the_about_page_credits_osadl_and_is_linked_from_every_footer(db):
    page = text_of(Client().get("/over"))
    assert "Over het register" in page
    assert "CC-BY-4.0" in page and "OSADL" in page
    assert OSADL_ATTRIBUTION.split(",")[0] in page
    assert 'href="/over"' in text_of(Client().get("/"))
    assert "About the registry" in text_of(Client().get("/en/about"))


# Claims shown as unconfirmed ---------------------------------------------------------


@pytest.fixture
def old_claim(utrecht, acme, acme_component):
    usage = UsageFactory(
        organisation=utrecht, component=acme_component, assertion=Assertion.CLAIMED, claimed_by=acme
    )
    Usage.objects.filter(pk=usage.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(days=91)
    )
    return usage


def test_a_pending_claim_shows_as_not_yet_confirmed(utrecht, acme, acme_component):
    UsageFactory(
        organisation=utrecht, component=acme_component, assertion=Assertion.CLAIMED, claimed_by=acme
    )
    page = text_of(Client().get(f"/componenten/{acme_component.slug}"))
    assert "geclaimd door Acme Software B.V., nog niet bevestigd" in page


def test_a_claim_unanswered_for_90_days_shows_as_unconfirmed(old_claim, bob, acme_component):
    for url in (f"/componenten/{acme_component.slug}", "/organisaties/gemeente-utrecht"):
        assert "geclaimd door Acme Software B.V., onbevestigd" in text_of(Client().get(url))
    page = text_of(signed_in(bob).get(f"{MINE}/claims"))
    assert "Al meer dan 90 dagen onbeantwoord" in page


# The licence report -----------------------------------------------------------------


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


# publiccode.yml upload --------------------------------------------------------------


# The import tests' valid document, varied per test.
valid_publiccode = document


def test_checking_a_bad_publiccode_shows_findings_keeps_the_text_and_saves_nothing(bob):
    text = valid_publiccode(developmentStatus="klaar")
    page = text_of(signed_in(bob).post(f"{MINE}/publiccode", {"text": text, "action": "check"}))
    assert "Het bestand bevat fouten: er is niets opgeslagen" in page
    assert "<code>developmentStatus</code>" in page
    assert "klaar" in page  # kept in the text box
    assert Component.objects.count() == 0


def test_checking_a_good_publiccode_saves_nothing_and_importing_registers_it(bob, utrecht):
    client = signed_in(bob)
    text = valid_publiccode()
    page = text_of(client.post(f"{MINE}/publiccode", {"text": text, "action": "check"}))
    assert "Het bestand is geldig: er is niets opgeslagen" in page
    assert "Inlezen zou Zaakregistratie registreren." in page
    assert Component.objects.count() == 0
    response = client.post(f"{MINE}/publiccode", {"text": text, "action": "import"})
    component = Component.objects.get()
    assert component.publisher == utrecht
    assert response.status_code == 302
    assert response["Location"] == f"/componenten/{component.slug}"


def test_a_publiccode_file_can_be_uploaded(bob):
    upload = SimpleUploadedFile("publiccode.yml", valid_publiccode().encode())
    page = text_of(signed_in(bob).post(f"{MINE}/publiccode", {"file": upload, "action": "check"}))
    assert "Het bestand is geldig" in page
    assert "Zaakregistratie" in page


def test_an_empty_publiccode_form_shows_the_error_next_to_the_field(bob):
    page = text_of(signed_in(bob).post(f"{MINE}/publiccode", {"text": "", "action": "check"}))
    assert 'id="id_text_error"' in page
    assert "Plak een publiccode.yml of kies een bestand." in page
    assert 'aria-invalid="true"' in page


def test_garbage_or_a_failing_import_never_gives_a_500(bob, monkeypatch):
    client = signed_in(bob)
    for text in ("{{{{", "- a\n- b", "\x00\x01", "name: [unclosed"):
        assert client.post(f"{MINE}/publiccode", {"text": text}).status_code == 200

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("components.members.import_publiccode", explode)
    page = text_of(client.post(f"{MINE}/publiccode", {"text": valid_publiccode()}))
    assert "Het register kon dit bestand niet verwerken." in page


def test_the_publiccode_page_is_for_members_only(bob, secretive):
    assert Client().get(f"{MINE}/publiccode").status_code == 302
    assert (
        signed_in(bob)
        .post("/mijn-organisatie/gemeente-geheimdorp/publiccode", {"text": valid_publiccode()})
        .status_code
        == 404
    )
    assert Component.objects.count() == 0


# Harvest sources and webhooks -------------------------------------------------------


def test_harvest_sources_show_status_last_run_and_error_lines(
    bob, utrecht, django_assert_max_num_queries
):
    HarvestSource.objects.create(
        url="https://example.org/a/publiccode.yml",
        organisation=utrecht,
        last_status=HarvestStatus.FAILED,
        last_run_at=timezone.now(),
        last_errors=[
            {
                "severity": "error",
                "path": "legal.license",
                "line": 12,
                "column": 3,
                "message": "is not a valid SPDX expression",
            },
            {"severity": "error", "message": "fetch failed: 404"},
        ],
    )
    client = signed_in(bob)
    with django_assert_max_num_queries(10) as few:
        page = text_of(client.get(f"{MINE}/oogstbronnen"))
    assert "https://example.org/a/publiccode.yml" in page
    assert "12:3: error: legal.license: is not a valid SPDX expression" in page
    assert "error: fetch failed: 404" in page
    for n in range(10):
        HarvestSource.objects.create(url=f"https://example.org/{n}.yml", organisation=utrecht)
    with django_assert_max_num_queries(len(few.captured_queries)):
        text_of(client.get(f"{MINE}/oogstbronnen"))


def test_webhooks_show_status_and_the_latest_20_deliveries(
    bob, utrecht, acme_component, secretive, django_assert_max_num_queries
):
    client = signed_in(bob)

    def subscription(url, **kwargs):
        hook = WebhookSubscription.objects.create(
            organisation=utrecht, url=url, secret="s", **kwargs
        )
        for n in range(25):
            event = Event.objects.create(
                type=EventType.COMPONENT_UPDATED, component=acme_component, summary=f"change {n}"
            )
            WebhookDelivery.objects.create(
                subscription=hook,
                event=event,
                status=DeliveryStatus.FAILED,
                attempts=3,
                response_status=500,
                error="HTTP 500 from receiver",
            )
        return hook

    subscription("https://hooks.example/a", active=False, consecutive_failures=7)
    with django_assert_max_num_queries(10) as few:
        page = text_of(client.get(f"{MINE}/webhooks"))
    assert "https://hooks.example/a" in page
    assert "gepauzeerd" in page and "HTTP 500 from receiver" in page
    assert page.count("HTTP 500 from receiver") == 20
    assert "via de API" in page
    subscription("https://hooks.example/b")
    subscription("https://hooks.example/c")
    with django_assert_max_num_queries(len(few.captured_queries)):
        text_of(client.get(f"{MINE}/webhooks"))
    assert client.get("/mijn-organisatie/gemeente-geheimdorp/webhooks").status_code == 404
    assert Client().get(f"{MINE}/webhooks").status_code == 302


def test_the_new_member_pages_answer_in_english(bob):
    client = signed_in(bob)
    base = "/en/my-organisation/gemeente-utrecht"
    assert "Licences used by" in text_of(client.get(f"{base}/licences"))
    assert "Check only" in text_of(client.get(f"{base}/publiccode"))
    assert "Harvest sources of" in text_of(client.get(f"{base}/harvest-sources"))
    assert "Webhooks of" in text_of(client.get(f"{base}/webhooks"))


def test_stopped_usages_are_listed_but_bring_no_licence(bob, utrecht, acme):
    UsageFactory(
        organisation=utrecht,
        component=ComponentFactory(name="Oud", publisher=acme, license_expression="MIT"),
        status=UsageStatus.STOPPED,
    )
    page = text_of(signed_in(bob).get(f"{MINE}/licenties"))
    assert "Oud" in page and 'href="/licenties/MIT"' not in page
