"""Merging organisation B into A (herindelingen, take-overs): everything moves,
two usages of one component become one, B's addresses answer 301, nothing is
lost, the dry run lists exactly what will move and conflict."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accounts.constants import MemberRole, OrganisationStatus
from accounts.models import ApiToken, Membership, Organisation
from components.constants import Assertion, UsageStatus, Visibility
from components.merging import HANDLED, RELATED_MOVES, MergeError, merge, plan_merge
from components.models import (
    Component,
    Event,
    HarvestSource,
    License,
    Release,
    Usage,
    WebhookSubscription,
)

from .conftest import signed_in
from .factories import (
    ComponentFactory,
    MembershipFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    UserFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    a = OrganisationFactory(name="Gemeente Dijk en Waard", slug="dijk-en-waard")
    b = OrganisationFactory(
        name="Gemeente Heerhugowaard", slug="heerhugowaard", aliases=["Heerhugowaard"]
    )
    other = OrganisationFactory(name="Gemeente Alkmaar", slug="alkmaar")
    vendor = VendorFactory(name="Centric", slug="centric")
    own = ComponentFactory(slug="hhw-portaal", name="HHW Portaal", publisher=b)
    ReleaseFactory(component=own, version="1.0.0")
    ReleaseFactory(component=own, version="1.1.0")
    x, y, z = (ComponentFactory(slug=s, publisher=vendor) for s in ("x", "y", "z"))
    UsageFactory(organisation=b, component=x)
    UsageFactory(
        organisation=a,
        component=y,
        status=UsageStatus.PRODUCTION,
        since=datetime.date(2020, 1, 1),
        notes="Zaaksysteem van Langedijk",
    )
    UsageFactory(
        organisation=b,
        component=y,
        status=UsageStatus.PILOT,
        since=datetime.date(2018, 5, 1),
        visibility=Visibility.GOVERNMENT,
        notes="Alleen bij Burgerzaken",
    )
    UsageFactory(organisation=b, component=z, assertion=Assertion.CLAIMED, claimed_by=vendor)
    UsageFactory(organisation=other, component=own, assertion=Assertion.CLAIMED, claimed_by=b)
    UsageFactory(organisation=a, component=own, assertion=Assertion.CLAIMED, claimed_by=b)
    bob = MembershipFactory(user__username="bob", organisation=b).user
    alice = MembershipFactory(user__username="alice", organisation=a, role=MemberRole.EDITOR).user
    MembershipFactory(user=alice, organisation=b, role=MemberRole.ADMIN)
    ApiToken.issue(a, "ci")
    ApiToken.issue(b, "ci")
    ApiToken.issue(b, "deploy")
    WebhookSubscription.objects.create(organisation=a, url="https://127.0.0.1/hook", secret="s")
    WebhookSubscription.objects.create(organisation=b, url="https://127.0.0.1/hook", secret="s")
    WebhookSubscription.objects.create(organisation=b, url="https://127.0.0.1/other", secret="s")
    HarvestSource.objects.create(url="https://127.0.0.1/hhw/publiccode.yml", organisation=b)
    License.objects.create(id="LicenseRef-HHW", name="HHW", is_custom=True, owner=b)
    restricted = ComponentFactory(slug="alleen-hhw", publisher=vendor)
    restricted.reuse_organisations.add(b)
    Event.objects.create(type="usage.claimed", component=z, organisation=b, summary="claim")
    return {"a": a, "b": b, "other": other, "y": y, "own": own, "bob": bob, "alice": alice}


def snapshot():
    return {
        "components": Component.objects.count(),
        "releases": Release.objects.count(),
        "usages": Usage.objects.count(),
        "memberships": Membership.objects.count(),
        "tokens": ApiToken.objects.count(),
        "webhooks": WebhookSubscription.objects.count(),
        "harvest": HarvestSource.objects.count(),
        "events": Event.objects.count(),
        "b_usages": Usage.objects.filter(organisation__slug="heerhugowaard").count(),
    }


def test_the_dry_run_lists_exactly_what_moves_and_conflicts_and_changes_nothing(world):
    before = snapshot()
    plan = plan_merge(world["b"], world["a"], tokens="move")
    lines = plan.lines()
    assert (
        "move component hhw-portaal (publisher Gemeente Heerhugowaard → Gemeente Dijk en Waard)"
        in lines
    )
    assert "move 2 releases with those components" in lines
    assert any(line.startswith("conflict: both use y: the two usages become one") for line in lines)
    assert "move usage of x (Stated by the organisation)" in lines
    assert "move usage of z (Claimed by another party)" in lines
    assert "move claim by Gemeente Heerhugowaard about alkmaar (hhw-portaal)" in lines
    assert any("drop claim about dijk-en-waard using hhw-portaal" in line for line in lines)
    assert "move member bob (editor)" in lines
    assert "conflict: alice is a member of both; keeps role admin" in lines
    assert (
        "conflict: API token 'ci' moves as 'ci (heerhugowaard)' "
        "(Gemeente Dijk en Waard has one so named)" in lines
    )
    assert "move API token 'deploy'" in lines
    assert (
        "conflict: Gemeente Dijk en Waard already has webhook https://127.0.0.1/hook; "
        "Gemeente Heerhugowaard's is removed" in lines
    )
    assert "move webhook https://127.0.0.1/other" in lines
    assert "move ownership of licence LicenseRef-HHW" in lines
    assert (
        "alleen-hhw names Gemeente Dijk en Waard instead of Gemeente Heerhugowaard "
        "as allowed to reuse it" in lines
    )
    assert "move 1 harvest sources" in lines
    assert snapshot() == before
    assert Organisation.objects.get(slug="heerhugowaard").status == OrganisationStatus.ACTIVE


def test_merging_moves_everything_and_nothing_is_lost(world):
    a, b = world["a"], world["b"]
    used_before = set(
        Usage.objects.filter(
            organisation__in=[a, b], assertion__in=["self", "confirmed"]
        ).values_list("component_id", flat=True)
    )
    before = snapshot()
    events = Event.objects.filter(organisation__in=[a, b]).count()
    plan = merge(b, a, tokens="move")
    after = snapshot()
    # Nothing lost: every count is the same, except what became one or was a duplicate.
    assert after["components"] == before["components"]
    assert after["releases"] == before["releases"]
    assert after["usages"] == before["usages"] - len(plan.usage_pairs) - len(plan.claims_dropped)
    assert (len(plan.usage_pairs), len(plan.claims_dropped)) == (1, 1)
    assert after["memberships"] == before["memberships"] - 1  # alice was in both
    assert after["tokens"] == before["tokens"]
    assert after["webhooks"] == before["webhooks"] - 1  # the same URL twice
    assert after["harvest"] == before["harvest"] and after["events"] == before["events"]
    assert after["b_usages"] == 0
    assert (
        set(
            Usage.objects.filter(organisation=a, assertion__in=["self", "confirmed"]).values_list(
                "component_id", flat=True
            )
        )
        == used_before
    )
    # Everything is A's now.
    assert Component.objects.get(slug="hhw-portaal").publisher == a
    assert set(Membership.objects.filter(organisation=a).values_list("user__username", "role")) == {
        ("alice", MemberRole.ADMIN),
        ("bob", MemberRole.EDITOR),
    }
    assert not Membership.objects.filter(organisation=b).exists()
    assert sorted(a.api_tokens.active().values_list("name", flat=True)) == [
        "ci",
        "ci (heerhugowaard)",
        "deploy",
    ]
    assert HarvestSource.objects.get().organisation == a
    assert License.objects.get(id="LicenseRef-HHW").owner == a
    assert list(Component.objects.get(slug="alleen-hhw").reuse_organisations.all()) == [a]
    assert Event.objects.filter(organisation=a).count() == events
    assert Usage.objects.get(organisation=world["other"]).claimed_by == a
    # B is kept, ended, and named by A.
    b.refresh_from_db()
    assert (b.status, b.successor, b.merged_into) == (OrganisationStatus.ENDED, a, a)
    a.refresh_from_db()
    assert "Gemeente Heerhugowaard" in a.aliases and "Heerhugowaard" in a.aliases


def test_two_usages_of_one_component_become_one(world):
    merge(world["b"], world["a"], tokens="revoke")
    usage = Usage.objects.get(organisation=world["a"], component=world["y"])
    assert usage.since == datetime.date(2018, 5, 1)  # the earliest start
    assert usage.status == UsageStatus.PRODUCTION  # the furthest status
    assert usage.visibility == Visibility.GOVERNMENT  # never more public than either was
    assert "Zaaksysteem van Langedijk" in usage.notes
    assert "(Gemeente Heerhugowaard) Alleen bij Burgerzaken" in usage.notes


def test_revoked_tokens_stay_with_b_and_no_longer_work(world):
    merge(world["b"], world["a"], tokens="revoke")
    assert world["b"].api_tokens.count() == 2
    assert not world["b"].api_tokens.active().exists()
    assert world["a"].api_tokens.count() == 1


def test_the_history_of_each_moved_record_names_the_merge(world):
    merge(world["b"], world["a"], tokens="revoke")
    label = "merge of Gemeente Heerhugowaard into Gemeente Dijk en Waard"
    component = Component.objects.get(slug="hhw-portaal")
    assert component.history.first().history_actor == label
    moved = Usage.objects.get(organisation=world["a"], component__slug="x")
    assert moved.history.first().history_actor == label
    assert moved.history.count() == 2  # its own history came along with it
    gone = Usage.history.filter(history_type="-", component=world["y"]).get()
    assert gone.history_actor == label and gone.organisation_id == world["b"].pk


def test_bs_page_and_api_address_answer_301_to_as(world):
    merge(world["b"], world["a"], tokens="revoke")
    page = Client().get("/organisaties/heerhugowaard")
    assert page.status_code == 301 and page["Location"] == "/organisaties/dijk-en-waard"
    english = Client().get("/en/organisations/heerhugowaard")
    assert english["Location"] == "/en/organisations/dijk-en-waard"
    api = Client().get("/api/v1/organisations/heerhugowaard")
    assert api.status_code == 301 and api["Location"] == "/api/v1/organisations/dijk-en-waard"
    listed = Client().get("/api/v1/organisations?pageSize=100").json()["results"]
    assert "heerhugowaard" not in [o["slug"] for o in listed]


def test_merging_refuses_with_a_reason_and_changes_nothing(world):
    a, b = world["a"], world["b"]
    before = snapshot()
    with pytest.raises(MergeError, match="choose whether they are revoked or moved"):
        merge(b, a)
    with pytest.raises(MergeError, match="into itself"):
        merge(a, a, tokens="move")
    merge(b, a, tokens="move")
    with pytest.raises(MergeError, match="merged into another organisation already"):
        merge(b, a, tokens="move")
    with pytest.raises(MergeError, match="has ended"):
        merge(world["other"], b, tokens="move")
    assert snapshot()["components"] == before["components"]


def test_the_command_dry_run_and_merge(world):
    out = StringIO()
    call_command(
        "merge_organisations",
        "heerhugowaard",
        "dijk-en-waard",
        "--dry-run",
        "--tokens",
        "revoke",
        stdout=out,
        stderr=StringIO(),
    )
    assert "revoke API token 'ci'" in out.getvalue()
    assert Organisation.objects.get(slug="heerhugowaard").merged_into is None
    with pytest.raises(CommandError, match="no organisation with slug 'nope'"):
        call_command("merge_organisations", "nope", "dijk-en-waard", "--tokens", "move")
    with pytest.raises(CommandError, match="--tokens revoke\\|move"):
        call_command("merge_organisations", "heerhugowaard", "dijk-en-waard")
    call_command(
        "merge_organisations",
        "heerhugowaard",
        "dijk-en-waard",
        "--tokens",
        "move",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert Organisation.objects.get(slug="heerhugowaard").merged_into == world["a"]


def test_curators_merge_in_the_admin_after_seeing_the_dry_run(world):
    curator = UserFactory(username="cora", is_staff=True, is_superuser=True)
    admin = signed_in(curator)
    url = "/admin/accounts/organisation/"
    chosen = {"action": "merge_into", "_selected_action": [world["b"].pk]}
    first = admin.post(url, chosen)
    assert first.status_code == 200 and 'name="target"' in first.content.decode()
    preview = admin.post(
        url, {**chosen, "target": world["a"].pk, "tokens": "move", "confirm": "no"}
    )
    assert "conflict: both use y" in preview.content.decode()
    assert Organisation.objects.get(slug="heerhugowaard").merged_into is None
    done = admin.post(url, {**chosen, "target": world["a"].pk, "tokens": "move", "confirm": "yes"})
    assert done.status_code == 302
    assert Organisation.objects.get(slug="heerhugowaard").merged_into == world["a"]


def test_every_relation_to_an_organisation_is_handled_by_the_merge():
    """A new model pointing at Organisation (integrations, say) must say how it
    moves: in RELATED_MOVES, or handled by merge() and listed in HANDLED."""
    known = set(HANDLED) | set(RELATED_MOVES)
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and field.related_model is Organisation
                and not model.__name__.startswith("Historical")
            ):
                found.add((model._meta.label, field.name))
    assert found - known == set()


def test_an_ended_municipality_is_no_longer_counted_among_municipalities(world):
    from components.figures import municipality_count

    before = municipality_count()
    merge(world["b"], world["a"], tokens="revoke")
    assert municipality_count() == before - 1


def test_integrations_move_with_their_usages_and_duplicates_become_one(world):
    """B's integration to B's usage of y would go with that usage when the two
    usages of y become one: it is turned to A's usage instead; one that A
    records already goes as a duplicate; nothing else is lost."""
    from components.models import Integration

    a, b, y = world["a"], world["b"], world["y"]
    b_x = Usage.objects.get(organisation=b, component__slug="x")
    b_y = Usage.objects.get(organisation=b, component=y)
    a_y = Usage.objects.get(organisation=a, component=y)
    w = ComponentFactory(slug="w", publisher=world["own"].publisher)
    a_w = UsageFactory(organisation=a, component=w)
    b_w = UsageFactory(organisation=b, component=w)
    kept = Integration.objects.create(organisation=b, source_usage=b_x, target_usage=b_y)
    Integration.objects.create(organisation=a, source_usage=a_w, target_usage=a_y)
    duplicate = Integration.objects.create(organisation=b, source_usage=b_w, target_usage=b_y)

    merge(b, a, tokens="revoke")

    kept.refresh_from_db()
    assert kept.organisation == a
    assert (kept.source_usage.organisation, kept.source_usage.component.slug) == (a, "x")
    assert kept.target_usage == a_y
    assert not Integration.objects.filter(pk=duplicate.pk).exists()
    assert Integration.objects.filter(organisation=a).count() == 2
    assert not Integration.objects.filter(organisation=b).exists()
