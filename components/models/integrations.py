"""An organisation's integrations: which of the components it uses talk to
which, over which standard or API. Together with its usages they make its
landscape (components/landscape.py draws it)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..constants import (
    Assertion,
    ComponentKind,
    IntegrationDirection,
    IntegrationStatus,
    Visibility,
    in_choices,
)
from ..history import history
from ..query import IntegrationQuerySet
from .catalogue import Component
from .usage import OWN_WORD, ClaimAnswerMixin, Usage

# What an integration may run over: a standard, or an API that is registered.
CARRIER_KINDS = (ComponentKind.STANDARD, ComponentKind.API)


class Integration(ClaimAnswerMixin, models.Model):
    """From one of an organisation's usages to another (component A → B), over a
    standard or API, with a direction and a status.

    The same visibility and claim flow as usages: a government-only integration
    is shown by name only to members of public-sector organisations, and one is
    shown only where the usages at both ends may be shown too. A vendor may
    propose an integration for an organisation that uses its component (a
    claim, which the organisation confirms or rejects); a confirmed claim beside
    the organisation's own record of the same integration merges into it.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="integrations",
        verbose_name=_("organisation"),
        help_text=_("The organisation whose landscape this integration is part of."),
    )
    source_usage = models.ForeignKey(
        Usage,
        on_delete=models.CASCADE,
        related_name="integrations_out",
        verbose_name=_("from"),
        help_text=_("The organisation's usage of the component the integration starts at."),
    )
    target_usage = models.ForeignKey(
        Usage,
        on_delete=models.CASCADE,
        related_name="integrations_in",
        verbose_name=_("to"),
        help_text=_("The organisation's usage of the component the integration goes to."),
    )
    standard = models.ForeignKey(
        Component,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrations_over",
        limit_choices_to={"kind__in": CARRIER_KINDS},
        verbose_name=_("standard or API"),
        help_text=_("The standard or API the two components talk over (optional)."),
    )
    direction = models.CharField(
        _("direction"),
        max_length=16,
        choices=IntegrationDirection.choices,
        default=IntegrationDirection.ONE_WAY,
        help_text=_("One-way (from → to) or two-way."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=IntegrationStatus.choices,
        default=IntegrationStatus.PRODUCTION,
        help_text=_("Planned, in production or stopped."),
    )
    since = models.DateField(
        _("since"), null=True, blank=True, help_text=_("Since when this status holds.")
    )
    until = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("When the integration stopped or will stop."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Free-text remarks."))
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_(
            "Public: shown to everyone (where both usages are shown too). Government: "
            "shown only to members of public-sector organisations."
        ),
    )
    assertion = models.CharField(
        _("assertion"),
        max_length=16,
        choices=Assertion.choices,
        default=Assertion.SELF,
        help_text=_(
            "How we know: the organisation said so (self), another party proposed it "
            "(claimed), or the organisation confirmed or rejected that claim."
        ),
    )
    claimed_by = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="integration_claims_made",
        verbose_name=_("claimed by"),
        help_text=_("The organisation that proposed this integration, for claims."),
    )
    claimed_at = models.DateTimeField(
        _("claimed at"), null=True, blank=True, help_text=_("When the claim was made.")
    )
    answered_at = models.DateTimeField(
        _("answered at"),
        null=True,
        blank=True,
        help_text=_("When the organisation confirmed or rejected the claim."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the integration was recorded.")
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, db_index=True, help_text=_("When it last changed.")
    )

    history = history(excluded_fields=["updated_at"])
    objects = IntegrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        ordering = ["-updated_at", "-id"]
        # The foreign keys (usages, standard, claimant) are indexed by Django.
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["assertion"]),
            models.Index(fields=["visibility"]),
        ]
        constraints = [
            # Once per organisation's own word on (from, to, over); once per claimant.
            # A missing standard counts as one value, not as "unknown" (NULL).
            models.UniqueConstraint(
                F("source_usage"),
                F("target_usage"),
                Coalesce(F("standard"), Value(0)),
                condition=Q(assertion__in=OWN_WORD),
                name="integration_once",
            ),
            models.UniqueConstraint(
                F("source_usage"),
                F("target_usage"),
                Coalesce(F("standard"), Value(0)),
                F("claimed_by"),
                condition=~Q(assertion__in=OWN_WORD),
                name="integration_claim_once_per_claimant",
            ),
            models.CheckConstraint(
                condition=~Q(source_usage=F("target_usage")), name="integration_not_to_itself"
            ),
            models.CheckConstraint(
                condition=in_choices("status", IntegrationStatus), name="integration_status_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("direction", IntegrationDirection),
                name="integration_direction_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("visibility", Visibility),
                name="integration_visibility_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("assertion", Assertion), name="integration_assertion_valid"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="integration_until_after_since",
            ),
            models.CheckConstraint(
                condition=Q(assertion=Assertion.SELF) | Q(claimed_by__isnull=False),
                name="integration_claim_has_claimant",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.source_usage.component} → {self.target_usage.component}"

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        """What the database cannot check across tables: both ends are usages of
        this organisation, and it runs over a standard or an API."""
        errors = {}
        for name in ("source_usage", "target_usage"):
            usage = getattr(self, name, None) if getattr(self, f"{name}_id") else None
            if usage is not None and usage.organisation_id != self.organisation_id:
                errors[name] = _("Must be a usage of the integration's own organisation.")
        if (
            self.source_usage_id
            and self.target_usage_id
            and self.source_usage.component_id == self.target_usage.component_id
        ):
            errors["target_usage"] = _("An integration connects two different components.")
        if self.standard_id and self.standard.kind not in CARRIER_KINDS:
            errors["standard"] = _("Must be a component of kind standard or API.")
        if errors:
            raise ValidationError(errors)

    def named_ends(self):
        """How the exports name it: (from's slug, name, to's slug, name, the
        standard's slug, name), the standard's empty when there is none. Select
        the usages' components and the standard with it."""
        source, target = self.source_usage.component, self.target_usage.component
        standard = self.standard
        return (
            source.slug,
            source.name,
            target.slug,
            target.name,
            standard.slug if standard else "",
            standard.name if standard else "",
        )

    @property
    def is_two_way(self):
        return self.direction == IntegrationDirection.TWO_WAY

    def own_word_twin(self):
        return Integration.objects.filter(
            source_usage_id=self.source_usage_id,
            target_usage_id=self.target_usage_id,
            standard_id=self.standard_id,
            assertion__in=OWN_WORD,
        )
