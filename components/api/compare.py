"""Components side by side in the API: /api/v1/compare?components=a,b — the
same comparison as the website's compare page (components/compare.py)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.constants import OrganisationKind
from accounts.models import Organisation
from components.compare import ROWS, CompareError, compare, parse_slugs
from components.constants import ComponentKind, DependencyUse, DevelopmentStatus, Layer
from registry.api import token_organisation

from . import licensing as licensing_api
from .etags import with_content_etag
from .mixins import ApiViewMixin

# The row keys as the API names them (camelCase, the component fields' names).
DIFFERENCE_NAMES = {
    "kind": "kind",
    "layer": "layer",
    "status": "developmentStatus",
    "licence": "licenseExpression",
    "publisher": "publisher",
    "latest_release": "latestRelease",
    "standards": "standardsImplemented",
    "quality": "apiQuality",
    "users": "usersByOrganisationKind",
    "questions": "customerQuestions",
    "dependencies": "dependencies",
}
assert set(DIFFERENCE_NAMES) == {key for key, _label in ROWS}


class ComparedPublisherSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text=_("Slug of the publisher."))
    name = serializers.CharField(help_text=_("Name of the publisher."))
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, help_text=_("Kind of organisation.")
    )


class ComparedReleaseSerializer(serializers.Serializer):
    version = serializers.CharField(help_text=_("Version of the latest release."))
    release_date = serializers.DateField(help_text=_("Its release date."))


class ComparedQualitySerializer(serializers.Serializer):
    score = serializers.IntegerField(
        min_value=0,
        max_value=100,
        help_text=_("Percentage of the required API Design Rules that the document passes."),
    )
    meets_rules = serializers.BooleanField(
        help_text=_("Whether it is valid OpenAPI and passes every required rule.")
    )


class ComparedDependencySerializer(serializers.Serializer):
    component = serializers.CharField(
        allow_null=True, help_text=_("Slug of the registered component; null when external.")
    )
    name = serializers.CharField(help_text=_("Name of what it depends on."))
    how_used = serializers.ChoiceField(
        choices=DependencyUse.choices, help_text=_("How the component uses it.")
    )


class ComparedVerdictSerializer(licensing_api.ReuseCheckSerializer):
    pass


class ComparedComponentSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text=_("Slug of the component."))
    name = serializers.CharField(help_text=_("Name of the component."))
    kind = serializers.ChoiceField(choices=ComponentKind.choices, help_text=_("Kind."))
    layer = serializers.ChoiceField(
        choices=[("", ""), *Layer.choices],
        help_text=_("Common Ground layer; empty when it has none."),
    )
    development_status = serializers.ChoiceField(
        choices=DevelopmentStatus.choices, help_text=_("Development status.")
    )
    license_expression = serializers.CharField(help_text=_("SPDX licence expression."))
    publisher = ComparedPublisherSerializer(help_text=_("The publishing organisation."))
    latest_release = ComparedReleaseSerializer(
        allow_null=True, help_text=_("The latest release; null when none is recorded.")
    )
    standards_implemented = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Names of the standards and APIs it implements (dependencies used as 'implements')."
        ),
    )
    api_quality = ComparedQualitySerializer(
        allow_null=True,
        help_text=_(
            "The latest check of its OpenAPI document against the NL API Design Rules; null "
            "when it is not an API or its document has not been checked."
        ),
    )
    users_by_organisation_kind = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_(
            "Organisations using it now (pilot or production) per organisation kind; counts "
            "include government-only usages, as every count does, and name no one."
        ),
    )
    customer_questions = serializers.ListField(
        child=serializers.CharField(), help_text=_("Codes of the customer questions it serves.")
    )
    dependencies = ComparedDependencySerializer(many=True, help_text=_("What it depends on."))
    reuse_verdict = ComparedVerdictSerializer(
        allow_null=True,
        help_text=_(
            "May the organisation (the 'organisation' parameter, else the token's) reuse "
            "it? Null for an anonymous request without 'organisation'."
        ),
    )


class ComparisonSerializer(serializers.Serializer):
    components = ComparedComponentSerializer(
        many=True, help_text=_("The components, in the order asked.")
    )
    differences = serializers.ListField(
        child=serializers.ChoiceField(choices=[*DIFFERENCE_NAMES.values(), "reuseVerdict"]),
        help_text=_("The fields in which the components differ."),
    )


COMPONENTS = OpenApiParameter(
    "components",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    description=_(
        "Slugs of 2 to 4 components, separated by commas, e.g. 'open-zaak,open-formulieren'."
    ),
)
ORGANISATION = OpenApiParameter(
    "organisation",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description=_(
        "Slug of the organisation whose reuse verdicts to include; by default the token's."
    ),
)


def _component_data(component, organisation):
    release = component.latest_release
    verdict = component.verdicts.get(organisation.pk) if organisation else None
    return {
        "slug": component.slug,
        "name": component.name,
        "kind": component.kind,
        "layer": component.layer,
        "development_status": component.development_status,
        "license_expression": component.license_expression,
        "publisher": {
            "slug": component.publisher.slug,
            "name": component.publisher.name,
            "kind": component.publisher.kind,
        },
        "latest_release": (
            {"version": release.version, "release_date": release.release_date} if release else None
        ),
        "standards_implemented": component.standards,
        "api_quality": (
            {
                "score": component.compared["quality"][0],
                "meets_rules": component.compared["quality"][1],
            }
            if component.compared["quality"]
            else None
        ),
        "users_by_organisation_kind": component.users_by_kind,
        "customer_questions": [q.code for q in component.question_list],
        "dependencies": [
            {
                "component": d.depends_on.slug if d.depends_on else None,
                "name": d.depends_on.name if d.depends_on else d.name,
                "how_used": d.how_used,
            }
            for d in component.dependency_list
        ],
        "reuse_verdict": (
            licensing_api.reuse_check_data(component, organisation, verdict) if verdict else None
        ),
    }


@extend_schema(
    summary=_("Compare 2 to 4 components side by side"),
    parameters=[COMPONENTS, ORGANISATION, licensing_api.ACCEPT_LANGUAGE],
    responses=ComparisonSerializer,
)
class CompareView(ApiViewMixin, APIView):
    """Kind, layer, status, licence, publisher, latest release, standards
    implemented, API quality score, users per organisation kind, customer
    questions and dependencies of 2 to 4 components, with the fields in which
    they differ; with a reuse verdict per component for the token's
    organisation (or the one named)."""

    def get(self, request):
        def produce():
            try:
                slugs = parse_slugs(request.query_params.getlist("components"))
            except CompareError as exc:
                raise exceptions.ValidationError({"components": [str(exc)]}) from None
            wanted = request.query_params.get("organisation", "").strip()
            organisation = token_organisation(request)
            if wanted:
                organisation = Organisation.objects.filter(slug=wanted).first()
                if organisation is None:
                    raise exceptions.ValidationError(
                        {
                            "organisation": [
                                _("No organisation has the slug '%(slug)s'.") % {"slug": wanted}
                            ]
                        }
                    )
            comparison = compare(slugs, [organisation] if organisation else [])
            if comparison.missing:
                raise exceptions.ValidationError(
                    {
                        "components": [
                            _("No component has the slug '%(slug)s'.") % {"slug": slug}
                            for slug in comparison.missing
                        ]
                    }
                )
            differences = [DIFFERENCE_NAMES[key] for key, _label in ROWS if comparison.differs(key)]
            if organisation and comparison.verdict_differs(organisation):
                differences.append("reuseVerdict")
            data = ComparisonSerializer(
                {
                    "components": [
                        _component_data(component, organisation)
                        for component in comparison.components
                    ],
                    "differences": differences,
                }
            ).data
            return with_content_etag(Response(data), data)

        return self.cached(request, produce)
