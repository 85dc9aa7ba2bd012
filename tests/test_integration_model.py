"""The Integration model: its constraints, its checks across tables, the claim
answer and who may see it (components/models/integrations.py, query.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from components.constants import Assertion, IntegrationStatus, Visibility
from components.models import Integration
from components.query import Viewer

from .factories import ComponentFactory, IntegrationFactory, OrganisationFactory, UsageFactory

pytestmark = pytest.mark.django_db


def test_an_integration_connects_two_usages_of_its_organisation(landscape, utrecht):
    integration = landscape["public"]
    assert integration.organisation == utrecht
    assert integration.source_usage.component.slug == "signalen"
    assert integration.target_usage.component.slug == "open-zaak"
    assert str(integration) == "Gemeente Utrecht: Signalen → Open Zaak"


def test_it_refuses_a_usage_of_another_organisation(landscape, utrecht):
    other = UsageFactory(organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as error:
        Integration.objects.create(
            organisation=utrecht,
            source_usage=landscape["usages"]["open-zaak"],
            target_usage=other,
        )
    assert "target_usage" in error.value.message_dict
    assert Integration.objects.count() == 2


def test_it_runs_only_over_a_standard_or_an_api(landscape, utrecht):
    software = ComponentFactory()
    with pytest.raises(ValidationError) as error:
        IntegrationFactory(
            organisation=utrecht,
            source_usage=landscape["usages"]["open-zaak"],
            target_usage=landscape["usages"]["signalen"],
            standard=software,
        )
    assert "standard" in error.value.message_dict


def _insert(**fields):
    """Straight into the table, past save()'s checks: the database must refuse."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Integration.objects.bulk_create([Integration(**fields)])


def test_the_database_refuses_an_integration_to_itself(landscape, utrecht):
    usage = landscape["usages"]["open-zaak"]
    _insert(organisation=utrecht, source_usage=usage, target_usage=usage)


def test_the_database_refuses_an_end_before_the_start(landscape, utrecht):
    usages = landscape["usages"]
    _insert(
        organisation=utrecht,
        source_usage=usages["open-zaak"],
        target_usage=usages["signalen"],
        since=datetime.date(2026, 3, 1),
        until=datetime.date(2026, 2, 1),
    )


def test_the_database_refuses_an_unknown_status(landscape, utrecht):
    usages = landscape["usages"]
    _insert(
        organisation=utrecht,
        source_usage=usages["open-zaak"],
        target_usage=usages["signalen"],
        status="pilot",
    )


def test_the_database_refuses_a_claim_without_a_claimant(landscape, utrecht):
    usages = landscape["usages"]
    _insert(
        organisation=utrecht,
        source_usage=usages["open-zaak"],
        target_usage=usages["signalen"],
        assertion=Assertion.CLAIMED,
    )


def test_the_same_integration_is_recorded_once_even_without_a_standard(landscape, utrecht):
    hidden = landscape["hidden"]  # Open Zaak → Open Notificaties, no standard
    assert hidden.standard is None
    _insert(
        organisation=utrecht,
        source_usage=hidden.source_usage,
        target_usage=hidden.target_usage,
    )


def test_a_claim_may_stand_beside_the_organisations_own_record(landscape, utrecht, acme):
    hidden = landscape["hidden"]
    claim = IntegrationFactory(
        organisation=utrecht,
        source_usage=hidden.source_usage,
        target_usage=hidden.target_usage,
        assertion=Assertion.CLAIMED,
        claimed_by=acme,
    )
    assert claim.pk != hidden.pk
    # ...but one claimant proposes it once.
    _insert(
        organisation=utrecht,
        source_usage=hidden.source_usage,
        target_usage=hidden.target_usage,
        assertion=Assertion.CLAIMED,
        claimed_by=acme,
    )


def test_confirming_a_claim_beside_the_own_record_merges_into_it(landscape, utrecht, acme):
    hidden = landscape["hidden"]
    claim = IntegrationFactory(
        organisation=utrecht,
        source_usage=hidden.source_usage,
        target_usage=hidden.target_usage,
        assertion=Assertion.CLAIMED,
        claimed_by=acme,
        status=IntegrationStatus.PLANNED,
    )
    standing = claim.answer(Assertion.CONFIRMED)
    assert standing.pk == hidden.pk
    assert not Integration.objects.filter(pk=claim.pk).exists()
    hidden.refresh_from_db()
    assert (hidden.visibility, hidden.status) == (Visibility.GOVERNMENT, "production")


def test_confirming_or_rejecting_a_lone_claim_answers_it(landscape, utrecht, acme, stuf):
    usages = landscape["usages"]
    claim = IntegrationFactory(
        organisation=utrecht,
        source_usage=usages["open-zaak"],
        target_usage=usages["signalen"],
        standard=stuf,
        assertion=Assertion.CLAIMED,
        claimed_by=acme,
    )
    assert claim.answer(Assertion.REJECTED).assertion == Assertion.REJECTED
    claim.refresh_from_db()
    assert claim.answered_at is not None
    assert claim.answer(Assertion.CONFIRMED).assertion == Assertion.CONFIRMED


def test_government_only_integrations_are_hidden_from_vendors_and_anonymous(
    landscape, utrecht, acme, ministry
):
    ids = {"public": landscape["public"].pk, "hidden": landscape["hidden"].pk}

    def seen(viewer):
        visible = set(Integration.objects.visible_to(viewer).values_list("pk", flat=True))
        return {name for name, pk in ids.items() if pk in visible}

    assert seen(Viewer.anonymous()) == {"public"}
    assert seen(Viewer.for_organisations([acme])) == {"public"}
    assert seen(Viewer.for_organisations([ministry])) == {"public", "hidden"}
    assert seen(Viewer.for_organisations([utrecht])) == {"public", "hidden"}


def test_a_public_integration_to_a_government_only_usage_is_hidden_too(landscape, acme):
    usage = landscape["usages"]["open-zaak"]
    usage.visibility = Visibility.GOVERNMENT
    usage.save()
    public = landscape["public"]  # Signalen → Open Zaak, itself public
    assert public.visibility == Visibility.PUBLIC
    for viewer in (Viewer.anonymous(), Viewer.for_organisations([acme])):
        assert not Integration.objects.visible_to(viewer).filter(pk=public.pk).exists()


def test_a_rejected_claim_is_shown_only_to_those_involved(landscape, utrecht, acme, globex, stuf):
    usages = landscape["usages"]
    claim = IntegrationFactory(
        organisation=utrecht,
        source_usage=usages["open-zaak"],
        target_usage=usages["signalen"],
        standard=stuf,
        assertion=Assertion.REJECTED,
        claimed_by=acme,
    )
    visible = Integration.objects.visible_to
    assert visible(Viewer.for_organisations([acme])).filter(pk=claim.pk).exists()
    assert visible(Viewer.for_organisations([utrecht])).filter(pk=claim.pk).exists()
    assert not visible(Viewer.for_organisations([globex])).filter(pk=claim.pk).exists()
    assert not Integration.objects.shown_to(Viewer.for_organisations([acme])).filter(pk=claim.pk)


def test_every_change_is_in_its_history(landscape):
    integration = landscape["public"]
    integration.status = IntegrationStatus.STOPPED
    integration.save()
    types = list(
        Integration.history.filter(id=integration.pk)
        .order_by("history_date")
        .values_list("history_type", "status")
    )
    assert types == [("+", "production"), ("~", "stopped")]
