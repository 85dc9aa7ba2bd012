"""Concept components and their take-over, and curators merging duplicate
components (usages, releases and history move; the old slug answers 301)."""

import datetime

import pytest
from django.test import Client

from accounts.constants import OrganisationStatus
from accounts.models import Organisation
from components.constants import Assertion, TakeOverStatus, UsageStatus, Visibility
from components.merging import MergeError
from components.models import Component, ComponentRedirect, Dependency, Release, Usage
from components.takeover import (
    PROPRIETARY,
    TakeOverError,
    claim_takeover,
    confirm_takeover,
    merge_components,
    plan_component_merge,
)

from .conftest import signed_in, text_of
from .factories import (
    ComponentFactory,
    DependencyFactory,
    MembershipFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    UserFactory,
    question,
)

pytestmark = pytest.mark.django_db

CONCEPT = {
    "name": "Suite4Burgerzaken",
    "kind": "software",
    "vendor": "Centric",
    "short_description": "Burgerzakenpakket.",
    "licence": "",
    "status": "production",
}


def add(client, **changes):
    return client.post(
        "/mijn-organisatie/gemeente-utrecht/conceptcomponent", {**CONCEPT, **changes}
    )


def test_a_municipality_adds_a_concept_component_of_an_unknown_vendor(bob, utrecht):
    response = add(signed_in(bob))
    assert response.status_code == 302
    component = Component.objects.get(name="Suite4Burgerzaken")
    assert response["Location"] == f"/componenten/{component.slug}"
    assert component.concept_by == utrecht
    assert component.license_expression == PROPRIETARY
    vendor = component.publisher
    assert (vendor.name, vendor.kind, vendor.status) == (
        "Centric",
        "vendor",
        OrganisationStatus.CONCEPT,
    )
    usage = Usage.objects.get(component=component)
    assert (usage.organisation, usage.status) == (utrecht, UsageStatus.PRODUCTION)
    page = text_of(Client().get(f"/en/components/{component.slug}"))
    assert "A concept: Gemeente Utrecht added it because it uses it" in page
    # The placeholder vendor's page says what it is (it has no members of its own).
    vendor_page = text_of(Client().get(f"/en/organisations/{vendor.slug}"))
    assert "has not registered in the registry itself" in vendor_page
    assert (
        Client().get(f"/api/v1/components/{component.slug}").json()["conceptBy"]
        == "gemeente-utrecht"
    )


def test_a_concept_of_a_known_vendor_names_that_vendor(bob, acme):
    add(signed_in(bob), vendor="Acme Software B.V.", licence="EUPL-1.2")
    component = Component.objects.get(name="Suite4Burgerzaken")
    assert component.publisher == acme and component.license_expression == "EUPL-1.2"
    assert Organisation.objects.filter(name="Centric").count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"licence": "Not A Licence"}, "licence"),
        ({"name": "Acme Zaken"}, "name"),
        ({"vendor": ""}, "vendor"),
    ],
)
def test_a_bad_concept_gets_a_message_next_to_the_field(bob, acme_component, changes, field):
    response = add(signed_in(bob), **changes)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Component.objects.filter(name="Suite4Burgerzaken").exists()


def test_the_named_vendor_takes_its_concept_over_itself(bob, acme, victor):
    add(signed_in(bob), vendor="acme")
    component = Component.objects.get(name="Suite4Burgerzaken")
    response = signed_in(victor).post(f"/mijn-organisatie/acme/overnemen/{component.slug}")
    assert response.status_code == 302
    component.refresh_from_db()
    assert component.concept_by is None and component.publisher == acme
    assert component.history.first().history_actor == "take-over by Acme Software B.V."


def test_another_vendor_claims_a_concept_and_a_curator_confirms(bob, globex):
    add(signed_in(bob))
    component = Component.objects.get(name="Suite4Burgerzaken")
    member = MembershipFactory(organisation=globex).user
    signed_in(member).post(f"/mijn-organisatie/globex/overnemen/{component.slug}")
    claim = component.takeover_claims.get()
    assert claim.status == TakeOverStatus.PENDING
    component.refresh_from_db()
    assert component.concept_by is not None  # nothing changes before a curator confirms

    curator = UserFactory(username="cora", is_staff=True, is_superuser=True)
    signed_in(curator).post(
        "/admin/components/takeoverclaim/",
        {"action": "confirm", "_selected_action": [claim.pk]},
    )
    component.refresh_from_db()
    claim.refresh_from_db()
    assert (component.publisher, component.concept_by) == (globex, None)
    assert claim.status == TakeOverStatus.CONFIRMED


def test_a_take_over_is_refused_with_a_reason(acme_component, globex):
    with pytest.raises(TakeOverError, match="is no concept"):
        claim_takeover(acme_component, globex)
    pending = OrganisationFactory(status=OrganisationStatus.CONCEPT)
    concept = ComponentFactory(concept_by=OrganisationFactory())
    with pytest.raises(TakeOverError, match="awaits a curator"):
        claim_takeover(concept, pending)


def test_confirming_one_claim_refuses_the_others(acme, globex):
    concept = ComponentFactory(concept_by=OrganisationFactory())
    first = claim_takeover(concept, acme)
    second = claim_takeover(concept, globex)
    confirm_takeover(second)
    first.refresh_from_db()
    assert first.status == TakeOverStatus.REFUSED


# --- merging duplicate components ----------------------------------------------------


@pytest.fixture
def duplicates(acme, utrecht, secretive):
    kept = ComponentFactory(slug="open-zaak", name="Open Zaak", publisher=acme)
    dup = ComponentFactory(slug="openzaak", name="OpenZaak", publisher=acme)
    ReleaseFactory(component=kept, version="1.0.0")
    shared = ReleaseFactory(component=dup, version="1.0.0")
    ReleaseFactory(component=dup, version="0.9.0")
    UsageFactory(
        organisation=utrecht,
        component=kept,
        status=UsageStatus.PILOT,
        since=datetime.date(2023, 1, 1),
    )
    UsageFactory(
        organisation=utrecht,
        component=dup,
        status=UsageStatus.PRODUCTION,
        since=datetime.date(2021, 1, 1),
        visibility=Visibility.GOVERNMENT,
        release=shared,
    )
    UsageFactory(organisation=secretive, component=dup)
    other = ComponentFactory(slug="afnemer")
    DependencyFactory(component=other, depends_on=dup)
    DependencyFactory(component=dup, depends_on=None, name="PostgreSQL")
    dup.customer_questions.add(question("verhuizen"))
    return kept, dup, other


def test_merging_duplicates_moves_usages_releases_and_history_and_the_old_slug_redirects(
    duplicates, utrecht, secretive
):
    kept, dup, other = duplicates
    lines = plan_component_merge(dup, kept)
    assert any(line.startswith("conflict: gemeente-utrecht uses both") for line in lines)
    assert "conflict: both have release 1.0.0; open-zaak's stays" in lines
    assert "move release 0.9.0" in lines
    usages_before = Usage.objects.count()
    releases_before = Release.objects.count()

    merge_components(dup, kept)

    assert not Component.objects.filter(slug="openzaak").exists()
    assert Usage.objects.count() == usages_before - 1  # Utrecht's two became one
    assert Release.objects.count() == releases_before - 1  # the same version twice
    merged = Usage.objects.get(organisation=utrecht, component=kept)
    assert merged.since == datetime.date(2021, 1, 1)
    assert merged.status == UsageStatus.PRODUCTION
    assert merged.visibility == Visibility.GOVERNMENT
    assert merged.release.component == kept
    assert Usage.objects.get(organisation=secretive).component == kept
    assert sorted(kept.releases.values_list("version", flat=True)) == ["0.9.0", "1.0.0"]
    assert Dependency.objects.get(component=other).depends_on == kept
    assert kept.dependencies.get().name == "PostgreSQL"
    assert list(kept.customer_questions.values_list("code", flat=True)) == ["verhuizen"]
    moved = Usage.objects.get(organisation=secretive)
    assert moved.history.first().history_actor == "merge of component openzaak into open-zaak"
    assert moved.history.count() == 2
    # The old address answers 301, on the site and in the API.
    page = Client().get("/componenten/openzaak")
    assert page.status_code == 301 and page["Location"] == "/componenten/open-zaak"
    api = Client().get("/api/v1/components/openzaak")
    assert api.status_code == 301 and api["Location"] == "/api/v1/components/open-zaak"
    assert Client().get("/componenten/bestaat-niet").status_code == 404
    assert ComponentRedirect.objects.get().component == kept


def test_a_component_is_not_merged_into_itself(duplicates):
    kept, _dup, _other = duplicates
    with pytest.raises(MergeError):
        merge_components(kept, kept)


def test_curators_merge_duplicates_in_the_admin(duplicates):
    kept, dup, _other = duplicates
    curator = signed_in(UserFactory(username="cora", is_staff=True, is_superuser=True))
    chosen = {"action": "merge_into", "_selected_action": [dup.pk]}
    preview = curator.post("/admin/components/component/", {**chosen, "target": "open-zaak"})
    assert "move release 0.9.0" in preview.content.decode()
    assert Component.objects.filter(slug="openzaak").exists()
    curator.post(
        "/admin/components/component/", {**chosen, "target": "open-zaak", "confirm": "yes"}
    )
    assert not Component.objects.filter(slug="openzaak").exists()
    assert Usage.objects.filter(component=kept, assertion=Assertion.SELF).count() == 2


def test_merging_keeps_the_integrations_of_a_usage_that_becomes_one_and_over_the_duplicate(
    duplicates, utrecht, acme
):
    """Utrecht's usage of the duplicate is merged into its usage of the kept
    component: its integrations run from the kept usage; integrations over the
    duplicate (as a standard or API) run over the kept one; nothing is lost."""
    from django.utils import timezone

    from components.constants import ComponentKind
    from components.models import ApiLint, ComponentLink, Integration

    from .factories import IntegrationFactory

    kept, dup, _other = duplicates
    dup_usage = Usage.objects.get(organisation=utrecht, component=dup)
    kept_usage = Usage.objects.get(organisation=utrecht, component=kept)
    portal = UsageFactory(organisation=utrecht, component=ComponentFactory(slug="portaal"))
    out = IntegrationFactory(organisation=utrecht, source_usage=dup_usage, target_usage=portal)
    back = IntegrationFactory(organisation=utrecht, source_usage=portal, target_usage=dup_usage)
    # A duplicate API that integrations run over.
    api_kept = ComponentFactory(slug="zaken-api", kind=ComponentKind.API, publisher=acme)
    api_dup = ComponentFactory(slug="zakenapi", kind=ComponentKind.API, publisher=acme)
    over = IntegrationFactory(
        organisation=utrecht, source_usage=kept_usage, target_usage=portal, standard=api_dup
    )
    ApiLint.objects.create(
        component=api_dup, checked_at=timezone.now(), valid=True, ruleset_version="t",
        score=90, meets_rules=False, passed=[], failed=[], findings=[],
    )  # fmt: skip
    ComponentLink.objects.create(component=api_dup, kind="production", url="http://127.0.0.1/z")
    integrations_before = Integration.objects.count()

    merge_components(dup, kept)
    plan = plan_component_merge(api_dup, api_kept)
    assert "move 1 integration(s) over zakenapi to run over zaken-api" in plan
    merge_components(api_dup, api_kept)

    assert Integration.objects.count() == integrations_before
    out.refresh_from_db()
    back.refresh_from_db()
    over.refresh_from_db()
    assert (out.source_usage, out.target_usage) == (kept_usage, portal)
    assert (back.source_usage, back.target_usage) == (portal, kept_usage)
    assert over.standard == api_kept
    assert api_kept.api_lints.get().score == 90
    assert list(api_kept.links.values_list("url", flat=True)) == ["http://127.0.0.1/z"]


def test_the_merge_components_command_dry_run_changes_nothing_then_merges(duplicates):
    import io

    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("merge_components", "openzaak", "open-zaak", "--dry-run", stdout=out, stderr=err)
    assert "move release 0.9.0" in out.getvalue()
    assert "Dry run: nothing was changed." in err.getvalue()
    assert Component.objects.filter(slug="openzaak").exists()
    call_command("merge_components", "openzaak", "open-zaak", stdout=out, stderr=err)
    assert not Component.objects.filter(slug="openzaak").exists()
    with pytest.raises(CommandError, match="no component with slug 'openzaak'"):
        call_command("merge_components", "openzaak", "open-zaak", stdout=out, stderr=err)
    with pytest.raises(CommandError, match="cannot be merged into itself"):
        call_command("merge_components", "open-zaak", "open-zaak", stdout=out, stderr=err)
