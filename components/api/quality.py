"""The quality of an API component's OpenAPI document (components/quality.py):
its check results, newest first, and the publisher's upload of a document that
is not public."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from components import quality
from components.constants import ComponentKind
from components.models import ApiLint, Component
from registry.api import PayloadTooLarge

from .publiccode import YamlTextParser, _parser
from .views import own_component_or_403


class LintFindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("The rule, e.g. nlgov:paths-kebab-case."))
    severity = serializers.CharField(help_text=_("error, warning, info or hint."))
    path = serializers.CharField(help_text=_("Where in the document, as dotted keys."))
    message = serializers.CharField(help_text=_("What is wrong."))


class ApiLintSerializer(serializers.ModelSerializer):
    findings = LintFindingSerializer(many=True, help_text=_("Every finding."))
    passed = serializers.ListField(
        child=serializers.CharField(), help_text=_("Required rules it passes.")
    )
    failed = serializers.ListField(
        child=serializers.CharField(), help_text=_("Required rules it fails.")
    )

    class Meta:
        model = ApiLint
        fields = [
            "checked_at",
            "document_url",
            "etag",
            "sha256",
            "valid",
            "ruleset_version",
            "score",
            "meets_rules",
            "passed",
            "failed",
            "findings",
        ]


class JsonTextParser(YamlTextParser):
    media_type = "application/json"


DOCUMENT_PARSERS = [
    _parser(media) for media in ("application/yaml", "application/x-yaml", "text/yaml")
] + [JsonTextParser]


class ApiQualityView(generics.GenericAPIView):
    serializer_class = ApiLintSerializer
    filterset_class = None
    pagination_class = None
    parser_classes = DOCUMENT_PARSERS

    def _component(self, slug):
        component = Component.objects.filter(slug=slug).first()
        if component is None:
            raise exceptions.NotFound(_("No such component."))
        return component

    @extend_schema(
        summary=_("The API Design Rules check of an API component, newest first"),
        responses={200: ApiLintSerializer(many=True)},
        filters=False,
    )
    def get(self, request, slug):
        component = self._component(slug)
        lints = component.api_lints.all()[:50]
        return Response(self.get_serializer(lints, many=True).data)

    @extend_schema(
        summary=_("Upload the OpenAPI document of your API component and check it"),
        description=_(
            "For a document that is not public. The body is the document (YAML or JSON), "
            "at most the harvest's size limit; it is validated and linted against the NL "
            "API Design Rules and the result is stored and returned."
        ),
        request={"application/yaml": OpenApiTypes.STR, "application/json": OpenApiTypes.STR},
        responses={201: ApiLintSerializer},
        filters=False,
    )
    def post(self, request, slug):
        component = self._component(slug)
        own_component_or_403(request, component)
        if component.kind != ComponentKind.API:
            raise exceptions.ValidationError({"kind": [_("Only an API has an OpenAPI document.")]})
        body = request.data
        if not isinstance(body, bytes) or not body.strip():
            raise exceptions.ValidationError(
                {"body": [_("Send the OpenAPI document as the body.")]}
            )
        if len(body) > settings.HARVEST_MAX_BYTES:
            raise PayloadTooLarge()
        try:
            lint = quality.record(component, body)
        except quality.LintError as exc:
            raise exceptions.ValidationError({"body": [exc.message.english()]}) from None
        return Response(self.get_serializer(lint).data, status=status.HTTP_201_CREATED)
