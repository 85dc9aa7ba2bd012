from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def catalogue_changed(sender, **kwargs):
    """Any committed change to the catalogue's models invalidates cached reads.

    A module-level function: signals hold receivers by weak reference, and a
    function nested in ``ready()`` was garbage-collected, so the cache was
    never invalidated in a real server (issue 12, item 1).
    """
    from registry import cache

    if sender._meta.app_label in ("components", "accounts") and not getattr(
        sender, "history_id", None
    ):
        cache.changed()


class ComponentsConfig(AppConfig):
    name = "components"
    verbose_name = _("Catalogue")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import history, notifications  # noqa: F401  (connect their signals)

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(
                catalogue_changed, weak=False, dispatch_uid=f"catalogue-changed-{signal}"
            )
