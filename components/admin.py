from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Component,
    CustomerQuestion,
    Dependency,
    HarvestSource,
    License,
    Release,
    UnmatchedUser,
    UplProduct,
    Usage,
)


class ReleaseInline(admin.TabularInline):
    model = Release
    extra = 0
    fields = ["version", "release_date", "url"]


class UsageInline(admin.TabularInline):
    model = Usage
    fk_name = "component"
    extra = 0
    fields = ["organisation", "status", "visibility", "assertion", "claimed_by", "since", "until"]
    autocomplete_fields = ["organisation", "claimed_by"]


class DependencyInline(admin.TabularInline):
    model = Dependency
    fk_name = "component"
    extra = 0
    autocomplete_fields = ["depends_on"]


class UnmatchedUserInline(admin.TabularInline):
    model = UnmatchedUser
    extra = 0


@admin.register(Component)
class ComponentAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "layer",
        "development_status",
        "publisher",
        "license_expression",
        "updated_at",
    ]
    list_filter = [
        "kind",
        "layer",
        "development_status",
        "maintenance_type",
        "reuse_restriction",
        "publisher__kind",
        "customer_questions",
    ]
    search_fields = ["name", "slug", "short_description", "repository_url", "publisher__name"]
    list_select_related = ["publisher"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["publisher", "reuse_organisations", "upl_products"]
    filter_horizontal = ["customer_questions"]
    exclude = ["licenses"]
    inlines = [ReleaseInline, UsageInline, DependencyInline, UnmatchedUserInline]
    date_hierarchy = "updated_at"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.sync_licenses()


@admin.register(Release)
class ReleaseAdmin(SimpleHistoryAdmin):
    list_display = ["component", "version", "release_date"]
    list_filter = ["component__kind"]
    search_fields = ["component__name", "version"]
    autocomplete_fields = ["component"]
    date_hierarchy = "release_date"


@admin.register(Usage)
class UsageAdmin(SimpleHistoryAdmin):
    list_display = [
        "organisation",
        "component",
        "status",
        "visibility",
        "assertion",
        "claimed_by",
        "flagged",
    ]
    list_filter = [
        "status",
        "visibility",
        "assertion",
        "organisation__kind",
        ("restriction_flag", admin.EmptyFieldListFilter),
    ]
    search_fields = ["organisation__name", "component__name", "claimed_by__name"]
    list_select_related = ["organisation", "component", "claimed_by"]
    autocomplete_fields = ["organisation", "component", "release", "claimed_by"]

    @admin.display(boolean=True, description=_("flagged"))
    def flagged(self, usage):
        return bool(usage.restriction_flag)


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "is_osi_approved",
        "is_fsf_libre",
        "is_deprecated",
        "is_exception",
        "is_custom",
    ]
    list_filter = ["is_custom", "is_osi_approved", "is_fsf_libre", "is_deprecated", "is_exception"]
    search_fields = ["id", "name"]
    autocomplete_fields = ["owner", "superseded_by"]

    def get_readonly_fields(self, request, obj=None):
        # SPDX licences come from the maintained list; only custom ones are edited here.
        if obj is not None and not obj.is_custom:
            return [f.name for f in self.model._meta.fields]
        return []

    def get_changeform_initial_data(self, request):
        return {"is_custom": True, "id": "LicenseRef-"}


@admin.register(CustomerQuestion)
class CustomerQuestionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "position"]
    search_fields = ["name", "name_en", "code"]
    list_editable = ["position"]


@admin.register(UplProduct)
class UplProductAdmin(admin.ModelAdmin):
    list_display = ["name", "uri"]
    list_filter = ["customer_questions"]
    search_fields = ["name", "uri"]
    filter_horizontal = ["customer_questions"]


@admin.register(HarvestSource)
class HarvestSourceAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "organisation",
        "enabled",
        "last_status",
        "last_run_at",
        "last_success_at",
        "vanished_since",
    ]
    list_filter = ["enabled", "last_status"]
    search_fields = ["url", "organisation__name"]
    autocomplete_fields = ["organisation", "component"]
    readonly_fields = [
        "last_run_at",
        "last_status",
        "last_errors",
        "last_success_at",
        "last_good_content",
        "vanished_since",
    ]


@admin.register(UnmatchedUser)
class UnmatchedUserAdmin(admin.ModelAdmin):
    list_display = ["name", "component", "created_at"]
    search_fields = ["name", "component__name"]
