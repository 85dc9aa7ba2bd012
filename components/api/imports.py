"""POST /imports/don: a curator imports one of developer.overheid.nl's API
descriptions (components.don does the work)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from accounts.models import ApiToken
from components import don
from components.query import attach_summaries
from registry.api import PROBLEM_CONTENT_TYPE, problem

from .mixins import ApiViewMixin
from .serializers import ComponentSerializer


class DonImportResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["created", "updated", "unchanged"],
        help_text=_("What the import did; the same description again is 'unchanged'."),
    )
    organisation_created = serializers.BooleanField(
        help_text=_("The organisation was not known by its OIN and was created, unverified.")
    )
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Values left out or read otherwise, each led by its key path."),
    )
    component = ComponentSerializer(help_text=_("The component, as it is now."))


API_ID = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    description=_(
        "The API's id on developer.overheid.nl (its file name without .json), e.g. vng-zrc; "
        "importing the same id again updates that component."
    ),
)


class DonImportView(ApiViewMixin, generics.GenericAPIView):
    """An API description in developer.overheid.nl's JSON format becomes an API
    component of its organisation (matched by OIN; created, unverified, when
    unknown): environments become links, terms_of_use.government_only a reuse
    restriction to the public sector, a reference implementation a dependency of kind
    implements. Only with a curator's token."""

    parser_classes = [JSONParser]  # the file as developer.overheid.nl has it (snake_case)
    serializer_class = DonImportResultSerializer
    filterset_class = None
    pagination_class = None

    @extend_schema(
        summary=_("Import an API description of developer.overheid.nl (curators)"),
        parameters=[API_ID],
        request={"application/json": OpenApiTypes.OBJECT},
        responses={201: DonImportResultSerializer, 200: DonImportResultSerializer},
        filters=False,
    )
    def post(self, request, format=None):
        token = request.auth
        if not (isinstance(token, ApiToken) and token.is_curator):
            raise exceptions.PermissionDenied(
                _("Only a curator's token may import other catalogues.")
            )
        api_id = request.query_params.get("id", "").strip()
        if not api_id:
            raise exceptions.ValidationError({"id": [_("Give the API's id.")]})
        try:
            description = don.read(request.data, api_id)
        except don.DonError as exc:
            name = exc.path or ("id" if "API id" in exc.message else "body")
            body = problem(
                400,
                _("The description cannot be imported: %(reason)s") % {"reason": exc},
                invalid_params=[{"name": name, "reason": exc.message}],
                request=request,
            )
            return Response(body, status=400, content_type=PROBLEM_CONTENT_TYPE)
        result = don.import_description(description)
        don.resolve_relations()
        component = (
            ComponentSerializer.Meta.model.objects.select_related("publisher", "replaced_by")
            .prefetch_related(
                "customer_questions",
                "upl_products",
                "reuse_organisations",
                "links",
                "dependencies__depends_on",
            )
            .get(pk=result.component.pk)
        )
        attach_summaries([component])
        data = {
            "outcome": result.outcome,
            "organisation_created": result.organisation_created,
            "warnings": result.warnings,
            "component": ComponentSerializer(component).data,
        }
        code = status.HTTP_201_CREATED if result.outcome == "created" else status.HTTP_200_OK
        return Response(data, status=code)
