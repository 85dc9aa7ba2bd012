from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cbs_code", "oin", "verified", "updated_at"]
    list_filter = ["kind", "verified"]
    search_fields = ["name", "slug", "cbs_code", "oin", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    actions = ["mark_verified"]

    @admin.action(description=_("Mark selected organisations as verified"))
    def mark_verified(self, request, queryset):
        count = queryset.update(verified=True)
        self.message_user(request, _("%(n)d organisations verified.") % {"n": count})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Curators see and revoke tokens; they never see a token itself (only its hash
    is stored). Tokens are issued with `create_token` or by members in the site."""

    list_display = [
        "name",
        "organisation",
        "key_prefix",
        "is_curator",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [
        "organisation__kind",
        "is_curator",
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "organisation__name", "key_prefix"]
    readonly_fields = [
        "organisation",
        "name",
        "key_prefix",
        "key_hash",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)
