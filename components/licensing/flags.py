"""Flagged usages: a usage that breaks its component's reuse restriction is
accepted, never refused, and flagged with the reason."""

from ..constants import Assertion, ReuseRestriction
from ..models import Component, Usage
from .obligations import BLOCKER
from .verdicts import restriction_reason


def restriction_flag(usage) -> str:
    """Why `usage` breaks its component's reuse restriction, in Dutch; '' when it does not.

    Usages are accepted either way; the flag only makes the breach visible.
    No query when the component has no restriction. A rejected claim is no
    usage, so it is never flagged.
    """
    component = usage.component
    if component.reuse_restriction == ReuseRestriction.NONE:
        return ""
    if usage.assertion == Assertion.REJECTED:
        return ""
    reason = restriction_reason(component, usage.organisation)
    return reason.text_nl if reason.severity == BLOCKER else ""


def recompute_flags(usages) -> int:
    """Bring the stored flags of `usages` (a queryset) in step; returns how many changed."""
    changed = []
    for usage in usages.select_related("component__publisher", "organisation").prefetch_related(
        "component__reuse_organisations"
    ):
        flag = restriction_flag(usage)
        if flag != usage.restriction_flag:
            usage.restriction_flag = flag
            changed.append(usage)
    Usage.objects.bulk_update(changed, ["restriction_flag"], batch_size=500)
    return len(changed)


def recompute_component_flags(component) -> int:
    """After a component's restriction changed: its usages' flags follow.

    One UPDATE when the component has no restriction; otherwise one pass over
    its usages, writing only the rows whose flag changes.
    """
    usages = Usage.objects.filter(component_id=component.pk)
    if component.reuse_restriction == ReuseRestriction.NONE:
        return usages.exclude(restriction_flag="").update(restriction_flag="")
    return recompute_flags(usages)


def recompute_all_flags() -> int:
    """Every usage's flag in step (manage.py recompute_flags); returns how many changed.

    One UPDATE clears the flags under unrestricted components; only the usages
    of restricted components are read.
    """
    changed = (
        Usage.objects.filter(component__reuse_restriction=ReuseRestriction.NONE)
        .exclude(restriction_flag="")
        .update(restriction_flag="")
    )
    restricted = Component.objects.exclude(reuse_restriction=ReuseRestriction.NONE)
    for component_id in restricted.values_list("pk", flat=True).iterator():
        changed += recompute_flags(Usage.objects.filter(component_id=component_id))
    return changed
