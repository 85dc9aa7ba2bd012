"""Becoming a member: choosing a password from a one-time link, and inviting a
colleague (an organisation's administrators)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .constants import MemberRole
from .invitations import MemberExists, add_member, send_invitation
from .models import Membership, OidcIdentity
from .views import membership_or_404


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link: choose a password, then you are signed in."""

    template_name = "accounts/set_password.html"
    post_reset_login = True
    # Several backends are configured (django-axes first): name the one that signs in.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("member-home")


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of your colleague"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=MemberRole.choices,
        initial=MemberRole.EDITOR,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Administrators also manage API tokens and invite members."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=MemberRole.choices, initial=MemberRole.EDITOR, widget=forms.RadioSelect
    )

    def __init__(self, identity, *args, **kwargs):
        super().__init__(*args, auto_id=f"id_waiting{identity.pk}_%s", **kwargs)
        user = identity.user
        self.fields[
            "role"
        ].label = f"{user.get_full_name() or identity.subject} ({user.email or identity.subject})"


@login_required
def member_invite(request, organisation):
    membership = membership_or_404(request, organisation)
    if membership.role != MemberRole.ADMIN:
        raise PermissionDenied
    org = membership.organisation
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = add_member(org, form.cleaned_data["email"], form.cleaned_data["role"])
        except MemberExists:
            form.add_error("email", _("This person is already a member of your organisation."))
        else:
            send_invitation(user, org, request.user.get_full_name() or request.user.email)
            messages.success(
                request,
                _("Invitation sent to %(email)s; the link is valid for 7 days.")
                % {"email": user.email},
            )
            return redirect("member-invite", organisation=org.slug)
    members = (
        Membership.objects.filter(organisation=org).select_related("user").order_by("user__email")
    )
    # People who signed in with the organisation's identity provider and have no role yet.
    waiting = (
        OidcIdentity.objects.filter(organisation=org)
        .exclude(user__memberships__organisation=org)
        .select_related("user")
        .order_by("created_at")
    )
    return render(
        request,
        "accounts/member_invite.html",
        {
            "membership": membership,
            "organisation": org,
            "form": form,
            "members": members,
            "waiting": [(identity, RoleForm(identity)) for identity in waiting],
        },
    )


@login_required
@require_POST
def member_grant_role(request, organisation, pk):
    """An administrator gives a role to someone who signed in with the
    organisation's identity provider and had none."""
    membership = membership_or_404(request, organisation)
    if membership.role != MemberRole.ADMIN:
        raise PermissionDenied
    org = membership.organisation
    identity = get_object_or_404(
        OidcIdentity.objects.select_related("user"), pk=pk, organisation=org
    )
    role = request.POST.get("role")
    if role not in MemberRole.values:
        messages.error(request, _("Choose a role."))
        return redirect("member-invite", organisation=org.slug)
    _membership, created = Membership.objects.get_or_create(
        user=identity.user, organisation=org, defaults={"role": role}
    )
    if created:
        messages.success(
            request,
            _("%(name)s is now a member (%(role)s).")
            % {
                "name": identity.user.get_full_name() or identity.user.email,
                "role": MemberRole(role).label.lower(),
            },
        )
    return redirect("member-invite", organisation=org.slug)
