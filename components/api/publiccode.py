"""The API's side of publiccode.yml: publishing a file (POST /publiccode) and
downloading a component as one (GET /components/{slug}/publiccode.yml).

Validation, import and export are components.publiccode's; this module only
reads the YAML body, maps the findings onto problem+json and shapes the answer.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from components.models import Component
from components.publiccode import import_publiccode
from components.query import attach_summaries
from registry.api import PROBLEM_CONTENT_TYPE, PayloadTooLarge, problem, token_organisation
from registry.renderers import JSONRenderer

from . import serializers

YAML_MEDIA_TYPES = ("application/yaml", "text/yaml", "application/x-yaml", "text/plain")


class YamlTextParser(BaseParser):
    """The body as it came (bytes), for the publiccode.yml validator to read:
    it reports bad UTF-8 and bad YAML with their line numbers."""

    media_type = "application/yaml"

    def parse(self, stream, media_type=None, parser_context=None):
        # The API middleware refuses a declared length over the limit; this
        # stops a body that declared none.
        body = stream.read(settings.API_MAX_BODY_BYTES + 1)
        if len(body) > settings.API_MAX_BODY_BYTES:
            raise PayloadTooLarge()
        return body


def _parser(media):
    return type(
        f"YamlParser_{media.replace('/', '_').replace('-', '_')}",
        (YamlTextParser,),
        {"media_type": media},
    )


YAML_PARSERS = [_parser(media) for media in YAML_MEDIA_TYPES]


class YamlRenderer(BaseRenderer):
    media_type = "application/yaml"
    format = "yaml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        # Errors stay problem+json, whatever representation was asked for.
        return JSONRenderer().render(data, None, renderer_context)


def _truthy(request, name):
    raw = request.query_params.get(name)
    if raw is None:
        return False
    # The document calls it a boolean: true or false (empty: not given), not 1 or 0.
    if raw in ("true", "false", ""):
        return raw == "true"
    raise exceptions.ValidationError({name: [_("Use true or false.")]})


def _reason(finding):
    """The message, led by line:column (or the line alone) where the file says."""
    if not finding.line:
        return finding.message
    where = f"{finding.line}:{finding.column}" if finding.column else str(finding.line)
    return f"{where}: {finding.message}"


def _refusal(request, result):
    """The problem+json answer for a refused file: 403 when another organisation
    publishes the repository, else 400; all findings in both."""
    findings = [f.as_dict() for f in result.findings]
    errors = result.errors
    if result.other_publisher is not None:
        body = problem(403, errors[-1].message, request=request)
        code = status.HTTP_403_FORBIDDEN
    else:
        invalid = [{"name": f.path or "body", "reason": _reason(f)} for f in errors]
        detail = _(
            "The publiccode.yml has %(n)d error(s); see invalidParams, and findings for "
            "the warnings too."
        ) % {"n": len(errors)}
        body = problem(400, detail, invalid_params=invalid, request=request)
        code = status.HTTP_400_BAD_REQUEST
    body["findings"] = findings
    return Response(body, status=code, content_type=PROBLEM_CONTENT_TYPE)


def import_data(result, context):
    """The answer to an accepted file, read while its changes are still visible
    (a dry run rolls them back afterwards)."""
    component = (
        Component.objects.select_related("publisher")
        .prefetch_related(
            "customer_questions", "upl_products", "reuse_organisations", "dependencies__depends_on"
        )
        .get(pk=result.component.pk)
    )
    attach_summaries([component])
    return {
        "created": result.created,
        "component": serializers.ComponentSerializer(component, context=context).data,
        "findings": [f.as_dict() for f in result.findings],
        "claims": serializers.ClaimSerializer(result.claims, many=True).data,
        "unmatched_users": list(result.unmatched),
    }


DRY_RUN = OpenApiParameter(
    "dryRun",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    description=_(
        "true: validate and show what would be registered, but save nothing (always 200)."
    ),
)


class PubliccodeImportView(generics.GenericAPIView):
    parser_classes = YAML_PARSERS
    public_reads = False
    serializer_class = serializers.PubliccodeImportSerializer
    filterset_class = None
    pagination_class = None

    @extend_schema(
        summary=_("Publish a publiccode.yml: register or update your organisation's component"),
        description=_(
            "The body is the publiccode.yml itself (versions 0 and 0.2 to 0.7), at most 1 MB. "
            "The token's organisation becomes the publisher; the file's url (the repository) "
            "is the key, so sending a file again updates its component. A file with errors "
            "is refused with 400: invalidParams names each error by key path with "
            "line:column, and findings lists every error and warning. A repository that "
            "another organisation publishes is refused with 403. usedBy names become "
            "claims on the organisations they match."
        ),
        parameters=[DRY_RUN],
        request={media: OpenApiTypes.STR for media in YAML_MEDIA_TYPES},
        responses={
            201: OpenApiResponse(
                serializers.PubliccodeImportSerializer, description=_("A new component.")
            ),
            200: OpenApiResponse(
                serializers.PubliccodeImportSerializer,
                description=_("An existing component updated, or a dry run."),
            ),
        },
        filters=False,
    )
    def post(self, request):
        body = request.data
        if not isinstance(body, bytes) or not body.strip():
            raise exceptions.ValidationError(
                {
                    "body": [
                        _("Send the publiccode.yml as the body (Content-Type: application/yaml).")
                    ]
                }
            )
        dry_run = _truthy(request, "dryRun")
        context = self.get_serializer_context()
        result = import_publiccode(
            body,
            token_organisation(request),
            dry_run=dry_run,
            actor=request.auth,
            snapshot=lambda result: import_data(result, context),
        )
        if not result.ok:
            return _refusal(request, result)
        created = result.created and not dry_run
        return Response(
            result.snapshot, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


EXPORT_SCHEMA = extend_schema(
    operation_id="components-publiccode-yml-retrieve",
    summary=_("The component as a publiccode.yml"),
    description=_(
        "A file the registry's own validator accepts without errors. usedBy names only "
        "organisations whose use is public; government-only usages are never exported."
    ),
    # The body is a YAML mapping, which a client parses into an object.
    responses={(200, "application/yaml"): OpenApiTypes.OBJECT},
    filters=False,
)
