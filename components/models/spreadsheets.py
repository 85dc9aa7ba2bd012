import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import SpreadsheetPurpose, in_choices


class SpreadsheetUpload(models.Model):
    """An uploaded spreadsheet between its preview and its saving.

    The preview must survive from one request to the next without trusting
    the browser: the file itself is kept here, server-side, under a random
    id that is tied to the member who uploaded it (and, for usages, to the
    organisation). Saving reads the stored file again and checks every row
    again; nothing the browser sends back but the id (and the preview's
    fingerprint, only to notice that the catalogue changed in between) is used.
    Uploads older than a day are removed when the next one is made."""

    id = models.UUIDField(
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        help_text=_("Random identifier; the only thing the browser holds."),
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=16,
        choices=SpreadsheetPurpose.choices,
        help_text=_("An organisation's usages, or the whole catalogue's components."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
        help_text=_("The member who uploaded it; only they may preview and save it."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="spreadsheet_uploads",
        verbose_name=_("organisation"),
        help_text=_("For usages: the organisation whose usages it holds."),
    )
    filename = models.CharField(
        _("file name"), max_length=200, help_text=_("The name of the uploaded file.")
    )
    content = models.BinaryField(_("content"), help_text=_("The file as uploaded (.xlsx or .csv)."))
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, db_index=True, help_text=_("When it was uploaded.")
    )
    saved_at = models.DateTimeField(
        _("saved at"),
        null=True,
        blank=True,
        help_text=_("When its rows were saved; a saved upload is not saved again."),
    )

    class Meta:
        verbose_name = _("spreadsheet upload")
        verbose_name_plural = _("spreadsheet uploads")
        constraints = [
            models.CheckConstraint(
                condition=in_choices("purpose", SpreadsheetPurpose),
                name="spreadsheet_upload_purpose_valid",
            )
        ]

    def __str__(self):
        return self.filename
