from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _

from registry import cache


def catalogue_changed(sender, **kwargs):
    """Any committed change to the catalogue's models invalidates cached reads:
    a usage's only the responses that may show it (registry/cache.py), any
    other everything.

    A module-level function, connected with weak=False: signals hold receivers
    by weak reference, and a function nested in ``ready()`` was
    garbage-collected, so the cache was never invalidated in a real server
    (issue 12, item 1).
    """
    if sender._meta.app_label not in ("components", "accounts") or getattr(
        sender, "history_id", None
    ):
        return
    instance = kwargs.get("instance")
    if sender._meta.label == "components.Usage" and kwargs.get("action") is None:
        deleted = kwargs.get("signal") is post_delete
        # Deleted along with something else (a component, an organisation, a
        # queryset): that deletion bumps the catalogue's version (everything), so
        # the usage need not look up its organisation's kind, a query per row.
        cascade = deleted and kwargs.get("origin") is not instance
        cache.usage_changed(instance, deleted=deleted, cascade=cascade)
    else:
        cache.changed()


class ComponentsConfig(AppConfig):
    name = "components"
    verbose_name = _("Catalogue")

    def ready(self):
        # Imported here, not for a cycle: modules that use the models may load
        # only once the app registry is ready, and this module loads before it.
        from . import history, notifications, search  # noqa: F401  (connect their signals)
        from .licensing import flags
        from .models import Component, Usage

        # A migration that rebuilds the component table on SQLite drops its triggers.
        post_migrate.connect(search.repair, sender=self, dispatch_uid="search-repair")

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(
                catalogue_changed, weak=False, dispatch_uid=f"catalogue-changed-{signal}"
            )

        # A usage's restriction flag follows its component's reuse restriction.
        pre_save.connect(
            flags.usage_saving, sender=Usage, weak=False, dispatch_uid="flags-usage-saving"
        )
        post_save.connect(
            flags.component_saved,
            sender=Component,
            weak=False,
            dispatch_uid="flags-component-saved",
        )
        m2m_changed.connect(
            flags.named_organisations_changed,
            sender=Component.reuse_organisations.through,
            weak=False,
            dispatch_uid="flags-named-organisations-changed",
        )
