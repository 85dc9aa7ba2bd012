"""Flagged usages: a usage that breaks its component's reuse restriction is
accepted, never refused, and flagged with the reason.

The stored flag follows the restriction, in one place: the receivers at the
end of this module, connected in ComponentsConfig.ready. A usage's flag is
recomputed whenever it is saved; a component's usages, when its restriction
(or publisher) changes and when the organisations it names change. Writes
that send no signals (queryset update, bulk_create, loaddata) leave flags as
they are: `manage.py recompute_flags` repairs them.
"""

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


# ---------------------------------------------------------------------------
# Receivers: module-level functions, connected (strongly) in ComponentsConfig.ready
# ---------------------------------------------------------------------------


def usage_saving(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save of a Usage: its flag is computed anew on every save."""
    if raw:
        return
    instance.restriction_flag = restriction_flag(instance)
    if update_fields is not None and "restriction_flag" not in update_fields:
        # A receiver cannot add to update_fields, so the flag is written apart.
        Usage.objects.filter(pk=instance.pk).update(restriction_flag=instance.restriction_flag)


def component_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of a Component: its usages' flags follow a changed restriction."""
    if raw:
        return
    state = instance._restriction_state()
    if not created and getattr(instance, "_restriction_as_loaded", None) != state:
        recompute_component_flags(instance)
    instance._restriction_as_loaded = state


def named_organisations_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Naming (or no longer naming) an organisation changes whether its usage is flagged."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    components = Component.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    for component in components:
        if component.reuse_restriction == ReuseRestriction.NAMED_ORGANISATIONS:
            recompute_component_flags(component)
