from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import ForeignSource, in_choices
from .catalogue import Component


class ForeignRecord(models.Model):
    """A component that came from another catalogue: an API description of
    developer.overheid.nl (manage.py import_don) or a peer registry's component
    (manage.py federate). Re-reading the same record changes nothing: what was
    read last is kept as a fingerprint."""

    component = models.OneToOneField(
        Component,
        on_delete=models.CASCADE,
        related_name="foreign_record",
        verbose_name=_("component"),
        help_text=_("The component made from the record."),
    )
    source = models.CharField(
        _("source"),
        max_length=32,
        choices=ForeignSource.choices,
        help_text=_("The kind of catalogue it came from."),
    )
    origin = models.URLField(
        _("origin"),
        max_length=300,
        blank=True,
        help_text=_("The peer registry's address, for a federated component."),
    )
    external_id = models.CharField(
        _("identifier there"),
        max_length=200,
        help_text=_("Its id in the source: the API id on developer.overheid.nl, the peer's slug."),
    )
    source_url = models.URLField(
        _("source URL"),
        max_length=500,
        blank=True,
        help_text=_("Where it was read from, where that is a URL."),
    )
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of what was read last; the same again changes nothing."),
    )
    read_only = models.BooleanField(
        _("read-only"),
        default=False,
        help_text=_("Kept as the source has it: nobody here may change it (federated)."),
    )
    imported_at = models.DateTimeField(
        _("imported at"), help_text=_("When it was last read and changed here.")
    )

    class Meta:
        verbose_name = _("foreign record")
        verbose_name_plural = _("foreign records")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "origin", "external_id"], name="foreign_record_once"
            ),
            models.CheckConstraint(
                condition=in_choices("source", ForeignSource), name="foreign_record_source_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.external_id}"


class Peer(models.Model):
    """Another registry like this one whose public catalogue is pulled in
    (manage.py federate): where its API is and how far it was read."""

    api_url = models.URLField(
        _("API URL"),
        max_length=300,
        unique=True,
        help_text=_("The peer's API, e.g. https://componenten.example.nl/api/v1."),
    )
    cursor = models.DateTimeField(
        _("read up to"),
        null=True,
        blank=True,
        help_text=_("The newest change read; the next run asks only for changes since."),
    )
    etag = models.CharField(
        _("ETag"),
        max_length=200,
        blank=True,
        help_text=_("ETag of the last first page of changes; unchanged, it answers 304."),
    )
    last_run_at = models.DateTimeField(
        _("last run"), null=True, blank=True, help_text=_("When it was last read.")
    )
    last_result = models.JSONField(
        _("last result"),
        default=dict,
        blank=True,
        help_text=_("What the last run did: counts, and the components it skipped and why."),
    )

    class Meta:
        verbose_name = _("peer registry")
        verbose_name_plural = _("peer registries")
        ordering = ["api_url"]

    def __str__(self):
        return self.api_url
