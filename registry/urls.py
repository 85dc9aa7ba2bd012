from django.contrib import admin
from django.urls import path

from components import views as component_views

from . import views

urlpatterns = [
    path("health", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("", component_views.component_list, name="component-list"),
    path("componenten/<slug:slug>", component_views.component_detail, name="component-detail"),
]
