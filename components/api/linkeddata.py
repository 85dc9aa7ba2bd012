"""The API's side of linked data: the whole public catalogue in DCAT-AP-NL 3.0
(GET /catalogue, streamed) and one component as RDF (GET /components/{slug} with
Accept: text/turtle, application/ld+json or application/rdf+xml). The RDF itself
is components.dcat's.

Content negotiation: the Accept header picks the format, Turtle when anything
goes; a suffix (.ttl, .jsonld, .rdf) picks it for a plain download link. Any
other Accept gets 406 problem+json.
"""

from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.renderers import BaseRenderer

from components import dcat
from registry.links import keeping_base
from registry.renderers import JSONRenderer

from .mixins import ApiViewMixin


class RdfRenderer(BaseRenderer):
    """Bytes already serialised by components.dcat; an error stays problem+json."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, None, renderer_context)


class TurtleRenderer(RdfRenderer):
    media_type = "text/turtle"
    format = "ttl"


class JsonLdRenderer(RdfRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class RdfXmlRenderer(RdfRenderer):
    media_type = "application/rdf+xml"
    format = "rdf"


RDF_RENDERERS = [TurtleRenderer, JsonLdRenderer, RdfXmlRenderer]
SUFFIXES = "|".join(renderer.format for renderer in RDF_RENDERERS)

RDF_RESPONSES = {
    (200, "text/turtle"): OpenApiTypes.STR,
    (200, "application/ld+json"): OpenApiTypes.OBJECT,
    (200, "application/rdf+xml"): OpenApiTypes.STR,
}

CATALOGUE_DESCRIPTION = _(
    "The whole public catalogue in DCAT-AP-NL 3.0 (and ADMS-AP): a dcat:Catalog with its "
    "publisher; each API a dcat:DataService (endpoint URL, OpenAPI document as endpoint "
    "description, access rights, licence, contact point, the standards it conforms to, a "
    "theme); software, libraries, house styles and standards adms:Assets. Publishers are "
    "identified by their TOOI URI (else this registry's URI), with the OIN as "
    "adms:identifier; licences by their SPDX URI. Usages are not in it. Turtle, JSON-LD or "
    "RDF/XML by Accept header; streamed."
)


def rdf_response(media_type: str, graphs) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        keeping_base(dcat.serialize(graphs, media_type)),
        content_type=f"{media_type}; charset=utf-8",
    )


class CatalogueView(ApiViewMixin, generics.GenericAPIView):
    renderer_classes = RDF_RENDERERS
    filterset_class = None
    pagination_class = None
    serializer_class = None

    @extend_schema(
        summary=_("The public catalogue in DCAT-AP-NL 3.0 (Turtle, JSON-LD or RDF/XML)"),
        description=CATALOGUE_DESCRIPTION,
        responses=RDF_RESPONSES,
        filters=False,
    )
    def get(self, request, format=None):
        return rdf_response(request.accepted_renderer.media_type, dcat.catalogue_graphs())


# /catalogue.ttl (.jsonld, .rdf) for a plain download link; drf-spectacular leaves
# format-suffix routes out of the document (the Accept forms are the documented ones).
CatalogueFormatView = CatalogueView
