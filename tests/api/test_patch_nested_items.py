"""A PATCH replaces a nested list (links, dependencies, standards) with whole
items: an item without one of its required fields is a 400 with the field's
path, and nothing changes (DRF's partial update would otherwise let the item
through half: a 500, found by schemathesis)."""

import pytest

from components.models import Component

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body, path",
    [
        ({"links": [{"kind": "demo", "label": ""}]}, "url"),
        ({"standards": [{"version": "1.0"}]}, "slug"),
    ],
)
def test_an_item_without_a_required_field_is_a_400_and_changes_nothing(
    acme_api, acme_component, body, path
):
    before = Component.objects.get(pk=acme_component.pk).updated_at
    response = acme_api.patch(f"/api/v1/components/{acme_component.slug}", body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    names = [p["name"] for p in response.json()["invalidParams"]]
    assert any(name.endswith(path) for name in names), names
    assert Component.objects.get(pk=acme_component.pk).updated_at == before


def test_whole_items_in_a_patch_are_written(acme_api, acme_component):
    response = acme_api.patch(
        f"/api/v1/components/{acme_component.slug}",
        {"links": [{"kind": "demo", "url": "https://example.org/demo"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(acme_component.links.values_list("kind", "url")) == [
        ("demo", "https://example.org/demo")
    ]
