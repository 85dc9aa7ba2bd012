"""Telling organisations about changes to the components they use or publish:
events, written with the change; webhooks, signed and sent by a background
task with retries; and the Atom feeds read the same events.

Nothing here runs inside a request except writing the Event row and queueing
its fan-out for after the commit, so a rolled-back change sends nothing."""

import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_noop

from registry.i18n import Message
from registry.links import absolute
from registry.net import REFUSALS, UnsafeURL, check_public_url
from registry.observability import outgoing_headers

from .constants import Assertion, DeliveryStatus, DevelopmentStatus, EventType, UsageStatus
from .models import Component, Event, Release, Usage, WebhookDelivery, WebhookSubscription

# A delivery's error is kept in English (the API's deliveries log shows it); the
# members' page reads it back into the reader's language (delivery_error).
SWITCHED_OFF = gettext_noop("subscription paused or switched off")
ANSWERED = gettext_noop("receiver answered %(status)s")
DELIVERY_ERRORS = (SWITCHED_OFF, ANSWERED, *REFUSALS)

SIGNATURE_HEADER = "X-Registry-Signature"
TIMESTAMP_HEADER = "X-Registry-Timestamp"


def emit(event_type, component, summary, data=None, organisation=None) -> Event:
    event = Event.objects.create(
        type=event_type,
        component=component,
        organisation=organisation,
        summary=summary[:300],
        data=data or {},
    )
    # Imported here: components.tasks imports this module (deliver, queue_deliveries).
    from . import tasks

    transaction.on_commit(lambda: tasks.fan_out.enqueue(event.pk))
    return event


@receiver(post_save, sender=Component)
def component_changed(sender, instance, created, raw=False, **kwargs) -> None:
    before = getattr(instance, "_loaded_state", None)
    instance.remember_state()
    if raw or created or before is None:
        return
    now = instance._loaded_state
    emitted = False
    if (
        now["development_status"] == DevelopmentStatus.OBSOLETE
        and before["development_status"] != DevelopmentStatus.OBSOLETE
    ):
        emit(EventType.COMPONENT_DEPRECATED, instance, f"{instance.name} is deprecated")
        emitted = True
    if now["license_expression"] != before["license_expression"]:
        emit(
            EventType.COMPONENT_LICENSE_CHANGED,
            instance,
            f"{instance.name}: licence {before['license_expression']} → "
            f"{now['license_expression']}",
            {"old": before["license_expression"], "new": now["license_expression"]},
        )
        emitted = True
    if not emitted and now != before:
        emit(EventType.COMPONENT_UPDATED, instance, f"{instance.name} was updated")


@receiver(post_save, sender=Release)
def release_published(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        component = instance.component
        emit(
            EventType.RELEASE_PUBLISHED,
            component,
            f"{component.name} {instance.version} released",
            {
                "version": instance.version,
                "releaseDate": instance.release_date.isoformat(),
                "url": instance.url,
            },
        )


@receiver(post_save, sender=Usage)
def usage_claimed(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw and instance.assertion == Assertion.CLAIMED:
        claimant = instance.claimed_by
        emit(
            EventType.USAGE_CLAIMED,
            instance.component,
            f"{claimant.name if claimant else 'Someone'} says you use {instance.component.name}",
            {
                "usage": instance.pk,
                "claimedBy": claimant.slug if claimant else None,
                "status": instance.status,
            },
            organisation=instance.organisation,
        )


def subscriptions_for(event) -> list[WebhookSubscription]:
    """Active subscriptions of the organisations that should hear about the event."""
    if event.organisation_id:
        organisations = [event.organisation_id]
    else:
        users = (
            Usage.objects.counted()
            .filter(component_id=event.component_id)
            .exclude(status=UsageStatus.STOPPED)
            .values_list("organisation_id", flat=True)
        )
        organisations = [*users, event.component.publisher_id]
    subscriptions = WebhookSubscription.objects.filter(
        organisation_id__in=organisations, active=True, paused_at__isnull=True
    )
    return [s for s in subscriptions if s.wants(event.type)]


def payload(event) -> dict:
    component = event.component
    return {
        "id": event.pk,
        "type": event.type,
        "occurredAt": event.created_at.isoformat(),
        "summary": event.summary,
        "component": {
            "slug": component.slug,
            "name": component.name,
            "url": absolute(f"/api/v1/components/{component.slug}"),
        },
        "data": event.data,
    }


def sign(secret, timestamp, body) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>" (the timestamp in unix seconds, as sent
    in X-Registry-Timestamp). Signing the time with the body lets a receiver refuse
    a delivery whose timestamp is far from its clock: a captured request cannot be
    replayed later, because changing its timestamp breaks the signature."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def retry_delay(attempts) -> timedelta:
    """Exponential back-off: base, 2 x base, 4 x base, … after the 1st, 2nd, 3rd failure."""
    return timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def deliver(delivery) -> datetime | None:
    """Send one delivery once. Returns the time of the next try, or None when done."""
    subscription = delivery.subscription
    if subscription.paused_at or not subscription.active:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = Message(SWITCHED_OFF).english()
        delivery.save(update_fields=["status", "error"])
        return None
    body = json.dumps(payload(delivery.event), separators=(",", ":")).encode()
    # Each attempt is signed afresh: a retry carries the time it was sent.
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "component-registry-webhooks/1",
        "X-Registry-Event": delivery.event.type,
        "X-Registry-Delivery": str(delivery.pk),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(subscription.secret, timestamp, body),
        **outgoing_headers(),
    }
    delivery.attempts += 1
    try:
        check_public_url(subscription.url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE)
        response = httpx.post(
            subscription.url,
            content=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
        delivery.response_status = response.status_code
        ok = 200 <= response.status_code < 300
        delivery.error = "" if ok else Message(ANSWERED, status=response.status_code).english()
    except (httpx.HTTPError, UnsafeURL) as exc:
        ok = False
        delivery.error = str(exc) or exc.__class__.__name__
    now = timezone.now()
    if ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.save()
        WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return None
    failures = subscription.consecutive_failures + 1
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    if failures >= settings.WEBHOOK_PAUSE_AFTER:
        WebhookSubscription.objects.filter(pk=subscription.pk, paused_at__isnull=True).update(
            paused_at=now
        )
    out_of_attempts = delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    if out_of_attempts or failures >= settings.WEBHOOK_PAUSE_AFTER:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        delivery.save()
        return None
    delivery.status = DeliveryStatus.RETRYING
    delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save()
    return delivery.next_attempt_at


def queue_deliveries(event) -> list[int]:
    """One delivery per interested subscription (idempotent); returns the pending ids."""
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(subscription=s, event=event) for s in subscriptions_for(event)],
        ignore_conflicts=True,
    )
    return list(
        WebhookDelivery.objects.filter(event=event, status=DeliveryStatus.PENDING).values_list(
            "pk", flat=True
        )
    )


def delivery_error(text) -> str:
    """A delivery's error (stored in English) in the reader's language, where it
    is one of the registry's own; the network library's words stay as they are."""
    message = Message.recognise(text, DELIVERY_ERRORS)
    return str(message) if message is not None else text
