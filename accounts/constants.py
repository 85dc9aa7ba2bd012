from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PROVINCE = "province", _("Province")
    WATER_AUTHORITY = "water-authority", _("Water authority")
    CENTRAL_GOVERNMENT = "central-government", _("Central government")
    OTHER_PUBLIC = "other-public", _("Other public body")
    COOPERATION = "cooperation", _("Cooperation")
    VENDOR = "vendor", _("Vendor")

    @classmethod
    def public_sector(cls):
        """Every kind but vendor is public sector (the brief)."""
        return [kind for kind in cls.values if kind != cls.VENDOR]


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")


class OrganisationStatus(models.TextChoices):
    """Where an organisation is in its life: registered by itself and awaiting a
    curator (concept), active, or ended (it ceased to exist, or merged into
    another). An organisation is never deleted once active."""

    CONCEPT = "concept", _("Concept (awaiting a curator)")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
