"""Signing in and out of the site, and the way into the member pages."""

import pytest
from django.test import Client

from .conftest import csrf_client, csrf_token

pytestmark = pytest.mark.django_db

USAGES = "/mijn-organisatie/gemeente-utrecht/gebruik"


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
