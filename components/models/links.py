from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import LinkKind, in_choices
from .catalogue import Component


class ComponentLink(models.Model):
    """A place where the component can be reached: for an API, the base URL of an
    environment (production, acceptance, demo); the production one is its endpoint
    in the DCAT-AP export."""

    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("component"),
        help_text=_("The component the link belongs to."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=LinkKind.choices,
        default=LinkKind.OTHER,
        help_text=_(
            "production, acceptance or demo (an environment of an API: its base URL), or other."
        ),
    )
    url = models.URLField(_("URL"), max_length=500, help_text=_("Where the link points."))
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("What the link is, in a few words, when its kind does not say enough."),
    )

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["component", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["component", "kind", "url"], name="link_once"),
            models.CheckConstraint(condition=in_choices("kind", LinkKind), name="link_kind_valid"),
        ]

    def __str__(self):
        return self.url
