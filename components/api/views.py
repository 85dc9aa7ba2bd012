from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organisation
from components import dcat, exports, federation, licensing, tasks
from components.constants import Assertion, DevelopmentStatus, UsageStatus
from components.models import (
    Component,
    ComponentRedirect,
    Dependency,
    HarvestSource,
    License,
    Release,
    Usage,
    WebhookSubscription,
)
from components.publiccode import export_publiccode
from components.query import attach_summaries
from registry import cache as response_cache
from registry.api import Conflict, Pagination, token_organisation
from registry.renderers import JSONRenderer

from . import filters, history, linkeddata, representations, serializers
from . import licensing as licensing_api
from . import publiccode as publiccode_api
from .claims import ClaimFlowMixin, json_object
from .etags import IF_MATCH, check_if_match, with_content_etag, with_etag
from .mixins import ApiViewMixin


@extend_schema_view(
    list=extend_schema(summary=_("List organisations")),
    retrieve=extend_schema(summary=_("One organisation")),
)
class OrganisationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    # Not those awaiting a curator; those merged into another lead there (retrieve).
    queryset = Organisation.objects.shown().select_related("successor").order_by("name")
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    lookup_field = "slug"

    def retrieve(self, request, *args, **kwargs):
        merged = (
            Organisation.objects.filter(slug=kwargs["slug"], merged_into__isnull=False)
            .select_related("merged_into")
            .first()
        )
        if merged is not None:
            return HttpResponsePermanentRedirect(f"/api/v1/organisations/{merged.merged_into.slug}")
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("The licences an organisation uses, their obligations, its flagged usages"),
        parameters=[licensing_api.FORMAT, licensing_api.ACCEPT_LANGUAGE],
        responses={
            (200, "application/json"): licensing_api.LicenseReportSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="license-report",
        filterset_class=None,
        pagination_class=None,
        renderer_classes=[JSONRenderer, licensing_api.CsvRenderer],
        content_negotiation_class=licensing_api.FormatParameterNegotiation,
    )
    def license_report(self, request, slug=None):
        organisation = get_object_or_404(Organisation, slug=slug)
        # Only the usages this viewer may see: government-only ones stay hidden from vendors.
        report = licensing.licence_report(organisation, request.viewer)
        if request.accepted_renderer.format == "csv":
            return licensing_api.csv_response(report, f"license-report-{organisation.slug}.csv")
        data = licensing_api.report_data(report)
        return with_content_etag(Response(data), data)


@extend_schema_view(
    list=extend_schema(summary=_("List licences (SPDX and custom)")),
    retrieve=extend_schema(summary=_("One licence")),
)
class LicenseViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    # The component count is a subquery per licence on the page, not a query per row.
    queryset = License.objects.annotate(
        component_count=Coalesce(
            Subquery(
                Component.licenses.through.objects.filter(license_id=OuterRef("pk"))
                .order_by()
                .values("license_id")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
    ).order_by("id")
    serializer_class = serializers.LicenseSerializer
    filterset_class = filters.LicenseFilter
    lookup_field = "id"
    lookup_value_regex = r"[A-Za-z0-9.+\-]+"


def own_component_or_403(request, component):
    origin = federation.read_only_origin(component)
    if origin is not None:
        raise exceptions.PermissionDenied(
            _("This component is kept as the registry at %(origin)s has it; change it there.")
            % {"origin": origin}
        )
    if component.publisher_id != token_organisation(request).pk:
        raise exceptions.PermissionDenied(
            _("Only %(org)s, the publisher, may change this component.")
            % {"org": component.publisher.name}
        )


# The list's query parameters that choose a page, not the components.
PAGING = {Pagination.page_query_param, Pagination.page_size_query_param}


@extend_schema_view(
    list=extend_schema(summary=_("List and search components")),
    retrieve=extend_schema(
        summary=_("One component"),
        description=_(
            "JSON by default; with Accept: text/turtle, application/ld+json or "
            "application/rdf+xml the component as it is in the DCAT-AP-NL catalogue "
            "(GET /catalogue)."
        ),
        responses={
            (200, "application/json"): serializers.ComponentSerializer,
            **linkeddata.RDF_RESPONSES,
        },
    ),
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
            Component.objects.select_related("publisher", "replaced_by", "concept_by")
            .prefetch_related(
                "customer_questions",
                "upl_products",
                "reuse_organisations",
                "links",
                # One query whatever the page holds (a nested prefetch would add a
                # second one only when some component has dependencies).
                # In the order they were given (by id): the join alone left it to
                # the query plan, so a representation from rows could differ.
                Prefetch(
                    "dependencies",
                    queryset=Dependency.objects.select_related("depends_on").order_by("pk"),
                ),
            )
            .order_by("name", "pk")
        )

    def list(self, request, *args, **kwargs):
        def produce():
            # Page through ids (an index-only walk of (name, id) even deep in the
            # list), then fetch whole rows for just those: a deep OFFSET over full
            # rows would read every row it skips.
            components = self.get_queryset()
            if set(request.query_params) - PAGING:
                # django-filter builds and validates its form even for no filter
                # at all: 1 ms of an unfiltered list (issue 14).
                components = self.filter_queryset(components)
            ids = self.paginate_queryset(components.values_list("pk", flat=True))
            if "usedBy" not in request.query_params:
                # The page shows the usage counts of its components only (usedBy
                # filters on usages, so that list depends on all of them).
                response_cache.narrow_to_usages_of(request, components=ids)
            # Plain rows, not model instances through the serializer (issue 14):
            # the same representation (tests/api/test_representations.py).
            return self.get_paginated_response(representations.components(ids))

        return self.cached(request, produce)

    def get_object(self):
        component = super().get_object()
        attach_summaries([component])
        return component

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "retrieve":
            # One component as linked data, by Accept header (JSON stays the default).
            renderers += [renderer() for renderer in linkeddata.RDF_RENDERERS]
        return renderers

    def retrieve(self, request, *args, **kwargs):
        try:
            return self.retrieve_as_accepted(request, *args, **kwargs)
        except Http404:
            # Merged into another by curators: the old slug leads there. Asked
            # only when the slug is not found, so a found one costs no query more.
            slug = kwargs[self.lookup_field]
            moved = ComponentRedirect.objects.filter(slug=slug).select_related("component").first()
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(f"/api/v1/components/{moved.component.slug}")

    def retrieve_as_accepted(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        if not isinstance(renderer, linkeddata.RdfRenderer):
            if request.query_params:
                # The list's filters also narrow a detail (DRF's get_object): that
                # rare read keeps the general path.
                return super().retrieve(request, *args, **kwargs)
            slug = kwargs[self.lookup_field]

            def produce_json():
                found = representations.component(
                    slug,
                    # Before its usage counts are read (registry/cache.py).
                    lambda pk: response_cache.narrow_to_usages_of(request, components=[pk]),
                )
                if found is None:
                    raise Http404
                data, etag = found
                return Response(data, headers={"ETag": etag})

            return self.cached(request, produce_json)

        def produce():
            component = self.get_object()
            body = b"".join(dcat.serialize([dcat.component_graph(component)], renderer.media_type))
            return with_content_etag(Response(body), body)

        return self.cached(request, produce)

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
                # PUT is create-or-replace by the path's slug: a body without one
                # (as a publishing job sends it every run) names the same component.
                data = request.data if partial else {**request.data, "slug": slug}
                serializer = self.get_serializer(component, data=data, partial=partial)
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
        responses=history.HistoryEntrySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, slug=None):
        component = get_object_or_404(Component, slug=slug)
        entries = history.for_component(component, request.viewer)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(history.HistoryEntrySerializer(page, many=True).data)

    @publiccode_api.EXPORT_SCHEMA
    @action(
        detail=True,
        methods=["get"],
        url_path="publiccode.yml",
        url_name="publiccode",
        renderer_classes=[publiccode_api.YamlRenderer],
        filterset_class=None,
        pagination_class=None,
    )
    def publiccode(self, request, slug=None):

        def produce():
            component = get_object_or_404(Component.objects.select_related("publisher"), slug=slug)
            return Response(export_publiccode(component))

        return self.cached(request, produce)

    @extend_schema(
        summary=_("May an organisation reuse this component? The verdict and the reasons"),
        parameters=[licensing_api.ORGANISATION, licensing_api.ACCEPT_LANGUAGE],
        responses=licensing_api.ReuseCheckSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="reuse-check",
        filterset_class=None,
        pagination_class=None,
    )
    def reuse_check(self, request, slug=None):
        def produce():
            component = get_object_or_404(
                Component.objects.select_related("publisher").prefetch_related(
                    "reuse_organisations",
                    Prefetch(
                        "dependencies",
                        queryset=Dependency.objects.select_related("depends_on").order_by("pk"),
                    ),
                ),
                slug=slug,
            )
            wanted = request.query_params.get("organisation", "").strip()
            if not wanted:
                raise exceptions.ValidationError(
                    {
                        "organisation": [
                            _("Give the slug of the organisation that wants to reuse it.")
                        ]
                    }
                )
            organisation = Organisation.objects.filter(slug=wanted).first()
            if organisation is None:
                raise exceptions.ValidationError(
                    {
                        "organisation": [
                            _("No organisation has the slug '%(slug)s'.") % {"slug": wanted}
                        ]
                    }
                )
            # A verdict weighs restrictions and licences, never a usage.
            response_cache.narrow_to_usages_of(request)
            verdict = licensing.reuse_verdict(component, organisation)
            data = licensing_api.reuse_check_data(component, organisation, verdict)
            return with_content_etag(Response(data), data)

        return self.cached(request, produce)


# /components/{slug}.ttl (.jsonld, .rdf): the same as Accept: text/turtle (…), for a
# plain link. drf-spectacular leaves format-suffix routes out of the document, as it
# does /catalogue.ttl: the Accept forms are the documented ones.
class ComponentRdfViewSet(ComponentViewSet):
    http_method_names = ["get", "head", "options"]

    def get_renderers(self):
        return [renderer() for renderer in linkeddata.RDF_RENDERERS]


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


CHANGE_USAGE = _(
    "The organisation may change every field of its usage. The organisation that made a "
    "claim still awaiting an answer may change only status, since, until and release of it; "
    "a body with visibility or notes from the claimant is refused with 403 and nothing changes."
)


@extend_schema_view(
    list=extend_schema(summary=_("Who uses what (as far as you may see)")),
    retrieve=extend_schema(summary=_("One usage")),
    create=extend_schema(
        summary=_("Record your organisation's usage, or claim a customer's use of your component"),
        description=_(
            "409 when the organisation already has a usage of the component that you can "
            "see. A claim on an organisation whose usage you may not see (government-only) "
            "is recorded beside that usage and answered like any new claim; the organisation "
            "answers it, and confirming merges it into its own usage."
        ),
    ),
    update=extend_schema(
        summary=_("Replace a usage"), description=CHANGE_USAGE, parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        summary=_("Change a usage"), description=CHANGE_USAGE, parameters=[IF_MATCH]
    ),
    destroy=extend_schema(
        summary=_(
            "Stop your usage (kept, with status stopped), or withdraw a claim you made "
            "that was not yet answered"
        ),
        parameters=[IF_MATCH],
    ),
)
class UsageViewSet(ClaimFlowMixin, ApiViewMixin, viewsets.ModelViewSet):
    serializer_class = serializers.UsageSerializer
    filterset_class = filters.UsageFilter
    noun = "usage"

    queryset = Usage.objects.none()  # for the schema; the real one depends on the viewer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return (
            Usage.objects.visible_to(self.request.viewer)
            .select_related("organisation", "component", "release", "claimed_by", "recorded_via")
            # A usage shows its component's slug: not the component's search
            # document and long texts, the widest columns of the join (issue 14).
            .defer(
                "component__search_document",
                "component__long_description",
                "component__long_description_en",
                "component__other_descriptions",
            )
            .order_by("-updated_at", "-id")
        )

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
            extra = self.claim_fields(me)
        with transaction.atomic():
            existing = Usage.objects.filter(organisation=organisation, component=component)
            if existing.visible_to(request.viewer).exists():
                raise Conflict(
                    _("%(org)s already has a usage of %(component)s; change that one instead.")
                    % {"org": organisation.name, "component": component.name}
                )
            # A usage the claimant may not see does not stop its claim: the claim is
            # recorded beside it and answered as any new claim, or the answer would
            # tell that the hidden usage exists (the Usage model says more).
            usage = serializer.save(**extra)
        return with_etag(
            Response(self.get_serializer(usage).data, status=status.HTTP_201_CREATED), usage
        )

    def update(self, request, *args, partial=False, **kwargs):
        with transaction.atomic():
            usage = self._locked(kwargs["pk"])
            self.check_may_change(request, usage)
            check_if_match(request, usage)
            serializer = self.get_serializer(usage, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            usage = serializer.save()
        # The saved row as the same serializer shows it (a second serializer would
        # build its fields again: a tenth of the write's time).
        return with_etag(Response(serializer.data), usage)

    # What a pending claimant said and may still correct. The rest of the row
    # (visibility, notes) is the named organisation's to choose, even while the
    # claim awaits its answer.
    CLAIMANT_FIELDS = frozenset(
        {"organisation", "component", "status", "since", "until", "release"}
    )
    CLAIMANT_FIELDS_TEXT = _("status, since, until and release")

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


# Writes to one row lock it first (SELECT ... FOR UPDATE in a transaction) and
# compare If-Match only then: two clients holding one ETag cannot both pass the
# check before either has written, so one wins and the others get 412. (A comment,
# not a docstring: the schema would take a docstring as the views' description.)
class LockedWritesMixin:
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Only inside the write's transaction: DRF's OPTIONS answer also asks for
        # the object "as a PUT" (to describe the form), outside any transaction.
        if self.request.method in ("PUT", "PATCH", "DELETE") and (
            transaction.get_connection().in_atomic_block
        ):
            # Only this table's row: a nullable join (a harvest source's component)
            # cannot be locked on PostgreSQL, and need not be.
            queryset = queryset.select_for_update(of=("self",))
        return queryset

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary=_("Your organisation's webhook subscriptions")),
    retrieve=extend_schema(summary=_("One webhook subscription")),
    create=extend_schema(summary=_("Subscribe a webhook; the secret is shown once")),
    update=extend_schema(summary=_("Replace a webhook subscription"), parameters=[IF_MATCH]),
    partial_update=extend_schema(
        summary=_("Change a webhook subscription; active=true resumes a paused one"),
        parameters=[IF_MATCH],
    ),
    destroy=extend_schema(summary=_("Remove a webhook subscription"), parameters=[IF_MATCH]),
)
class WebhookViewSet(LockedWritesMixin, ApiViewMixin, viewsets.ModelViewSet):
    serializer_class = serializers.WebhookSubscriptionSerializer
    public_reads = False
    queryset = WebhookSubscription.objects.none()
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return WebhookSubscription.objects.filter(
            organisation=token_organisation(self.request)
        ).order_by("id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance, _secret = WebhookSubscription.subscribe(
                token_organisation(self.request),
                data["url"],
                data.get("event_types", []),
                active=data.get("active", True),
            )
        except WebhookSubscription.AlreadySubscribed:
            raise Conflict(_("You already have a subscription for this URL.")) from None

    def perform_update(self, serializer):
        subscription = serializer.instance
        check_if_match(self.request, subscription)
        url = serializer.validated_data.get("url")
        if url and WebhookSubscription.url_taken(
            subscription.organisation_id, url, exclude=subscription
        ):
            raise Conflict(_("You already have a subscription for this URL."))
        if "active" in serializer.validated_data:
            subscription.switch(serializer.validated_data["active"])
        serializer.save()

    def perform_destroy(self, instance):
        check_if_match(self.request, instance)
        instance.delete()

    @extend_schema(
        summary=_("The delivery log of a subscription, newest first"),
        responses=serializers.WebhookDeliverySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        deliveries = subscription.deliveries.select_related("event__component").order_by(
            "-created_at", "-id"
        )
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(
            serializers.WebhookDeliverySerializer(page, many=True).data
        )


class UsageExportView(ApiViewMixin, generics.GenericAPIView):
    """Who uses what, for download; only what the caller may see by name."""

    filterset_class = None
    pagination_class = None
    serializer_class = None
    format_name = "csv"

    def get(self, request):

        if self.format_name == "csv":
            return exports.csv_response(request.viewer, "who-uses-what.csv")
        return exports.json_response(request.viewer, "who-uses-what.json")


@extend_schema(
    summary=_("Download who uses what as CSV (visibility rules applied)"),
    responses={(200, "text/csv"): OpenApiTypes.STR},
)
class UsageCsvExportView(UsageExportView):
    format_name = "csv"


@extend_schema(
    summary=_(
        "Download who uses what as JSON (visibility rules applied; government-only "
        "usages as counts per organisation kind)"
    ),
    responses={(200, "application/json"): OpenApiTypes.OBJECT},
)
class UsageJsonExportView(UsageExportView):
    format_name = "json"


@extend_schema_view(
    list=extend_schema(summary=_("Your organisation's harvest sources, with their last results")),
    retrieve=extend_schema(
        summary=_("One harvest source: its last result, and the errors of its last run")
    ),
    create=extend_schema(
        summary=_(
            "Register a harvest source: the URL of a publiccode.yml, or of a GitHub or GitLab "
            "repository with one at its root"
        )
    ),
    partial_update=extend_schema(summary=_("Change a harvest source"), parameters=[IF_MATCH]),
    destroy=extend_schema(
        summary=_("Remove a harvest source (its component stays)"), parameters=[IF_MATCH]
    ),
)
class HarvestSourceViewSet(LockedWritesMixin, ApiViewMixin, viewsets.ModelViewSet):
    """Where your organisation's publiccode.yml files are harvested from. Each
    source is fetched every intervalHours by the background worker; what it
    yields is imported with your organisation as publisher. When a run fails,
    the last good version stays and lastErrors says why; when the file is gone,
    the component is marked orphaned (orphanedAt), never deleted."""

    serializer_class = serializers.HarvestSourceSerializer
    public_reads = False
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = HarvestSource.objects.none()
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return (
            HarvestSource.objects.filter(organisation=token_organisation(self.request))
            .select_related("component")
            .order_by("id")
        )

    def perform_create(self, serializer):
        serializer.save(organisation=token_organisation(self.request))

    def perform_update(self, serializer):
        check_if_match(self.request, serializer.instance)
        serializer.save()  # a new URL forgets the old file's ETag (HarvestSource.save)

    def perform_destroy(self, instance):
        check_if_match(self.request, instance)
        instance.delete()

    @extend_schema(
        summary=_("Harvest a source now (queued for the background worker)"),
        request=None,
        responses={202: serializers.HarvestSourceSerializer},
    )
    @action(detail=True, methods=["post"])
    def run(self, request, pk=None):

        source = self.get_object()
        tasks.queue_harvest(source)
        return Response(self.get_serializer(source).data, status=status.HTTP_202_ACCEPTED)
