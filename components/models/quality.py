from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Component


class ApiLint(models.Model):
    """One check of an API component's OpenAPI document (components/quality.py):
    valid OpenAPI or not, and the NL API Design Rules it passes and fails. One row
    per fetch or upload: the component's history of results."""

    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="api_lints",
        verbose_name=_("component"),
        help_text=_("The API component whose document was checked."),
    )
    checked_at = models.DateTimeField(
        _("checked at"), help_text=_("When the document was fetched and checked.")
    )
    document_url = models.URLField(
        _("document URL"),
        max_length=500,
        blank=True,
        help_text=_("Where the document was fetched; empty for an uploaded one."),
    )
    etag = models.CharField(
        _("ETag"), max_length=200, blank=True, help_text=_("The document's ETag, if any.")
    )
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, help_text=_("SHA-256 of the document checked.")
    )
    valid = models.BooleanField(
        _("valid OpenAPI"), help_text=_("Whether openapi-spec-validator accepts the document.")
    )
    ruleset_version = models.CharField(
        _("ruleset version"),
        max_length=100,
        help_text=_("The version of the API Design Rules ruleset it was linted with."),
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        # A percentage; the bound also keeps the API schema the same on every database.
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Percentage of the rules the API Design Rules require that it passes."),
    )
    meets_rules = models.BooleanField(
        _("meets the API Design Rules"),
        help_text=_("Valid, and no rule the API Design Rules require fails."),
    )
    passed = models.JSONField(
        _("rules passed"), default=list, help_text=_("Required rules it passes.")
    )
    failed = models.JSONField(
        _("rules failed"), default=list, help_text=_("Required rules it fails.")
    )
    findings = models.JSONField(
        _("findings"),
        default=list,
        help_text=_("Each finding: rule, severity, path and message."),
    )

    class Meta:
        verbose_name = _("API lint result")
        verbose_name_plural = _("API lint results")
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["component", "-checked_at"], name="apilint_latest")]

    def __str__(self):
        return f"{self.component} {self.score}%"
