"""The audit log: every write and every sign-in, append-only.

No update or delete path in the application: save() refuses a row that exists,
delete() and the QuerySet's update() and delete() raise, the admin is
read-only. On PostgreSQL a trigger refuses UPDATE and DELETE as well, and in
production the application's database role has neither privilege on this
table (deploy/postgresql/roles.sql). The rows name users, tokens and
organisations by id and in words, without foreign keys: deleting one of them
changes nothing here.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """An audit entry cannot be changed or removed."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the audit log is append-only")

    def delete(self):
        raise AppendOnly("the audit log is append-only")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnly("the audit log is append-only")


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        WRITE = "write", _("Write")
        SIGN_IN = "sign-in", _("Sign-in")
        SIGN_IN_FAILED = "sign-in-failed", _("Failed sign-in")
        SIGN_OUT = "sign-out", _("Sign-out")

    at = models.DateTimeField(
        _("when"), default=timezone.now, db_index=True, help_text=_("When it happened.")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, help_text=_("What happened.")
    )
    user_id = models.BigIntegerField(
        _("user id"), null=True, blank=True, help_text=_("The signed-in user, by id.")
    )
    token_id = models.BigIntegerField(
        _("API token id"), null=True, blank=True, help_text=_("The API token, by id.")
    )
    actor = models.CharField(
        _("who"),
        max_length=300,
        blank=True,
        help_text=_("Who, in words: a user name, or a token and its organisation."),
    )
    organisation_id = models.BigIntegerField(
        _("organisation id"),
        null=True,
        blank=True,
        help_text=_("The organisation acted for, by id."),
    )
    organisation_name = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("The organisation acted for.")
    )
    method = models.CharField(
        _("method"),
        max_length=8,
        help_text=_("HTTP method; COMMAND for a management command, TASK for the worker's."),
    )
    path = models.CharField(
        _("path"),
        max_length=500,
        help_text=_("The address written to, or the command or task that ran."),
    )
    objects_changed = models.JSONField(
        _("objects"),
        default=list,
        blank=True,
        help_text=_("The records created, changed or deleted: model, id, what."),
    )
    change = models.JSONField(
        _("change"),
        default=dict,
        blank=True,
        help_text=_("What was sent (secrets left out, long values shortened)."),
    )
    status = models.PositiveSmallIntegerField(
        _("result"),
        help_text=_(
            "The HTTP status of the answer; for a command or task 0 (finished) or 1 (failed)."
        ),
    )
    request_id = models.CharField(
        _("request id"), max_length=32, blank=True, help_text=_("As in the request log.")
    )
    remote_address = models.GenericIPAddressField(
        _("address"), null=True, blank=True, help_text=_("The client's address.")
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation_id", "-at"], name="audit_organisation_at"),
            models.Index(fields=["kind", "-at"], name="audit_kind_at"),
            models.Index(fields=["user_id", "-at"], name="audit_user_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor or '-'} {self.method} {self.path}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("the audit log is append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the audit log is append-only")

    @property
    def outcome(self):
        """refused, done, or unchanged (an answered form with errors, say)."""
        if self.kind == self.Kind.SIGN_IN_FAILED or self.status >= 400:
            return "refused"
        if self.kind in (self.Kind.SIGN_IN, self.Kind.SIGN_OUT) or self.objects_changed:
            return "done"
        return "unchanged"
