"""A member's usages and claims in the site: recording, editing and stopping the
organisation's own usages, answering claims about it, and how an unanswered
claim shows on the public pages."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from components.constants import Assertion, ReuseRestriction, UsageStatus, Visibility
from components.models import Component, Usage

from .conftest import csrf_client, csrf_token, signed_in, text_of
from .factories import ComponentFactory, UsageFactory

pytestmark = pytest.mark.django_db

MINE = "/mijn-organisatie/gemeente-utrecht"
USAGES = f"{MINE}/gebruik"
CLAIMS = f"{MINE}/claims"


# Usages -------------------------------------------------------------------------------


def test_a_member_records_a_usage_of_a_component(bob, acme_component):
    client = signed_in(bob)
    form = client.get(f"{USAGES}/nieuw?component={acme_component.slug}").content.decode()
    assert f'value="{acme_component.slug}"' in form
    response = client.post(
        f"{USAGES}/nieuw",
        {
            "component": acme_component.slug,
            "status": UsageStatus.PILOT,
            "since": "2026-01-10",
            "visibility": Visibility.GOVERNMENT,
        },
    )
    assert response.status_code == 302
    usage = Usage.objects.get()
    assert (usage.organisation.slug, usage.component, usage.status, usage.assertion) == (
        "gemeente-utrecht",
        acme_component,
        UsageStatus.PILOT,
        Assertion.SELF,
    )
    assert usage.visibility == Visibility.GOVERNMENT
    assert usage.history.first().history_actor == "bob"
    assert "Acme Zaken" in client.get(USAGES).content.decode()


def test_a_bad_usage_form_shows_errors_next_to_the_fields_keeps_input_and_saves_nothing(
    bob, acme_component
):
    response = signed_in(bob).post(
        f"{USAGES}/nieuw",
        {
            "component": "does-not-exist",
            "status": UsageStatus.PRODUCTION,
            "since": "2026-03-01",
            "until": "2026-01-01",
            "visibility": Visibility.PUBLIC,
            "notes": "Wat ik typte",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert Usage.objects.count() == 0
    # The error sits with its field, and the field points at it.
    assert re.search(
        r'id="id_component_error"><p>Er is geen component met deze identificatie.</p></div>\s*'
        r'<input type="text" name="component" value="does-not-exist"[^>]*aria-invalid="true"',
        page,
    )
    assert 'aria-describedby="id_component_helptext id_component_error"' in page
    assert "De einddatum kan niet vóór de begindatum liggen." in page
    assert 'value="2026-03-01"' in page and "Wat ik typte" in page
    assert "Verbeter het volgende" in page  # the summary at the top links to the fields
    assert 'href="#id_component"' in page


def test_a_usage_of_the_same_component_twice_is_refused(bob, utrecht, acme_component):
    UsageFactory(organisation=utrecht, component=acme_component)
    page = (
        signed_in(bob)
        .post(
            f"{USAGES}/nieuw",
            {"component": acme_component.slug, "status": "production", "visibility": "public"},
        )
        .content.decode()
    )
    assert "heeft het gebruik van dit component al vastgelegd" in page
    assert Usage.objects.count() == 1


def test_a_usage_that_breaks_a_restriction_is_kept_but_flagged(bob, acme):
    private = ComponentFactory(publisher=acme, reuse_restriction=ReuseRestriction.OWNER_ONLY)
    # Confirmed after the warning (tests/test_usage_form.py follows that step).
    signed_in(bob).post(
        f"{USAGES}/nieuw",
        {
            "component": private.slug,
            "status": "production",
            "visibility": "public",
            "confirmed": private.slug,
        },
    )
    usage = Usage.objects.get()
    assert "Alleen de uitgever" in usage.restriction_flag


def test_editing_a_usage_in_the_site_brings_its_flag_in_step(bob, utrecht, acme):
    component = ComponentFactory(publisher=acme)
    usage = UsageFactory(organisation=utrecht, component=component)
    assert usage.restriction_flag == ""
    # Restricted behind the usage's back: a queryset update sends no signal.
    Component.objects.filter(pk=component.pk).update(reuse_restriction=ReuseRestriction.OWNER_ONLY)
    response = signed_in(bob).post(
        f"{USAGES}/{usage.pk}", {"status": "pilot", "visibility": "public", "notes": ""}
    )
    assert response.status_code == 302
    usage.refresh_from_db()
    assert usage.status == UsageStatus.PILOT
    assert "Alleen de uitgever" in usage.restriction_flag


def test_a_member_edits_and_stops_a_usage(bob, utrecht, acme_component):
    usage = UsageFactory(
        organisation=utrecht, component=acme_component, since=datetime.date(2025, 1, 1)
    )
    client = signed_in(bob)
    response = client.post(
        f"{USAGES}/{usage.pk}",
        {"status": "production", "since": "2025-02-01", "visibility": "government", "notes": ""},
    )
    assert response.status_code == 302
    usage.refresh_from_db()
    assert usage.visibility == Visibility.GOVERNMENT
    assert usage.since == datetime.date(2025, 2, 1)
    assert "Stoppen met Acme Zaken" in client.get(f"{USAGES}/{usage.pk}/stoppen").content.decode()
    client.post(f"{USAGES}/{usage.pk}/stoppen")
    usage.refresh_from_db()
    assert usage.status == UsageStatus.STOPPED
    assert usage.until is not None


def test_a_member_cannot_touch_another_organisations_usages(bob, secretive, acme_component):
    theirs = UsageFactory(organisation=secretive, component=acme_component)
    client = signed_in(bob)
    assert client.get(f"{USAGES}/{theirs.pk}").status_code == 404
    assert client.post(f"{USAGES}/{theirs.pk}", {"status": "stopped"}).status_code == 404
    assert client.post(f"{USAGES}/{theirs.pk}/stoppen").status_code == 404
    assert client.get("/mijn-organisatie/gemeente-geheimdorp/gebruik").status_code == 404
    assert (
        client.post(
            "/mijn-organisatie/gemeente-geheimdorp/gebruik/nieuw",
            {"component": acme_component.slug, "status": "production", "visibility": "public"},
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == UsageStatus.PRODUCTION
    assert Usage.objects.count() == 1


def test_recording_a_usage_needs_a_csrf_token(bob, acme_component):
    client = csrf_client(bob)
    data = {"component": acme_component.slug, "status": "production", "visibility": "public"}
    assert client.post(f"{USAGES}/nieuw", data).status_code == 403
    data["csrfmiddlewaretoken"] = csrf_token(client, f"{USAGES}/nieuw")
    assert client.post(f"{USAGES}/nieuw", data).status_code == 302


def test_the_usage_list_costs_the_same_queries_for_3_or_30(
    bob, utrecht, acme, django_assert_max_num_queries
):
    client = signed_in(bob)
    for component in ComponentFactory.create_batch(3, publisher=acme):
        UsageFactory(organisation=utrecht, component=component, claimed_by=acme)
    with django_assert_max_num_queries(10) as few:
        client.get(USAGES)
    for component in ComponentFactory.create_batch(27, publisher=acme):
        UsageFactory(organisation=utrecht, component=component, claimed_by=acme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(USAGES)


# Claims -------------------------------------------------------------------------------


@pytest.fixture
def claim(utrecht, acme, acme_component):
    return UsageFactory(
        organisation=utrecht, component=acme_component, assertion=Assertion.CLAIMED, claimed_by=acme
    )


def test_a_member_confirms_a_claim_about_their_organisation(bob, claim):
    client = signed_in(bob)
    page = client.get(CLAIMS).content.decode()
    assert "Acme Software B.V. zegt dat je <strong>Acme Zaken</strong> gebruikt" in page
    client.post(f"{CLAIMS}/{claim.pk}", {"decision": "confirm"})
    claim.refresh_from_db()
    assert claim.assertion == Assertion.CONFIRMED
    assert claim.answered_at is not None


def test_a_rejected_claim_leaves_the_usage_list_and_the_public_pages(bob, claim, acme_component):
    client = signed_in(bob)
    client.post(f"{CLAIMS}/{claim.pk}", {"decision": "reject"})
    claim.refresh_from_db()
    assert claim.assertion == Assertion.REJECTED
    assert f'href="{USAGES}/{claim.pk}"' not in client.get(USAGES).content.decode()
    assert (
        "gemeente-utrecht"
        not in Client().get(f"/componenten/{acme_component.slug}").content.decode()
    )


def test_a_claim_needs_a_decision(bob, claim):
    signed_in(bob).post(f"{CLAIMS}/{claim.pk}", {"decision": "maybe"})
    claim.refresh_from_db()
    assert claim.assertion == Assertion.CLAIMED


def test_a_member_cannot_answer_claims_about_another_organisation(
    bob, secretive, acme, acme_component
):
    theirs = UsageFactory(
        organisation=secretive,
        component=acme_component,
        assertion=Assertion.CLAIMED,
        claimed_by=acme,
    )
    client = signed_in(bob)
    assert client.post(f"{CLAIMS}/{theirs.pk}", {"decision": "reject"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.assertion == Assertion.CLAIMED


def test_the_claims_page_costs_the_same_queries_for_3_or_30(
    alice, utrecht, acme, django_assert_max_num_queries
):
    client = signed_in(alice)

    def add(n):
        for component in ComponentFactory.create_batch(n, publisher=acme):
            UsageFactory(
                organisation=utrecht,
                component=component,
                assertion=Assertion.CLAIMED,
                claimed_by=acme,
            )

    add(3)
    with django_assert_max_num_queries(10) as claims:
        client.get(CLAIMS)
    add(27)
    with django_assert_max_num_queries(len(claims.captured_queries)):
        assert "Acme Software B.V. zegt" in client.get(CLAIMS).content.decode()


# Claims shown as unconfirmed ----------------------------------------------------------


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
