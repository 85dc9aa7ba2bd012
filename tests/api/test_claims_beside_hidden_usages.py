"""A publisher cannot learn who uses its component government-only by claiming it.

Acme publishes Acme Zaken; Geheimdorp, a municipality, may use it government-only
(the `hidden` state) or not at all (the `plain` state). Acme's claim that
Geheimdorp uses it must be answered alike in both states, and read back alike:
the claim is recorded beside the hidden usage, seen by Acme as its claim, and by
Geheimdorp as a claim to answer."""

import pytest
from django.urls import reverse

from components.constants import Assertion, UsageStatus, Visibility
from components.models import Usage

from ..factories import UsageFactory
from ..test_harvest import GOOD
from .test_publiccode_api import publish

pytestmark = pytest.mark.django_db

CLAIM = {
    "organisation": "gemeente-geheimdorp",
    "component": "acme-zaken",
    "status": "pilot",
    "since": "2026-02-01",
}
VOLATILE = ("id", "claimedAt", "createdAt", "updatedAt")


def without_volatile(row):
    return {key: value for key, value in row.items() if key not in VOLATILE}


@pytest.fixture
def hidden_usage(secretive, acme_component):
    """Geheimdorp's own usage, which it shares with government organisations only."""
    return UsageFactory(
        organisation=secretive,
        component=acme_component,
        status=UsageStatus.PRODUCTION,
        visibility=Visibility.GOVERNMENT,
        notes="Intern: vervangen in 2027.",
    )


@pytest.fixture(params=["plain", "hidden"])
def state(request, secretive, acme_component):
    if request.param == "hidden":
        request.getfixturevalue("hidden_usage")
    return request.param


@pytest.fixture
def secretive_api(secretive):
    from ..conftest import client_for

    return client_for(secretive)


def claim(acme_api):
    response = acme_api.post("/api/v1/usages", CLAIM, format="json")
    assert response.status_code == 201, response.content
    return response


def test_a_claim_is_answered_alike_whether_or_not_a_hidden_usage_exists(
    acme_api, secretive, acme_component
):
    plain = acme_api.post("/api/v1/usages", CLAIM, format="json")
    Usage.objects.filter(pk=plain.json()["id"]).delete()
    UsageFactory(organisation=secretive, component=acme_component, visibility="government")
    hidden = acme_api.post("/api/v1/usages", CLAIM, format="json")
    assert (plain.status_code, hidden.status_code) == (201, 201)
    assert plain["Content-Type"] == hidden["Content-Type"]
    assert without_volatile(plain.json()) == without_volatile(hidden.json())
    assert hidden.json()["assertion"] == "claimed"
    assert hidden.json()["claimedBy"] == "acme"


def test_the_claimant_reads_back_only_what_it_claimed(state, acme_api):
    created = claim(acme_api).json()
    by_id = acme_api.get(f"/api/v1/usages/{created['id']}")
    assert by_id.status_code == 200
    assert by_id.json() == created
    assert (created["status"], created["since"], created["visibility"], created["notes"]) == (
        "pilot",
        "2026-02-01",
        "public",
        "",
    )
    for query in (
        "claimedBy=acme",
        "organisation=gemeente-geheimdorp",
        "component=acme-zaken",
        "",
    ):
        listed = acme_api.get(f"/api/v1/usages?{query}").json()
        assert listed["count"] == 1, query
        assert listed["results"] == [created], query


def test_a_second_claim_by_the_same_claimant_is_a_conflict_in_both_states(state, acme_api):
    claim(acme_api)
    assert acme_api.post("/api/v1/usages", CLAIM, format="json").status_code == 409


def test_the_organisation_sees_the_claim_beside_its_usage(hidden_usage, acme_api, secretive_api):
    created = claim(acme_api).json()
    rows = secretive_api.get("/api/v1/usages?organisation=gemeente-geheimdorp").json()
    assert sorted((row["id"], row["assertion"]) for row in rows["results"]) == sorted(
        [(hidden_usage.pk, "self"), (created["id"], "claimed")]
    )
    hidden_usage.refresh_from_db()
    assert (hidden_usage.status, hidden_usage.visibility, hidden_usage.notes) == (
        "production",
        "government",
        "Intern: vervangen in 2027.",
    )


def test_confirming_merges_the_claim_into_the_organisations_usage(
    hidden_usage, acme_api, secretive_api
):
    created = claim(acme_api).json()
    response = secretive_api.post(f"/api/v1/usages/{created['id']}/confirm")
    assert response.status_code == 200
    assert response.json()["id"] == hidden_usage.pk
    assert not Usage.objects.filter(pk=created["id"]).exists()
    hidden_usage.refresh_from_db()
    # The organisation's choices stand; the claimant is not shown its usage.
    assert (
        hidden_usage.assertion,
        hidden_usage.status,
        hidden_usage.visibility,
        hidden_usage.notes,
    ) == ("self", "production", "government", "Intern: vervangen in 2027.")
    assert acme_api.get(f"/api/v1/usages/{hidden_usage.pk}").status_code == 404
    assert Usage.objects.filter(organisation=hidden_usage.organisation).count() == 1


def test_rejecting_leaves_the_organisations_usage_alone(hidden_usage, acme_api, secretive_api):
    created = claim(acme_api).json()
    response = secretive_api.post(f"/api/v1/usages/{created['id']}/reject")
    assert response.status_code == 200
    assert response.json()["assertion"] == "rejected"
    assert acme_api.get(f"/api/v1/usages/{created['id']}").json()["assertion"] == "rejected"
    hidden_usage.refresh_from_db()
    assert (hidden_usage.assertion, hidden_usage.visibility) == ("self", "government")


def test_the_site_answer_merges_a_confirmed_claim_too(hidden_usage, acme_api, client, secretive):
    from ..factories import MembershipFactory

    created = claim(acme_api).json()
    member = MembershipFactory(user__username="gert", organisation=secretive).user
    client.force_login(member)
    url = reverse(
        "member-claim-answer", kwargs={"organisation": "gemeente-geheimdorp", "pk": created["id"]}
    )
    response = client.post(url, {"decision": "confirm"})
    assert response.status_code in (302, 303), response.status_code
    assert list(Usage.objects.filter(organisation=secretive)) == [hidden_usage]


def test_the_claimant_may_withdraw_a_claim_beside_a_hidden_usage(hidden_usage, acme_api):
    created = claim(acme_api).json()
    assert acme_api.delete(f"/api/v1/usages/{created['id']}").status_code == 204
    assert list(Usage.objects.filter(organisation=hidden_usage.organisation)) == [hidden_usage]


@pytest.mark.parametrize("query", ["", "?dryRun=true"])
def test_used_by_lists_every_matched_organisation_alike(acme_api, secretive, query):
    """Importing (or trying) a publiccode.yml whose usedBy names Geheimdorp gives
    the same claims whether or not Geheimdorp uses the component government-only."""
    assert publish(acme_api, GOOD).status_code == 201
    text = GOOD + "usedBy:\n  - Gemeente Geheimdorp\n"
    plain = publish(acme_api, text, query)
    if not query:
        Usage.objects.filter(organisation=secretive, assertion=Assertion.CLAIMED).delete()
    UsageFactory(
        organisation=secretive,
        component=Usage._meta.get_field("component").related_model.objects.get(
            slug="zaakregistratie"
        ),
        visibility=Visibility.GOVERNMENT,
    )
    hidden = publish(acme_api, text, query)
    assert plain.status_code == hidden.status_code == 200
    expected = [
        {
            "organisation": "gemeente-geheimdorp",
            "organisationName": "Gemeente Geheimdorp",
            "assertion": "claimed",
            "status": "production",
        }
    ]
    assert plain.json()["claims"] == hidden.json()["claims"] == expected


def test_a_pending_claim_does_not_move_the_municipalities_covering_a_question(
    state, acme_api, acme_component, api
):
    """Counting claims among distinct municipalities would tell Acme whether its
    claim added Geheimdorp, or Geheimdorp was counted already (hidden)."""
    from components import figures

    from ..factories import question

    moving = question("verhuizen")
    acme_component.customer_questions.add(moving)

    def coverage():
        rows = api.get("/api/v1/figures").json()["questionCoverage"]
        by_code = {row["code"]: row["municipalities"] for row in rows}
        return by_code["verhuizen"], figures.municipalities_covering(moving)

    before = coverage()
    claim(acme_api)
    assert coverage() == before
    assert before == ((1, 1) if state == "hidden" else (0, 0))
