"""Anonymous pages come from the cache, and a committed change shows at once."""

import pytest

from .factories import UsageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.RESPONSE_CACHE_SHARED = True
    settings.RESPONSE_CACHE_SECONDS = 300


def test_a_cached_page_shows_a_change_at_once(
    caching, client, acme_component, django_capture_on_commit_callbacks, django_assert_num_queries
):
    url = "/componenten/acme-zaken"
    assert "Acme Zaken" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        acme_component.name = "Acme Zaakafhandeling"
        acme_component.save()
    assert "Acme Zaakafhandeling" in client.get(url).content.decode()


def test_a_new_usage_shows_on_the_cached_page_at_once(
    caching, client, utrecht, acme_component, django_capture_on_commit_callbacks
):
    url = "/componenten/acme-zaken"
    assert "Gemeente Utrecht" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        UsageFactory(organisation=utrecht, component=acme_component)
    assert "Gemeente Utrecht" in client.get(url).content.decode()


def test_signed_in_members_never_get_the_anonymous_page(caching, client, bob, acme_component):
    client.get("/componenten/acme-zaken")
    client.force_login(bob)
    page = client.get("/componenten/acme-zaken").content.decode()
    assert "bob" in page or "Gemeente Utrecht" in page


def test_english_and_dutch_are_cached_apart(caching, client, acme_component):
    dutch = client.get("/componenten/acme-zaken")
    english = client.get("/en/components/acme-zaken")
    assert dutch["Content-Language"] == "nl"
    assert english["Content-Language"] == "en"
    assert dutch.content != english.content
