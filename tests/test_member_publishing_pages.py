"""The members' publishing pages: checking and importing a publiccode.yml, and
following their organisation's harvest sources and webhooks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from components.constants import DeliveryStatus, EventType, HarvestStatus
from components.models import (
    Component,
    Event,
    HarvestSource,
    WebhookDelivery,
    WebhookSubscription,
)

from .conftest import signed_in, text_of
from .test_publiccode_import import document

pytestmark = pytest.mark.django_db

MINE = "/mijn-organisatie/gemeente-utrecht"

# The import tests' valid document, varied per test.
valid_publiccode = document


# publiccode.yml upload ----------------------------------------------------------------


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


# Harvest sources and webhooks ---------------------------------------------------------


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
    # Rows stored as English words only (before findings kept their template) are
    # shown as they are, marked as English, in a Dutch frame.
    assert (
        "<strong>fout</strong> (regel 12, kolom 3) <code>legal.license</code>: "
        '<span lang="en">is not a valid SPDX expression</span>'
    ) in page
    assert '<strong>fout</strong>: <span lang="en">fetch failed: 404</span>' in page
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


def test_the_licence_and_publishing_pages_answer_in_english(bob):
    client = signed_in(bob)
    base = "/en/my-organisation/gemeente-utrecht"
    assert "Licences used by" in text_of(client.get(f"{base}/licences"))
    assert "Check only" in text_of(client.get(f"{base}/publiccode"))
    assert "Harvest sources of" in text_of(client.get(f"{base}/harvest-sources"))
    assert "Webhooks of" in text_of(client.get(f"{base}/webhooks"))
