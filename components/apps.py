from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComponentsConfig(AppConfig):
    name = "components"
    verbose_name = _("Catalogue")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from registry import cache

        from . import history, notifications  # noqa: F401  (connect their signals)

        def catalogue_changed(sender, **kwargs):
            if sender._meta.app_label in ("components", "accounts") and not getattr(
                sender, "history_id", None
            ):
                cache.changed()

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(catalogue_changed, dispatch_uid=f"catalogue-changed-{signal}")
