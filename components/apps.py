from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComponentsConfig(AppConfig):
    name = "components"
    verbose_name = _("Catalogue")

    def ready(self):
        from . import history, notifications  # noqa: F401  (connect their signals)
