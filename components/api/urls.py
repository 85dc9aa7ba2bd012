from csp.decorators import csp_update
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularSwaggerSplitView,
    SpectacularYAMLAPIView,
)
from rest_framework.routers import SimpleRouter

from registry.views import not_found

from . import (
    compare,
    dumps,
    figures,
    imports,
    integrations,
    landscape,
    linkeddata,
    publiccode,
    quality,
    views,
)


class Router(SimpleRouter):
    """Resources named by a numeric id (usages, integrations, webhooks, harvest
    sources) match only digits, so /usages/abc is a 404 like any unknown path,
    not a failed int()."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_field", "pk") == "pk" and not hasattr(
            viewset, "lookup_value_regex"
        ):
            kwarg = getattr(viewset, "lookup_url_kwarg", None) or "pk"
            return f"(?P<{lookup_prefix}{kwarg}>[0-9]+)"
        return super().get_lookup_regex(viewset, lookup_prefix)

    def get_method_map(self, viewset, method_map):
        """Every viewset reads through ApiViewMixin, which has list and retrieve;
        a viewset names the ones it has no route for in `unrouted_actions`."""
        bound = super().get_method_map(viewset, method_map)
        unrouted = getattr(viewset, "unrouted_actions", ())
        return {method: name for method, name in bound.items() if name not in unrouted}


router = Router(trailing_slash=False)
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("components", views.ComponentViewSet, basename="component")
router.register(
    r"components/(?P<component_slug>[-a-zA-Z0-9_]+)/releases",
    views.ReleaseViewSet,
    basename="release",
)
router.register("usages", views.UsageViewSet, basename="usage")
router.register(
    r"organisations/(?P<organisation_slug>[-a-zA-Z0-9_]+)/integrations",
    integrations.OrganisationIntegrationViewSet,
    basename="organisation-integration",
)
router.register("integrations", integrations.IntegrationViewSet, basename="integration")
router.register("licenses", views.LicenseViewSet, basename="license")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("harvest-sources", views.HarvestSourceViewSet, basename="harvest-source")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-json"),
    path("openapi.yaml", SpectacularYAMLAPIView.as_view(), name="openapi-yaml"),
    # Swagger UI sets style attributes from its script; its scripts stay 'self'.
    path(
        "docs",
        csp_update({"style-src": ["'self'", "'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="openapi-json")
        ),
        name="api-docs",
    ),
    path("exports/usages.csv", views.UsageCsvExportView.as_view(), name="export-usages-csv"),
    path("exports/usages.json", views.UsageJsonExportView.as_view(), name="export-usages-json"),
    path("publiccode", publiccode.PubliccodeImportView.as_view(), name="publiccode-import"),
    path("figures", figures.RegistryFiguresView.as_view(), name="figures"),
    path("catalogue", linkeddata.CatalogueView.as_view(), name="catalogue"),
    path("dumps/latest", dumps.LatestDumpView.as_view(), name="dump-latest"),
    path("imports/don", imports.DonImportView.as_view(), name="import-don"),
    re_path(
        rf"^catalogue\.(?P<format>{linkeddata.SUFFIXES})$",
        linkeddata.CatalogueFormatView.as_view(),
        name="catalogue-format",
    ),
    path("compare", compare.CompareView.as_view(), name="api-compare"),
    path(
        "components/<slug:slug>/api-quality",
        quality.ApiQualityView.as_view(),
        name="component-api-quality",
    ),
    path(
        "components/<slug:slug>/figures",
        figures.ComponentFiguresView.as_view(),
        name="component-figures",
    ),
    path(
        "organisations/<slug:slug>/figures",
        figures.OrganisationFiguresView.as_view(),
        name="organisation-figures",
    ),
    path(
        "organisations/<slug:slug>/landscape.xml",
        landscape.LandscapeArchimateView.as_view(),
        name="organisation-landscape-xml",
    ),
    path(
        "organisations/<slug:slug>/landscape.csv",
        landscape.LandscapeCsvView.as_view(),
        name="organisation-landscape-csv",
    ),
    re_path(
        rf"^components/(?P<slug>[-a-zA-Z0-9_]+)\.(?P<format>{linkeddata.SUFFIXES})$",
        views.ComponentRdfViewSet.as_view({"get": "retrieve"}),
        name="component-rdf",
    ),
    *router.urls,
    # Anything else under the API is a problem+json 404, also with DEBUG on.
    re_path(r"^.*$", csrf_exempt(not_found)),
]
