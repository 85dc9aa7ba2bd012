"""The site's language comes from its URL; the API speaks English throughout."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_site_pages_follow_the_url_not_the_browser_language():
    dutch = Client().get("/klantvragen", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="nl">' in dutch.content.decode()
    english = Client().get("/en/customer-questions", HTTP_ACCEPT_LANGUAGE="nl")
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.parametrize("accept", ["", "en", "nl,en;q=0.5", "nl"])
def test_the_api_speaks_english_whatever_the_client_prefers(accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = Client().get("/api/v1/components/does-not-exist", **headers)
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
    assert response.json()["title"] == "Not found"
    invalid = Client().get("/api/v1/components?pageSize=0", **headers).json()
    assert invalid["title"] == "Invalid request"
    assert invalid["invalidParams"] == [
        {"name": "pageSize", "reason": "Must be a whole number from 1 to 100."}
    ]


@pytest.mark.parametrize("accept, expected", [("", "nl"), ("en", "en"), ("nl,en;q=0.5", "nl")])
def test_feeds_go_by_accept_language_with_dutch_by_default(accept, expected, acme_component):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = Client().get("/feeds/components/acme-zaken.atom", **headers)
    assert response.status_code == 200
    assert response["Content-Language"] == expected
