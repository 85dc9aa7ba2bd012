"""Members in the site: signing in, their organisation's usages, claims and tokens."""

import datetime
import re

import pytest
from django.test import Client

from accounts.models import ApiToken, hash_token
from components.constants import Assertion, ReuseRestriction, UsageStatus, Visibility
from components.models import Component, Usage

from .factories import ComponentFactory, UsageFactory

pytestmark = pytest.mark.django_db

USAGES = "/mijn-organisatie/gemeente-utrecht/gebruik"
CLAIMS = "/mijn-organisatie/gemeente-utrecht/claims"
TOKENS = "/mijn-organisatie/gemeente-utrecht/tokens"


def signed_in(user):
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def csrf_client(user):
    """A client that, like a browser, must send the CSRF token it was given."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


# Signing in ----------------------------------------------------------------------------


def test_signing_in_with_a_wrong_password_says_so_and_keeps_the_username(bob):
    response = Client().post("/inloggen", {"username": "bob", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in page
    assert 'value="bob"' in page


def test_signing_in_leads_a_member_to_their_organisation(bob):
    client = Client()
    response = client.post(
        "/inloggen", {"username": "bob", "password": "correct horse battery staple"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/mijn-organisatie/gemeente-utrecht"
    assert "Gemeente Utrecht" in response.content.decode()


def test_member_pages_ask_anonymous_visitors_to_sign_in(utrecht):
    response = Client().get(USAGES)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen?next=")


def test_the_english_sign_in_page_speaks_english(db):
    page = Client().get("/en/sign-in").content.decode()
    assert "Sign in" in page and 'lang="en"' in page


def test_signing_out_needs_a_post_with_a_csrf_token(bob):
    client = csrf_client(bob)
    assert client.post("/uitloggen").status_code == 403
    token = csrf_token(client, "/")
    assert client.post("/uitloggen", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get(USAGES).status_code == 302  # signed out


# Usages -----------------------------------------------------------------------------------


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


# Claims -------------------------------------------------------------------------------------


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


# Tokens ------------------------------------------------------------------------------------


def test_an_administrator_creates_a_token_that_is_shown_once_and_stored_hashed(alice):
    client = signed_in(alice)
    response = client.post(TOKENS, {"name": "GitHub Actions", "expires_at": ""})
    page = response.content.decode()
    plaintext = re.search(r'id="new-token" type="text" readonly value="(cr_[^"]+)"', page).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(plaintext)
    assert plaintext not in str(ApiToken.objects.values().get())
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert plaintext not in client.get(TOKENS).content.decode()
    assert ApiToken.find_active(plaintext) == token


def test_a_bad_token_form_shows_the_error_and_creates_nothing(alice, utrecht):
    ApiToken.issue(utrecht, "CI")
    page = signed_in(alice).post(TOKENS, {"name": "CI", "expires_at": "2001-01-01"}).content
    page = page.decode()
    assert "Er bestaat al een actief token met deze naam." in page
    assert "De vervaldatum moet in de toekomst liggen." in page
    assert 'value="CI"' in page
    assert ApiToken.objects.count() == 1


def test_an_administrator_revokes_a_token(alice, utrecht):
    token, _plaintext = ApiToken.issue(utrecht, "CI")
    signed_in(alice).post(f"{TOKENS}/{token.pk}/intrekken")
    token.refresh_from_db()
    assert not token.is_active


def test_an_editor_sees_the_tokens_but_cannot_create_or_revoke_them(bob, utrecht):
    token, _plaintext = ApiToken.issue(utrecht, "CI")
    client = signed_in(bob)
    page = client.get(TOKENS).content.decode()
    assert "CI" in page and "Alleen beheerders" in page
    assert client.post(TOKENS, {"name": "Mine"}).status_code == 403
    assert client.post(f"{TOKENS}/{token.pk}/intrekken").status_code == 403
    assert ApiToken.objects.active().count() == 1


def test_a_member_cannot_touch_another_organisations_tokens(alice, acme):
    theirs, _plaintext = ApiToken.issue(acme, "Acme CI")
    client = signed_in(alice)
    assert client.get("/mijn-organisatie/acme/tokens").status_code == 404
    assert client.post("/mijn-organisatie/acme/tokens", {"name": "x"}).status_code == 404
    assert client.post(f"{TOKENS}/{theirs.pk}/intrekken").status_code == 404
    assert client.post(f"/mijn-organisatie/acme/tokens/{theirs.pk}/intrekken").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    assert "Acme CI" not in client.get(TOKENS).content.decode()


def test_the_claims_and_tokens_pages_cost_the_same_queries_for_3_or_30(
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
        for i in range(n):
            ApiToken.issue(utrecht, f"token {ApiToken.objects.count()}-{i}", created_by=alice)

    add(3)
    with django_assert_max_num_queries(10) as claims:
        client.get(CLAIMS)
    with django_assert_max_num_queries(10) as tokens:
        client.get(TOKENS)
    add(27)
    with django_assert_max_num_queries(len(claims.captured_queries)):
        assert "Acme Software B.V. zegt" in client.get(CLAIMS).content.decode()
    with django_assert_max_num_queries(len(tokens.captured_queries)):
        client.get(TOKENS)
