"""Webhooks in the curators' admin: a noisy subscription is paused and resumed
there, its secret shows only as a hash, and events and deliveries are a record
that nobody edits."""

import hashlib

import pytest
from django.test import Client

from components.constants import DeliveryStatus, EventType
from components.models import Event, WebhookDelivery, WebhookSubscription
from components.notifications import subscriptions_for

from .conftest import text_of

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/components/webhooksubscription/"


@pytest.fixture
def noisy(utrecht, acme_component):
    """Utrecht's webhook, failing on every delivery for a component it uses."""
    acme_component.usages.create(organisation=utrecht)
    return WebhookSubscription.objects.create(
        organisation=utrecht,
        url="https://hooks.example/noisy",
        secret="a-secret-only-utrecht-knows",
        consecutive_failures=4,
    )


def event_for(component):
    return Event.objects.create(
        type=EventType.COMPONENT_UPDATED, component=component, summary="changed"
    )


def act(client, action, *subscriptions):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [s.pk for s in subscriptions]},
        follow=True,
    )


def test_a_curator_pauses_a_noisy_webhook_and_it_hears_nothing_more(
    admin_client, noisy, acme_component
):
    assert subscriptions_for(event_for(acme_component)) == [noisy]

    page = text_of(act(admin_client, "pause", noisy))

    noisy.refresh_from_db()
    assert noisy.paused_at is not None
    assert noisy.active  # the organisation's own switch stays as it was
    assert "1 webhook(s) gepauzeerd." in page
    assert subscriptions_for(event_for(acme_component)) == []


def test_a_curator_resumes_a_paused_webhook_with_a_fresh_failure_count(
    admin_client, noisy, acme_component
):
    act(admin_client, "pause", noisy)

    page = text_of(act(admin_client, "resume", noisy))

    noisy.refresh_from_db()
    assert noisy.paused_at is None
    assert noisy.consecutive_failures == 0
    assert "1 webhook(s) hervat." in page
    assert subscriptions_for(event_for(acme_component)) == [noisy]


def test_pausing_twice_keeps_the_first_pause(admin_client, noisy):
    act(admin_client, "pause", noisy)
    noisy.refresh_from_db()
    first = noisy.paused_at

    page = text_of(act(admin_client, "pause", noisy))

    noisy.refresh_from_db()
    assert noisy.paused_at == first
    assert "0 webhook(s) gepauzeerd." in page


def test_the_list_shows_who_is_paused_and_the_page_only_the_secrets_hash(admin_client, noisy):
    listing = text_of(admin_client.get(f"{CHANGELIST}?paused_at__isnull=True"))
    assert "https://hooks.example/noisy" in listing and "Gemeente Utrecht" in listing

    page = text_of(admin_client.get(f"{CHANGELIST}{noisy.pk}/change/"))
    assert hashlib.sha256(b"a-secret-only-utrecht-knows").hexdigest() in page
    assert "a-secret-only-utrecht-knows" not in page
    assert 'name="url"' not in page  # the organisation's to change, through the API


def test_events_and_deliveries_are_a_record_nobody_edits(admin_client, noisy, acme_component):
    event = event_for(acme_component)
    delivery = WebhookDelivery.objects.create(
        subscription=noisy, event=event, status=DeliveryStatus.FAILED, error="receiver answered 500"
    )
    pages = {
        "/admin/components/event/": (event.pk, "Component bijgewerkt", "changed"),
        "/admin/components/webhookdelivery/": (delivery.pk, "Mislukt", "receiver answered 500"),
    }
    for base, (pk, listed, detail) in pages.items():
        assert listed in text_of(admin_client.get(base))
        page = text_of(admin_client.get(f"{base}{pk}/change/"))
        assert detail in page and 'name="_save"' not in page
        assert admin_client.get(f"{base}add/").status_code == 403
        assert admin_client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()
    assert Event.objects.filter(pk=event.pk).exists()


def test_members_who_are_not_curators_cannot_reach_webhooks_in_the_admin(bob, noisy):
    client = Client()
    client.force_login(bob)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_lists_cost_the_same_queries_for_3_or_30_rows(
    admin_client, utrecht, acme_component, django_assert_max_num_queries
):
    lists = [
        "/admin/components/webhooksubscription/",
        "/admin/components/event/",
        "/admin/components/webhookdelivery/",
    ]

    def add(n):
        for _ in range(n):
            hook = WebhookSubscription.objects.create(
                organisation=utrecht,
                url=f"https://hooks.example/{WebhookSubscription.objects.count()}",
                secret="s",
            )
            WebhookDelivery.objects.create(subscription=hook, event=event_for(acme_component))

    add(3)
    few = {}
    for url in lists:
        with django_assert_max_num_queries(12) as few[url]:
            text_of(admin_client.get(url))
    add(27)
    for url in lists:
        with django_assert_max_num_queries(len(few[url].captured_queries)):
            text_of(admin_client.get(url))
