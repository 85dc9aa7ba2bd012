"""GET /dumps/latest: the newest full dump of the public catalogue (components.dumps)."""

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics

from components import dumps

from .linkeddata import RdfRenderer
from .mixins import ApiViewMixin


class ZipRenderer(RdfRenderer):
    """The file as it is stored; an error stays problem+json."""

    media_type = "application/zip"
    format = "zip"
    charset = None


class LatestDumpView(ApiViewMixin, generics.GenericAPIView):
    renderer_classes = [ZipRenderer]
    filterset_class = None
    pagination_class = None
    serializer_class = None

    @extend_schema(
        summary=_("The newest full dump of the public catalogue (a ZIP file)"),
        description=_(
            "JSON Lines per resource (organisations, licenses, customer-questions, "
            "upl-products, components, releases, public usages; each record as this API "
            "shows it), catalogue.ttl (DCAT-AP-NL 3.0) and manifest.json (schema version, "
            "and per file its count, bytes and SHA-256). Made every night; "
            "`manage.py load_dump` fills a fresh registry from it. 404 when there is none yet."
        ),
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 304: None},
        filters=False,
    )
    def get(self, request, format=None):
        path = dumps.latest_dump()
        if path is None:
            raise exceptions.NotFound(_("No dump has been made yet."))
        # The name holds the moment it was made: a new dump is a new tag.
        etag = f'"{path.stem}"'
        if etag in request.headers.get("If-None-Match", ""):
            not_modified = HttpResponse(status=304)
            not_modified["ETag"] = etag
            return not_modified
        try:
            handle = path.open("rb")
        except FileNotFoundError:  # pruned between finding and opening it
            raise exceptions.NotFound(_("No dump has been made yet.")) from None
        response = FileResponse(
            handle, as_attachment=True, filename=path.name, content_type="application/zip"
        )
        response["ETag"] = etag
        return response
