from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import ApiToken, Organisation
from components.constants import Assertion, DevelopmentStatus, UsageStatus
from components.models import Component, License, Release, Usage
from components.query import Viewer, attach_summaries
from registry.api import (
    Conflict,
    check_if_match,
    etag_for,
    token_organisation,
    with_etag,
)

from . import filters, history, serializers

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("The ETag you read; a stale one gets 412 and nothing changes."),
)


def json_object(request):
    """The write body, which must be a JSON object."""
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"body": [_("The body must be a JSON object.")]})
    return request.data


class ApiViewMixin:
    """Works out who is looking (for usage visibility) once per request."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        request.viewer = Viewer.for_token(token) if token else Viewer.anonymous()
        # django-filter sees the Django request, so share the viewer with it.
        request._request.viewer = request.viewer

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return with_etag(Response(self.get_serializer(instance).data), instance)


@extend_schema_view(
    list=extend_schema(summary=_("List organisations")),
    retrieve=extend_schema(summary=_("One organisation")),
)
class OrganisationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Organisation.objects.order_by("name")
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary=_("List licences (SPDX and custom)")),
    retrieve=extend_schema(summary=_("One licence")),
)
class LicenseViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    queryset = License.objects.select_related(None).order_by("id")
    serializer_class = serializers.LicenseSerializer
    filterset_class = filters.LicenseFilter
    lookup_field = "id"
    lookup_value_regex = r"[A-Za-z0-9.+\-]+"


def own_component_or_403(request, component):
    if component.publisher_id != token_organisation(request).pk:
        raise exceptions.PermissionDenied(
            _("Only %(org)s, the publisher, may change this component.")
            % {"org": component.publisher.name}
        )


@extend_schema_view(
    list=extend_schema(summary=_("List and search components")),
    retrieve=extend_schema(summary=_("One component")),
    create=extend_schema(summary=_("Register a component of your organisation")),
    update=extend_schema(
        summary=_("Create or replace a component of your organisation"), parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a component"), parameters=[IF_MATCH]
    ),
    destroy=extend_schema(
        summary=_("Retire a component (marks it obsolete; nothing is deleted)"),
        parameters=[IF_MATCH],
    ),
)
class ComponentViewSet(ApiViewMixin, viewsets.ModelViewSet):
    serializer_class = serializers.ComponentSerializer
    filterset_class = filters.ComponentFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return (
            Component.objects.select_related("publisher")
            .prefetch_related(
                "customer_questions",
                "upl_products",
                "reuse_organisations",
                "dependencies__depends_on",
            )
            .order_by("name", "pk")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_summaries(page) if page is not None else None

    def get_object(self):
        component = super().get_object()
        attach_summaries([component])
        return component

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        component = serializer.save(publisher=token_organisation(request))
        component = self.get_queryset().get(pk=component.pk)
        attach_summaries([component])
        data = self.get_serializer(component).data
        return with_etag(Response(data, status=status.HTTP_201_CREATED), component)

    def update(self, request, *args, partial=False, **kwargs):
        slug = kwargs[self.lookup_field]
        if json_object(request).get("slug", slug) != slug:
            raise exceptions.ValidationError({"slug": [_("Must match the slug in the path.")]})
        with transaction.atomic():
            component = (
                Component.objects.select_for_update(of=("self",))
                .select_related("publisher")
                .filter(slug=slug)
                .first()
            )
            if component is None:
                if partial:
                    raise exceptions.NotFound(_("No such component."))
                serializer = self.get_serializer(data={**request.data, "slug": slug})
                serializer.is_valid(raise_exception=True)
                component = serializer.save(publisher=token_organisation(request))
                created = True
            else:
                own_component_or_403(request, component)
                check_if_match(request, component)
                serializer = self.get_serializer(component, data=request.data, partial=partial)
                serializer.is_valid(raise_exception=True)
                component = serializer.save()
                created = False
        component = self.get_queryset().get(pk=component.pk)
        attach_summaries([component])
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return with_etag(Response(self.get_serializer(component).data, status=code), component)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            component = get_object_or_404(
                Component.objects.select_for_update(of=("self",)).select_related("publisher"),
                slug=kwargs[self.lookup_field],
            )
            own_component_or_403(request, component)
            check_if_match(request, component)
            if component.development_status != DevelopmentStatus.OBSOLETE:
                component.development_status = DevelopmentStatus.OBSOLETE
                component.save()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("What changed, when, and by whom"),
        responses=serializers.HistoryEntrySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, slug=None):
        component = get_object_or_404(Component, slug=slug)
        entries = history.for_component(component, request.viewer)
        page = self.paginate_queryset_plain(entries)
        return self.get_paginated_response(serializers.HistoryEntrySerializer(page, many=True).data)

    def paginate_queryset_plain(self, items):
        return super().paginate_queryset(items)


@extend_schema_view(
    list=extend_schema(summary=_("Releases of a component, newest first")),
    retrieve=extend_schema(summary=_("One release")),
    create=extend_schema(summary=_("Publish a release of your component")),
    update=extend_schema(summary=_("Create or replace a release"), parameters=[IF_MATCH]),
    partial_update=extend_schema(summary=_("Change a release"), parameters=[IF_MATCH]),
    destroy=extend_schema(summary=_("Withdraw a release"), parameters=[IF_MATCH]),
)
class ReleaseViewSet(ApiViewMixin, viewsets.ModelViewSet):
    serializer_class = serializers.ReleaseSerializer
    lookup_field = "version"
    lookup_value_regex = r"[^/]+"
    filterset_class = None

    def get_component(self):
        if not hasattr(self, "_component"):
            self._component = get_object_or_404(
                Component.objects.select_related("publisher"), slug=self.kwargs["component_slug"]
            )
        return self._component

    queryset = Release.objects.none()  # for the schema; the real one depends on the URL

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return Release.objects.filter(component=self.get_component()).select_related("component")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "component_slug" in self.kwargs:
            context["component"] = self.get_component()
        return context

    def create(self, request, *args, **kwargs):
        component = self.get_component()
        own_component_or_403(request, component)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        release = serializer.save(component=component)
        return with_etag(
            Response(self.get_serializer(release).data, status=status.HTTP_201_CREATED), release
        )

    def update(self, request, *args, partial=False, **kwargs):
        component = self.get_component()
        own_component_or_403(request, component)
        version = kwargs["version"]
        if json_object(request).get("version", version) != version:
            raise exceptions.ValidationError(
                {"version": [_("Must match the version in the path.")]}
            )
        with transaction.atomic():
            release = (
                Release.objects.select_for_update()
                .filter(component=component, version=version)
                .first()
            )
            if release is None:
                if partial:
                    raise exceptions.NotFound(_("No such release."))
                data = {**request.data, "version": version}
                serializer = self.get_serializer(data=data)
                serializer.is_valid(raise_exception=True)
                release = serializer.save(component=component)
                code = status.HTTP_201_CREATED
            else:
                check_if_match(request, release)
                serializer = self.get_serializer(release, data=request.data, partial=partial)
                serializer.is_valid(raise_exception=True)
                release = serializer.save()
                code = status.HTTP_200_OK
        return with_etag(Response(self.get_serializer(release).data, status=code), release)

    def destroy(self, request, *args, **kwargs):
        component = self.get_component()
        own_component_or_403(request, component)
        with transaction.atomic():
            release = get_object_or_404(
                Release.objects.select_for_update(), component=component, version=kwargs["version"]
            )
            check_if_match(request, release)
            release.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("Who uses what (as far as you may see)")),
    retrieve=extend_schema(summary=_("One usage")),
    create=extend_schema(
        summary=_("Record your organisation's usage, or claim a customer's use of your component")
    ),
    update=extend_schema(summary=_("Replace a usage"), parameters=[IF_MATCH]),
    partial_update=extend_schema(summary=_("Change a usage"), parameters=[IF_MATCH]),
    destroy=extend_schema(
        summary=_(
            "Stop your usage (kept, with status stopped), or withdraw a claim you made "
            "that was not yet answered"
        ),
        parameters=[IF_MATCH],
    ),
)
class UsageViewSet(ApiViewMixin, viewsets.ModelViewSet):
    serializer_class = serializers.UsageSerializer
    filterset_class = filters.UsageFilter

    queryset = Usage.objects.none()  # for the schema; the real one depends on the viewer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return (
            Usage.objects.visible_to(self.request.viewer)
            .select_related("organisation", "component", "release", "claimed_by")
            .order_by("-updated_at", "-id")
        )

    def _locked(self, pk):
        usage = get_object_or_404(self.get_queryset().select_for_update(of=("self",)), pk=pk)
        return usage

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        me = token_organisation(request)
        organisation = serializer.validated_data["organisation"]
        component = serializer.validated_data["component"]
        extra = {}
        if organisation != me:
            if component.publisher_id != me.pk:
                raise exceptions.PermissionDenied(
                    _(
                        "You may record your own organisation's usages, and claim usages only "
                        "of components your organisation publishes."
                    )
                )
            extra = {
                "assertion": Assertion.CLAIMED,
                "claimed_by": me,
                "claimed_at": timezone.now(),
            }
        with transaction.atomic():
            if Usage.objects.filter(organisation=organisation, component=component).exists():
                raise Conflict(
                    _("%(org)s already has a usage of %(component)s; change that one instead.")
                    % {"org": organisation.name, "component": component.name}
                )
            usage = serializer.save(**extra)
        return with_etag(
            Response(self.get_serializer(usage).data, status=status.HTTP_201_CREATED), usage
        )

    def update(self, request, *args, partial=False, **kwargs):
        me = token_organisation(request)
        with transaction.atomic():
            usage = self._locked(kwargs["pk"])
            is_owner = usage.organisation_id == me.pk
            is_pending_claimant = (
                usage.claimed_by_id == me.pk and usage.assertion == Assertion.CLAIMED
            )
            if not (is_owner or is_pending_claimant):
                raise exceptions.PermissionDenied(
                    _("Only the organisation itself may change its usage.")
                )
            check_if_match(request, usage)
            serializer = self.get_serializer(usage, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            usage = serializer.save()
        return with_etag(Response(self.get_serializer(usage).data), usage)

    def destroy(self, request, *args, **kwargs):
        me = token_organisation(request)
        with transaction.atomic():
            usage = self._locked(kwargs["pk"])
            check_if_match(request, usage)
            if usage.organisation_id == me.pk:
                if usage.status != UsageStatus.STOPPED:
                    usage.status = UsageStatus.STOPPED
                    usage.until = usage.until or timezone.localdate()
                    if usage.since and usage.until < usage.since:
                        usage.until = usage.since
                    usage.save()
            elif usage.claimed_by_id == me.pk and usage.assertion == Assertion.CLAIMED:
                usage.delete()
            else:
                raise exceptions.PermissionDenied(
                    _("Only the organisation itself may stop its usage.")
                )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Confirm a claim about your organisation"), request=None, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._answer(request, pk, Assertion.CONFIRMED)

    @extend_schema(
        summary=_("Reject a claim about your organisation"), request=None, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._answer(request, pk, Assertion.REJECTED)

    def _answer(self, request, pk, answer):
        me = token_organisation(request)
        with transaction.atomic():
            usage = self._locked(pk)
            if usage.organisation_id != me.pk:
                raise exceptions.PermissionDenied(
                    _("Only the organisation named in a claim may answer it.")
                )
            check_if_match(request, usage)
            if usage.assertion not in (Assertion.CLAIMED, answer):
                raise Conflict(_("This usage is not a pending claim."))
            if usage.assertion != answer:
                usage.assertion = answer
                usage.answered_at = timezone.now()
                usage.save()
        return with_etag(Response(self.get_serializer(usage).data), usage)


__all__ = ["etag_for"]
