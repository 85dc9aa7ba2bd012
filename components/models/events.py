import secrets

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from registry.net import PublicURLValidator

from ..constants import (
    DeliveryStatus,
    EventType,
    in_choices,
)
from .catalogue import Component


class Event(models.Model):
    """Something organisations hear about: the source of webhooks and Atom feeds.

    Written in the same transaction as the change it describes, so a change that
    is rolled back leaves no event and sends nothing."""

    type = models.CharField(
        _("type"), max_length=40, choices=EventType.choices, help_text=_("What happened.")
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("component"),
        help_text=_("The component it happened to."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("For usage events: the organisation named; only it is told."),
    )
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One line describing the event.")
    )
    data = models.JSONField(
        _("data"), default=dict, blank=True, help_text=_("Details, as sent in webhooks.")
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, db_index=True, help_text=_("When it happened.")
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["component", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=in_choices("type", EventType), name="event_type_valid")
        ]

    def __str__(self):
        return self.summary


class AlreadySubscribed(Exception):
    """The organisation already has a subscription for this URL."""


class WebhookSubscription(models.Model):
    """Where an organisation hears about events. Its rules hold wherever it is
    changed (the API, the members' pages): the URL passes the SSRF guard on the
    field, one subscription per URL per organisation (url_taken, subscribe), the
    secret is made here and shown once, and switching one on again clears the
    registry's pause (switch)."""

    AlreadySubscribed = AlreadySubscribed

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("organisation"),
        help_text=_("The organisation that receives the events."),
    )
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[PublicURLValidator("WEBHOOK_ALLOW_PRIVATE")],
        help_text=_("Where events are POSTed (https in production)."),
    )
    secret = models.CharField(
        _("secret"),
        max_length=200,
        help_text=_(
            "Shared secret for the HMAC-SHA256 signature (X-Registry-Signature). Shown once "
            "when created; kept to sign, never shown again."
        ),
    )
    event_types = models.JSONField(
        _("event types"),
        default=list,
        blank=True,
        help_text=_("The event types to receive; empty means all."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Switched off by the organisation.")
    )
    paused_at = models.DateTimeField(
        _("paused at"),
        null=True,
        blank=True,
        help_text=_("Paused by the registry after repeated failed deliveries."),
    )
    consecutive_failures = models.PositiveIntegerField(
        _("consecutive failures"),
        default=0,
        help_text=_("Deliveries that failed for good since the last success."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the subscription was made.")
    )

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["organisation", "url"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url"], name="webhook_url_once")
        ]

    def __str__(self):
        return self.url

    def wants(self, event_type):
        return not self.event_types or event_type in self.event_types

    @classmethod
    def url_taken(cls, organisation, url, *, exclude=None) -> bool:
        """Whether the organisation has another subscription for this URL."""
        others = cls.objects.filter(organisation=organisation, url=url)
        if exclude is not None and exclude.pk is not None:
            others = others.exclude(pk=exclude.pk)
        return others.exists()

    @classmethod
    def subscribe(cls, organisation, url, event_types=(), **fields):
        """A new subscription and its secret, which the caller shows once: the
        registry keeps it to sign the deliveries, and never shows it again.
        Raises AlreadySubscribed when the organisation has one for this URL."""
        if cls.url_taken(organisation, url):
            raise AlreadySubscribed
        secret = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                subscription = cls.objects.create(
                    organisation=organisation,
                    url=url,
                    event_types=list(event_types),
                    secret=secret,
                    **fields,
                )
        except IntegrityError:  # subscribed at the same moment by another request
            raise AlreadySubscribed from None
        subscription.plaintext_secret = secret
        return subscription, secret

    def switch(self, active):
        """Switch deliveries on or off. On clears a pause the registry made after
        failed deliveries, and starts counting failures anew."""
        self.active = active
        if active:
            self.paused_at = None
            self.consecutive_failures = 0


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
        help_text=_("Where it is sent."),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("event"),
        help_text=_("What is sent."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        help_text=_("Pending, delivered, retrying or failed for good."),
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times sending was tried.")
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, help_text=_("When the next try is due.")
    )
    response_status = models.PositiveSmallIntegerField(
        _("response status"),
        null=True,
        blank=True,
        help_text=_("HTTP status of the receiver's last answer."),
    )
    error = models.TextField(_("error"), blank=True, help_text=_("What went wrong last time."))
    delivered_at = models.DateTimeField(
        _("delivered at"), null=True, blank=True, help_text=_("When the receiver accepted it.")
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the delivery was queued.")
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="delivery_once"),
            models.CheckConstraint(
                condition=in_choices("status", DeliveryStatus), name="delivery_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription}"
