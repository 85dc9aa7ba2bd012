from django.contrib.admin.apps import AdminConfig


class RegistryAdminConfig(AdminConfig):
    """Django's admin on our own site class (registry/admin_site.py: TOTP for curators)."""

    default_site = "registry.admin_site.RegistryAdminSite"
