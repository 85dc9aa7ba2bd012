from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.constants import OrganisationKind
from accounts.models import Organisation
from components import licensing, standards
from components.constants import (
    CATEGORIES,
    Assertion,
    ComponentKind,
    Conformance,
    DependencyKind,
    DependencyUse,
    EventType,
    LinkKind,
    ReuseRestriction,
    UsageStatus,
)
from components.harvest import fetch_urls
from components.models import (
    Component,
    ComponentLink,
    CustomerQuestion,
    Dependency,
    HarvestSource,
    License,
    Release,
    UplProduct,
    Usage,
    WebhookDelivery,
    WebhookSubscription,
)


class JsonBooleanField(serializers.BooleanField):
    """A JSON boolean, as the document declares it: DRF's own field would also take
    0, 1, "yes" or "on" (and so would a client's typo)."""

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid", input=data)


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference to a stored thing by its slug (code, URI). PostgreSQL text cannot
    hold a NUL, so looking such a value up was a database error (503); no slug has
    one, so it is a reference to nothing (400)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail(
                "does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\\0")
            )
        return super().to_internal_value(data)


class StrictSerializerMixin:
    """Unknown fields in a write body are an error, not silently ignored; a
    boolean is true or false, nothing else."""

    # This docstring describes every write body in the document, which also says
    # additionalProperties: false for these (registry/openapi.py).
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.BooleanField: JsonBooleanField,
    }

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            # A nested item (link, dependency, standard) is whole even in a PATCH: DRF
            # skips nested required fields in a partial update (a 500; schemathesis).
            if self.parent is not None and getattr(self.root, "partial", False):
                missing = sorted(
                    name
                    for name, field in self.fields.items()
                    if field.required and not field.read_only and name not in data
                )
                if missing:
                    raise serializers.ValidationError(
                        {name: [_("This field is required.")] for name in missing}
                    )
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [
                            _("Unknown field.")
                            if name not in self.fields
                            else _("This field is read-only.")
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class OrganisationSerializer(serializers.ModelSerializer):
    successor = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Slug of the organisation that carries on its work, once it ended."),
    )

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "kind",
            "oin",
            "cbs_code",
            "tooi_uri",
            "website",
            "description",
            "verified",
            "kvk_number",
            "status",
            "ended_on",
            "successor",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        # Read-only fields lose the model's blank=True; these are often empty, and
        # the document must say "a URI or an empty string", not "always a URI".
        extra_kwargs = {"tooi_uri": {"allow_blank": True}, "website": {"allow_blank": True}}


class LicenseSerializer(serializers.ModelSerializer):
    superseded_by = serializers.CharField(
        source="superseded_by_id",
        allow_null=True,
        read_only=True,
        help_text=_("The identifier to use instead of a deprecated one."),
    )
    family = serializers.SerializerMethodField(
        help_text=_(
            "The licence's family: public-domain, permissive, weak-copyleft, strong-copyleft, "
            "network-copyleft, creative-commons, exception, custom or unknown (the registry "
            "does not know it, and says so)."
        )
    )
    obligation = serializers.SerializerMethodField(
        help_text=_(
            "What the licence asks of a reuser, in one plain sentence, in the language asked "
            "for (Accept-Language: nl or en)."
        )
    )
    component_count = serializers.IntegerField(
        read_only=True,
        default=0,
        help_text=_(
            "How many components name this licence in their expression; list them with "
            "GET /components?license={id}."
        ),
    )

    class Meta:
        model = License
        fields = [
            "id",
            "name",
            "is_exception",
            "is_osi_approved",
            "is_fsf_libre",
            "is_deprecated",
            "superseded_by",
            "is_custom",
            "url",
            "summary",
            "reuse_allowed",
            "family",
            "obligation",
            "component_count",
        ]
        read_only_fields = fields
        # Mostly empty (the SPDX entries carry none): a URI or an empty string.
        extra_kwargs = {"url": {"allow_blank": True}}

    @extend_schema_field(serializers.ChoiceField(choices=list(licensing.FAMILY_LABELS)))
    def get_family(self, license):
        return licensing.licence_obligation(license).family

    def get_obligation(self, license) -> str:
        return licensing.licence_obligation(license).text


class ReleaseSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    component = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of the component.")
    )

    class Meta:
        model = Release
        fields = ["component", "version", "release_date", "notes", "url", "created_at"]
        read_only_fields = ["component", "created_at"]
        # Uniqueness per component is checked in validate(); the component comes from the URL.
        validators = []

    def validate_version(self, value):
        value = value.strip()
        if not value or "/" in value:
            raise serializers.ValidationError(_("A version must be non-empty and have no '/'."))
        return value

    def validate(self, attrs):
        component = self.context["component"]
        version = attrs.get("version", getattr(self.instance, "version", None))
        clash = Release.objects.filter(component=component, version=version)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"version": [_("This component already has a release %(v)s.") % {"v": version}]}
            )
        return attrs


class LatestReleaseSerializer(serializers.Serializer):
    version = serializers.CharField(help_text=_("Version of the newest release."))
    release_date = serializers.DateField(help_text=_("When it was released."))


class UsageCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(
        help_text=_("Organisations that use the component (rejected claims not counted).")
    )
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Users per usage status.")
    )
    by_organisation_kind = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Users per organisation kind; includes government-only usages as counts."),
    )


class DependencySerializer(StrictSerializerMixin, serializers.ModelSerializer):
    component = SlugReferenceField(
        source="depends_on",
        slug_field="slug",
        queryset=Component.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Slug of the registered component depended on."),
    )

    how_used = serializers.ChoiceField(
        choices=DependencyUse.choices,
        required=False,
        help_text=_(
            "incorporated (code built into the component), linked, runtime-service (a "
            "database, queue or identity server it talks to) or implements (a standard or API "
            "it implements). Licence compatibility is weighed for incorporated and linked "
            "code only. Left out: implements for a registered standard or API, "
            "runtime-service for hardware and for a well-known server such as PostgreSQL or "
            "Redis, incorporated otherwise."
        ),
    )

    conformance = serializers.ChoiceField(
        choices=Conformance.choices,
        required=False,
        allow_blank=True,
        help_text=_("For a standard it implements: self-declared or tested (empty: not stated)."),
    )
    evidence = serializers.URLField(
        source="evidence_url",
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=_("For a standard it implements: a link to the evidence of conformance."),
    )

    class Meta:
        model = Dependency
        fields = [
            "component",
            "name",
            "kind",
            "how_used",
            "version",
            "license_expression",
            "conformance",
            "evidence",
        ]

    def validate_evidence(self, value):
        return _web_link(value)

    def validate(self, attrs):
        if not attrs.get("depends_on") and not attrs.get("name"):
            raise serializers.ValidationError(
                {"name": [_("Give either a registered component or a name.")]}
            )
        if "how_used" not in attrs:
            attrs["how_used"] = Dependency.default_use(
                attrs.get("depends_on"), attrs.get("name"), attrs.get("kind", DependencyKind.OPEN)
            )
        if (attrs.get("conformance") or attrs.get("evidence_url")) and attrs[
            "how_used"
        ] != DependencyUse.IMPLEMENTS:
            raise serializers.ValidationError(
                {
                    "conformance": [
                        _("Conformance is stated only for what the component implements.")
                    ]
                }
            )
        if attrs.get("license_expression"):
            try:
                attrs["license_expression"] = licensing.parse_expression(
                    attrs["license_expression"]
                ).normalised
            except Exception as exc:
                raise serializers.ValidationError(
                    {"license_expression": list(getattr(exc, "messages", [str(exc)]))}
                ) from None
        return attrs


class ComponentLinkSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = ComponentLink
        fields = ["kind", "url", "label"]


def _web_link(value):
    if value and not value.lower().startswith(("https://", "http://")):
        raise serializers.ValidationError(_("Give an http(s) link."))
    return value


class StandardDeclarationSerializer(StrictSerializerMixin, serializers.Serializer):
    """A standard the component implements (components/standards.py): stored as a
    dependency of use "implements" on a registered component of kind standard."""

    slug = serializers.SlugField(
        max_length=100,
        help_text=_("Slug of the registered standard (a component of kind standard)."),
    )
    name = serializers.CharField(read_only=True, help_text=_("Name of the standard."))
    version = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The version of the standard implemented, e.g. '2.0'."),
    )
    conformance = serializers.ChoiceField(
        choices=Conformance.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("self-declared or tested (empty: not stated)."),
    )
    evidence = serializers.URLField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=_("A link to the evidence of conformance (a test report); shown, never fetched."),
    )

    def validate_evidence(self, value):
        return _web_link(value)


class ComponentSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    publisher = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text=_("Slug of the publishing organisation; for writes, the token's organisation."),
    )
    concept_by = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_(
            "A concept component: the slug of the organisation that added it because it uses "
            "it; null once its publisher took it over (or when the publisher registered it)."
        ),
    )
    publisher_name = serializers.CharField(
        source="publisher.name", read_only=True, help_text=_("Name of the publisher.")
    )
    publisher_kind = serializers.ChoiceField(
        source="publisher.kind",
        choices=OrganisationKind.choices,
        read_only=True,
        help_text=_("Kind of the publishing organisation."),
    )
    license = serializers.CharField(
        source="license_expression",
        max_length=500,
        help_text=_(
            "SPDX licence expression of the code, e.g. 'EUPL-1.2' or 'MIT OR Apache-2.0'; "
            "normalised on save (deprecated ids become their successor)."
        ),
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=CATEGORIES),
        required=False,
        help_text=_("Categories from the publiccode.yml vocabulary."),
    )
    customer_questions = SlugReferenceField(
        many=True,
        slug_field="code",
        queryset=CustomerQuestion.objects.all(),
        required=False,
        help_text=_("Codes of the customer questions the component helps answer."),
    )
    upl_products = SlugReferenceField(
        many=True,
        slug_field="uri",
        queryset=UplProduct.objects.all(),
        required=False,
        help_text=_("URIs of the UPL products the component helps deliver."),
    )
    reuse_organisation_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices),
        required=False,
        help_text=_("For reuseRestriction 'organisation-kinds': the kinds that may reuse it."),
    )
    reuse_organisations = SlugReferenceField(
        many=True,
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_(
            "For reuseRestriction 'named-organisations': slugs of those that may reuse it."
        ),
    )
    replaced_by = SlugReferenceField(
        slug_field="slug",
        queryset=Component.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Slug of the component that succeeds this one, when it is deprecated."),
    )
    dependencies = DependencySerializer(
        many=True, required=False, help_text=_("What the component depends on.")
    )
    links = ComponentLinkSerializer(
        many=True,
        required=False,
        help_text=_(
            "Where it can be reached: for an API the base URL of each environment "
            "(production, acceptance, demo); the production one is its endpoint."
        ),
    )
    standards = StandardDeclarationSerializer(
        many=True,
        required=False,
        source="standard_declarations",
        help_text=_(
            "The standards it implements. Written, it replaces the dependencies of use "
            "'implements' on registered standards; other dependencies stay."
        ),
    )
    latest_release = serializers.SerializerMethodField(help_text=_("The newest release, if any."))
    usage_counts = serializers.SerializerMethodField(
        help_text=_("How many organisations use it, by status and organisation kind.")
    )

    class Meta:
        model = Component
        fields = [
            "slug",
            "name",
            "kind",
            "short_description",
            "short_description_en",
            "long_description",
            "long_description_en",
            "publisher",
            "publisher_name",
            "publisher_kind",
            "repository_url",
            "homepage_url",
            "documentation_url",
            "api_specification_url",
            "development_status",
            "maintenance_type",
            "layer",
            "categories",
            "customer_questions",
            "upl_products",
            "license",
            "reuse_restriction",
            "reuse_organisation_kinds",
            "reuse_organisations",
            "reuse_terms",
            "replaced_by",
            "sunset_date",
            "dependencies",
            "links",
            "standards",
            "latest_release",
            "usage_counts",
            "orphaned_at",
            "concept_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["orphaned_at", "concept_by", "created_at", "updated_at"]

    def to_representation(self, component):
        component.standard_declarations = [
            standards.as_json(d) for d in standards.standards_of(component)
        ]
        return super().to_representation(component)

    def validate_standards(self, value):
        # Every item has its slug: StrictSerializerMixin keeps nested items whole.
        slugs = [item["slug"] for item in value]
        found = {
            c.slug: c for c in Component.objects.filter(kind=ComponentKind.STANDARD, slug__in=slugs)
        }
        errors = {}
        for index, slug in enumerate(slugs):
            if slug not in found:
                errors[index] = {"slug": [_("No registered standard has this slug.")]}
            elif slug in slugs[:index]:
                errors[index] = {"slug": [_("This standard is listed twice.")]}
        if errors:
            raise serializers.ValidationError(errors)
        return [{**item, "standard": found[item["slug"]]} for item in value]

    @extend_schema_field(LatestReleaseSerializer(allow_null=True))
    def get_latest_release(self, component):
        release = getattr(component, "latest_release", None)
        if release is None:
            return None
        return {"version": release.version, "release_date": release.release_date}

    @extend_schema_field(UsageCountsSerializer)
    def get_usage_counts(self, component):
        return getattr(component, "usage_counts", None) or {
            "total": 0,
            "by_status": {},
            "by_organisation_kind": {},
        }

    def validate_slug(self, value):
        if self.instance is not None and value != self.instance.slug:
            raise serializers.ValidationError(_("The slug of a component cannot change."))
        return value

    def validate_links(self, value):
        seen = set()
        for index, link in enumerate(value):
            key = (link.get("kind", LinkKind.OTHER), link["url"])
            if key in seen:
                raise serializers.ValidationError(
                    {index: {"url": [_("This link is given twice.")]}}
                )
            seen.add(key)
        return value

    def validate_license(self, value):
        try:
            return licensing.parse_expression(value).normalised
        except Exception as exc:
            raise serializers.ValidationError(list(getattr(exc, "messages", [str(exc)]))) from None

    def validate_repository_url(self, value):
        value = (value or "").strip().removesuffix("/").removesuffix(".git")
        if value:
            clash = Component.objects.filter(repository_url=value)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise serializers.ValidationError(
                    _("Another component already has this repository URL.")
                )
        return value

    def validate(self, attrs):
        restriction = attrs.get(
            "reuse_restriction", getattr(self.instance, "reuse_restriction", None)
        )
        kinds = attrs.get(
            "reuse_organisation_kinds", getattr(self.instance, "reuse_organisation_kinds", [])
        )
        successor = attrs.get("replaced_by")
        if successor is not None and successor.slug == attrs.get(
            "slug", getattr(self.instance, "slug", None)
        ):
            raise serializers.ValidationError(
                {"replaced_by": [_("A component cannot be replaced by itself.")]}
            )
        missing_kinds = Component.reuse_kinds_error(restriction, kinds)
        if missing_kinds:
            raise serializers.ValidationError({"reuse_organisation_kinds": [missing_kinds]})
        if restriction == ReuseRestriction.NAMED_ORGANISATIONS:
            named = attrs.get("reuse_organisations")
            if named is None and self.instance is not None:
                named = list(self.instance.reuse_organisations.all())
            if not named:
                raise serializers.ValidationError(
                    {"reuse_organisations": [_("Name at least one organisation.")]}
                )
        dependencies = attrs.get("dependencies") or []
        slug = attrs.get("slug", getattr(self.instance, "slug", None))
        for index, dependency in enumerate(dependencies):
            if dependency.get("depends_on") and dependency["depends_on"].slug == slug:
                raise serializers.ValidationError(
                    {
                        "dependencies": {
                            index: {"component": [_("A component cannot depend on itself.")]}
                        }
                    }
                )
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        return self._save(Component(), validated_data, partial=False)

    @transaction.atomic
    def update(self, instance, validated_data):
        return self._save(instance, validated_data, partial=self.partial)

    def _save(self, component, data, partial):
        many = {
            name: data.pop(name)
            for name in ("customer_questions", "upl_products", "reuse_organisations")
            if name in data
        }
        dependencies = data.pop("dependencies", None)
        links = data.pop("links", None)
        declared = data.pop("standard_declarations", None)
        if not partial:
            # PUT replaces: what the body leaves out goes back to its default.
            for field in self.Meta.model._meta.concrete_fields:
                form_field = self.fields.get(field.name)
                if form_field is not None and not form_field.read_only and field.name != "slug":
                    data.setdefault(field.name, field.get_default())
            for name in ("customer_questions", "upl_products", "reuse_organisations"):
                many.setdefault(name, [])
            if dependencies is None:
                dependencies = []
            if links is None:
                links = []
        if declared is not None:
            dependencies = _with_standards(component, dependencies, declared)
        # Save only what changes: a repeated PUT leaves the component, its ETag and
        # its history exactly as they were (idempotent in effect, not just in outcome).
        changed = component.pk is None
        for name, value in data.items():
            if changed or getattr(component, name) != value:
                changed = True
                setattr(component, name, value)
        if not changed:
            for name, value in many.items():
                current = set(getattr(component, name).values_list("pk", flat=True))
                changed |= current != {item.pk for item in value}
        if not changed and dependencies is not None:
            changed = _dependency_rows(component.dependencies.all()) != _dependency_rows(
                Dependency(component=component, **d) for d in dependencies
            )
        if not changed and links is not None:
            changed = _link_rows(component.links.all()) != _link_rows(
                ComponentLink(**link) for link in links
            )
        if not changed:
            return component
        component.save()
        for name, value in many.items():
            getattr(component, name).set(value)
        if dependencies is not None:
            component.dependencies.all().delete()
            Dependency.objects.bulk_create(
                Dependency(component=component, **dependency) for dependency in dependencies
            )
        if links is not None:
            component.links.all().delete()
            ComponentLink.objects.bulk_create(
                ComponentLink(component=component, **link) for link in links
            )
        component.sync_licenses()
        return component


def _link_rows(links):
    return sorted((link.kind, link.url, link.label) for link in links)


def _dependency_rows(dependencies):
    return sorted(
        (
            d.depends_on_id or 0,
            d.name,
            d.kind,
            d.how_used,
            d.version,
            d.license_expression,
            d.conformance,
            d.evidence_url,
        )
        for d in dependencies
    )


def _with_standards(component, dependencies, declared):
    """The dependency rows once `declared` (validated `standards`) replaces the
    component's standard declarations: the given `dependencies`, or else its
    current ones, without their declarations, plus one row per standard."""
    if dependencies is None:
        dependencies = (
            [
                {name: getattr(d, name) for name in _DEPENDENCY_FIELDS}
                for d in component.dependencies.select_related("depends_on")
            ]
            if component.pk
            else []
        )
    chosen = {item["standard"].pk for item in declared}
    kept = [
        d
        for d in dependencies
        if not (
            d.get("depends_on") is not None
            and (
                d["depends_on"].pk in chosen
                or (
                    d.get("how_used") == DependencyUse.IMPLEMENTS
                    and d["depends_on"].kind == ComponentKind.STANDARD
                )
            )
        )
    ]
    return kept + [
        {
            "depends_on": item["standard"],
            "name": "",
            "kind": DependencyKind.OPEN,
            "how_used": DependencyUse.IMPLEMENTS,
            "version": item.get("version", ""),
            "license_expression": "",
            "conformance": item.get("conformance", ""),
            "evidence_url": item.get("evidence", ""),
        }
        for item in declared
    ]


_DEPENDENCY_FIELDS = (
    "depends_on",
    "name",
    "kind",
    "how_used",
    "version",
    "license_expression",
    "conformance",
    "evidence_url",
)


def _today():

    return timezone.localdate()


class UsageLifecycleMixin:
    """planned → pilot → production → stopped: a status change dates itself when the
    client gives no date; stopping keeps the record, with its end date."""

    def _date_the_status(self, attrs):
        status = attrs.get("status")
        previous = getattr(self.instance, "status", None)
        if status is None or status == previous:
            return
        if status == UsageStatus.STOPPED:
            attrs.setdefault("until", _today())
        else:
            if "since" not in attrs and self.instance is not None:
                attrs["since"] = _today()
            if previous == UsageStatus.STOPPED:
                attrs.setdefault("until", None)


class UsageSerializer(UsageLifecycleMixin, StrictSerializerMixin, serializers.ModelSerializer):
    organisation = SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text=_(
            "Slug of the organisation that uses the component. Your own organisation "
            "records a usage; another one makes a claim (only on components you publish)."
        ),
    )
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, help_text=_("Name of the organisation.")
    )
    organisation_kind = serializers.ChoiceField(
        source="organisation.kind",
        choices=OrganisationKind.choices,
        read_only=True,
        help_text=_("Kind of the organisation."),
    )
    component = SlugReferenceField(
        slug_field="slug",
        queryset=Component.objects.all(),
        help_text=_("Slug of the component in use."),
    )
    release = serializers.CharField(
        source="release.version",
        required=False,
        allow_null=True,
        help_text=_("Version of the release in use, where known."),
    )
    claimed_by = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Slug of the organisation that claimed this usage; null when it made none."),
    )
    recorded_via = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_(
            "Slug of the cooperation that recorded this usage on the organisation's behalf; "
            "null when the organisation recorded it itself."
        ),
    )
    flagged = serializers.SerializerMethodField(
        help_text=_("True when the usage breaks the component's reuse restriction.")
    )
    unconfirmed = serializers.SerializerMethodField(
        help_text=_("True for a claim the organisation has not answered in 90 days.")
    )

    class Meta:
        model = Usage
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "organisation_kind",
            "component",
            "release",
            "status",
            "since",
            "until",
            "visibility",
            "assertion",
            "claimed_by",
            "claimed_at",
            "answered_at",
            "recorded_via",
            "flagged",
            "unconfirmed",
            "restriction_flag",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "assertion",
            "claimed_at",
            "answered_at",
            "restriction_flag",
            "created_at",
            "updated_at",
        ]
        validators = []

    def get_flagged(self, usage) -> bool:
        return bool(usage.restriction_flag)

    def get_unconfirmed(self, usage) -> bool:
        return usage.is_unconfirmed

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("organisation", "component"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: [_("Cannot change; record a new usage instead.")]}
                    )
        component = attrs.get("component", getattr(self.instance, "component", None))
        release = attrs.pop("release", None)
        if release is not None:
            version = release.get("version")
            if version:
                found = Release.objects.filter(component=component, version=version).first()
                if found is None:
                    raise serializers.ValidationError(
                        {"release": [_("This component has no release %(v)s.") % {"v": version}]}
                    )
                attrs["release"] = found
            else:
                attrs["release"] = None
        self._date_the_status(attrs)
        since = attrs.get("since", getattr(self.instance, "since", None))
        until = attrs.get("until", getattr(self.instance, "until", None))
        if since and until and until < since:
            raise serializers.ValidationError({"until": [_("Must not be before 'since'.")]})
        return attrs


class WebhookSubscriptionSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    # The URL's SSRF guard is on the model field, shared with the members' pages.

    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        required=False,
        help_text=_("The event types to receive; empty or absent means all."),
    )
    secret = serializers.SerializerMethodField(
        help_text=_(
            "The HMAC-SHA256 secret, returned once when the subscription is created; "
            "null afterwards. Each delivery carries X-Registry-Timestamp (unix seconds) and "
            "X-Registry-Signature: sha256=<hex>, the HMAC of '<timestamp>.<raw body>' with "
            "this secret. Verify it, and refuse a timestamp far from your clock (say, more "
            "than five minutes), so a captured delivery cannot be replayed."
        )
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "event_types",
            "active",
            "paused_at",
            "consecutive_failures",
            "secret",
            "created_at",
        ]
        read_only_fields = ["id", "paused_at", "consecutive_failures", "created_at"]

    def get_secret(self, subscription) -> str | None:
        return getattr(subscription, "plaintext_secret", None)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_type = serializers.CharField(source="event.type", help_text=_("The event's type."))
    summary = serializers.CharField(source="event.summary", help_text=_("The event in one line."))
    component = serializers.CharField(
        source="event.component.slug", help_text=_("Slug of the component concerned.")
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_type",
            "summary",
            "component",
            "status",
            "attempts",
            "response_status",
            "error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields


# --- publiccode.yml and harvesting ------------------------------------------


class FindingSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(
        choices=["error", "warning"],
        help_text=_("An error refuses the file; a warning is told and the file is accepted."),
    )
    path = serializers.CharField(
        allow_blank=True,
        help_text=_(
            "Key path in the file, e.g. 'description.nl.shortDescription' or "
            "'categories[0]'; empty for the file as a whole."
        ),
    )
    line = serializers.IntegerField(
        allow_null=True, help_text=_("Line in the file (1-based), where known.")
    )
    column = serializers.IntegerField(
        allow_null=True, help_text=_("Column in the file (1-based), where known.")
    )
    message = serializers.CharField(help_text=_("What is wrong, in English."))


class ClaimSerializer(serializers.Serializer):
    organisation = serializers.CharField(
        source="organisation.slug", help_text=_("Slug of the organisation named in usedBy.")
    )
    organisation_name = serializers.CharField(source="organisation.name", help_text=_("Its name."))
    assertion = serializers.ChoiceField(
        choices=Assertion.choices,
        help_text=_(
            "claimed (awaits the organisation's answer), or self for the publisher itself."
        ),
    )
    status = serializers.ChoiceField(
        choices=UsageStatus.choices, help_text=_("The usage status recorded.")
    )


class PubliccodeImportSerializer(serializers.Serializer):
    created = serializers.BooleanField(
        help_text=_("True when the file registered a new component (with dryRun: would register).")
    )
    component = ComponentSerializer(
        help_text=_("The component as it is now (with dryRun: as it would be).")
    )
    findings = FindingSerializer(
        many=True, help_text=_("Every warning about the file; an error would have refused it.")
    )
    claims = ClaimSerializer(
        many=True,
        help_text=_(
            "Claims recorded for organisations named in usedBy. A usage you can already "
            "see (the organisation's public one, or your earlier claim) is never touched, "
            "so it is not listed; a usage you may not see (government-only) gets your "
            "claim beside it, listed like any other."
        ),
    )
    unmatched_users = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("usedBy names that match no known organisation; kept as names."),
    )


class HarvestSourceSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    # The URL's SSRF guard and the interval's bounds are on the model fields,
    # shared with the members' pages.

    component = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Slug of the component the source last yielded."),
    )
    fetch_urls = serializers.SerializerMethodField(
        help_text=_(
            "The URLs the harvest fetches, in order: a GitHub repository "
            "https://github.com/{owner}/{repo} becomes "
            "https://raw.githubusercontent.com/{owner}/{repo}/HEAD/publiccode.yml, then "
            "publiccode.yaml; a GitLab repository https://gitlab.com/{path} becomes "
            "https://gitlab.com/{path}/-/raw/HEAD/publiccode.yml, then publiccode.yaml "
            "(HEAD: the default branch); a 'blob' link to a file its raw link; any other URL "
            "is fetched as it is."
        )
    )
    last_errors = FindingSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "What the last run found: the errors and warnings in the file, or why it "
            "could not be fetched (an error without path or line: timeout, too large, "
            "refused address, HTTP status). After a successful run, only warnings, if any."
        ),
    )

    class Meta:
        model = HarvestSource
        fields = [
            "id",
            "url",
            "interval_hours",
            "enabled",
            "component",
            "fetch_urls",
            "last_run_at",
            "last_status",
            "last_errors",
            "last_success_at",
            "vanished_since",
        ]
        read_only_fields = [
            "id",
            "last_run_at",
            "last_status",
            "last_success_at",
            "vanished_since",
        ]

    def get_fetch_urls(self, source) -> list[str]:

        return fetch_urls(source.url)
