"""registry/renderers.py writes the API's JSON with orjson: the bytes must be the
ones djangorestframework-camel-case's renderer over DRF's JSONRenderer wrote
before (issue 14), for every answer of the demo catalogue and for the values a
serializer can hand over."""

import datetime
import decimal
import io
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext_lazy
from djangorestframework_camel_case.render import CamelCaseJSONRenderer

from components.models import Component, Usage
from registry.renderers import JSONRenderer

pytestmark = pytest.mark.django_db


def both(data, media_type="application/json"):
    return (
        JSONRenderer().render(data, media_type, {}),
        CamelCaseJSONRenderer().render(data, media_type, {}),
    )


def test_every_answer_of_the_demo_catalogue_is_the_same_bytes(client):
    call_command("load_demo", stdout=io.StringIO())
    paths = [
        "/api/v1/components?pageSize=100",
        "/api/v1/components?pageSize=100&page=2",
        "/api/v1/organisations?pageSize=100",
        "/api/v1/usages?pageSize=100",
        "/api/v1/licenses?pageSize=100",
        "/api/v1/figures",
        "/api/v1/components?kind=nonsense",  # a problem+json with invalid params
    ]
    paths += [
        f"/api/v1/components/{slug}" for slug in Component.objects.values_list("slug", flat=True)
    ]
    paths += [f"/api/v1/usages/{pk}" for pk in Usage.objects.values_list("pk", flat=True)[:20]]
    compared = 0
    for path in paths:
        response = client.get(path)
        data = getattr(response, "data", None)
        if data is None or not response["Content-Type"].endswith("json"):
            continue
        ours, theirs = both(data)
        assert ours == theirs, path
        compared += 1
    assert compared >= Component.objects.count()


def test_the_values_a_serializer_hands_over_read_as_before():
    data = {
        "created_at": timezone.now().replace(microsecond=123456),
        "naive_at": datetime.datetime(2026, 1, 2, 3, 4, 5, 678901),
        "release_date": datetime.date(2026, 12, 7),
        "at_time": datetime.time(13, 14, 15, 160000),
        "duration": datetime.timedelta(hours=2),
        "amount": decimal.Decimal("12.50"),
        "token_id": uuid.UUID(int=7),
        "label": gettext_lazy("Organisation"),
        gettext_lazy("lazy_key"): 1,
        "by_organisation_kind": {"central_government": 2, "municipality": 1},
        "nested_list": [{"inner_key": (1, 2.5, None, True)}, "a\u2028b\u2029c"],
        "set_of_one": {"only_item"},
        "field_2_name": "x",
        "_private": "y",
        "ünïcode_key": "€ and ✓",
        7: "an int key",
    }
    ours, theirs = both(data)
    assert ours == theirs
    assert b"\\u2028" in ours
    assert b'"centralGovernment":2' in ours


def test_pretty_printing_on_request_is_as_before():
    data = {"some_key": [1, {"other_key": "v"}]}
    ours, theirs = both(data, "application/json; indent=2")
    assert ours == theirs
    assert b"\n  " in ours
