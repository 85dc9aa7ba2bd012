import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Organisation
from components import tally
from components.models import Component, Usage

# The generator writes with PostgreSQL's COPY and refuses SQLite (it is for
# benchmarks at production scale); these fingerprints use md5 and string_agg.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def fingerprint():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(slug || publisher_id || license_expression || kind || layer,"
            " ',' ORDER BY id)) FROM components_component"
        )
        components = cursor.fetchone()[0]
        cursor.execute(
            "SELECT md5(string_agg(organisation_id || '-' || component_id || status || visibility"
            " || assertion, ',' ORDER BY id)) FROM components_usage"
        )
        return components, cursor.fetchone()[0]


def generate(*extra):
    out = io.StringIO()
    call_command(
        "generate_catalogue", "--organisations=60", "--components=400", "--usages=3000",
        "--seed=7", *extra, stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return dict(line.split(": ") for line in out.getvalue().splitlines() if "seconds" not in line)


def test_the_same_seed_gives_the_same_catalogue():
    counts = generate()
    first = fingerprint()
    assert generate("--replace") == counts
    assert fingerprint() == first
    assert counts["usages"] == "3000" and counts["components"] == "400"


def test_the_tally_is_counted_though_its_trigger_is_off_for_the_copy():
    generate()
    assert tally.kept(connection) == tally.counted(connection) != {}
    # The trigger is on again: the next usage counts.
    organisation = Organisation.objects.first()
    component = Component.objects.exclude(usages__organisation=organisation).first()
    before = tally.kept(connection).get((component.pk, organisation.kind), (0, 0))
    Usage.objects.create(organisation=organisation, component=component, status="production")
    after = tally.kept(connection)[(component.pk, organisation.kind)]
    assert (
        after == (before[0] + 1, before[1] + 1)
        and after == tally.counted(connection)[(component.pk, organisation.kind)]
    )


def test_the_shape_is_varied_and_long_tailed():
    generate()
    assert set(Component.objects.values_list("kind", flat=True)) == {
        "api", "house-style", "software", "library", "standard"
    }  # fmt: skip
    assert set(Usage.objects.values_list("assertion", flat=True)) == {
        "self", "claimed", "confirmed", "rejected"
    }  # fmt: skip
    assert set(Usage.objects.values_list("visibility", flat=True)) == {"public", "government"}
    per_component = sorted((c.usages.count() for c in Component.objects.all()), reverse=True)
    assert per_component[0] > 10 * per_component[len(per_component) // 2]
    assert Component.objects.filter(search_document__isnull=False).count() == 400


def test_it_refuses_to_add_to_a_catalogue_without_replace(acme_component):
    with pytest.raises(CommandError, match="already has components"):
        generate()
