"""The members' pages for their organisation's integrations: list, record
(picking the components by name), edit and remove them, and answer the
integrations other organisations propose (on the claims page).

Like every member page, the organisation comes from the URL and is looked up
among the user's own memberships, so another organisation's pages are a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.views import membership_or_404

from .constants import Assertion, ComponentKind
from .forms import PICKER_SIZE, IntegrationForm, matching_components
from .models import CARRIER_KINDS, OWN_WORD, Component, Integration

# The no-JavaScript suggestions list standards by name (there are few); APIs
# are found by the combobox, or typed.
DATALIST_SIZE = 300


def _urls(org):
    url = reverse("member-integration-components", kwargs={"organisation": org.slug})
    return {"used": f"{url}?scope=used", "standards": f"{url}?scope=standards"}


def _own(organisation):
    return (
        Integration.objects.filter(organisation=organisation)
        .select_related(
            "source_usage__component", "target_usage__component", "standard", "claimed_by"
        )
        .order_by("source_usage__component__name", "target_usage__component__name", "id")
    )


def _form_page(request, membership, form, integration):
    org = membership.organisation
    used = Component.objects.filter(
        pk__in=org.usages.filter(assertion__in=OWN_WORD).values("component_id")
    ).order_by("name")
    standards = Component.objects.filter(kind=ComponentKind.STANDARD).order_by("name")
    return render(
        request,
        "components/members/integration_form.html",
        {
            "membership": membership,
            "organisation": org,
            "form": form,
            "integration": integration,
            "used": used.only("name"),
            "standards": standards.only("name")[:DATALIST_SIZE],
        },
    )


@login_required
def integration_list(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    return render(
        request,
        "components/members/integration_list.html",
        {
            "membership": membership,
            "organisation": org,
            "integrations": _own(org).filter(assertion__in=OWN_WORD),
        },
    )


@login_required
def integration_create(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    form = IntegrationForm(request.POST or None, organisation=org, urls=_urls(org))
    if request.method == "POST" and form.is_valid():
        integration = form.save(commit=False)
        integration.assertion = Assertion.SELF
        integration.save()
        messages.success(
            request,
            _("Recorded the integration from %(source)s to %(target)s.")
            % {
                "source": integration.source_usage.component.name,
                "target": integration.target_usage.component.name,
            },
        )
        return redirect("member-integrations", organisation=org.slug)
    return _form_page(request, membership, form, None)


def _own_integration(membership, pk):
    return get_object_or_404(_own(membership.organisation).filter(assertion__in=OWN_WORD), pk=pk)


@login_required
def integration_edit(request, organisation, pk):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    integration = _own_integration(membership, pk)
    form = IntegrationForm(
        request.POST or None, instance=integration, organisation=org, urls=_urls(org)
    )
    if request.method == "POST" and form.is_valid():
        integration = form.save()
        messages.success(
            request,
            _("Saved the integration from %(source)s to %(target)s.")
            % {
                "source": integration.source_usage.component.name,
                "target": integration.target_usage.component.name,
            },
        )
        return redirect("member-integrations", organisation=org.slug)
    return _form_page(request, membership, form, integration)


@login_required
def integration_remove(request, organisation, pk):
    membership = membership_or_404(request, organisation)
    integration = _own_integration(membership, pk)
    if request.method == "POST":
        integration.delete()
        messages.success(
            request,
            _("Removed the integration from %(source)s to %(target)s.")
            % {
                "source": integration.source_usage.component.name,
                "target": integration.target_usage.component.name,
            },
        )
        return redirect("member-integrations", organisation=membership.organisation.slug)
    return render(
        request,
        "components/members/integration_remove.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "integration": integration,
        },
    )


@login_required
def integration_components_json(request, organisation):
    """The pickers' matches: components the organisation uses (scope=used), or
    standards and APIs (scope=standards)."""
    membership = membership_or_404(request, organisation)
    text = request.GET.get("q", "")
    if request.GET.get("scope") == "standards":
        matches = matching_components(text).filter(kind__in=CARRIER_KINDS)
    else:
        used = membership.organisation.usages.filter(assertion__in=OWN_WORD)
        matches = matching_components(text).filter(pk__in=used.values("component_id"))
    results = [
        {"slug": c.slug, "name": c.name, "publisher": c.publisher.name}
        for c in matches[:PICKER_SIZE]
    ]
    return JsonResponse({"results": results})


@login_required
@require_POST
def integration_claim_answer(request, organisation, pk):
    membership = membership_or_404(request, organisation)
    claim = get_object_or_404(
        _own(membership.organisation).exclude(assertion=Assertion.SELF),
        pk=pk,
        claimed_by__isnull=False,
    )
    decision = request.POST.get("decision")
    if decision not in ("confirm", "reject"):
        messages.error(request, _("Choose whether to confirm or reject the claim."))
        return redirect("member-claims", organisation=membership.organisation.slug)
    claim.answer(Assertion.CONFIRMED if decision == "confirm" else Assertion.REJECTED)
    names = {
        "source": claim.source_usage.component.name,
        "target": claim.target_usage.component.name,
    }
    if decision == "confirm":
        text = _("Confirmed the integration from %(source)s to %(target)s.")
    else:
        text = _("Rejected the proposed integration from %(source)s to %(target)s.")
    messages.success(request, text % names)
    return redirect("member-claims", organisation=membership.organisation.slug)
