from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.net import PublicURLValidator

from ..constants import (
    HarvestStatus,
)
from ..query import HarvestSourceQuerySet
from .catalogue import Component

MAX_INTERVAL_HOURS = 24 * 365


class HarvestSource(models.Model):
    """A place an organisation's publiccode.yml is fetched from (components/harvest.py).

    Its rules hold wherever it is changed (the API, the members' pages, the
    admin): the URL is checked by the SSRF guard on the field, and a new URL
    forgets the old file's ETag and Last-Modified (save())."""

    url = models.URLField(
        _("URL"),
        max_length=500,
        unique=True,
        validators=[PublicURLValidator("HARVEST_ALLOW_PRIVATE")],
        help_text=_(
            "Where the publiccode.yml is fetched from: the URL of the file itself, or of a "
            "GitHub or GitLab repository with the file at its root (publiccode.yml, else "
            "publiccode.yaml, on the default branch)."
        ),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="harvest_sources",
        verbose_name=_("owner"),
        help_text=_("The organisation that publishes what this source yields."),
    )
    interval_hours = models.PositiveIntegerField(
        _("interval (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_HOURS)],
        help_text=_("How often the source is fetched, in hours: from 1 to 8760 (a year)."),
    )
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("Disabled sources are not fetched.")
    )
    component = models.ForeignKey(
        Component,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="harvest_sources",
        verbose_name=_("component"),
        help_text=_("The component the source last yielded."),
    )
    last_run_at = models.DateTimeField(
        _("last run"), null=True, blank=True, help_text=_("When the source was last fetched.")
    )
    last_status = models.CharField(
        _("last result"),
        max_length=16,
        choices=HarvestStatus.choices,
        default=HarvestStatus.NEVER,
        help_text=_("Result of the last fetch."),
    )
    last_errors = models.JSONField(
        _("last errors"),
        default=list,
        blank=True,
        help_text=_("Findings or errors of the last fetch."),
    )
    last_success_at = models.DateTimeField(
        _("last success"),
        null=True,
        blank=True,
        help_text=_("When the last good version was read."),
    )
    last_good_content = models.TextField(
        _("last good version"),
        blank=True,
        help_text=_(
            "The last publiccode.yml that was read without errors; kept when a source breaks."
        ),
    )
    vanished_since = models.DateTimeField(
        _("vanished since"),
        null=True,
        blank=True,
        help_text=_("Since when the file is no longer found; nothing is deleted in one step."),
    )
    etag = models.CharField(
        _("ETag"),
        max_length=300,
        blank=True,
        help_text=_(
            "ETag of the last good version, sent back as If-None-Match so an unchanged "
            "file is not downloaded again."
        ),
    )
    last_modified = models.CharField(
        _("Last-Modified"),
        max_length=100,
        blank=True,
        help_text=_("Last-Modified of the last good version, sent back as If-Modified-Since."),
    )

    objects = HarvestSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        ordering = ["url"]
        indexes = [models.Index(fields=["enabled", "last_run_at"])]

    def __str__(self):
        return self.url

    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored_url", None)
        if stored is not None and self.url != stored:
            # Another file: the old one's "changed since?" answers say nothing about it.
            self.etag = self.last_modified = ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "etag", "last_modified"}
        super().save(*args, **kwargs)
        self._stored_url = self.url

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_url = instance.__dict__.get("url")
        return instance
