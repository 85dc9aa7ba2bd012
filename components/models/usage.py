from datetime import timedelta

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import tally
from ..constants import (
    Assertion,
    UsageStatus,
    Visibility,
    in_choices,
)
from ..history import history
from ..query import IN_USE, UsageQuerySet
from .catalogue import Component, Release

OWN_WORD = (Assertion.SELF, Assertion.CONFIRMED)
# UsageQuerySet.in_use(): pilot or production, and never a rejected claim.
IN_USE_CONDITION = Q(status__in=IN_USE) & ~Q(assertion=Assertion.REJECTED)


class ClaimAnswerMixin:
    """What makes a row a claim another organisation answers: usages and
    integrations alike. The model defines own_word_twin(): the organisation's own
    word on the same thing, which a confirmed claim merges into."""

    CLAIM_ANSWER_DAYS = 90

    @property
    def is_unconfirmed(self):
        """A claim left unanswered for 90 days is shown as unconfirmed."""
        if self.assertion != Assertion.CLAIMED or self.claimed_at is None:
            return False
        return timezone.now() - self.claimed_at > timedelta(days=self.CLAIM_ANSWER_DAYS)

    def own_word_twin(self):
        raise NotImplementedError

    def answer(self, answer):
        """The named organisation's answer to this claim: Assertion.CONFIRMED or
        REJECTED. Returns the row that stands afterwards.

        A confirmed claim beside the organisation's own word merges into it: that
        row keeps what the organisation chose (visibility, status, dates, notes)
        and is not shown to the claimant on that account; the claim's row goes."""
        with transaction.atomic():
            if answer == Assertion.CONFIRMED:
                own = self.own_word_twin().select_for_update().exclude(pk=self.pk).first()
                if own is not None:
                    self.delete()
                    return own
            self.assertion = answer
            self.answered_at = timezone.now()
            self.save()
            return self


class Usage(ClaimAnswerMixin, models.Model):
    """An organisation's use of a component, and how the registry knows.

    One row per organisation and component holds the organisation's own word
    (self or confirmed). Claims by others (claimed, later confirmed or rejected)
    are rows too, one per claimant. Mostly the two are the same row: a claim on
    an organisation without a usage becomes its usage once confirmed.

    A claim beside a usage: when the organisation already has a usage of the
    component that the claimant may not see (government-only, the claimant a
    vendor), the claim is recorded as its own row beside it, exactly as it would
    be without that usage, and answered and shown like any claim. Refusing it
    (409) or leaving it out of an import's claims would tell the claimant that
    the hidden usage exists. The organisation sees the claim among its claims;
    confirming it merges it into its usage (answer()), which keeps everything
    the organisation chose; rejecting it leaves its usage alone. While such a
    claim waits, counts of usages include it as they include any claim, so the
    organisation is counted twice until it answers; counts of distinct
    organisations (municipalities covering a customer question) take only the
    organisation's own word, as any of them could otherwise stand still for a
    claim and so tell that the organisation was counted already.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="usages",
        verbose_name=_("organisation"),
        help_text=_("The organisation that uses the component."),
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="usages",
        verbose_name=_("component"),
        help_text=_("The component in use."),
    )
    release = models.ForeignKey(
        Release,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="usages",
        verbose_name=_("release"),
        help_text=_("The release in use, where known."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=UsageStatus.choices,
        default=UsageStatus.PRODUCTION,
        help_text=_(
            "Where the organisation is with the component: planned, pilot, production, stopped."
        ),
    )
    since = models.DateField(
        _("since"), null=True, blank=True, help_text=_("Since when this status holds.")
    )
    until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("When the use stopped or will stop.")
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_(
            "Public: shown to everyone. Government: names shown only to members of "
            "public-sector organisations; others see counts."
        ),
    )
    assertion = models.CharField(
        _("assertion"),
        max_length=16,
        choices=Assertion.choices,
        default=Assertion.SELF,
        help_text=_(
            "How we know: the organisation said so (self), another party claimed it, "
            "or the organisation confirmed or rejected that claim."
        ),
    )
    claimed_by = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims_made",
        verbose_name=_("claimed by"),
        help_text=_("The organisation that claimed this usage, for claims."),
    )
    recorded_via = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="usages_recorded",
        verbose_name=_("recorded via"),
        help_text=_(
            "The cooperation whose members recorded this usage on the organisation's behalf, "
            "with its permission; the organisation can withdraw it."
        ),
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
    # A usage that breaks the component's reuse restriction is accepted, never
    # refused; the flag says why, kept in step by components.licensing.flags.
    restriction_flag = models.TextField(
        _("restriction flag"),
        blank=True,
        help_text=_(
            "Why this usage breaks the component's reuse restriction; empty if it does not."
        ),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Free-text remarks."))
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the usage was recorded.")
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, db_index=True, help_text=_("When it last changed.")
    )

    history = history(excluded_fields=["updated_at"])
    objects = UsageQuerySet.as_manager()

    class Meta:
        verbose_name = _("usage")
        verbose_name_plural = _("usages")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["component", "status"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["assertion"]),
            models.Index(fields=["visibility"]),
            models.Index(fields=["claimed_by"]),
            # The usages that count as use now, read from the index alone by
            # "organisations like yours use" (figures.similar_organisations_use):
            # who uses a component, and what an organisation uses (issue 14).
            models.Index(
                fields=["organisation", "component", "visibility"],
                condition=IN_USE_CONDITION,
                name="usage_in_use_by_organisation",
            ),
            models.Index(
                fields=["component", "organisation", "visibility"],
                condition=IN_USE_CONDITION,
                name="usage_in_use_by_component",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "component"],
                condition=Q(assertion__in=OWN_WORD),
                name="usage_once_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "component", "claimed_by"],
                condition=~Q(assertion__in=OWN_WORD),
                name="usage_claim_once_per_claimant",
            ),
            models.CheckConstraint(
                condition=in_choices("status", UsageStatus), name="usage_status_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("visibility", Visibility), name="usage_visibility_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("assertion", Assertion), name="usage_assertion_valid"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="usage_until_after_since",
            ),
            models.CheckConstraint(
                condition=Q(assertion=Assertion.SELF) | Q(claimed_by__isnull=False),
                name="usage_claim_has_claimant",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.component} ({self.status})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # After post_save (registry.cache weighs the change against the old state).
        self.counted_now()

    # What the use tally (components.tally) counts a usage by: a change of
    # anything else (notes, dates, release) leaves every tally as it was, and so
    # the responses that read the tally (registry.cache.usages_of_kind).
    COUNTED_BY = tally.COUNTING_COLUMNS  # organisation_id first: tally_kinds reads it

    @classmethod
    def from_db(cls, db, field_names, values):
        usage = super().from_db(db, field_names, values)
        usage.counted_now()
        return usage

    def _counted_as(self):
        return tuple(self.__dict__.get(name) for name in self.COUNTED_BY)

    def counted_now(self):
        """Remember what the tally counts this usage by, as it is stored now."""
        self._stored_counted_as = self._counted_as()

    def tally_kinds(self, deleted=False):
        """The organisation kinds whose tally writing this usage may have moved:
        none when only what the tally does not count changed (notes, dates);
        None when it cannot tell (its organisation is gone: a cascade)."""
        stored = getattr(self, "_stored_counted_as", None)
        unchanged = stored is not None and None not in stored and stored == self._counted_as()
        if unchanged and not deleted:
            return set()
        organisation_ids = {self.organisation_id}
        if stored is not None and stored[0] is not None:
            organisation_ids.add(stored[0])  # moved to another organisation
        cached = self._state.fields_cache.get("organisation")
        if organisation_ids == {getattr(cached, "pk", None)}:
            return {cached.kind}
        organisations = type(self)._meta.get_field("organisation").related_model.objects
        kinds = dict(
            organisations.filter(pk__in=organisation_ids).order_by().values_list("pk", "kind")
        )
        return set(kinds.values()) if len(kinds) == len(organisation_ids) else None

    def own_word_twin(self):
        """The organisation's own word on the same component, which a confirmed
        claim beside it merges into."""
        return Usage.objects.filter(
            organisation_id=self.organisation_id,
            component_id=self.component_id,
            assertion__in=OWN_WORD,
        )


class UnmatchedUser(models.Model):
    """A usedBy name from a publiccode.yml that matches no known organisation."""

    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="unmatched_users",
        verbose_name=_("component"),
        help_text=_("The component whose publiccode.yml named this user."),
    )
    name = models.CharField(
        _("name"), max_length=300, help_text=_("The name exactly as the file gave it.")
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the name was first seen.")
    )

    class Meta:
        verbose_name = _("unmatched user")
        verbose_name_plural = _("unmatched users")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["component", "name"], name="unmatched_user_once")
        ]

    def __str__(self):
        return self.name
