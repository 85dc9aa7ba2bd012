from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.constants import OrganisationKind

from ..constants import (
    CATEGORIES,
    ComponentKind,
    Conformance,
    DependencyKind,
    DependencyUse,
    DevelopmentStatus,
    Layer,
    MaintenanceType,
    ReuseRestriction,
    default_use,
    in_choices,
    license_ref_validator,
)
from ..history import history
from ..licensing.expressions import parse_expression
from ..query import ComponentQuerySet


class License(models.Model):
    """An SPDX licence or exception (loaded from the SPDX list) or a custom LicenseRef."""

    id = models.CharField(
        _("identifier"),
        max_length=100,
        primary_key=True,
        help_text=_("SPDX identifier, e.g. EUPL-1.2, or a custom LicenseRef-… identifier."),
    )
    name = models.CharField(_("name"), max_length=300, help_text=_("Full name of the licence."))
    is_exception = models.BooleanField(
        _("is an exception"),
        default=False,
        help_text=_("An SPDX licence exception, used after WITH in an expression."),
    )
    is_osi_approved = models.BooleanField(
        _("OSI approved"), default=False, help_text=_("Approved by the Open Source Initiative.")
    )
    is_fsf_libre = models.BooleanField(
        _("FSF free"), default=False, help_text=_("Listed as free by the Free Software Foundation.")
    )
    is_deprecated = models.BooleanField(
        _("deprecated"),
        default=False,
        help_text=_("The SPDX list deprecated this identifier; see 'superseded by'."),
    )
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        verbose_name=_("superseded by"),
        help_text=_("The identifier to use instead of a deprecated one."),
    )
    is_custom = models.BooleanField(
        _("custom"),
        default=False,
        help_text=_("A LicenseRef-… licence kept by curators, not from the SPDX list."),
    )
    url = models.URLField(
        _("URL"), max_length=500, blank=True, help_text=_("Where the licence text is published.")
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the licence allows and demands, in plain words (custom licences)."),
    )
    reuse_allowed = models.BooleanField(
        _("others may reuse"),
        default=True,
        help_text=_(
            "Custom licences: whether organisations other than the owner may reuse under it."
        ),
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="custom_licenses",
        verbose_name=_("owner"),
        help_text=_("Custom licences: the organisation that holds the rights."),
    )

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_custom=False) | Q(id__startswith="LicenseRef-"),
                name="license_custom_is_licenseref",
            )
        ]

    def __str__(self):
        return self.id

    def clean(self):
        if self.is_custom:
            try:
                license_ref_validator(self.id)
            except ValidationError as exc:
                raise ValidationError({"id": exc.messages}) from None
            # Expressions match ids case-insensitively, so two may not differ only in case.
            if License.objects.filter(id__iexact=self.id).exclude(id=self.id).exists():
                raise ValidationError({"id": _("Another licence has this identifier.")})


class CustomerQuestion(models.Model):
    """A klantvraag: what citizens and businesses come to a municipality for."""

    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text=_("Stable code, e.g. 'verhuizen'.")
    )
    name = models.CharField(_("name (Dutch)"), max_length=200, help_text=_("Dutch name."))
    name_en = models.CharField(_("name (English)"), max_length=200, help_text=_("English name."))
    description = models.TextField(
        _("description (Dutch)"), blank=True, help_text=_("What the question covers, in Dutch.")
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, help_text=_("What the question covers, in English.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in which the questions are shown.")
    )

    class Meta:
        verbose_name = _("customer question")
        verbose_name_plural = _("customer questions")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class UplProduct(models.Model):
    """A product from the Uniforme Productnamenlijst (UPL)."""

    uri = models.URLField(
        _("URI"),
        max_length=300,
        unique=True,
        help_text=_("UPL URI, http://standaarden.overheid.nl/owms/terms/…"),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("UPL product name (Dutch)."))
    customer_questions = models.ManyToManyField(
        CustomerQuestion,
        blank=True,
        related_name="upl_products",
        verbose_name=_("customer questions"),
        help_text=_("The customer questions this product answers."),
    )

    class Meta:
        verbose_name = _("UPL product")
        verbose_name_plural = _("UPL products")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Component(models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Unique, stable identifier used in URLs, e.g. 'open-zaak'."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Name of the component."))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=ComponentKind.choices,
        help_text=_("What sort of component this is."),
    )
    short_description = models.CharField(
        _("short description"),
        max_length=150,
        help_text=_("One line in Dutch, at most 150 characters."),
    )
    short_description_en = models.CharField(
        _("short description (English)"),
        max_length=150,
        blank=True,
        help_text=_("One line in English, at most 150 characters."),
    )
    long_description = models.TextField(
        _("long description"), blank=True, help_text=_("What it does and for whom, in Dutch.")
    )
    long_description_en = models.TextField(
        _("long description (English)"), blank=True, help_text=_("The same, in English.")
    )
    other_descriptions = models.JSONField(
        _("descriptions in other languages"),
        default=dict,
        blank=True,
        help_text=_("Descriptions in other languages, keyed by BCP-47 tag, as imported."),
    )
    publisher = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="published_components",
        verbose_name=_("publisher"),
        help_text=_("The organisation that publishes and maintains the component."),
    )
    repository_url = models.URLField(
        _("repository URL"),
        max_length=500,
        blank=True,
        help_text=_("Source code repository; unique, the natural key of a publiccode.yml."),
    )
    homepage_url = models.URLField(
        _("homepage"), max_length=500, blank=True, help_text=_("Product or project website.")
    )
    documentation_url = models.URLField(
        _("documentation URL"), max_length=500, blank=True, help_text=_("User documentation.")
    )
    api_specification_url = models.URLField(
        _("API specification URL"),
        max_length=500,
        blank=True,
        help_text=_("For APIs: where the OpenAPI (or other) specification is published."),
    )
    development_status = models.CharField(
        _("development status"),
        max_length=20,
        choices=DevelopmentStatus.choices,
        default=DevelopmentStatus.DEVELOPMENT,
        help_text=_("How mature the component is; obsolete means it should not be adopted."),
    )
    maintenance_type = models.CharField(
        _("maintenance type"),
        max_length=20,
        choices=MaintenanceType.choices,
        default=MaintenanceType.INTERNAL,
        help_text=_("Who maintains it: internally, under contract, a community, or nobody."),
    )
    layer = models.CharField(
        _("Common Ground layer"),
        max_length=20,
        choices=Layer.choices,
        blank=True,
        help_text=_("The Common Ground layer the component belongs to, where it has one."),
    )
    categories = models.JSONField(
        _("categories"),
        default=list,
        blank=True,
        help_text=_("Categories from the publiccode.yml vocabulary, e.g. 'document-management'."),
    )
    customer_questions = models.ManyToManyField(
        CustomerQuestion,
        blank=True,
        related_name="components",
        verbose_name=_("customer questions"),
        help_text=_("The customer questions the component helps answer."),
    )
    upl_products = models.ManyToManyField(
        UplProduct,
        blank=True,
        related_name="components",
        verbose_name=_("UPL products"),
        help_text=_("The UPL products the component helps deliver."),
    )
    license_expression = models.CharField(
        _("licence"),
        max_length=500,
        help_text=_("SPDX licence expression of the code, e.g. 'EUPL-1.2' or 'MIT OR Apache-2.0'."),
    )
    licenses = models.ManyToManyField(
        License,
        blank=True,
        related_name="components",
        verbose_name=_("licences named"),
        help_text=_("Every licence and exception named in the expression (kept in step with it)."),
    )
    reuse_restriction = models.CharField(
        _("reuse restriction"),
        max_length=32,
        choices=ReuseRestriction.choices,
        default=ReuseRestriction.NONE,
        help_text=_("Who may reuse the component, apart from what the code licence says."),
    )
    reuse_organisation_kinds = models.JSONField(
        _("kinds allowed to reuse"),
        default=list,
        blank=True,
        help_text=_("For 'organisation-kinds': the organisation kinds that may reuse it."),
    )
    reuse_organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("organisations allowed to reuse"),
        help_text=_("For 'named-organisations': the organisations that may reuse it."),
    )
    reuse_terms = models.TextField(
        _("reuse terms"),
        blank=True,
        help_text=_("Further terms of reuse in words, e.g. that the logo is reserved."),
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text=_("The component that succeeds this one, when it is deprecated."),
    )
    sunset_date = models.DateField(
        _("end of support"),
        null=True,
        blank=True,
        help_text=_("The date from which the publisher no longer supports it."),
    )
    concept_by = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concept_components",
        verbose_name=_("concept added by"),
        help_text=_(
            "A concept component: added by an organisation that uses it, so that its "
            "landscape is complete, not by its publisher. Empty once the publisher took it over."
        ),
    )
    orphaned_at = models.DateTimeField(
        _("orphaned since"),
        null=True,
        blank=True,
        help_text=_(
            "Since when the harvest source that yielded this component no longer lists it "
            "(the file is gone, or now describes another repository). An orphaned component "
            "is kept, never deleted in one step; cleared when the file comes back."
        ),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the component was registered.")
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, db_index=True, help_text=_("When it last changed.")
    )
    search_document = SearchVectorField(
        _("search document"),
        null=True,
        editable=False,
        help_text=_(
            "Full-text index of name and descriptions; PostgreSQL keeps it up to date "
            "with a trigger, so bulk inserts are indexed too."
        ),
    )

    history = history(excluded_fields=["updated_at", "search_document"])
    objects = ComponentQuerySet.as_manager()

    # Changes to these are told to subscribers (deprecation and a licence change as
    # their own events, the rest as 'component.updated'); other changes are not.
    NOTIFIED_FIELDS = (
        "name",
        "short_description",
        "development_status",
        "license_expression",
        "reuse_restriction",
        "reuse_terms",
        "repository_url",
        "homepage_url",
        "documentation_url",
        "api_specification_url",
        "layer",
        "kind",
        "maintenance_type",
    )

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["name"]
        indexes = [
            # A filter on kind (and layer) walks the page in name order, and counts
            # facets from the index alone; layer first for a filter on layer only.
            models.Index(fields=["kind", "layer", "name", "id"], name="component_kind_layer_name"),
            models.Index(fields=["layer", "kind"], name="component_layer_kind"),
            models.Index(fields=["development_status", "name", "id"], name="component_status_name"),
            models.Index(fields=["publisher", "name"]),
            # Lists are ordered by name, then id: deep pages walk this index instead of sorting.
            models.Index(fields=["name", "id"], name="component_name_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["repository_url"],
                condition=~Q(repository_url=""),
                name="component_repository_url_unique",
            ),
            models.CheckConstraint(
                condition=in_choices("kind", ComponentKind), name="component_kind_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("development_status", DevelopmentStatus),
                name="component_development_status_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("maintenance_type", MaintenanceType),
                name="component_maintenance_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(layer="") | in_choices("layer", Layer), name="component_layer_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("reuse_restriction", ReuseRestriction),
                name="component_reuse_restriction_valid",
            ),
            models.CheckConstraint(
                condition=~Q(license_expression=""), name="component_license_required"
            ),
        ]

    def __str__(self):
        return self.name

    def remember_state(self):
        """What notifications compare with after a save (deprecation, licence change)."""
        self._loaded_state = {name: self.__dict__.get(name) for name in self.NOTIFIED_FIELDS}

    def clean(self):
        errors = {}
        try:
            parsed = parse_expression(self.license_expression)
            self.license_expression = parsed.normalised
        except ValidationError as exc:
            errors["license_expression"] = exc.messages
        bad = [c for c in self.categories or [] if c not in CATEGORIES]
        if bad:
            errors["categories"] = _("Unknown categories: %(c)s") % {"c": ", ".join(bad)}
        bad_kinds = [
            k for k in self.reuse_organisation_kinds or [] if k not in OrganisationKind.values
        ]
        if bad_kinds:
            errors["reuse_organisation_kinds"] = _("Unknown organisation kinds: %(k)s") % {
                "k": ", ".join(bad_kinds)
            }
        missing = self.reuse_kinds_error(self.reuse_restriction, self.reuse_organisation_kinds)
        if missing:
            errors["reuse_organisation_kinds"] = missing
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def reuse_kinds_error(restriction, kinds):
        """Reuse restricted to organisation kinds must name at least one kind. The
        API checks this too, on what a write would make of the component."""
        if restriction == ReuseRestriction.ORGANISATION_KINDS and not kinds:
            return _("Name at least one organisation kind.")
        return None

    def sync_licenses(self):
        """Keep the licences M2M in step with the expression (for filtering)."""
        parsed = parse_expression(self.license_expression)
        self.licenses.set(parsed.license_ids)

    # Usage flags follow the reuse restriction: when it changes (or the
    # publisher, who is always allowed), the usages' flags are recomputed
    # (components.licensing.flags); this is what it was when loaded.
    def _restriction_state(self):
        return (
            self.reuse_restriction,
            tuple(self.reuse_organisation_kinds or ()),
            self.publisher_id,
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_state()
        if {"reuse_restriction", "reuse_organisation_kinds", "publisher_id"} <= set(field_names):
            instance._restriction_as_loaded = instance._restriction_state()
        return instance


class Dependency(models.Model):
    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="dependencies",
        verbose_name=_("component"),
        help_text=_("The component that depends on something."),
    )
    depends_on = models.ForeignKey(
        Component,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependents",
        verbose_name=_("depends on"),
        help_text=_("The component in this registry it depends on, if it is registered."),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Name of an external dependency that is not in this registry."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=DependencyKind.choices,
        default=DependencyKind.OPEN,
        help_text=_("Open source, proprietary or hardware (publiccode.yml dependsOn)."),
    )
    how_used = models.CharField(
        _("how it is used"),
        max_length=16,
        choices=DependencyUse.choices,
        default=DependencyUse.INCORPORATED,
        help_text=_(
            "incorporated (code built into the component), linked, runtime-service (a "
            "database, queue or identity server it talks to) or implements (a standard or API "
            "it implements). Licence compatibility is weighed for incorporated and linked "
            "code only."
        ),
    )
    version = models.CharField(
        _("version"),
        max_length=100,
        blank=True,
        help_text=_("Version or version range required, e.g. '>=13'."),
    )
    license_expression = models.CharField(
        _("licence"),
        max_length=500,
        blank=True,
        help_text=_("SPDX expression of an external dependency, where known."),
    )
    # For a registered standard the component implements (components/standards.py):
    # how its conformance is known, and where the evidence is. The link is only
    # shown, never fetched.
    conformance = models.CharField(
        _("conformance"),
        max_length=16,
        choices=Conformance.choices,
        blank=True,
        help_text=_("For a standard it implements: self-declared or tested (empty: not stated)."),
    )
    evidence_url = models.URLField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("For a standard it implements: a link to the evidence of conformance."),
    )

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        # The catalogue's standard filter: the implementations of a standard.
        indexes = [
            models.Index(fields=["depends_on", "how_used"], name="dependency_target_use"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depends_on__isnull=False) | ~Q(name=""),
                name="dependency_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(depends_on=F("component")), name="dependency_not_on_itself"
            ),
            models.UniqueConstraint(
                fields=["component", "depends_on"],
                condition=Q(depends_on__isnull=False),
                name="dependency_component_once",
            ),
            models.UniqueConstraint(
                fields=["component", "name"], condition=~Q(name=""), name="dependency_name_once"
            ),
        ]

    def __str__(self):
        return str(self.depends_on or self.name)

    @staticmethod
    def default_use(depends_on=None, name="", kind=DependencyKind.OPEN):
        """How a dependency is used when nobody said (constants.default_use)."""
        return default_use(depends_on.kind if depends_on else None, name, kind)


class Release(models.Model):
    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="releases",
        verbose_name=_("component"),
        help_text=_("The component this is a release of."),
    )
    version = models.CharField(
        _("version"), max_length=100, help_text=_("Version, semver where possible, e.g. 1.14.0.")
    )
    release_date = models.DateField(
        _("release date"), help_text=_("The day the release was published.")
    )
    notes = models.TextField(
        _("release notes"), blank=True, help_text=_("What changed in this release.")
    )
    url = models.URLField(
        _("URL"), max_length=500, blank=True, help_text=_("Where the release is published.")
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the release was registered.")
    )

    history = history()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-release_date", "-id"]
        indexes = [models.Index(fields=["component", "-release_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "version"], name="release_version_once_per_component"
            )
        ]

    def __str__(self):
        return f"{self.component} {self.version}"


# The organisation's own word about its use: said by itself, or a claim it confirmed.
