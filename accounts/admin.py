from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, IdentityProvider, Membership, OidcIdentity, Organisation
from .secrets import encrypt


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


class IdentityProviderForm(forms.ModelForm):
    discovery_url = forms.URLField(
        label=_("discovery URL"),
        assume_scheme="https",
        max_length=500,
        help_text=_("The issuer's /.well-known/openid-configuration address."),
    )
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown; leave empty to keep the current one."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "discovery_url",
            "client_id",
            "client_secret",
            "sub_claim",
            "email_claim",
            "name_claim",
            "groups_claim",
            "role_mapping",
            "enabled",
        ]

    def save(self, commit=True):
        provider = super().save(commit=False)
        if self.cleaned_data.get("client_secret"):
            provider.client_secret_encrypted = encrypt(self.cleaned_data["client_secret"])
        if commit:
            provider.save()
        return provider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """Curators connect an organisation's OpenID Connect provider."""

    form = IdentityProviderForm
    list_display = ["organisation", "client_id", "discovery_url", "enabled"]
    list_filter = ["enabled"]
    search_fields = ["organisation__name", "client_id"]
    autocomplete_fields = ["organisation"]


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    list_display = ["subject", "issuer", "user", "organisation", "created_at"]
    search_fields = ["subject", "user__username", "organisation__name"]
    readonly_fields = ["user", "organisation", "issuer", "subject", "created_at"]

    def has_add_permission(self, request):
        return False
