"""Anonymous pages come from the cache, and a committed change shows at once."""

import gc

import pytest

from .factories import UsageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    from django.core.cache import cache

    settings.RESPONSE_CACHE_SHARED = True
    settings.RESPONSE_CACHE_SECONDS = 300
    # Each test's rows are rolled back, a change no receiver hears of: an entry
    # of an earlier test at the same address could still look current.
    cache.clear()
    yield
    cache.clear()


def test_a_cached_page_shows_a_change_at_once(
    caching, client, acme_component, django_capture_on_commit_callbacks, django_assert_num_queries
):
    url = "/componenten/acme-zaken"
    assert "Acme Zaken" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    # The invalidation receiver must survive a collection (it was a weakly held
    # nested function once, and the cache then never noticed a change).
    gc.collect()
    with django_capture_on_commit_callbacks(execute=True):
        acme_component.name = "Acme Zaakafhandeling"
        acme_component.save()
    assert "Acme Zaakafhandeling" in client.get(url).content.decode()


def test_a_new_usage_shows_on_the_cached_page_at_once(
    caching, client, utrecht, acme_component, django_capture_on_commit_callbacks
):
    url = "/componenten/acme-zaken"
    assert "Gemeente Utrecht" not in client.get(url).content.decode()
    gc.collect()
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


def test_the_invalidation_receiver_is_held_strongly():
    """A weakly held receiver lives only as long as something else keeps it;
    in gunicorn nothing did, and cached reads stayed stale for five minutes."""
    import weakref

    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        held = [
            receiver
            for (uid, _), receiver, *_ in signal.receivers
            if str(uid).startswith("catalogue-changed")
        ]
        assert held, f"no catalogue-changed receiver on {signal}"
        assert not any(isinstance(r, weakref.ReferenceType) for r in held)
