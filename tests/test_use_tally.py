"""The tally of organisations per component and kind (components/tally.py) is what
counting the usages afresh gives, after every way a usage can change, on both
databases; and two writers at once cannot count an organisation twice."""

import random
import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from accounts.constants import OrganisationKind
from components import tally
from components.constants import Assertion, UsageStatus, Visibility
from components.models import Usage, UseTally
from components.query import usage_summaries

from .factories import ComponentFactory, OrganisationFactory, UsageFactory

STATUSES = ["planned", "pilot", "production", "stopped"]


def assert_tally_is_exact():
    assert tally.kept(connection) == tally.counted(connection)
    assert tally.kept_usages(connection) == tally.counted_usages(connection)


@pytest.mark.django_db
def test_the_tally_follows_every_change_of_a_usage():
    municipality = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
    other = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
    vendor = OrganisationFactory(kind=OrganisationKind.VENDOR)
    component, second = ComponentFactory(publisher=vendor), ComponentFactory(publisher=vendor)

    own = UsageFactory(organisation=municipality, component=component, status="production")
    assert tally.kept(connection) == {(component.pk, "municipality"): (1, 1)}
    # A vendor's claim of the same use: the municipality still counts once.
    claim = UsageFactory(
        organisation=municipality,
        component=component,
        status="pilot",
        assertion=Assertion.CLAIMED,
        claimed_by=vendor,
        visibility=Visibility.GOVERNMENT,
    )
    assert tally.kept(connection) == {(component.pk, "municipality"): (1, 1)}
    # Its own word becomes government-only: still in use, no longer public (the
    # claim is government-only too).
    own.visibility = Visibility.GOVERNMENT
    own.save()
    assert tally.kept(connection) == {(component.pk, "municipality"): (1, 0)}
    own.status = "stopped"
    own.save()
    assert tally.kept(connection) == {(component.pk, "municipality"): (1, 0)}  # the claim
    Usage.objects.filter(pk=claim.pk).update(assertion=Assertion.REJECTED)
    assert tally.kept(connection) == {}
    UsageFactory(organisation=other, component=component, status="production")
    # A change that counts nothing (the notes) leaves the tally alone.
    Usage.objects.filter(organisation=other).update(notes="anders")
    assert tally.kept(connection) == {(component.pk, "municipality"): (1, 1)}
    # Moved to another component (a merge), then the organisation changes kind.
    Usage.objects.filter(organisation=other).update(component=second)
    assert tally.kept(connection) == {(second.pk, "municipality"): (1, 1)}
    other.kind = OrganisationKind.PROVINCE
    other.save()
    assert tally.kept(connection) == {(second.pk, "province"): (1, 1)}
    Usage.objects.filter(organisation=other).delete()
    assert tally.kept(connection) == {}
    assert_tally_is_exact()


@pytest.mark.django_db
def test_one_statement_writing_both_usages_of_a_pair_counts_it_once():
    municipality = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
    vendor = OrganisationFactory(kind=OrganisationKind.VENDOR)
    component = ComponentFactory(publisher=vendor)
    Usage.objects.bulk_create(
        [
            Usage(organisation=municipality, component=component, status="production"),
            Usage(
                organisation=municipality,
                component=component,
                status="pilot",
                assertion=Assertion.CLAIMED,
                claimed_by=vendor,
            ),
        ]
    )
    assert tally.kept(connection) == {(component.pk, "municipality"): (1, 1)}
    Usage.objects.filter(component=component).update(status="stopped")
    assert tally.kept(connection) == {}
    Usage.objects.filter(component=component).update(status="production")
    assert tally.kept(connection) == {(component.pk, "municipality"): (1, 1)}
    Usage.objects.filter(component=component).delete()
    assert tally.kept(connection) == {}
    assert_tally_is_exact()


@pytest.mark.django_db
def test_the_tally_is_exact_after_many_random_writes():
    rng = random.Random(14)  # noqa: S311 -- a repeatable sequence of writes
    kinds = [OrganisationKind.MUNICIPALITY, OrganisationKind.PROVINCE, OrganisationKind.VENDOR]
    organisations = [OrganisationFactory(kind=rng.choice(kinds)) for _ in range(6)]
    components = [ComponentFactory(publisher=organisations[-1]) for _ in range(5)]
    usages = []
    for step in range(200):
        action = rng.random()
        if action < 0.4 or not usages:
            organisation = rng.choice(organisations)
            claimed = rng.random() < 0.4
            try:
                with transaction.atomic():  # a second own word of a pair is refused
                    usages.append(
                        Usage.objects.create(
                            organisation=organisation,
                            component=rng.choice(components),
                            status=rng.choice(STATUSES),
                            visibility=rng.choice(list(Visibility)),
                            assertion=Assertion.CLAIMED if claimed else Assertion.SELF,
                            claimed_by=rng.choice(organisations) if claimed else None,
                        )
                    )
            except IntegrityError:
                pass
        elif action < 0.75:
            usage = rng.choice(usages)
            Usage.objects.filter(pk=usage.pk).update(
                status=rng.choice(STATUSES), visibility=rng.choice(list(Visibility))
            )
        elif action < 0.85:
            usage = usages.pop(rng.randrange(len(usages)))
            Usage.objects.filter(pk=usage.pk).delete()
        elif action < 0.95:
            usage = rng.choice(usages)
            if usage.assertion != Assertion.SELF:
                Usage.objects.filter(pk=usage.pk).update(
                    assertion=rng.choice([Assertion.REJECTED, Assertion.CLAIMED])
                )
        else:
            organisation = rng.choice(organisations)
            organisation.kind = rng.choice(kinds)
            organisation.save()
        if step % 20 == 0:
            assert_tally_is_exact()
    # Bulk writes (imports and dumps) count too.
    Usage.objects.bulk_create(
        [
            Usage(organisation=organisations[0], component=c, status="production")
            for c in components
            if not Usage.objects.filter(
                organisation=organisations[0], component=c, assertion=Assertion.SELF
            ).exists()
        ]
    )
    assert_tally_is_exact()
    components[0].delete()
    assert_tally_is_exact()
    assert tally.kept(connection)  # something was counted at all
    assert tally.kept_usages(connection)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the SPDX rows
def test_two_writers_at_once_count_an_organisation_once():
    """Its own word and a vendor's claim of the same use, written in two
    transactions at the same moment: without the pair's lock each would see no
    other usage and both would add one."""
    municipality = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
    vendors = [OrganisationFactory(kind=OrganisationKind.VENDOR) for _ in range(8)]
    component = ComponentFactory(publisher=vendors[0])
    # Another municipality's use: the tally row is there before the race.
    UsageFactory(
        organisation=OrganisationFactory(kind=OrganisationKind.MUNICIPALITY),
        component=component,
        status="production",
    )
    barrier = threading.Barrier(len(vendors))
    errors = []

    def claim(vendor):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                Usage.objects.create(
                    organisation=municipality,
                    component=component,
                    status="production",
                    assertion=Assertion.CLAIMED,
                    claimed_by=vendor,
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=claim, args=(vendor,)) for vendor in vendors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Usage.objects.filter(component=component).count() == len(vendors) + 1
    assert tally.kept(connection) == {(component.pk, "municipality"): (2, 2)}


@pytest.mark.django_db
def test_the_rebuild_command_finds_and_mends_a_wrong_tally():
    from io import StringIO

    from django.core.management import call_command

    component = ComponentFactory()
    UsageFactory(component=component, status="production")
    UseTally.objects.filter(component=component).update(organisations=7)
    planned = UsageFactory(component=ComponentFactory(), status="planned")
    UseTally.objects.filter(component=planned.component).update(usages_planned=3)
    out = StringIO()
    call_command("rebuild_use_tally", stdout=out)
    assert out.getvalue() == "2 tally row(s); 2 were wrong and are counted afresh.\n"
    assert_tally_is_exact()


def test_the_tally_has_a_usage_column_for_every_status():
    columns = {f.name for f in UseTally._meta.fields if f.name.startswith("usages_")}
    assert set(tally.USAGE_COLUMNS) == set(UsageStatus.values)
    assert set(tally.USAGE_COLUMNS.values()) == columns


@pytest.mark.django_db
def test_usage_counts_are_read_from_the_tally_and_equal_a_fresh_count(
    django_assert_num_queries,
):
    """What every component's representation shows (usageCounts): every usage but a
    rejected claim, of any visibility, per status and organisation kind; one query
    for any number of components; keys in the order grouping gave them."""
    rng = random.Random(27)  # noqa: S311 -- a repeatable catalogue
    kinds = [OrganisationKind.MUNICIPALITY, OrganisationKind.PROVINCE, OrganisationKind.VENDOR]
    organisations = [OrganisationFactory(kind=rng.choice(kinds)) for _ in range(12)]
    components = [ComponentFactory(publisher=organisations[0]) for _ in range(4)]
    for organisation in organisations:
        for component in rng.sample(components, 3):
            UsageFactory(
                organisation=organisation,
                component=component,
                status=rng.choice(STATUSES),
                visibility=rng.choice(list(Visibility)),
            )
    rejected = UsageFactory(
        organisation=organisations[1],
        component=components[0],
        status="production",
        assertion=Assertion.CLAIMED,
        claimed_by=organisations[0],
    )
    Usage.objects.filter(pk=rejected.pk).update(assertion=Assertion.REJECTED)
    ids = [c.pk for c in components] + [ComponentFactory().pk]  # and one nobody uses

    fresh = {pk: {"total": 0, "by_status": {}, "by_organisation_kind": {}} for pk in ids}
    grouped = (
        Usage.objects.exclude(assertion=Assertion.REJECTED)
        .filter(component_id__in=ids)
        .values_list("component_id", "status", "organisation__kind")
        .order_by("status", "organisation__kind")
    )
    for component_id, status, kind in grouped:
        summary = fresh[component_id]
        summary["total"] += 1
        summary["by_status"][status] = summary["by_status"].get(status, 0) + 1
        by_kind = summary["by_organisation_kind"]
        by_kind[kind] = by_kind.get(kind, 0) + 1

    with django_assert_num_queries(1):
        read = usage_summaries(Usage, ids)
    assert read == fresh
    # The same order of keys, not only the same counts.
    assert [list(read[pk]["by_status"]) for pk in ids] == [
        list(fresh[pk]["by_status"]) for pk in ids
    ]
    assert [list(read[pk]["by_organisation_kind"]) for pk in ids] == [
        list(fresh[pk]["by_organisation_kind"]) for pk in ids
    ]
    assert read[ids[-1]] == {"total": 0, "by_status": {}, "by_organisation_kind": {}}
    assert sum(read[pk]["total"] for pk in ids) == Usage.objects.count() - 1  # the rejected one


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the SPDX rows
def test_writers_moving_usages_between_statuses_at_once_neither_deadlock_nor_miscount():
    """Sixteen transactions at the same moment, each changing the status of its own
    usage of one component (half from pilot to production, half the other way): the
    counts of one tally row move both ways at once."""
    component = ComponentFactory()
    usages = [
        UsageFactory(
            organisation=OrganisationFactory(kind=OrganisationKind.MUNICIPALITY),
            component=component,
            status="pilot" if i % 2 else "production",
        )
        for i in range(16)
    ]
    barrier = threading.Barrier(len(usages))
    errors = []

    def flip(usage):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                Usage.objects.filter(pk=usage.pk).update(
                    status="production" if usage.status == "pilot" else "pilot"
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=flip, args=(usage,)) for usage in usages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_tally_is_exact()
    assert usage_summaries(Usage, [component.pk])[component.pk]["by_status"] == {
        "pilot": 8,
        "production": 8,
    }
