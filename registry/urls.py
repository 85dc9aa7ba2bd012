from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts import oidc
from components import feeds

from . import health, views

# Outside the language prefix: machine endpoints, the API and the admin.
urlpatterns = [
    path("health", views.health, name="health"),
    # Answered by registry.health.ProbeMiddleware; named here for reverse().
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("health/startup", health.startup, name="health-startup"),
    path("admin/", admin.site.urls),
    # The identity providers' return address: one, outside the language prefix.
    path("oidc/callback", oidc.callback, name="oidc-callback"),
    path("api/v1/", include("components.api.urls")),
    path("feeds/components/<slug:slug>.atom", feeds.ComponentFeed(), name="feed-component"),
    path(
        "feeds/organisations/<slug:slug>.atom",
        feeds.UsedComponentsFeed(),
        name="feed-organisation",
    ),
]

# The website: Dutch at /, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("accounts.urls")),
    path("", include("audit.urls")),
    path("", include("components.urls")),
    prefix_default_language=False,
)

handler400 = "registry.views.bad_request"
handler403 = "registry.views.forbidden"
handler404 = "registry.views.not_found"
handler500 = "registry.views.server_error"
