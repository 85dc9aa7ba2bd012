from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from accounts.constants import OrganisationKind
from accounts.models import Organisation
from components import standards
from components.constants import (
    Assertion,
    ComponentKind,
    DevelopmentStatus,
    Layer,
    UsageStatus,
    Visibility,
)
from components.models import Component, License, Usage
from components.query import Viewer


class EnglishOrderingFilter(django_filters.OrderingFilter):
    # The API documents itself in English; django-filter would translate this label
    # once, at import, into whatever language was active then.
    descending_fmt = "%s (descending)"


class TrueOrFalseField(forms.Field):
    """A boolean query parameter as the document declares it: `true` or `false`.
    Django's own field would read 0, 1, yes or True too, and silently ignore
    anything else (?osiApproved=maybe listed every licence); that is a 400 here."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Must be true or false.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    # Still a BooleanFilter, so the document calls it a boolean.
    field_class = TrueOrFalseField


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, compared in UTC. ISO 8601 allows offsets up to ±23:59,
    PostgreSQL only up to ±15:59: `+23:49` as given was a database error (503).
    A moment that leaves the calendar when moved to UTC (year 1 east of UTC) is
    a 400, not an overflow."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError(_("This moment is out of range."), code="invalid") from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class ComponentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        help_text=_("Full-text search over name and descriptions (Dutch and English)."),
    )
    # Columns of the component itself: no join, so no duplicate rows and no
    # DISTINCT (django-filter's default for multiple choices), which made
    # PostgreSQL sort the whole filtered set before the page (issue 14).
    kind = django_filters.MultipleChoiceFilter(
        choices=ComponentKind.choices,
        distinct=False,
        help_text=_("Kind of component; repeat for several."),
    )
    layer = django_filters.MultipleChoiceFilter(
        choices=Layer.choices,
        distinct=False,
        help_text=_("Common Ground layer; repeat for several."),
    )
    developmentStatus = django_filters.MultipleChoiceFilter(
        field_name="development_status",
        choices=DevelopmentStatus.choices,
        distinct=False,
        help_text=_("Development status; repeat for several."),
    )
    license = django_filters.CharFilter(
        method="filter_license",
        max_length=100,
        help_text=_(
            "An SPDX identifier (or LicenseRef); matches components whose licence "
            "expression names it anywhere, e.g. 'MIT' matches 'MIT OR Apache-2.0'."
        ),
    )
    publisher = django_filters.CharFilter(
        field_name="publisher__slug", max_length=200, help_text=_("Slug of the publisher.")
    )
    publisherKind = django_filters.ChoiceFilter(
        field_name="publisher__kind",
        choices=OrganisationKind.choices,
        help_text=_("Kind of the publishing organisation."),
    )
    customerQuestion = django_filters.CharFilter(
        field_name="customer_questions__code",
        max_length=50,
        help_text=_("Code of a customer question, e.g. 'verhuizen'."),
    )
    uplProduct = django_filters.CharFilter(
        field_name="upl_products__uri",
        max_length=300,
        help_text=_("URI of a UPL product."),
    )
    standard = django_filters.CharFilter(
        method="filter_standard",
        max_length=100,
        help_text=_("Slug of a registered standard: components that declare they implement it."),
    )
    meetsApiDesignRules = BooleanFilter(
        method="filter_meets_rules",
        help_text=_(
            "true: API components whose latest OpenAPI document check meets the NL API "
            "Design Rules; false: those whose latest check does not."
        ),
    )
    usedBy = django_filters.CharFilter(
        method="filter_used_by",
        max_length=200,
        help_text=_(
            "Slug of an organisation: components it uses. Government-only usages count "
            "only for viewers allowed to see them."
        ),
    )
    updatedSince = MomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Only components changed at or after this moment (ISO 8601 with offset)."),
    )
    ordering = EnglishOrderingFilter(
        fields=(
            ("name", "name"),
            ("updated_at", "updatedAt"),
            ("created_at", "createdAt"),
        ),
        field_labels={"name": "Name", "updated_at": "Updated at", "created_at": "Created at"},
        help_text=_("Sort order: name, updatedAt or createdAt; prefix with '-' to reverse."),
    )

    class Meta:
        model = Component
        fields = []

    def filter_q(self, queryset, name, value):
        # Filters only: the API orders by name or a date, never by relevance, so no
        # rank is computed.
        return queryset.matching(value)

    def filter_license(self, queryset, name, value):
        # The identifiers first (a few rows of the licence table), then an EXISTS
        # on the link table's (component, licence) index: a join would need DISTINCT.
        ids = list(License.objects.filter(id__iexact=value.strip()).values_list("id", flat=True))
        through = Component.licenses.through.objects
        return queryset.filter(
            Exists(through.filter(component_id=OuterRef("pk"), license_id__in=ids))
        )

    def filter_standard(self, queryset, name, value):
        return standards.implementing(queryset, [value])

    def filter_meets_rules(self, queryset, name, value):
        return queryset.meeting_api_design_rules(value)

    def filter_used_by(self, queryset, name, value):
        viewer = getattr(self.request, "viewer", None) or Viewer.anonymous()
        usages = Usage.objects.visible_to(viewer).counted().filter(organisation__slug=value)
        return queryset.filter(pk__in=usages.values("component_id"))


class UsageFilter(django_filters.FilterSet):
    component = django_filters.CharFilter(
        field_name="component__slug", max_length=100, help_text=_("Slug of the component.")
    )
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", max_length=200, help_text=_("Slug of the organisation.")
    )
    organisationKind = django_filters.ChoiceFilter(
        field_name="organisation__kind",
        choices=OrganisationKind.choices,
        help_text=_("Kind of the using organisation."),
    )
    claimedBy = django_filters.CharFilter(
        field_name="claimed_by__slug",
        max_length=200,
        help_text=_("Slug of the organisation that made the claim."),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=UsageStatus.choices, help_text=_("Usage status; repeat for several.")
    )
    visibility = django_filters.ChoiceFilter(
        choices=Visibility.choices, help_text=_("Visibility of the usage.")
    )
    assertion = django_filters.MultipleChoiceFilter(
        choices=Assertion.choices, help_text=_("How the usage is known; repeat for several.")
    )
    updatedSince = MomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Only usages changed at or after this moment (ISO 8601 with offset)."),
    )

    class Meta:
        model = Usage
        fields = []


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=200, help_text=_("Part of the name, slug or CBS code.")
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=OrganisationKind.choices, help_text=_("Kind of organisation; repeat for several.")
    )
    verified = BooleanFilter(help_text=_("Only verified (or unverified) ones."))

    class Meta:
        model = Organisation
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(slug__icontains=value) | Q(cbs_code__iexact=value)
        )


class LicenseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=200, help_text=_("Part of the identifier or name.")
    )
    osiApproved = BooleanFilter(
        field_name="is_osi_approved", help_text=_("Only OSI-approved licences (or not).")
    )
    custom = BooleanFilter(
        field_name="is_custom", help_text=_("Only custom LicenseRef licences (or not).")
    )
    exception = BooleanFilter(
        field_name="is_exception", help_text=_("Only licence exceptions (or not).")
    )

    class Meta:
        model = License
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(id__icontains=value) | Q(name__icontains=value))
