"""The members' pages that work on the catalogue for their organisation: record
(picking the component by name, and confirming a usage its reuse restriction
does not allow), edit and stop its usages, answer claims about it, read its licence report (and
download it as CSV), check and import a publiccode.yml, and follow its harvest
sources and webhooks (which its administrators also add, change, run, pause and
remove). Signing in, tokens and the organisation's home are
identity, in accounts/views.py.

Every page takes the organisation from the URL and looks it up among the user's
own memberships (accounts.views.membership_or_404), so another organisation's
pages are a 404.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.constants import MemberRole
from accounts.views import membership_or_404

from . import harvest, tasks
from .constants import Assertion, UsageStatus
from .exports import SafeWriter
from .feeds import describe as describe_event
from .forms import (
    ALREADY_SUBSCRIBED,
    HarvestSourceForm,
    PubliccodeForm,
    UsageForm,
    WebhookForm,
    find_components,
)
from .licensing import NOT_ALLOWED, licence_report_rows, reuse_verdict
from .licensing import licence_report as build_licence_report
from .models import (
    Component,
    HarvestSource,
    Integration,
    Usage,
    WebhookDelivery,
    WebhookSubscription,
)
from .notifications import delivery_error
from .publiccode import import_publiccode
from .query import viewer_of

USAGES_PAGE_SIZE = 100
CLAIMS_SHOWN = 100
DELIVERIES_SHOWN = 20

logger = logging.getLogger(__name__)


@login_required
def usage_list(request, organisation):
    membership = membership_or_404(request, organisation)
    usages = (
        membership.organisation.usages.exclude(assertion=Assertion.REJECTED)
        .select_related("component", "release", "claimed_by", "recorded_via")
        .order_by("component__name")
    )
    page = Paginator(usages, USAGES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "components/members/usage_list.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "usages": page.object_list,
            "page": page,
            "page_query": "?",
        },
    )


@login_required
def usage_create(request, organisation):
    """Record a usage. The component is picked by name: without JavaScript through
    the "find" search (GET ?q=), whose matches link back here with ?component=;
    with it, through the combobox fed by usage_components_json.

    A usage that the component's reuse verdict does not allow is still accepted
    (and flagged), but only after the member saw the reasons and pressed "Record
    anyway": that button carries the component's identifier, so confirming one
    component never lets another through unasked.
    """
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    initial = {}
    slug = request.GET.get("component", "")
    if slug and Component.objects.filter(slug=slug).exists():
        initial["component"] = slug
    query = request.GET.get("q", "").strip()
    form = UsageForm(request.POST or None, organisation=org, initial=initial)
    form.fields["component"].widget.attrs["data-picker"] = reverse(
        "member-usage-components", kwargs={"organisation": org.slug}
    )
    refused = None  # the verdict to confirm, when the restriction does not allow it
    if request.method == "POST" and form.is_valid():
        component = form.cleaned_data["component"]
        verdict = reuse_verdict(component, org)
        if verdict.verdict == NOT_ALLOWED and request.POST.get("confirmed") != component.slug:
            refused = verdict
        else:
            usage = form.save(commit=False)
            usage.organisation = org
            usage.assertion = Assertion.SELF
            usage.save()
            text = _("Recorded that %(organisation)s uses %(component)s.")
            if usage.restriction_flag:
                text += " " + _("The usage is marked: its reuse restriction does not allow it.")
            messages.success(
                request, text % {"organisation": org.name, "component": usage.component.name}
            )
            return redirect("member-usages", organisation=org.slug)
    return render(
        request,
        "components/members/usage_form.html",
        {
            "membership": membership,
            "organisation": org,
            "form": form,
            "usage": None,
            "query": query,
            "matches": list(find_components(query)) if query else None,
            "refused": refused,
            "component": form.cleaned_data["component"] if refused else None,
        },
    )


@login_required
def usage_components_json(request, organisation):
    """The picker's matches for the combobox on the usage form: a member's page
    like the form itself (same origin, so the site's CSP allows the request)."""
    membership_or_404(request, organisation)
    results = [
        {"slug": c.slug, "name": c.name, "publisher": c.publisher.name}
        for c in find_components(request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})


def _own_usage(membership, pk):
    return get_object_or_404(
        Usage.objects.select_related("component", "component__publisher", "organisation").exclude(
            assertion=Assertion.REJECTED
        ),
        pk=pk,
        organisation=membership.organisation,
    )


@login_required
def usage_edit(request, organisation, pk):
    membership = membership_or_404(request, organisation)
    usage = _own_usage(membership, pk)
    form = UsageForm(request.POST or None, instance=usage, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        usage = form.save()
        messages.success(request, _("Saved the usage of %(c)s.") % {"c": usage.component.name})
        return redirect("member-usages", organisation=membership.organisation.slug)
    return render(
        request,
        "components/members/usage_form.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "form": form,
            "usage": usage,
        },
    )


@login_required
def usage_stop(request, organisation, pk):
    membership = membership_or_404(request, organisation)
    usage = _own_usage(membership, pk)
    if request.method == "POST":
        usage.status = UsageStatus.STOPPED
        today = timezone.localdate()
        if usage.until is None or usage.until > today:
            usage.until = max(today, usage.since) if usage.since else today
        usage.save()
        messages.success(
            request, _("Recorded that the use of %(c)s stopped.") % {"c": usage.component.name}
        )
        return redirect("member-usages", organisation=membership.organisation.slug)
    return render(
        request,
        "components/members/usage_stop.html",
        {"membership": membership, "organisation": membership.organisation, "usage": usage},
    )


@login_required
def claim_list(request, organisation):
    membership = membership_or_404(request, organisation)
    claims = (
        membership.organisation.usages.filter(claimed_by__isnull=False)
        .exclude(assertion=Assertion.SELF)
        .select_related("component", "claimed_by")
        .order_by("-claimed_at", "-id")
    )
    integration_claims = (
        Integration.objects.filter(organisation=membership.organisation, claimed_by__isnull=False)
        .exclude(assertion=Assertion.SELF)
        .select_related(
            "source_usage__component", "target_usage__component", "standard", "claimed_by"
        )
        .order_by("-claimed_at", "-id")
    )
    return render(
        request,
        "components/members/claim_list.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            # The newest hundred of each; answering one brings the next into view.
            "pending": claims.filter(assertion=Assertion.CLAIMED)[:CLAIMS_SHOWN],
            "answered": claims.exclude(assertion=Assertion.CLAIMED)[:CLAIMS_SHOWN],
            "integrations_pending": integration_claims.filter(assertion=Assertion.CLAIMED)[
                :CLAIMS_SHOWN
            ],
            "integrations_answered": integration_claims.exclude(assertion=Assertion.CLAIMED)[
                :CLAIMS_SHOWN
            ],
        },
    )


@login_required
@require_POST
def claim_answer(request, organisation, pk):
    membership = membership_or_404(request, organisation)
    claim = get_object_or_404(
        Usage.objects.select_related("component").exclude(assertion=Assertion.SELF),
        pk=pk,
        organisation=membership.organisation,
        claimed_by__isnull=False,
    )
    decision = request.POST.get("decision")
    if decision not in ("confirm", "reject"):
        messages.error(request, _("Choose whether to confirm or reject the claim."))
        return redirect("member-claims", organisation=membership.organisation.slug)
    claim.answer(Assertion.CONFIRMED if decision == "confirm" else Assertion.REJECTED)
    if decision == "confirm":
        text = _("Confirmed that your organisation uses %(c)s.")
    else:
        text = _("Rejected the claim that your organisation uses %(c)s.")
    messages.success(request, text % {"c": claim.component.name})
    return redirect("member-claims", organisation=membership.organisation.slug)


@login_required
def licence_report(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    report = build_licence_report(org, viewer_of(request))
    return render(
        request,
        "components/members/licence_report.html",
        {"membership": membership, "organisation": org, "report": report},
    )


@login_required
def licence_report_csv(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    report = build_licence_report(org, viewer_of(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="licences-{org.slug}.csv"'
    writer = SafeWriter(response)
    for row in licence_report_rows(report):
        writer.writerow(row)
    return response


@login_required
def publiccode_upload(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    form = PubliccodeForm(request.POST or None, request.FILES or None)
    result = None
    failed = False
    dry_run = request.POST.get("action") != "import"
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        try:
            result = import_publiccode(content, org, dry_run=dry_run, actor=request.user)
        except Exception:  # the page must answer whatever the file holds
            logger.exception("Importing a publiccode.yml for %s failed", org.slug)
            failed = True
        if result is not None and result.ok and not dry_run:
            component = result.component
            if result.created:
                text = _("Registered %(c)s from the publiccode.yml.")
            else:
                text = _("Updated %(c)s from the publiccode.yml.")
            messages.success(request, text % {"c": component.name})
            return redirect("component-detail", slug=component.slug)
        if form.cleaned_data.get("file"):
            # Keep what was uploaded in the text box, so it can be corrected there.
            form = PubliccodeForm(initial={"text": content})
    return render(
        request,
        "components/members/publiccode_upload.html",
        {
            "membership": membership,
            "organisation": org,
            "form": form,
            "result": result,
            "failed": failed,
            "dry_run": dry_run,
        },
    )


# --- harvest sources and webhooks ----------------------------------------------
# Every member reads them; the organisation's administrators add, change, run,
# pause, resume and remove them (as its API tokens can). The rules are the models'
# (the SSRF guard on the URL, one webhook per URL), shared with the API.

NEW_WEBHOOK_SESSION_KEY = "new-webhook"


def _admin_membership(request, organisation):
    """The membership of an administrator of the organisation in the URL: another
    organisation's pages are a 404, a member who is no administrator gets 403."""
    membership = membership_or_404(request, organisation)
    if membership.role != MemberRole.ADMIN:
        raise PermissionDenied(
            _("Only administrators of the organisation manage its harvest sources and webhooks.")
        )
    return membership


def _context(membership, **extra):
    return {
        "membership": membership,
        "organisation": membership.organisation,
        "is_admin": membership.role == MemberRole.ADMIN,
        **extra,
    }


@never_cache
@login_required
def harvest_sources(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    sources = list(org.harvest_sources.select_related("component").order_by("url"))
    for source in sources:
        source.findings = harvest.last_findings(source)
    return render(
        request, "components/members/harvest_sources.html", _context(membership, sources=sources)
    )


def _own_source(membership, pk):
    return get_object_or_404(
        HarvestSource.objects.select_related("component"),
        pk=pk,
        organisation=membership.organisation,
    )


@never_cache
@login_required
def harvest_source_form(request, organisation, pk=None):
    """Add a harvest source (pk None) or change one."""
    membership = _admin_membership(request, organisation)
    org = membership.organisation
    source = _own_source(membership, pk) if pk else HarvestSource(organisation=org)
    form = HarvestSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        source = form.save()
        if pk:
            text = _("Saved the harvest source %(url)s.")
        else:
            text = _(
                "Added the harvest source %(url)s. It is fetched within %(minutes)s minutes; "
                "choose Run now to fetch it at once."
            )
        messages.success(
            request, text % {"url": source.url, "minutes": settings.HARVEST_TICK_MINUTES}
        )
        return redirect("member-harvest", organisation=org.slug)
    return render(
        request,
        "components/members/harvest_source_form.html",
        _context(membership, form=form, source=source if pk else None),
    )


@login_required
@require_POST
def harvest_source_action(request, organisation, pk, action):
    """Run now (queued for the worker, as the API's run does), pause or resume."""
    membership = _admin_membership(request, organisation)
    source = _own_source(membership, pk)
    if action == "run":
        tasks.queue_harvest(source)
        text = _("The harvest of %(url)s is queued; its result shows here once it has run.")
    else:
        source.enabled = action == "resume"
        source.save(update_fields=["enabled"])
        if source.enabled:
            text = _("Resumed the harvest source %(url)s.")
        else:
            text = _("Paused the harvest source %(url)s: it is not fetched until you resume it.")
    messages.success(request, text % {"url": source.url})
    return redirect("member-harvest", organisation=membership.organisation.slug)


@never_cache
@login_required
def harvest_source_remove(request, organisation, pk):
    """Ask, then remove. The component it yielded stays in the catalogue."""
    membership = _admin_membership(request, organisation)
    source = _own_source(membership, pk)
    if request.method == "POST":
        source.delete()
        messages.success(
            request,
            _("Removed the harvest source %(url)s. Its component stays in the catalogue.")
            % {"url": source.url},
        )
        return redirect("member-harvest", organisation=membership.organisation.slug)
    return render(
        request,
        "components/members/harvest_source_remove.html",
        _context(membership, source=source),
    )


@never_cache
@login_required
def webhook_list(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    subscriptions = list(
        org.webhooks.order_by("url").prefetch_related(
            Prefetch(
                "deliveries",
                queryset=WebhookDelivery.objects.select_related("event__component").order_by(
                    "-created_at", "-id"
                )[:DELIVERIES_SHOWN],
                to_attr="recent_deliveries",
            )
        )
    )
    for subscription in subscriptions:
        for delivery in subscription.recent_deliveries:
            # Stored in English (webhook payloads and the API are); read in the reader's.
            delivery.summary_text = describe_event(delivery.event)
            delivery.error_text = delivery_error(delivery.error)
    # The secret of a webhook just added, put in the session by webhook_form: shown
    # on this one page, then gone (the registry keeps it only to sign deliveries).
    created = request.session.pop(NEW_WEBHOOK_SESSION_KEY, None)
    new_secret = None
    if created:
        subscription = next((s for s in subscriptions if s.pk == created.get("id")), None)
        if subscription is not None:
            new_secret = {"subscription": subscription, "secret": created.get("secret", "")}
    return render(
        request,
        "components/members/webhook_list.html",
        _context(membership, subscriptions=subscriptions, new_secret=new_secret),
    )


def _own_webhook(membership, pk):
    return get_object_or_404(WebhookSubscription, pk=pk, organisation=membership.organisation)


@never_cache
@login_required
def webhook_form(request, organisation, pk=None):
    """Add a webhook (pk None; its secret is shown once, on the list) or change one."""
    membership = _admin_membership(request, organisation)
    org = membership.organisation
    subscription = _own_webhook(membership, pk) if pk else None
    form = WebhookForm(request.POST or None, instance=subscription, organisation=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if subscription is None:
            try:
                subscription, secret = WebhookSubscription.subscribe(
                    org, data["url"], data["event_types"]
                )
            except WebhookSubscription.AlreadySubscribed:
                form.add_error("url", ALREADY_SUBSCRIBED)
            else:
                request.session[NEW_WEBHOOK_SESSION_KEY] = {"id": subscription.pk, "secret": secret}
                messages.success(
                    request, _("Added the webhook %(url)s.") % {"url": subscription.url}
                )
                return redirect("member-webhooks", organisation=org.slug)
        else:
            subscription.switch(data["active"])
            form.save()
            messages.success(request, _("Saved the webhook %(url)s.") % {"url": subscription.url})
            return redirect("member-webhooks", organisation=org.slug)
    return render(
        request,
        "components/members/webhook_form.html",
        _context(membership, form=form, subscription=subscription),
    )


@login_required
@require_POST
def webhook_action(request, organisation, pk, action):
    """Pause or resume; resuming also ends a pause the registry made after failures."""
    membership = _admin_membership(request, organisation)
    subscription = _own_webhook(membership, pk)
    subscription.switch(action == "resume")
    subscription.save(update_fields=["active", "paused_at", "consecutive_failures"])
    if subscription.active:
        text = _("Resumed the webhook %(url)s.")
    else:
        text = _("Paused the webhook %(url)s: nothing is sent to it until you resume it.")
    messages.success(request, text % {"url": subscription.url})
    return redirect("member-webhooks", organisation=membership.organisation.slug)


@never_cache
@login_required
def webhook_remove(request, organisation, pk):
    """Ask, then remove the webhook and its delivery log."""
    membership = _admin_membership(request, organisation)
    subscription = _own_webhook(membership, pk)
    if request.method == "POST":
        subscription.delete()
        messages.success(request, _("Removed the webhook %(url)s.") % {"url": subscription.url})
        return redirect("member-webhooks", organisation=membership.organisation.slug)
    return render(
        request,
        "components/members/webhook_remove.html",
        _context(membership, subscription=subscription),
    )
