import hashlib
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from components.text import unique_slug

from .constants import MemberRole, OrganisationKind, OrganisationStatus

oin_validator = RegexValidator(r"^\d{20}$", _("An OIN is exactly 20 digits."))
cbs_code_validator = RegexValidator(
    r"^(GM\d{4}|PV\d{2}|WS\d{4})$",
    _("A CBS code looks like GM0344 (municipality), PV26 (province) or WS0155 (water authority)."),
)
kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK number is exactly 8 digits."))


class OrganisationQuerySet(models.QuerySet):
    def public_sector(self) -> "OrganisationQuerySet":
        return self.exclude(kind=OrganisationKind.VENDOR)

    def shown(self) -> "OrganisationQuerySet":
        """What the public sees: not a concept (awaiting a curator), not one
        merged into another (its address leads to the other)."""
        return self.exclude(status=OrganisationStatus.CONCEPT).filter(merged_into__isnull=True)


class Organisation(models.Model):
    name = models.CharField(
        _("name"), max_length=200, unique=True, help_text=_("Official name of the organisation.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Stable identifier used in URLs and in the API."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=OrganisationKind.choices,
        help_text=_("What kind of organisation this is; every kind but vendor is public sector."),
    )
    oin = models.CharField(
        _("OIN"),
        max_length=20,
        blank=True,
        validators=[oin_validator],
        help_text=_("Organisatie-identificatienummer: 20 digits, where known."),
    )
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        blank=True,
        validators=[cbs_code_validator],
        help_text=_("CBS code of a municipality, province or water authority, e.g. GM0344."),
    )
    tooi_uri = models.URLField(
        _("TOOI URI"),
        max_length=300,
        blank=True,
        help_text=_("URI of the organisation in the TOOI register, where known."),
    )
    website = models.URLField(
        _("website"), max_length=300, blank=True, help_text=_("Public website.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("A few sentences about the organisation.")
    )
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names under which the organisation appears, e.g. in usedBy lists."),
    )
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[kvk_validator],
        help_text=_("Chamber of Commerce (KvK) number: 8 digits, where known."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Where the registry writes about the organisation, e.g. a curator's decision."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.ACTIVE,
        help_text=_(
            "concept: registered by itself, awaiting a curator; it publishes nothing and gets "
            "no API tokens. active. ended: it ceased to exist (see ended on and successor)."
        ),
    )
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("The day the organisation ceased to exist; it is kept, never deleted."),
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The organisation that carries on its work, e.g. after a merger."),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        verbose_name=_("merged into"),
        help_text=_(
            "Set by a merge: everything moved to this organisation, and this one's page "
            "and API address lead there."
        ),
    )
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("A curator has checked that this organisation is who it says it is."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the record was created.")
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, help_text=_("When the record last changed.")
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["oin"], condition=~Q(oin=""), name="organisation_oin_unique"
            ),
            models.UniqueConstraint(
                fields=["cbs_code"], condition=~Q(cbs_code=""), name="organisation_cbs_code_unique"
            ),
            models.UniqueConstraint(
                fields=["kvk_number"],
                condition=~Q(kvk_number=""),
                name="organisation_kvk_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrganisationStatus.values), name="organisation_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=OrganisationStatus.ENDED) | Q(ended_on__isnull=False),
                name="organisation_ended_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("pk")), name="organisation_not_its_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self.unique_slug(self.name)
        super().save(*args, **kwargs)

    @property
    def is_public_sector(self) -> bool:
        return self.kind != OrganisationKind.VENDOR

    @property
    def is_concept(self) -> bool:
        return self.status == OrganisationStatus.CONCEPT

    @property
    def is_ended(self) -> bool:
        return self.status == OrganisationStatus.ENDED

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.status == OrganisationStatus.ENDED and not self.ended_on:
            errors["ended_on"] = _("An ended organisation needs the day it ended.")
        if self.status != OrganisationStatus.ENDED and self.ended_on:
            errors["status"] = _("An organisation with an end date is ended.")
        if self.successor_id and self.successor_id == self.pk:
            errors["successor"] = _("An organisation cannot succeed itself.")
        if self.cbs_code:
            prefix = {
                OrganisationKind.MUNICIPALITY: "GM",
                OrganisationKind.PROVINCE: "PV",
                OrganisationKind.WATER_AUTHORITY: "WS",
            }.get(self.kind)
            if prefix is None:
                errors["cbs_code"] = _(
                    "Only municipalities, provinces and water authorities have a CBS code."
                )
            elif not self.cbs_code.startswith(prefix):
                errors["cbs_code"] = _("The CBS code of a %(kind)s starts with %(prefix)s.") % {
                    "kind": OrganisationKind(self.kind).label.lower(),
                    "prefix": prefix,
                }
        if errors:
            raise ValidationError(errors)

    @classmethod
    def unique_slug(cls, name) -> str:
        return unique_slug(cls.objects.all(), name, max_length=180, default="organisation")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
        help_text=_("The person who is a member."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
        help_text=_("The organisation the person acts for."),
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=MemberRole.choices,
        default=MemberRole.EDITOR,
        help_text=_("Admins manage members and tokens; editors manage components and usages."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the membership started.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_once_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


def hash_token(plaintext) -> str:
    # Tokens are 256 bits of randomness, so a fast hash is enough: there is no
    # dictionary to guard against, and lookups stay one indexed query.
    return hashlib.sha256(plaintext.encode()).hexdigest()


class ConceptOrganisation(ValueError):
    """An organisation awaiting a curator's approval may not do this yet."""


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    PREFIX = "cr_"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisation"),
        help_text=_("The organisation on whose behalf the token writes."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. 'GitHub Actions'.")
    )
    key_prefix = models.CharField(
        _("key prefix"),
        max_length=12,
        help_text=_("The first characters of the token, to recognise it; never the whole token."),
    )
    key_hash = models.CharField(
        _("key hash"),
        max_length=64,
        unique=True,
        help_text=_("SHA-256 of the token. The token itself is shown once and never stored."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("The member who created the token, if created in the site."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the token was created.")
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("After this moment the token no longer works. Empty: no expiry."),
    )
    last_used_at = models.DateTimeField(
        _("last used at"), null=True, blank=True, help_text=_("When the token was last used.")
    )
    is_curator = models.BooleanField(
        _("curator token"),
        default=False,
        help_text=_(
            "A curator's token: it may also do what curators do through the API, such as "
            "importing other catalogues. Only curators (staff) make one."
        ),
    )
    revoked_at = models.DateTimeField(
        _("revoked at"),
        null=True,
        blank=True,
        help_text=_("When the token was revoked; a revoked token never works again."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_active_name_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @classmethod
    def issue(
        cls, organisation, name, *, created_by=None, expires_at=None, is_curator=False
    ) -> tuple["ApiToken", str]:
        """Create a token; returns (token, plaintext). The plaintext is never stored.
        An organisation that awaits a curator (concept) gets none: ConceptOrganisation."""
        if organisation.status == OrganisationStatus.CONCEPT:
            raise ConceptOrganisation(organisation)
        plaintext = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=organisation,
            name=name,
            key_prefix=plaintext[:10],
            key_hash=hash_token(plaintext),
            created_by=created_by,
            expires_at=expires_at,
            is_curator=is_curator,
        )
        return token, plaintext

    @classmethod
    def find_active(cls, plaintext) -> "ApiToken | None":
        return (
            cls.objects.active()
            .select_related("organisation")
            .filter(key_hash=hash_token(plaintext))
            .exclude(organisation__status=OrganisationStatus.CONCEPT)
            .first()
        )

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class IdentityProvider(models.Model):
    """An organisation's own OpenID Connect provider (Keycloak, Entra ID, ADFS),
    set by curators: its members sign in there (accounts/oidc.py)."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="identity_provider",
        verbose_name=_("organisation"),
        help_text=_("The organisation whose members sign in with this provider."),
    )
    discovery_url = models.URLField(
        _("discovery URL"),
        max_length=500,
        help_text=_("The issuer's /.well-known/openid-configuration address."),
    )
    client_id = models.CharField(
        _("client id"), max_length=200, help_text=_("The registry's client id at the provider.")
    )
    client_secret_encrypted = models.TextField(
        _("client secret (encrypted)"),
        blank=True,
        help_text=_("Stored encrypted (accounts/secrets.py); never shown."),
    )
    sub_claim = models.CharField(
        _("subject claim"), max_length=100, default="sub", help_text=_("Identifies a person.")
    )
    email_claim = models.CharField(
        _("e-mail claim"), max_length=100, default="email", help_text=_("The e-mail address.")
    )
    name_claim = models.CharField(
        _("name claim"), max_length=100, default="name", help_text=_("The full name.")
    )
    groups_claim = models.CharField(
        _("groups claim"),
        max_length=100,
        blank=True,
        help_text=_("A list of groups; empty: roles are only given by administrators."),
    )
    role_mapping = models.JSONField(
        _("roles by group"),
        default=dict,
        blank=True,
        help_text=_('Group → role, e.g. {"registry-admins": "admin", "registry": "editor"}.'),
    )
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("Members may sign in with this provider.")
    )

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.client_id})"

    def role_for(self, claims) -> str | None:
        """The strongest role a group claim maps to, or None."""
        groups = claims.get(self.groups_claim) if self.groups_claim else None
        if isinstance(groups, str):
            groups = [groups]
        roles = {self.role_mapping.get(group) for group in groups or []}
        for role in (MemberRole.ADMIN, MemberRole.EDITOR):
            if role in roles:
                return role
        return None


class OidcIdentity(models.Model):
    """A person at an identity provider, by subject: how a returning person is
    recognised. Made at their first sign-in, with a user of their own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_identities",
        verbose_name=_("user"),
        help_text=_("The registry's user for this person."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="oidc_identities",
        verbose_name=_("organisation"),
        help_text=_("Whose provider the person signed in with."),
    )
    issuer = models.CharField(_("issuer"), max_length=500, help_text=_("The provider's issuer."))
    subject = models.CharField(_("subject"), max_length=255, help_text=_("The person's sub."))
    created_at = models.DateTimeField(
        _("first sign-in"), auto_now_add=True, help_text=_("When the person first signed in.")
    )

    class Meta:
        verbose_name = _("OIDC identity")
        verbose_name_plural = _("OIDC identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_once")
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class CooperationMember(models.Model):
    """An organisation that takes part in a cooperation (samenwerkingsverband:
    Dimpact, Drechtsteden, a shared service centre), and whether it lets the
    cooperation record its usages on its behalf. Curators list the members;
    only the member organisation itself grants or withdraws the permission."""

    cooperation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cooperation_members",
        verbose_name=_("cooperation"),
        help_text=_("The cooperation."),
    )
    member = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cooperations",
        verbose_name=_("member organisation"),
        help_text=_("The organisation that takes part in it."),
    )
    records_usages = models.BooleanField(
        _("may record usages"),
        default=False,
        help_text=_(
            "The member organisation lets the cooperation's members record its usages on "
            "its behalf; it sees those usages and can withdraw them."
        ),
    )
    granted_at = models.DateTimeField(
        _("granted at"),
        null=True,
        blank=True,
        help_text=_("When the member organisation last granted it."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the membership was recorded.")
    )

    class Meta:
        verbose_name = _("cooperation member")
        verbose_name_plural = _("cooperation members")
        ordering = ["cooperation", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "member"], name="cooperation_member_once"
            ),
            models.CheckConstraint(
                condition=~Q(cooperation=models.F("member")),
                name="cooperation_not_its_own_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.cooperation}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.cooperation_id and self.cooperation.kind != OrganisationKind.COOPERATION:
            raise ValidationError(
                {"cooperation": _("Only a cooperation has member organisations.")}
            )
