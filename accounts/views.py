"""Signing in and out, the member's home and their organisation's home, and its
API tokens. The pages where members work on the catalogue (usages, claims,
licences, publishing) live with the catalogue, in components/members.py.

Every member page takes the organisation from the URL and looks it up among
the user's own memberships (membership_or_404), so another organisation's
pages are a 404.
"""

import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from audit.recording import note_organisation
from components.constants import Assertion

from . import oidc
from .constants import MemberRole
from .forms import SignInForm, TokenForm
from .models import ApiToken, IdentityProvider, Membership


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["providers"] = (
            IdentityProvider.objects.filter(enabled=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        return context


def sign_in_with_organisation(request):
    """The choice of the sign-in page's list: on to that organisation's provider."""
    slug = request.GET.get("organisation", "")
    if not IdentityProvider.objects.filter(organisation__slug=slug, enabled=True).exists():
        messages.error(request, _("Choose your organisation."))
        return redirect("login")
    return redirect("oidc-start", organisation=slug)


class SignOutView(auth_views.LogoutView):
    """Signs out here, and a person who signed in through their organisation's
    identity provider is sent on to sign out there too."""

    def post(self, request, *args, **kwargs):
        provider_pk = request.session.get(oidc.SIGNED_IN_WITH)
        id_token = request.session.get(oidc.ID_TOKEN, "")
        response = super().post(request, *args, **kwargs)
        if provider_pk:
            there = oidc.end_session_url(request, provider_pk, id_token)
            if there:
                return HttpResponseRedirect(there)
        return response


def membership_or_404(request, slug):
    """The door of every member page, here and in components/members.py: the
    signed-in user's membership of the organisation in the URL, so another
    organisation's pages are a 404, as if they did not exist."""
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"),
        user=request.user,
        organisation__slug=slug,
    )
    note_organisation(request, membership.organisation)
    # An organisation awaiting a curator (concept) reads its pages but changes
    # nothing yet: it publishes nothing, records no usage, gets no API token.
    if membership.organisation.is_concept and request.method not in ("GET", "HEAD", "OPTIONS"):
        raise PermissionDenied(
            _(
                "%(name)s awaits a curator's approval; until then it can look around but "
                "not publish, record usages or get API tokens."
            )
            % {"name": membership.organisation.name}
        )
    return membership


@login_required
def member_home(request):
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if len(memberships) == 1:
        return redirect("member-organisation", organisation=memberships[0].organisation.slug)
    return render(request, "accounts/member_home.html", {"memberships": memberships})


@login_required
def organisation_home(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    return render(
        request,
        "accounts/organisation_home.html",
        {
            "membership": membership,
            "organisation": org,
            "usage_count": org.usages.exclude(assertion=Assertion.REJECTED).count(),
            "open_claims": org.usages.filter(assertion=Assertion.CLAIMED).count(),
            "token_count": org.api_tokens.active().count(),
        },
    )


def _require_admin(membership):
    if membership.role != MemberRole.ADMIN:
        raise PermissionDenied(_("Only administrators of the organisation manage its tokens."))


@never_cache
@login_required
def token_list(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    is_admin = membership.role == MemberRole.ADMIN
    form = TokenForm(request.POST or None, organisation=org)
    issued = None
    if request.method == "POST":
        _require_admin(membership)
        if form.is_valid():
            expires = form.cleaned_data["expires_at"]
            if expires:
                expires = timezone.make_aware(datetime.datetime.combine(expires, datetime.time.min))
            with transaction.atomic():
                token, plaintext = ApiToken.issue(
                    org, form.cleaned_data["name"], created_by=request.user, expires_at=expires
                )
            # Shown in this response only: it is never stored, and never shown again.
            issued = {"token": token, "plaintext": plaintext}
            form = TokenForm(organisation=org)
    tokens = org.api_tokens.select_related("created_by").order_by("revoked_at", "name")
    return render(
        request,
        "accounts/token_list.html",
        {
            "membership": membership,
            "organisation": org,
            "tokens": tokens,
            "form": form,
            "issued": issued,
            "is_admin": is_admin,
        },
    )


@login_required
@require_POST
def token_revoke(request, organisation, pk):
    membership = membership_or_404(request, organisation)
    _require_admin(membership)
    token = get_object_or_404(ApiToken, pk=pk, organisation=membership.organisation)
    token.revoke()
    messages.success(request, _("Revoked the token '%(name)s'.") % {"name": token.name})
    return redirect("member-tokens", organisation=membership.organisation.slug)
