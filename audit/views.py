"""What an organisation did: its administrators read its own audit entries."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.constants import MemberRole
from accounts.views import membership_or_404

from .models import AuditEntry

PAGE_SIZE = 50


@never_cache
@login_required
def organisation_log(request, organisation):
    membership = membership_or_404(request, organisation)
    if membership.role != MemberRole.ADMIN:
        raise PermissionDenied(_("Only administrators of the organisation read its activity."))
    org = membership.organisation
    entries = AuditEntry.objects.filter(organisation_id=org.pk).order_by("-at", "-id")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/organisation_log.html",
        {"membership": membership, "organisation": org, "page": page},
    )
