"""The integrations API: /organisations/{slug}/integrations and /integrations/{id}.

Utrecht records its own integrations; Acme (a vendor, publisher of Open Zaak and
Open Notificaties) may propose one that involves its component, which Utrecht
confirms or rejects; Globex publishes Signalen and the standards. Anonymous
visitors and vendors never see a government-only integration, not even through
a status code."""

import itertools

import pytest
from django.urls import reverse

from components.constants import Assertion, Visibility
from components.models import Integration

from ..conftest import client_for
from ..factories import UsageFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def organisation_url(slug="gemeente-utrecht"):
    return reverse("organisation-integration-list", kwargs={"organisation_slug": slug})


def detail_url(pk, action=None):
    if action:
        return reverse(f"integration-{action}", kwargs={"pk": pk})
    return reverse("integration-detail", kwargs={"pk": pk})


NEW = {
    "sourceComponent": "open-zaak",
    "targetComponent": "signalen",
    "standard": "zgw-apis",
    "direction": "two-way",
    "status": "planned",
}


def test_anyone_lists_the_public_integrations_of_an_organisation(api, landscape):
    response = api.get(organisation_url())
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == landscape["public"].pk
    assert {
        key: row[key]
        for key in (
            "organisation",
            "sourceComponent",
            "sourceComponentName",
            "targetComponent",
            "standard",
            "standardName",
            "direction",
            "status",
            "visibility",
            "assertion",
            "claimedBy",
        )
    } == {
        "organisation": "gemeente-utrecht",
        "sourceComponent": "signalen",
        "sourceComponentName": "Signalen",
        "targetComponent": "open-zaak",
        "standard": "zgw-apis",
        "standardName": "ZGW API's",
        "direction": "one-way",
        "status": "production",
        "visibility": "public",
        "assertion": "self",
        "claimedBy": None,
    }
    assert response["ETag"]


def test_members_of_public_sector_organisations_see_government_only_ones(
    landscape, ministry, acme_api
):
    assert client_for(ministry).get(organisation_url()).json()["count"] == 2
    assert acme_api.get(organisation_url()).json()["count"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("component=open-notificaties", set()),
        ("component=open-zaak", {"public"}),
        ("standard=zgw-apis", {"public"}),
        ("status=stopped", set()),
        ("status=production&status=planned", {"public"}),
    ],
)
def test_the_list_filters_by_component_standard_and_status(api, landscape, query, expected):
    ids = {landscape[name].pk for name in expected}
    rows = api.get(f"{organisation_url()}?{query}").json()["results"]
    assert {row["id"] for row in rows} == ids


def test_the_list_filters_the_government_member_view_too(landscape, ministry):
    rows = (client_for(ministry).get(f"{organisation_url()}?component=open-notificaties").json())[
        "results"
    ]
    assert [row["id"] for row in rows] == [landscape["hidden"].pk]


def test_a_bad_filter_is_a_problem(api, landscape):
    response = api.get(f"{organisation_url()}?status=sometimes")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["invalidParams"][0]["name"] == "status"


def test_an_unknown_organisation_is_a_404(api, landscape):
    response = api.get(organisation_url("gemeente-nergens"))
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_the_list_costs_the_same_queries_for_one_row_or_many(
    api, landscape, utrecht, django_assert_max_num_queries
):
    usages = [UsageFactory(organisation=utrecht) for _ in range(8)]
    for source, target in itertools.pairwise(usages):
        Integration.objects.create(organisation=utrecht, source_usage=source, target_usage=target)
    with django_assert_max_num_queries(4):
        body = api.get(organisation_url()).json()
    assert body["count"] == 8


def test_the_organisation_records_an_integration(utrecht_api, landscape):
    response = utrecht_api.post(organisation_url(), NEW, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["assertion"] == "self"
    assert body["sourceUsage"] == landscape["usages"]["open-zaak"].pk
    assert body["targetUsage"] == landscape["usages"]["signalen"].pk
    assert response["ETag"]
    assert utrecht_api.get(detail_url(body["id"]))["ETag"] == response["ETag"]


def test_recording_it_twice_is_a_conflict(utrecht_api, landscape):
    assert utrecht_api.post(organisation_url(), NEW, format="json").status_code == 201
    response = utrecht_api.post(organisation_url(), NEW, format="json")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert Integration.objects.count() == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"targetComponent": "acme-zaken"}, "targetComponent"),  # not used by Utrecht
        ({"targetComponent": "open-zaak"}, "targetComponent"),  # to itself
        ({"standard": "signalen"}, "standard"),  # software, not a standard
        ({"standard": "nothing-like-it"}, "standard"),
        ({"direction": "sideways"}, "direction"),
        ({"status": "pilot"}, "status"),
        ({"since": "2026-03-01", "until": "2026-02-01"}, "until"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_integration_is_refused_and_nothing_changes(
    utrecht_api, landscape, acme_component, change, field
):
    response = utrecht_api.post(organisation_url(), {**NEW, **change}, format="json")
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == PROBLEM
    assert field in [param["name"] for param in response.json()["invalidParams"]]
    assert Integration.objects.count() == 2


def test_writing_needs_a_token(api, landscape):
    response = api.post(organisation_url(), NEW, format="json")
    assert response.status_code == 401
    assert Integration.objects.count() == 2


def test_a_vendor_proposes_an_integration_with_its_component_as_a_claim(acme_api, acme, landscape):
    response = acme_api.post(organisation_url(), NEW, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["assertion"], body["claimedBy"]) == ("claimed", "acme")
    assert body["claimedAt"]


def test_a_vendor_proposes_nothing_between_components_of_others(globex_api, landscape):
    proposal = {**NEW, "sourceComponent": "open-zaak", "targetComponent": "open-notificaties"}
    response = globex_api.post(organisation_url(), proposal, format="json")
    assert response.status_code == 403
    assert Integration.objects.count() == 2


def test_a_proposal_cannot_tell_a_hidden_usage_from_none(acme_api, utrecht, landscape, acme):
    """Acme publishes Open Zaak. Utrecht's usage of Open Notificaties turns
    government-only; a proposal to it is answered as one to a component Utrecht
    does not use at all."""
    landscape["usages"]["open-notificaties"].visibility = Visibility.GOVERNMENT
    landscape["usages"]["open-notificaties"].save()
    from ..factories import ComponentFactory

    ComponentFactory(slug="acme-archief", name="Acme Archief", publisher=acme)
    hidden = acme_api.post(
        organisation_url(), {**NEW, "targetComponent": "open-notificaties"}, format="json"
    )
    unused = acme_api.post(
        organisation_url(), {**NEW, "targetComponent": "acme-archief"}, format="json"
    )
    assert hidden.status_code == unused.status_code == 400
    reasons = [
        response.json()["invalidParams"][0]["reason"]
        .replace("Open Notificaties", "X")
        .replace("Acme Archief", "X")
        for response in (hidden, unused)
    ]
    assert reasons[0] == reasons[1]


def test_an_invisible_integration_is_a_404_like_a_missing_one(api, acme_api, landscape):
    hidden = landscape["hidden"].pk
    missing = Integration.objects.order_by("-pk").first().pk + 100
    for client in (api, acme_api):
        for action in (None, "history"):
            answers = [client.get(detail_url(pk, action)) for pk in (hidden, missing)]
            assert [a.status_code for a in answers] == [404, 404]
            bodies = [{**a.json(), "instance": None} for a in answers]
            assert bodies[0] == bodies[1]
    for pk in (hidden, missing):
        assert acme_api.patch(detail_url(pk), {"notes": "x"}, format="json").status_code == 404
        assert acme_api.delete(detail_url(pk)).status_code == 404
        assert acme_api.post(detail_url(pk, "confirm")).status_code == 404


def test_a_stale_if_match_changes_nothing(utrecht_api, landscape):
    url = detail_url(landscape["public"].pk)
    etag = utrecht_api.get(url)["ETag"]
    first = utrecht_api.patch(url, {"notes": "eerste"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] != etag
    second = utrecht_api.patch(url, {"notes": "tweede"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    assert second["Content-Type"] == PROBLEM
    landscape["public"].refresh_from_db()
    assert landscape["public"].notes == "eerste"


def test_stopping_an_integration_dates_it(utrecht_api, landscape):
    response = utrecht_api.patch(
        detail_url(landscape["public"].pk), {"status": "stopped"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["until"] is not None


def test_only_the_organisation_changes_its_integration(acme_api, landscape):
    response = acme_api.patch(detail_url(landscape["public"].pk), {"notes": "x"}, format="json")
    assert response.status_code == 403
    assert acme_api.delete(detail_url(landscape["public"].pk)).status_code == 403
    assert Integration.objects.filter(pk=landscape["public"].pk, notes="").exists()


def test_the_claimant_corrects_only_what_it_claimed(acme_api, landscape):
    pk = acme_api.post(organisation_url(), NEW, format="json").json()["id"]
    refused = acme_api.patch(detail_url(pk), {"visibility": "government"}, format="json")
    assert refused.status_code == 403
    assert "visibility" in refused.json()["detail"]
    allowed = acme_api.patch(detail_url(pk), {"status": "production"}, format="json")
    assert allowed.status_code == 200
    assert allowed.json()["status"] == "production"


def test_the_organisation_confirms_or_rejects_a_proposal(acme_api, utrecht_api, landscape):
    pk = acme_api.post(organisation_url(), NEW, format="json").json()["id"]
    assert acme_api.post(detail_url(pk, "confirm")).status_code == 403
    rejected = utrecht_api.post(detail_url(pk, "reject"))
    assert rejected.status_code == 200
    assert rejected.json()["assertion"] == "rejected"
    # Answered is answered (as for usages): only a pending claim is confirmed.
    assert utrecht_api.post(detail_url(pk, "confirm")).status_code == 409
    assert utrecht_api.post(detail_url(landscape["public"].pk, "confirm")).status_code == 409
    second = acme_api.post(organisation_url(), {**NEW, "standard": None}, format="json")
    confirmed = utrecht_api.post(detail_url(second.json()["id"], "confirm"))
    assert confirmed.status_code == 200
    assert confirmed.json()["assertion"] == "confirmed"


def test_the_claimant_withdraws_a_pending_proposal(acme_api, landscape):
    pk = acme_api.post(organisation_url(), NEW, format="json").json()["id"]
    assert acme_api.delete(detail_url(pk)).status_code == 204
    assert not Integration.objects.filter(pk=pk).exists()


def test_the_organisation_removes_its_integration(utrecht_api, landscape):
    pk = landscape["public"].pk
    assert utrecht_api.delete(detail_url(pk)).status_code == 204
    assert not Integration.objects.filter(pk=pk).exists()


def test_the_history_tells_who_changed_what(utrecht_api, landscape):
    url = detail_url(landscape["public"].pk)
    utrecht_api.patch(url, {"direction": "two-way"}, format="json")
    entries = utrecht_api.get(detail_url(landscape["public"].pk, "history")).json()["results"]
    assert [e["action"] for e in entries] == ["changed", "created"]
    assert entries[0]["resource"] == "integration"
    assert entries[0]["actor"] == "token 'ci' of Gemeente Utrecht"
    assert entries[0]["changes"] == [{"field": "direction", "old": "one-way", "new": "two-way"}]


def test_a_confirmed_claim_merges_into_the_own_record(acme_api, utrecht_api, landscape):
    hidden = landscape["hidden"]  # Open Zaak → Open Notificaties, government-only
    proposal = {"sourceComponent": "open-zaak", "targetComponent": "open-notificaties"}
    response = acme_api.post(organisation_url(), proposal, format="json")
    assert response.status_code == 201  # beside the record Acme cannot see
    answered = utrecht_api.post(detail_url(response.json()["id"], "confirm"))
    assert answered.json()["id"] == hidden.pk
    assert Integration.objects.filter(assertion=Assertion.CLAIMED).count() == 0
