"""Absolute links follow the installation: SITE_URL when set, otherwise the
request being answered (PORT=8080 make run links to 8080, not 8000)."""

import feedparser
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_feed_links_follow_the_request_when_site_url_is_unset(settings, acme_component):
    settings.SITE_URL = ""
    response = Client().get("/feeds/components/acme-zaken.atom", HTTP_HOST="127.0.0.1:8080")
    feed = feedparser.parse(response.content)
    assert feed.feed.link.startswith("http://127.0.0.1:8080/")


def test_feed_links_use_site_url_when_it_is_set(settings, acme_component):
    settings.SITE_URL = "https://componenten.example.nl"
    response = Client().get("/feeds/components/acme-zaken.atom", HTTP_HOST="127.0.0.1:8080")
    feed = feedparser.parse(response.content)
    assert feed.feed.link.startswith("https://componenten.example.nl/")


def test_the_publiccode_export_links_the_page_on_the_requested_host(settings, acme_component):
    settings.SITE_URL = ""
    text = (
        Client()
        .get("/api/v1/components/acme-zaken/publiccode.yml", HTTP_HOST="127.0.0.1:8080")
        .content.decode()
    )
    assert "http://127.0.0.1:8080/componenten/acme-zaken" in text


def test_component_and_organisation_pages_announce_their_feeds(acme_component, utrecht):
    component_page = Client().get("/componenten/acme-zaken").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml"' in component_page
        and 'href="/feeds/components/acme-zaken.atom"' in component_page
    )
    organisation_page = Client().get("/organisaties/gemeente-utrecht").content.decode()
    assert 'href="/feeds/organisations/gemeente-utrecht.atom"' in organisation_page


def test_a_dutch_feed_has_dutch_entries_and_an_english_one_english(acme_component):
    from .factories import ReleaseFactory

    ReleaseFactory(component=acme_component, version="2.0.0")
    dutch = feedparser.parse(
        Client().get("/feeds/components/acme-zaken.atom", HTTP_ACCEPT_LANGUAGE="nl").content
    )
    english = feedparser.parse(
        Client().get("/feeds/components/acme-zaken.atom", HTTP_ACCEPT_LANGUAGE="en").content
    )
    assert dutch.entries[0].title == "Acme Zaken 2.0.0 uitgebracht"
    assert english.entries[0].title == "Acme Zaken 2.0.0 released"
