"""Cooperations act for their members (issue 17): much municipal IT runs
through a samenwerkingsverband. A cooperation lists its member organisations
(curators keep the list, in the admin); a member organisation lets the
cooperation record its usages, or not (its administrators decide, here); the
cooperation's members then record usages on its behalf. Such a usage names
both (`recorded_via`), and the member organisation sees it among its usages
and can withdraw it.

A person who is a member of several organisations switches between them
without signing out: every member page has the organisation in its address,
and the member's home lists them all (accounts.views.member_home).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.constants import MemberRole, OrganisationKind
from accounts.models import CooperationMember, Organisation
from accounts.views import membership_or_404

from .constants import Assertion
from .forms import UsageForm
from .licensing import NOT_ALLOWED, reuse_verdict
from .models import OWN_WORD, Usage


class OnBehalfForm(UsageForm):
    """A usage recorded by a cooperation for one of its members that allowed it."""

    member = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("Member organisations that let the cooperation record usages."),
    )

    field_order = ["member", "component"]

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, organisation=cooperation, **kwargs)
        self.fields["member"].queryset = Organisation.objects.filter(
            cooperations__cooperation=cooperation, cooperations__records_usages=True
        ).order_by("name")
        self.order_fields(self.field_order)

    def clean_component(self):
        component = self.cleaned_data["component"]
        member = self.cleaned_data.get("member")
        if (
            member
            and Usage.objects.filter(
                organisation=member, component=component, assertion__in=OWN_WORD
            ).exists()
        ):
            raise forms.ValidationError(
                _("%(org)s already records a usage of this component.") % {"org": member.name}
            )
        return component


def _cooperation_or_404(membership):
    if membership.organisation.kind != OrganisationKind.COOPERATION:
        raise Http404
    return membership.organisation


@login_required
def cooperation_page(request, organisation):
    """What a member organisation lets cooperations do, the usages they recorded
    for it; and, for a cooperation, its members."""
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    return render(
        request,
        "components/members/cooperations.html",
        {
            "membership": membership,
            "organisation": org,
            "places": org.cooperations.select_related("cooperation").order_by("cooperation__name"),
            "on_behalf": org.usages.filter(recorded_via__isnull=False)
            .select_related("component", "recorded_via")
            .order_by("component__name"),
            "members": org.cooperation_members.select_related("member").order_by("member__name")
            if org.kind == OrganisationKind.COOPERATION
            else None,
            "is_admin": membership.role == MemberRole.ADMIN,
        },
    )


@login_required
@require_POST
def cooperation_grant(request, organisation, pk):
    """The member organisation's administrators allow or stop the cooperation
    recording its usages (usages recorded already stay, each withdrawable)."""
    membership = membership_or_404(request, organisation)
    if membership.role != MemberRole.ADMIN:
        raise PermissionDenied(_("Only administrators of the organisation decide this."))
    place = get_object_or_404(
        CooperationMember.objects.select_related("cooperation"),
        pk=pk,
        member=membership.organisation,
    )
    allow = request.POST.get("allow") == "yes"
    place.records_usages = allow
    place.granted_at = timezone.now() if allow else None
    place.save(update_fields=["records_usages", "granted_at"])
    text = (
        _("%(c)s may now record your organisation's usages.")
        if allow
        else _("%(c)s may no longer record your organisation's usages.")
    )
    messages.success(request, text % {"c": place.cooperation.name})
    return redirect("member-cooperations", organisation=membership.organisation.slug)


@login_required
@require_POST
def usage_withdraw(request, organisation, pk):
    """The member organisation withdraws a usage a cooperation recorded for it."""
    membership = membership_or_404(request, organisation)
    usage = get_object_or_404(
        Usage.objects.select_related("component", "recorded_via"),
        pk=pk,
        organisation=membership.organisation,
        recorded_via__isnull=False,
    )
    usage.delete()
    messages.success(
        request,
        _("Withdrew the usage of %(c)s that %(coop)s recorded.")
        % {"c": usage.component.name, "coop": usage.recorded_via.name},
    )
    return redirect("member-cooperations", organisation=membership.organisation.slug)


@login_required
def record_on_behalf(request, organisation):
    membership = membership_or_404(request, organisation)
    cooperation = _cooperation_or_404(membership)
    form = OnBehalfForm(request.POST or None, cooperation=cooperation)
    # The component picker of the usage form (a combobox with JavaScript; without
    # it the box takes a name or an identifier).
    form.fields["component"].widget.attrs["data-picker"] = reverse(
        "member-usage-components", kwargs={"organisation": cooperation.slug}
    )
    refused = None  # as on the member's own form: a not-allowed verdict is confirmed first
    if request.method == "POST" and form.is_valid():
        component, member = form.cleaned_data["component"], form.cleaned_data["member"]
        verdict = reuse_verdict(component, member)
        # The confirmation names the component and the member organisation, so that
        # confirming one never lets another through unasked.
        if verdict.verdict == NOT_ALLOWED and (
            request.POST.get("confirmed") != f"{component.slug}:{member.pk}"
        ):
            refused = verdict
    if request.method == "POST" and form.is_valid() and refused is None:
        with transaction.atomic():
            usage = form.save(commit=False)
            usage.organisation = form.cleaned_data["member"]
            usage.recorded_via = cooperation
            usage.assertion = Assertion.SELF
            usage.save()
        messages.success(
            request,
            _("Recorded that %(org)s uses %(c)s.")
            % {"org": usage.organisation.name, "c": usage.component.name},
        )
        return redirect("member-cooperations", organisation=cooperation.slug)
    return render(
        request,
        "components/members/on_behalf.html",
        {
            "membership": membership,
            "organisation": cooperation,
            "form": form,
            "refused": refused,
            "component": form.cleaned_data["component"] if refused else None,
            "member": form.cleaned_data["member"] if refused else None,
        },
    )
