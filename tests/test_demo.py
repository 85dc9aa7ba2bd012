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


def test_a_plain_yes_is_the_common_answer_for_the_demo_catalogue():
    """Issue 13, item 11: before runtime services and copyleft-for-sharing were
    told apart, 31 of 39 demo components were 'allowed with conditions' for
    Gemeente Utrecht and 6 allowed."""
    from collections import Counter

    from accounts.models import Organisation
    from components.licensing import ALLOWED, NOT_ALLOWED, reuse_verdict

    load()
    utrecht = Organisation.objects.get(slug="gemeente-utrecht")
    components = list(Component.objects.select_related("publisher"))
    verdicts = Counter(reuse_verdict(c, utrecht).verdict for c in components)
    assert verdicts[ALLOWED] >= 0.6 * len(components), verdicts
    # What stays: the restrictions that keep Utrecht out, and real terms of use.
    assert verdicts[NOT_ALLOWED] == 2
    open_zaak = reuse_verdict(Component.objects.get(slug="open-zaak"), utrecht)
    assert open_zaak.verdict == ALLOWED
    assert "dependency-runtime-service" in [r.code for r in open_zaak.reasons]
