from django.contrib import admin
from django.urls import include, path

from components import views as component_views

from . import views

urlpatterns = [
    path("health", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("components.api.urls")),
    path("", component_views.component_list, name="component-list"),
    path("componenten/<slug:slug>", component_views.component_detail, name="component-detail"),
]

handler404 = "registry.views.not_found"
handler500 = "registry.views.server_error"
