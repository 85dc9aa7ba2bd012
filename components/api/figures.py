"""Reuse figures in the API: the same counts the figures page draws.

Figures are counts, never names, so government-only usages are included;
what is built on one organisation's usages uses only those the caller may see."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from components import figures
from components.constants import ComponentKind, Layer
from components.models import Component, CustomerQuestion
from components.query import attach_summaries

from .mixins import ApiViewMixin


class AdoptionSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=_("Calendar year."))
    started = serializers.IntegerField(help_text=_("Usages that started (pilot or production)."))
    stopped = serializers.IntegerField(help_text=_("Usages that stopped."))
    in_use = serializers.IntegerField(help_text=_("Usages in use at the end of the year."))


class ByValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text=_("The kind or layer."))
    components = serializers.IntegerField(help_text=_("Components of this kind or layer."))
    usages = serializers.IntegerField(help_text=_("Usages in use of those components."))


class MostReusedSerializer(serializers.Serializer):
    component = serializers.CharField(help_text=_("Slug of the component."))
    name = serializers.CharField(help_text=_("Name of the component."))
    users = serializers.IntegerField(help_text=_("Organisations using it now."))


class AcrossKindsSerializer(serializers.Serializer):
    publisher_kind = serializers.CharField(help_text=_("Kind of the publishing organisation."))
    user_kind = serializers.CharField(help_text=_("Kind of the using organisation."))
    usages = serializers.IntegerField(help_text=_("Usages in use."))


class QuestionCoverageSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Code of the customer question."))
    components = serializers.IntegerField(help_text=_("Components that serve it."))
    municipalities = serializers.IntegerField(
        help_text=_("Municipalities using at least one of them now.")
    )


class RegistryFiguresSerializer(serializers.Serializer):
    most_reused = MostReusedSerializer(many=True, help_text=_("Most reused components."))
    by_kind = ByValueSerializer(many=True, help_text=_("Reuse per component kind."))
    by_layer = ByValueSerializer(many=True, help_text=_("Reuse per Common Ground layer."))
    across_kinds = AcrossKindsSerializer(
        many=True, help_text=_("Reuse across organisation kinds (publisher kind x user kind).")
    )
    adoption = AdoptionSerializer(many=True, help_text=_("Adoption over time."))
    question_coverage = QuestionCoverageSerializer(
        many=True, help_text=_("Per customer question: components and municipalities.")
    )


class ComponentFiguresSerializer(serializers.Serializer):
    component = serializers.CharField(help_text=_("Slug of the component."))
    users_by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Users per usage status.")
    )
    users_by_organisation_kind = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Users per organisation kind.")
    )
    adoption = AdoptionSerializer(many=True, help_text=_("Adoption over time."))


class SimilarUseSerializer(serializers.Serializer):
    component = serializers.CharField(help_text=_("Slug of the component."))
    name = serializers.CharField(help_text=_("Name of the component."))
    organisations = serializers.IntegerField(
        help_text=_("Organisations like this one that use it.")
    )


class OrganisationFiguresSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text=_("Slug of the organisation."))
    questions_covered = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Codes of the customer questions its components in use serve."),
    )
    questions_total = serializers.IntegerField(help_text=_("How many customer questions exist."))
    similar_organisations_use = SimilarUseSerializer(
        many=True,
        help_text=_(
            "Organisations like yours use...: components in use at other organisations of "
            "the same kind, that this one does not use and may reuse, with how many use each."
        ),
    )


def _registry_figures():
    coverage = figures.question_coverage()
    return {
        "most_reused": [
            {"component": c.slug, "name": c.name, "users": c.user_count}
            for c in figures.most_reused(10)
        ],
        "by_kind": [
            {k: row[k] for k in ("value", "components", "usages")}
            for row in figures.usage_by("kind", ComponentKind)
        ],
        "by_layer": [
            {k: row[k] for k in ("value", "components", "usages")}
            for row in figures.usage_by("layer", Layer)
        ],
        "across_kinds": figures.reuse_across_kinds(),
        "adoption": figures.adoption_over_time(),
        "question_coverage": [
            {
                "code": q.code,
                "components": q.component_count,
                "municipalities": q.municipality_count,
            }
            for q in coverage
        ],
    }


@extend_schema(
    summary=_("Reuse figures of the whole registry"), responses=RegistryFiguresSerializer
)
class RegistryFiguresView(ApiViewMixin, APIView):
    def get(self, request):
        data = figures.cached("api-registry", _registry_figures)
        return Response(RegistryFiguresSerializer(data).data)


@extend_schema(summary=_("Reuse figures of one component"), responses=ComponentFiguresSerializer)
class ComponentFiguresView(ApiViewMixin, APIView):
    def get(self, request, slug):
        component = get_object_or_404(Component, slug=slug)
        attach_summaries([component])
        data = {
            "component": component.slug,
            "users_by_status": component.usage_counts["by_status"],
            "users_by_organisation_kind": component.usage_counts["by_organisation_kind"],
            "adoption": figures.adoption_over_time(component=component),
        }
        return Response(ComponentFiguresSerializer(data).data)


@extend_schema(
    summary=_("Customer questions covered and what organisations like this one use"),
    responses=OrganisationFiguresSerializer,
)
class OrganisationFiguresView(ApiViewMixin, APIView):
    def get(self, request, slug):
        organisation = get_object_or_404(Organisation, slug=slug)
        viewer = request.viewer
        data = {
            "organisation": organisation.slug,
            "questions_covered": [q.code for q in figures.questions_covered(organisation, viewer)],
            "questions_total": CustomerQuestion.objects.count(),
            "similar_organisations_use": [
                {
                    "component": row["component"].slug,
                    "name": row["component"].name,
                    "organisations": row["organisations"],
                }
                for row in figures.similar_organisations_use(organisation, viewer)
            ],
        }
        return Response(OrganisationFiguresSerializer(data).data)
