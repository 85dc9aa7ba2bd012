from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .constants import OrganisationStatus
from .models import (
    ApiToken,
    CooperationMember,
    IdentityProvider,
    Membership,
    OidcIdentity,
    Organisation,
)
from .registration import send_decision
from .secrets import encrypt


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class CooperationMemberInline(admin.TabularInline):
    """A cooperation's member organisations; whether one lets the cooperation
    record its usages is the member's own choice (on its page), so read-only here."""

    model = CooperationMember
    fk_name = "cooperation"
    extra = 0
    autocomplete_fields = ["member"]
    readonly_fields = ["records_usages", "granted_at"]


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that carries on: everything moves to it."),
    )
    tokens = forms.ChoiceField(
        label=_("API tokens of the organisation merged away"),
        choices=[("revoke", _("Revoke them")), ("move", _("Move them"))],
        widget=forms.RadioSelect,
        initial="revoke",
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Organisation.objects.exclude(pk=source.pk)
            .filter(merged_into__isnull=True)
            .exclude(status=OrganisationStatus.ENDED)
            .order_by("name")
        )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Curators approve or refuse self-registered (concept) organisations, end
    organisations that cease to exist, and merge one into another. An
    organisation is never deleted, except a refused registration."""

    list_display = ["name", "kind", "status", "cbs_code", "oin", "kvk_number", "verified"]
    list_filter = ["status", "kind", "verified"]
    search_fields = ["name", "slug", "cbs_code", "oin", "kvk_number", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["successor"]
    readonly_fields = ["merged_into"]
    inlines = [MembershipInline, CooperationMemberInline]
    actions = ["approve", "refuse", "merge_into", "mark_verified"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.is_concept and super().has_delete_permission(request, obj)

    @admin.action(description=_("Mark selected organisations as verified"))
    def mark_verified(self, request, queryset):
        count = queryset.update(verified=True)
        self.message_user(request, _("%(n)d organisations verified.") % {"n": count})

    @admin.action(description=_("Approve the selected registrations (e-mails the decision)"))
    def approve(self, request, queryset):
        approved = 0
        for organisation in queryset.filter(status=OrganisationStatus.CONCEPT):
            organisation.status = OrganisationStatus.ACTIVE
            try:
                # The identifiers' formats (OIN, CBS code, KvK number) are checked again.
                organisation.full_clean()
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("%(name)s is not approved: %(errors)s")
                    % {"name": organisation.name, "errors": "; ".join(exc.messages)},
                    messages.ERROR,
                )
                continue
            with transaction.atomic():
                organisation.save(update_fields=["status", "updated_at"])
            send_decision(organisation, approved=True)
            approved += 1
        self.message_user(
            request, _("%(n)d registrations approved.") % {"n": approved}, messages.SUCCESS
        )

    @admin.action(description=_("Merge the selected organisation into another…"))
    def merge_into(self, request, queryset):
        """Two steps: choose the target and what happens to the tokens, see
        exactly what will move and conflict (the dry run), then confirm."""
        # Imported here: the catalogue's models import this app's.
        from components.merging import MergeError, merge, plan_merge

        if queryset.count() != 1:
            self.message_user(
                request, _("Choose exactly one organisation to merge."), messages.ERROR
            )
            return None
        source = queryset.get()
        form = MergeForm(request.POST if "target" in request.POST else None, source=source)
        lines = None
        if form.is_valid():
            target, tokens = form.cleaned_data["target"], form.cleaned_data["tokens"]
            try:
                if request.POST.get("confirm") == "yes":
                    merge(source, target, tokens)
                    self.message_user(
                        request,
                        _("Merged %(b)s into %(a)s.") % {"b": source.name, "a": target.name},
                        messages.SUCCESS,
                    )
                    return None
                lines = plan_merge(source, target, tokens).lines()
            except MergeError as exc:
                form.add_error(None, str(exc))
        return TemplateResponse(
            request,
            "admin/accounts/organisation/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge %(name)s into another organisation") % {"name": source.name},
                "source": source,
                "form": form,
                "lines": lines,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Refuse the selected registrations (e-mails the decision)"))
    def refuse(self, request, queryset):
        refused = 0
        for organisation in queryset.filter(status=OrganisationStatus.CONCEPT):
            send_decision(organisation, approved=False)
            # A concept published nothing and recorded nothing; its accounts stay.
            organisation.delete()
            refused += 1
        self.message_user(
            request, _("%(n)d registrations refused.") % {"n": refused}, messages.SUCCESS
        )


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
