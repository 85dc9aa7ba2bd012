"""An organisation's API tokens in the site: its administrators issue and revoke
them, shown once and stored hashed; its editors only see them."""

import re

import pytest

from accounts.models import ApiToken, hash_token

from .conftest import signed_in

pytestmark = pytest.mark.django_db

TOKENS = "/mijn-organisatie/gemeente-utrecht/tokens"


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


def test_the_tokens_page_costs_the_same_queries_for_3_or_30(
    alice, utrecht, django_assert_max_num_queries
):
    client = signed_in(alice)

    def add(n):
        for i in range(n):
            ApiToken.issue(utrecht, f"token {ApiToken.objects.count()}-{i}", created_by=alice)

    add(3)
    with django_assert_max_num_queries(10) as tokens:
        client.get(TOKENS)
    add(27)
    with django_assert_max_num_queries(len(tokens.captured_queries)):
        client.get(TOKENS)
