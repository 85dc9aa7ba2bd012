from django.contrib import admin
from django.urls import include, path

from components import feeds
from components import views as component_views

from . import views

urlpatterns = [
    path("health", views.health, name="health"),
    path("health/live", views.live, name="health-live"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("components.api.urls")),
    path("feeds/components/<slug:slug>.atom", feeds.ComponentFeed(), name="feed-component"),
    path(
        "feeds/organisations/<slug:slug>.atom",
        feeds.UsedComponentsFeed(),
        name="feed-organisation",
    ),
    path("", component_views.component_list, name="component-list"),
    path("componenten/<slug:slug>", component_views.component_detail, name="component-detail"),
]

handler404 = "registry.views.not_found"
handler500 = "registry.views.server_error"
