"""components/api/representations.py builds the API's component reads from plain
rows; ComponentSerializer remains what the document and the writes describe. The
two must give the same answer, field for field and in the same order, for every
component and in every language, or the API's output would change (issue 14)."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation
from rest_framework.utils.encoders import JSONEncoder

from components.api import representations
from components.api.etags import etag_for
from components.api.serializers import ComponentSerializer
from components.api.views import ComponentViewSet
from components.constants import DependencyUse
from components.models import Component, ComponentLink, Dependency
from components.query import attach_summaries

from ..factories import ComponentFactory, OrganisationFactory, ReleaseFactory, UsageFactory

pytestmark = pytest.mark.django_db


def serialized(ids):
    """What the serializer made of these components (the reads before issue 14)."""
    queryset = ComponentViewSet().get_queryset()
    rows = queryset.filter(pk__in=ids).in_bulk()
    components = attach_summaries([rows[pk] for pk in ids])
    return [ComponentSerializer(c).data for c in components]


def as_json(data):
    # Key order matters (the rendered bytes follow it): compare the JSON text,
    # written by the API's own encoder.
    return json.dumps(data, ensure_ascii=False, cls=JSONEncoder)


@pytest.fixture
def catalogue():
    call_command("load_demo", stdout=io.StringIO())
    # What the demo may lack: a successor, a concept, an orphan, a sunset, named
    # reusers, links, a declared standard and external dependencies.
    acme = OrganisationFactory(slug="acme-rep", name="Acme Rep")
    user = OrganisationFactory(slug="gemeente-rep", name="Gemeente Rep")
    standard = ComponentFactory(slug="std-rep", name="Standaard Rep", kind="standard")
    new = ComponentFactory(slug="nieuw-rep", publisher=acme)
    old = ComponentFactory(
        slug="oud-rep",
        publisher=acme,
        replaced_by=new,
        concept_by=user,
        orphaned_at=timezone.now(),
        sunset_date=datetime.date(2027, 1, 31),
        categories=["identity-management", "document-management"],
        reuse_restriction="named-organisations",
    )
    old.reuse_organisations.set([user, acme])
    ComponentLink.objects.create(component=old, kind="production", url="https://a.example")
    ComponentLink.objects.create(component=old, kind="demo", url="https://b.example", label="b")
    Dependency.objects.create(
        component=old, depends_on=standard, how_used=DependencyUse.IMPLEMENTS, version="2.0"
    )
    Dependency.objects.create(component=old, name="PostgreSQL", version="15")
    Dependency.objects.create(component=old, depends_on=new)
    ReleaseFactory(component=old, version="1.0", release_date=datetime.date(2025, 5, 1))
    ReleaseFactory(component=old, version="1.1", release_date=datetime.date(2026, 5, 1))
    UsageFactory(component=old, organisation=user, visibility="government")
    return list(Component.objects.order_by("name", "pk").values_list("pk", flat=True))


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_component_is_represented_as_the_serializer_did(catalogue, language):
    assert len(catalogue) > 20  # the demo catalogue and the additions
    with translation.override(language):
        expected = serialized(catalogue)
        assert as_json(representations.components(catalogue)) == as_json(expected)
        for pk, wanted in zip(catalogue, expected, strict=True):
            component = Component.objects.get(pk=pk)
            data, etag = representations.component(component.slug)
            assert as_json(data) == as_json(wanted)
            assert etag == etag_for(component)


def test_the_api_answers_as_before(api, catalogue):
    """Through the API too: the detail's ETag and body, a page of the list."""
    component = Component.objects.get(slug="oud-rep")
    response = api.get("/api/v1/components/oud-rep")
    assert response.status_code == 200
    assert response["ETag"] == etag_for(component)
    body = response.json()
    assert body["replacedBy"] == "nieuw-rep" and body["conceptBy"] == "gemeente-rep"
    assert [s["slug"] for s in body["standards"]] == ["std-rep"]
    assert body["usageCounts"]["total"] == 1
    listed = api.get("/api/v1/components?pageSize=100").json()["results"]
    assert [item["slug"] for item in listed] == [
        c.slug for c in Component.objects.filter(pk__in=catalogue[:100]).order_by("name", "pk")
    ]


def test_a_missing_component_is_still_404(api, catalogue):
    assert api.get("/api/v1/components/no-such-thing").status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_a_page_costs_the_same_queries_whatever_it_holds(
    api, django_assert_num_queries, settings, size
):
    settings.RESPONSE_CACHE_SECONDS = 0
    publisher = OrganisationFactory()
    user = OrganisationFactory()
    for component in ComponentFactory.create_batch(size, publisher=publisher):
        UsageFactory(component=component, organisation=user)
        ReleaseFactory(component=component)
        Dependency.objects.create(component=component, name="Redis")
        component.reuse_organisations.set([user])
    # count, page ids, rows, every related set (one query), usage counts
    with django_assert_num_queries(5):
        assert api.get("/api/v1/components?pageSize=100").status_code == 200
    slug = Component.objects.first().slug
    # the row, every related set (one query), usage counts
    with django_assert_num_queries(3):
        assert api.get(f"/api/v1/components/{slug}").status_code == 200


def test_a_query_compiled_once_reads_the_rows_of_each_new_value(django_assert_num_queries):
    """The row queries are compiled once per connection and shape
    (components.query.compiled_values) and then run with other values: each run
    reads its own rows, never the first run's."""
    from django.db import connections

    first, second, third, fourth = (ComponentFactory() for _ in range(4))
    with django_assert_num_queries(3):
        assert representations.component(first.slug)[0]["name"] == first.name
    assert ("representation row",) in connections["default"].__dict__["registry_compiled_values"]
    with django_assert_num_queries(3):
        assert representations.component(second.slug)[0]["name"] == second.name
    assert representations.component("no-such-component") is None
    assert [c["slug"] for c in representations.components([first.pk, second.pk])] == [
        first.slug,
        second.slug,
    ]
    # The same shape (two ids), other values; and in the order asked.
    assert [c["slug"] for c in representations.components([fourth.pk, third.pk])] == [
        fourth.slug,
        third.slug,
    ]
    assert as_json(representations.components([fourth.pk, third.pk])) == as_json(
        serialized([fourth.pk, third.pk])
    )
    fourth.delete()
    assert [c["slug"] for c in representations.components([fourth.pk, third.pk])] == [third.slug]
