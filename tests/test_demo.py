import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.constants import OrganisationKind
from components.constants import (
    Assertion,
    ComponentKind,
    Layer,
    UsageStatus,
    Visibility,
)
from components.models import Component, CustomerQuestion, Usage

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return dict(line.split(": ") for line in out.getvalue().strip().splitlines())


def test_load_demo_twice_gives_the_same_counts():
    first = load()
    history_rows = Component.history.count() + Usage.history.count()
    second = load()
    assert first == second
    assert Component.history.count() + Usage.history.count() == history_rows


def test_the_demo_catalogue_is_big_and_varied_enough():
    counts = load()
    assert int(counts["organisations"]) >= 40
    assert int(counts["components"]) >= 30
    assert int(counts["usages"]) >= 150
    assert set(Component.objects.values_list("kind", flat=True)) == set(ComponentKind.values)
    assert set(Component.objects.values_list("layer", flat=True)) >= set(Layer.values)
    assert set(Usage.objects.values_list("status", flat=True)) == set(UsageStatus.values)
    assert set(Usage.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    assert set(Usage.objects.values_list("assertion", flat=True)) == set(Assertion.values)
    from accounts.models import Organisation

    assert set(Organisation.objects.values_list("kind", flat=True)) >= {
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.PROVINCE,
        OrganisationKind.WATER_AUTHORITY,
        OrganisationKind.CENTRAL_GOVERNMENT,
        OrganisationKind.COOPERATION,
        OrganisationKind.VENDOR,
    }
    assert Organisation.objects.get(cbs_code="GM0344").name == "Gemeente Utrecht"
    questions = CustomerQuestion.objects.annotate(n=Count("upl_products"))
    assert min(q.n for q in questions) >= 2


def test_the_rijkshuisstijl_is_reserved_to_central_government():
    load()
    house_style = Component.objects.get(slug="rijkshuisstijl")
    assert house_style.reuse_organisation_kinds == ["central-government"]
    assert house_style.license_expression.startswith("LicenseRef-")
