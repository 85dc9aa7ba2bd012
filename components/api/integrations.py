"""Integrations in the API: an organisation's list (and recording one) under
/organisations/{slug}/integrations, one integration under /integrations/{id}.
The same tokens, ETags, history, claim flow and problem+json as usages; the
same visibility, so a government-only integration (or one to a government-only
usage) is a 404 to whoever may not see it, exactly like one that does not exist."""

import django_filters
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organisation
from components.constants import Assertion, IntegrationStatus
from components.models import CARRIER_KINDS, OWN_WORD, Component, Integration, Usage
from registry.api import Conflict, token_organisation

from . import history
from .claims import ClaimFlowMixin
from .etags import IF_MATCH, check_if_match, with_etag
from .history import HistoryEntrySerializer
from .mixins import ApiViewMixin
from .serializers import SlugReferenceField, StrictSerializerMixin, UsageLifecycleMixin


class IntegrationSerializer(
    UsageLifecycleMixin, StrictSerializerMixin, serializers.ModelSerializer
):
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text=_("Slug of the organisation whose landscape this integration is part of."),
    )
    source_component = SlugReferenceField(
        source="source_usage.component",
        slug_field="slug",
        queryset=Component.objects.all(),
        help_text=_(
            "Slug of the component the integration starts at: one the organisation uses "
            "(as far as you may see its usages)."
        ),
    )
    source_component_name = serializers.CharField(
        source="source_usage.component.name",
        read_only=True,
        help_text=_("Name of that component."),
    )
    target_component = SlugReferenceField(
        source="target_usage.component",
        slug_field="slug",
        queryset=Component.objects.all(),
        help_text=_("Slug of the component the integration goes to: one the organisation uses."),
    )
    target_component_name = serializers.CharField(
        source="target_usage.component.name",
        read_only=True,
        help_text=_("Name of that component."),
    )
    source_usage = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the organisation's usage at the start.")
    )
    target_usage = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the organisation's usage at the end.")
    )
    standard = SlugReferenceField(
        slug_field="slug",
        queryset=Component.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Slug of the standard or API (a component of kind standard or api) used."),
    )
    standard_name = serializers.CharField(
        source="standard.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Name of the standard or API; null when none is named."),
    )
    claimed_by = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Slug of the organisation that proposed it; null when none did."),
    )
    unconfirmed = serializers.SerializerMethodField(
        help_text=_("True for a claim the organisation has not answered in 90 days.")
    )

    class Meta:
        model = Integration
        fields = [
            "id",
            "organisation",
            "source_component",
            "source_component_name",
            "target_component",
            "target_component_name",
            "source_usage",
            "target_usage",
            "standard",
            "standard_name",
            "direction",
            "status",
            "since",
            "until",
            "visibility",
            "assertion",
            "claimed_by",
            "claimed_at",
            "answered_at",
            "unconfirmed",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "assertion",
            "claimed_at",
            "answered_at",
            "created_at",
            "updated_at",
        ]
        validators = []

    def get_unconfirmed(self, integration) -> bool:
        return integration.is_unconfirmed

    def validate_standard(self, value):
        if value is not None and value.kind not in CARRIER_KINDS:
            raise serializers.ValidationError(_("Must be a component of kind standard or api."))
        return value

    def validate(self, attrs):
        organisation = self.context["organisation"]
        me = self.context["me"]
        viewer = self.context["request"].viewer
        ends = {}
        for name in ("source", "target"):
            given = attrs.pop(f"{name}_usage", None)
            if given is not None:
                ends[name] = given["component"]
            elif self.instance is not None:
                ends[name] = getattr(self.instance, f"{name}_usage").component
            else:
                raise serializers.ValidationError(
                    {f"{name}_component": [_("This field is required.")]}
                )
        if ends["source"] == ends["target"]:
            raise serializers.ValidationError(
                {"target_component": [_("An integration connects two different components.")]}
            )
        # Someone else's proposal: only between components its organisation uses,
        # one of them published by the proposer. Checked on the components before
        # any usage is looked up, so the answer tells nothing of usages.
        if me != organisation and me.pk not in {c.publisher_id for c in ends.values()}:
            raise exceptions.PermissionDenied(
                _(
                    "You may record your own organisation's integrations, and propose one "
                    "for another organisation only when one of its two components is yours."
                )
            )
        usages = {
            usage.component_id: usage
            for usage in Usage.objects.visible_to(viewer).filter(
                organisation=organisation,
                component__in=list(ends.values()),
                assertion__in=OWN_WORD,
            )
        }
        for name, component in ends.items():
            usage = usages.get(component.pk)
            if usage is None:
                raise serializers.ValidationError(
                    {
                        f"{name}_component": [
                            _(
                                "%(org)s has no usage of %(component)s that you can see; "
                                "an integration connects two of its usages."
                            )
                            % {"org": organisation.name, "component": component.name}
                        ]
                    }
                )
            attrs[f"{name}_usage"] = usage
        self._date_the_status(attrs)
        since = attrs.get("since", getattr(self.instance, "since", None))
        until = attrs.get("until", getattr(self.instance, "until", None))
        if since and until and until < since:
            raise serializers.ValidationError({"until": [_("Must not be before 'since'.")]})
        return attrs


class IntegrationFilter(django_filters.FilterSet):
    component = django_filters.CharFilter(
        method="filter_component",
        max_length=100,
        help_text=_("Slug of a component at either end."),
    )
    standard = django_filters.CharFilter(
        field_name="standard__slug",
        max_length=100,
        help_text=_("Slug of the standard or API used."),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=IntegrationStatus.choices, help_text=_("Status; repeat for several.")
    )

    class Meta:
        model = Integration
        fields = []

    def filter_component(self, queryset, name, value):
        return queryset.filter(
            Q(source_usage__component__slug=value) | Q(target_usage__component__slug=value)
        )


def integrations_visible_to(viewer):
    return Integration.objects.visible_to(viewer).select_related(
        "organisation",
        "source_usage__component",
        "target_usage__component",
        "standard",
        "claimed_by",
    )


def _check_not_recorded(integration_data, organisation, viewer, me):
    """409 when the same integration (from, to, over) is already recorded where the
    caller can see it, or already proposed by the caller. One the caller may not see
    does not stop its claim, which is recorded beside it (as for usages)."""
    same = Integration.objects.filter(
        source_usage=integration_data["source_usage"],
        target_usage=integration_data["target_usage"],
        standard=integration_data.get("standard"),
    )
    if (
        same.filter(assertion__in=OWN_WORD).visible_to(viewer).exists()
        or same.exclude(assertion__in=OWN_WORD).filter(claimed_by=me).exists()
    ):
        raise Conflict(
            _("%(org)s already has this integration; change that one instead.")
            % {"org": organisation.name}
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("An organisation's integrations (as far as you may see them)"),
    ),
    create=extend_schema(
        summary=_(
            "Record an integration of your organisation, or propose one for an organisation "
            "that uses your component"
        ),
        description=_(
            "Both components must be ones the organisation uses (and whose usage you can "
            "see). Another organisation's token makes a claim, which the organisation "
            "confirms or rejects; it may do so only when it publishes one of the two "
            "components. 409 when the same integration (from, to, standard) is already "
            "recorded."
        ),
    ),
)
class OrganisationIntegrationViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = IntegrationSerializer
    filterset_class = IntegrationFilter
    queryset = Integration.objects.none()  # for the schema; the real one depends on the viewer
    unrouted_actions = ("retrieve",)  # one integration is /integrations/{id}

    def organisation(self):
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(
                Organisation, slug=self.kwargs["organisation_slug"]
            )
        return self._organisation

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return (
            integrations_visible_to(self.request.viewer)
            .filter(organisation=self.organisation())
            .order_by("-updated_at", "-id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["organisation"] = self.organisation()
            context["me"] = token_organisation(self.request)
        return context

    def create(self, request, *args, **kwargs):
        organisation = self.organisation()
        me = token_organisation(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extra = {"organisation": organisation}
        if me != organisation:
            extra.update(ClaimFlowMixin.claim_fields(me))
        with transaction.atomic():
            _check_not_recorded(serializer.validated_data, organisation, request.viewer, me)
            integration = serializer.save(**extra)
        integration = integrations_visible_to(request.viewer).get(pk=integration.pk)
        return with_etag(
            Response(self.get_serializer(integration).data, status=status.HTTP_201_CREATED),
            integration,
        )


@extend_schema_view(
    retrieve=extend_schema(summary=_("One integration")),
    partial_update=extend_schema(
        summary=_("Change an integration"),
        description=_(
            "The organisation may change every field. The organisation that proposed it, "
            "while its claim awaits an answer, may change only the components, standard, "
            "direction, status and dates; visibility and notes are the organisation's."
        ),
        parameters=[IF_MATCH],
    ),
    destroy=extend_schema(
        summary=_(
            "Remove an integration of your organisation, or withdraw a proposal of yours "
            "that was not yet answered (stopping one is a change of status)"
        ),
        parameters=[IF_MATCH],
    ),
)
class IntegrationViewSet(
    ClaimFlowMixin,
    ApiViewMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IntegrationSerializer
    filterset_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Integration.objects.none()
    unrouted_actions = ("list",)  # an organisation's are /organisations/{slug}/integrations
    noun = "integration"
    CLAIMANT_FIELDS = frozenset(
        {"source_component", "target_component", "standard", "direction", "status", "since"}
        | {"until"}
    )
    CLAIMANT_FIELDS_TEXT = _("the components, standard, direction, status, since and until")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return integrations_visible_to(self.request.viewer)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        instance = getattr(self, "_instance", None)
        if instance is not None:
            context["organisation"] = instance.organisation
            context["me"] = token_organisation(self.request)
        return context

    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            integration = self._locked(kwargs["pk"])
            self.check_may_change(request, integration)
            check_if_match(request, integration)
            self._instance = integration
            serializer = self.get_serializer(integration, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            changes_key = {
                key: serializer.validated_data.get(key, getattr(integration, key))
                for key in ("source_usage", "target_usage", "standard")
            }
            if any(changes_key[key] != getattr(integration, key) for key in changes_key):
                _check_not_recorded(
                    changes_key,
                    integration.organisation,
                    request.viewer,
                    token_organisation(request),
                )
            integration = serializer.save()
        integration = self.get_queryset().get(pk=integration.pk)
        return with_etag(Response(self.get_serializer(integration).data), integration)

    def destroy(self, request, *args, **kwargs):
        me = token_organisation(request)
        with transaction.atomic():
            integration = self._locked(kwargs["pk"])
            check_if_match(request, integration)
            pending_claimant = (
                integration.claimed_by_id == me.pk and integration.assertion == Assertion.CLAIMED
            )
            if integration.organisation_id != me.pk and not pending_claimant:
                raise exceptions.PermissionDenied(
                    _("Only the organisation itself may remove its integration.")
                )
            integration.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("What changed in an integration, when, and by whom"),
        responses=HistoryEntrySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        integration = get_object_or_404(self.get_queryset(), pk=pk)
        entries = history.for_integration(integration)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)
