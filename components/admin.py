import hashlib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import licensing
from .constants import TakeOverStatus
from .models import (
    Component,
    CustomerQuestion,
    Dependency,
    Event,
    ForeignRecord,
    HarvestSource,
    Integration,
    License,
    Peer,
    Release,
    TakeOverClaim,
    UnmatchedUser,
    UplProduct,
    Usage,
    WebhookDelivery,
    WebhookSubscription,
)
from .takeover import confirm_takeover, merge_components, plan_component_merge, refuse_takeover


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
    fields = ["depends_on", "name", "how_used", "kind", "version", "license_expression"]
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
        # Orphaned: a harvest source no longer lists it; curators decide what happens next.
        ("orphaned_at", admin.EmptyFieldListFilter),
        # Concept: added by an organisation that uses it, awaiting its vendor.
        ("concept_by", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "slug", "short_description", "repository_url", "publisher__name"]
    actions = ["merge_into"]
    list_select_related = ["publisher"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["publisher", "reuse_organisations", "upl_products", "concept_by"]
    filter_horizontal = ["customer_questions"]
    exclude = ["licenses"]
    inlines = [ReleaseInline, UsageInline, DependencyInline, UnmatchedUserInline]
    date_hierarchy = "updated_at"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.sync_licenses()

    @admin.action(description=_("Merge the selected duplicate into another component…"))
    def merge_into(self, request, queryset):
        """Two steps, as for organisations: name the component that stays, see
        what moves and conflicts, confirm. The old slug answers 301."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one component to merge."), messages.ERROR)
            return None
        source = queryset.get()
        target_slug = request.POST.get("target", "").strip()
        target = Component.objects.filter(slug=target_slug).exclude(pk=source.pk).first()
        error, lines = None, None
        if target_slug and target is None:
            error = _("No other component has the slug '%(slug)s'.") % {"slug": target_slug}
        elif target is not None:
            if request.POST.get("confirm") == "yes":
                merge_components(source, target)
                self.message_user(
                    request,
                    _("Merged %(b)s into %(a)s.") % {"b": source.name, "a": target.name},
                    messages.SUCCESS,
                )
                return None
            lines = plan_component_merge(source, target)
        return TemplateResponse(
            request,
            "admin/components/component/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge %(name)s into another component") % {"name": source.name},
                "source": source,
                "target_slug": target_slug,
                "error": error,
                "lines": lines,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


@admin.register(TakeOverClaim)
class TakeOverClaimAdmin(admin.ModelAdmin):
    """Vendors' claims that a concept component is theirs; a curator confirms
    (the vendor then publishes it) or refuses."""

    list_display = ["component", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["component", "organisation"]
    readonly_fields = ["component", "organisation", "status", "created_at", "decided_at"]
    actions = ["confirm", "refuse"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Confirm: the claimant publishes the component"))
    def confirm(self, request, queryset):
        claims = list(queryset.filter(status=TakeOverStatus.PENDING).select_related("organisation"))
        for claim in claims:
            confirm_takeover(claim)
        self.message_user(request, _("%(n)d claims confirmed.") % {"n": len(claims)})

    @admin.action(description=_("Refuse the selected claims"))
    def refuse(self, request, queryset):
        claims = list(queryset.filter(status=TakeOverStatus.PENDING))
        for claim in claims:
            refuse_takeover(claim)
        self.message_user(request, _("%(n)d claims refused.") % {"n": len(claims)})


@admin.register(Release)
class ReleaseAdmin(SimpleHistoryAdmin):
    list_display = ["component", "version", "release_date"]
    list_filter = ["component__kind"]
    search_fields = ["component__name", "version"]
    autocomplete_fields = ["component"]
    date_hierarchy = "release_date"


@admin.register(Integration)
class IntegrationAdmin(SimpleHistoryAdmin):
    list_display = [
        "organisation",
        "source_usage",
        "target_usage",
        "standard",
        "direction",
        "status",
        "visibility",
        "assertion",
    ]
    list_filter = ["status", "direction", "visibility", "assertion"]
    search_fields = [
        "organisation__name",
        "source_usage__component__name",
        "target_usage__component__name",
        "standard__name",
    ]
    list_select_related = [
        "organisation",
        "source_usage__organisation",
        "source_usage__component",
        "target_usage__organisation",
        "target_usage__component",
        "standard",
    ]
    autocomplete_fields = [
        "organisation",
        "source_usage",
        "target_usage",
        "standard",
        "claimed_by",
    ]


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
        "restriction_flag",
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
    # Computed on every save from the component's reuse restriction (Usage.save).
    readonly_fields = ["restriction_flag"]
    actions = ["recompute_flags"]

    @admin.display(boolean=True, description=_("flagged"))
    def flagged(self, usage):
        return bool(usage.restriction_flag)

    @admin.action(description=_("Recompute the restriction flags of the selected usages"))
    def recompute_flags(self, request, queryset):
        changed = licensing.recompute_flags(queryset)
        self.message_user(
            request, _("%(n)d flag(s) changed.") % {"n": changed}, level=messages.SUCCESS
        )


class CustomLicenseForm(forms.ModelForm):
    """The add form: every licence added here is a custom LicenseRef-… licence,
    validated as one (the SPDX ones come from the maintained list)."""

    url = forms.URLField(
        label=_("URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the licence text is published."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.instance.is_custom = True


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin):
    form = CustomLicenseForm
    list_display = [
        "id",
        "name",
        "is_osi_approved",
        "is_fsf_libre",
        "is_deprecated",
        "is_exception",
        "is_custom",
        "reuse_allowed",
        "owner",
    ]
    list_filter = [
        "is_custom",
        "reuse_allowed",
        "is_osi_approved",
        "is_fsf_libre",
        "is_deprecated",
        "is_exception",
    ]
    search_fields = ["id", "name"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner", "superseded_by"]
    # What a curator keeps of a custom licence; expressions may name it at once.
    custom_fields = ["id", "name", "url", "summary", "reuse_allowed", "owner"]

    def get_fields(self, request, obj=None):
        if obj is None or obj.is_custom:
            return self.custom_fields
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # SPDX licences come from the maintained list; only custom ones are edited here,
        # and a custom licence keeps its id (expressions name it).
        if obj is not None and not obj.is_custom:
            return [f.name for f in self.model._meta.fields]
        if obj is not None:
            return ["id"]
        return []

    def get_changeform_initial_data(self, request):
        return {"id": "LicenseRef-"}


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
        "etag",
        "last_modified",
    ]


@admin.register(UnmatchedUser)
class UnmatchedUserAdmin(admin.ModelAdmin):
    list_display = ["name", "component", "created_at"]
    search_fields = ["name", "component__name"]


class RecordAdmin(admin.ModelAdmin):
    """A log of what happened: curators read it, nobody adds, edits or deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(RecordAdmin):
    """What happened, as sent to webhooks and feeds: a record, not for editing."""

    list_display = ["created_at", "type", "component", "organisation", "summary"]
    list_filter = ["type"]
    search_fields = ["summary", "component__name", "organisation__name"]
    list_select_related = ["component", "organisation"]
    date_hierarchy = "created_at"


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Curators pause a noisy webhook and resume it. Organisations make and change
    their subscriptions through the API, which shows the secret once; here it is
    shown only as a hash, to compare with the organisation's copy."""

    list_display = [
        "url",
        "organisation",
        "active",
        "paused",
        "paused_at",
        "consecutive_failures",
        "created_at",
    ]
    list_filter = ["active", ("paused_at", admin.EmptyFieldListFilter), "organisation__kind"]
    search_fields = ["url", "organisation__name"]
    list_select_related = ["organisation"]
    fields = [
        "organisation",
        "url",
        "event_types",
        "active",
        "paused_at",
        "consecutive_failures",
        "secret_sha256",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["pause", "resume"]

    def has_add_permission(self, request):
        return False

    @admin.display(boolean=True, description=_("paused"))
    def paused(self, subscription):
        return subscription.paused_at is not None

    @admin.display(description=_("secret (SHA-256)"))
    def secret_sha256(self, subscription):
        return hashlib.sha256(subscription.secret.encode()).hexdigest()

    # Each one saved, not a queryset update(): the save signal is what tells the
    # API's response cache that the subscription changed.
    @admin.action(description=_("Pause the selected webhooks"), permissions=["change"])
    def pause(self, request, queryset):
        now = timezone.now()
        paused = 0
        for subscription in queryset.filter(paused_at__isnull=True):
            subscription.paused_at = now
            subscription.save(update_fields=["paused_at"])
            paused += 1
        self.message_user(
            request, _("%(n)d webhook(s) paused.") % {"n": paused}, level=messages.SUCCESS
        )

    @admin.action(description=_("Resume the selected webhooks"), permissions=["change"])
    def resume(self, request, queryset):
        # As a resume through the API: the failure count starts again.
        resumed = 0
        for subscription in queryset.filter(paused_at__isnull=False):
            subscription.paused_at = None
            subscription.consecutive_failures = 0
            subscription.save(update_fields=["paused_at", "consecutive_failures"])
            resumed += 1
        self.message_user(
            request, _("%(n)d webhook(s) resumed.") % {"n": resumed}, level=messages.SUCCESS
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RecordAdmin):
    """The delivery log: what was sent where, and how the receiver answered."""

    list_display = [
        "created_at",
        "subscription",
        "event",
        "status",
        "attempts",
        "response_status",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status"]
    search_fields = ["subscription__url", "subscription__organisation__name", "event__summary"]
    list_select_related = ["subscription", "event"]
    date_hierarchy = "created_at"


@admin.register(ForeignRecord)
class ForeignRecordAdmin(RecordAdmin):
    """Where components that were not published here came from (import_don,
    federate); written by those commands only."""

    list_display = ["component", "source", "origin", "external_id", "read_only", "imported_at"]
    list_filter = ["source", "read_only", "origin"]
    search_fields = ["external_id", "component__name", "component__slug"]
    list_select_related = ["component"]


@admin.register(Peer)
class PeerAdmin(RecordAdmin):
    """The peer registries manage.py federate reads, and how far it got."""

    list_display = ["api_url", "cursor", "last_run_at"]
