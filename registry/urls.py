from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

# Outside the language prefix: machine endpoints, the API and the admin.
urlpatterns = [
    path("health", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("components.api.urls")),
]

# The website: Dutch at /, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("accounts.urls")),
    path("", include("components.urls")),
    prefix_default_language=False,
)

handler404 = "registry.views.not_found"
handler500 = "registry.views.server_error"
