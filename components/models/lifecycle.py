from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..constants import TakeOverStatus, in_choices
from .catalogue import Component


class TakeOverClaim(models.Model):
    """A vendor's claim that a concept component (added by an organisation that
    uses it) is its own. The curator confirms it, or the vendor named as its
    publisher does; confirmed, the vendor publishes it and it is no concept."""

    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="takeover_claims",
        verbose_name=_("component"),
        help_text=_("The concept component claimed."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="takeover_claims",
        verbose_name=_("claimed by"),
        help_text=_("The organisation that says it publishes the component."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TakeOverStatus.choices,
        default=TakeOverStatus.PENDING,
        help_text=_("Pending until a curator (or the named vendor) confirms or refuses it."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the claim was made.")
    )
    decided_at = models.DateTimeField(
        _("decided at"), null=True, blank=True, help_text=_("When it was confirmed or refused.")
    )

    class Meta:
        verbose_name = _("take-over claim")
        verbose_name_plural = _("take-over claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "organisation"],
                condition=Q(status=TakeOverStatus.PENDING),
                name="takeover_claim_pending_once",
            ),
            models.CheckConstraint(
                condition=in_choices("status", TakeOverStatus), name="takeover_claim_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.component}"


class ComponentRedirect(models.Model):
    """The slug of a component that curators merged into another: its address
    answers 301 to the one that remains."""

    slug = models.SlugField(
        _("old slug"),
        max_length=100,
        unique=True,
        help_text=_("The identifier of the component that was merged away."),
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="redirects",
        verbose_name=_("component"),
        help_text=_("The component it was merged into."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the components were merged.")
    )

    class Meta:
        verbose_name = _("component redirect")
        verbose_name_plural = _("component redirects")

    def __str__(self):
        return f"{self.slug} → {self.component.slug}"
