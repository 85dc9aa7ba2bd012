"""Who may write what: vendor A (acme, the publisher), vendor B (globex), a
municipality (utrecht) and an anonymous client, against every write endpoint."""

import datetime

import pytest

from components.constants import Assertion
from components.models import Component, Release, Usage

from ..factories import ReleaseFactory, UsageFactory

pytestmark = pytest.mark.django_db

NEW_COMPONENT = {
    "slug": "nieuw",
    "name": "Nieuw onderdeel",
    "kind": "library",
    "shortDescription": "Een bibliotheek.",
    "license": "EUPL-1.2",
}


@pytest.fixture
def clients(api, acme_api, globex_api, utrecht_api):
    return {"anonymous": api, "acme": acme_api, "globex": globex_api, "utrecht": utrecht_api}


@pytest.fixture
def release(acme_component):
    return ReleaseFactory(component=acme_component, version="1.0.0")


@pytest.fixture
def own_usage(utrecht, acme_component):
    return UsageFactory(organisation=utrecht, component=acme_component)


@pytest.fixture
def pending_claim(utrecht, acme, acme_component):
    return UsageFactory(
        organisation=utrecht,
        component=acme_component,
        assertion=Assertion.CLAIMED,
        claimed_by=acme,
        claimed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )


@pytest.mark.parametrize(
    "who, expected", [("anonymous", 401), ("acme", 201), ("globex", 201), ("utrecht", 201)]
)
def test_any_organisation_may_register_its_own_component(clients, who, expected):
    response = clients[who].post("/api/v1/components", NEW_COMPONENT, format="json")
    assert response.status_code == expected
    if expected == 201:
        publisher = {"acme": "acme", "globex": "globex", "utrecht": "gemeente-utrecht"}[who]
        assert response.json()["publisher"] == publisher
        assert Component.objects.get(slug="nieuw").publisher.slug == publisher
    else:
        assert not Component.objects.filter(slug="nieuw").exists()


@pytest.mark.parametrize(
    "method, body",
    [
        ("put", {**NEW_COMPONENT, "slug": "acme-zaken", "name": "Overgenomen"}),
        ("patch", {"name": "Overgenomen"}),
        ("delete", None),
    ],
)
@pytest.mark.parametrize(
    "who, expected", [("anonymous", 401), ("acme", None), ("globex", 403), ("utrecht", 403)]
)
def test_only_the_publisher_may_change_or_retire_a_component(
    clients, acme_component, method, body, who, expected
):
    response = getattr(clients[who], method)("/api/v1/components/acme-zaken", body, format="json")
    acme_component.refresh_from_db()
    if expected is None:
        assert response.status_code in (200, 204)
    else:
        assert response.status_code == expected
        assert acme_component.name == "Acme Zaken"
        assert acme_component.development_status != "obsolete"
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "who, expected", [("anonymous", 401), ("acme", 201), ("globex", 403), ("utrecht", 403)]
)
def test_only_the_publisher_may_publish_a_release(clients, acme_component, who, expected):
    response = clients[who].post(
        "/api/v1/components/acme-zaken/releases",
        {"version": "2.0.0", "releaseDate": "2026-11-01"},
        format="json",
    )
    assert response.status_code == expected
    assert Release.objects.filter(version="2.0.0").exists() == (expected == 201)


@pytest.mark.parametrize(
    "method, body",
    [
        ("put", {"version": "1.0.0", "releaseDate": "2026-02-02", "notes": "x"}),
        ("patch", {"notes": "x"}),
        ("delete", None),
    ],
)
@pytest.mark.parametrize(
    "who, expected", [("anonymous", 401), ("acme", None), ("globex", 403), ("utrecht", 403)]
)
def test_only_the_publisher_may_change_or_withdraw_a_release(
    clients, release, method, body, who, expected
):
    url = "/api/v1/components/acme-zaken/releases/1.0.0"
    response = getattr(clients[who], method)(url, body, format="json")
    if expected is None:
        assert response.status_code in (200, 204)
    else:
        assert response.status_code == expected
        release.refresh_from_db()
        assert release.notes == ""


@pytest.mark.parametrize(
    "who, organisation, expected, assertion",
    [
        ("anonymous", "gemeente-utrecht", 401, None),
        ("utrecht", "gemeente-utrecht", 201, "self"),  # its own usage
        ("acme", "gemeente-utrecht", 201, "claimed"),  # a claim on its own component
        ("globex", "gemeente-utrecht", 403, None),  # a claim on someone else's component
        ("globex", "globex", 201, "self"),  # a vendor may use a component too
    ],
)
def test_who_may_record_a_usage_or_claim_one(
    clients, acme_component, utrecht, who, organisation, expected, assertion
):
    response = clients[who].post(
        "/api/v1/usages",
        {"organisation": organisation, "component": "acme-zaken", "status": "pilot"},
        format="json",
    )
    assert response.status_code == expected
    if assertion:
        usage = Usage.objects.get()
        assert usage.assertion == assertion
        assert response.json()["assertion"] == assertion
        if assertion == "claimed":
            assert usage.claimed_by.slug == "acme"
    else:
        assert Usage.objects.count() == 0


@pytest.mark.parametrize(
    "method, body", [("patch", {"status": "stopped"}), ("delete", None), ("put", None)]
)
@pytest.mark.parametrize(
    "who, expected", [("anonymous", 401), ("utrecht", None), ("acme", 403), ("globex", 403)]
)
def test_only_the_organisation_may_change_or_stop_its_own_usage(
    clients, own_usage, method, body, who, expected
):
    if method == "put":
        body = {"organisation": "gemeente-utrecht", "component": "acme-zaken", "status": "stopped"}
    response = getattr(clients[who], method)(f"/api/v1/usages/{own_usage.pk}", body, format="json")
    own_usage.refresh_from_db()
    if expected is None:
        assert response.status_code in (200, 204)
        assert own_usage.status == "stopped"
    else:
        assert response.status_code == expected
        assert own_usage.status == "production"


@pytest.mark.parametrize("answer", ["confirm", "reject"])
@pytest.mark.parametrize(
    "who, expected", [("anonymous", 401), ("utrecht", 200), ("acme", 403), ("globex", 403)]
)
def test_only_the_named_organisation_may_answer_a_claim(
    clients, pending_claim, answer, who, expected
):
    response = clients[who].post(f"/api/v1/usages/{pending_claim.pk}/{answer}")
    assert response.status_code == expected
    pending_claim.refresh_from_db()
    if expected == 200:
        assert pending_claim.assertion == {"confirm": "confirmed", "reject": "rejected"}[answer]
        assert pending_claim.answered_at is not None
    else:
        assert pending_claim.assertion == "claimed"


def test_the_claimant_may_withdraw_a_pending_claim_but_not_an_answered_one(clients, pending_claim):
    response = clients["acme"].delete(f"/api/v1/usages/{pending_claim.pk}")
    assert response.status_code == 204
    assert not Usage.objects.filter(pk=pending_claim.pk).exists()


def test_the_claimant_may_not_touch_a_confirmed_claim(clients, pending_claim):
    pending_claim.assertion = Assertion.CONFIRMED
    pending_claim.save()
    assert clients["acme"].delete(f"/api/v1/usages/{pending_claim.pk}").status_code == 403
    assert (
        clients["acme"]
        .patch(f"/api/v1/usages/{pending_claim.pk}", {"status": "pilot"}, format="json")
        .status_code
        == 403
    )
    pending_claim.refresh_from_db()
    assert (pending_claim.assertion, pending_claim.status) == ("confirmed", "production")


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize(
    "field, value", [("visibility", "public"), ("notes", "Volgens Acme in productie.")]
)
def test_a_pending_claimant_may_not_change_the_organisations_choices(
    clients, pending_claim, method, field, value
):
    """Utrecht made the claim government-only and wrote its own note: those are
    Utrecht's; Acme, whose claim awaits Utrecht's answer, may not undo them."""
    url = f"/api/v1/usages/{pending_claim.pk}"
    assert (
        clients["utrecht"]
        .patch(url, {"visibility": "government", "notes": "Eigen notitie."}, format="json")
        .status_code
        == 200
    )
    body = {"status": "pilot", field: value}
    if method == "put":
        body.update(organisation="gemeente-utrecht", component="acme-zaken")
    response = getattr(clients["acme"], method)(url, body, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["detail"]
    pending_claim.refresh_from_db()
    assert (pending_claim.visibility, pending_claim.notes, pending_claim.status) == (
        "government",
        "Eigen notitie.",
        "production",
    )


def test_a_pending_claimant_may_change_what_it_claimed(clients, pending_claim, release):
    response = clients["acme"].patch(
        f"/api/v1/usages/{pending_claim.pk}",
        {"status": "pilot", "since": "2026-02-01", "until": "2026-12-31", "release": "1.0.0"},
        format="json",
    )
    assert response.status_code == 200
    pending_claim.refresh_from_db()
    assert (
        pending_claim.status,
        pending_claim.since,
        pending_claim.until,
        pending_claim.release,
        pending_claim.visibility,
    ) == ("pilot", datetime.date(2026, 2, 1), datetime.date(2026, 12, 31), release, "public")


@pytest.mark.parametrize("state", ["expired", "revoked", "garbage", "wrong-scheme"])
def test_a_write_with_a_bad_token_is_refused_with_401(api, acme, acme_component, state):
    from django.utils import timezone

    from accounts.models import ApiToken

    token, plaintext = ApiToken.issue(acme, "ci")
    header = f"Bearer {plaintext}"
    if state == "expired":
        token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
        token.save()
    elif state == "revoked":
        token.revoke()
    elif state == "garbage":
        header = "Bearer not-a-token"
    else:
        header = f"Token {plaintext}"
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.patch("/api/v1/components/acme-zaken", {"name": "X"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
    acme_component.refresh_from_db()
    assert acme_component.name == "Acme Zaken"


def test_the_lifecycle_dates_itself_and_stopping_keeps_the_record(utrecht_api, own_usage):
    from django.utils import timezone

    today = timezone.localdate()
    url = f"/api/v1/usages/{own_usage.pk}"
    assert utrecht_api.patch(url, {"status": "pilot"}, format="json").json()["since"] == str(today)
    stopped = utrecht_api.patch(url, {"status": "stopped"}, format="json").json()
    assert (stopped["status"], stopped["until"]) == ("stopped", str(today))
    assert utrecht_api.get(url).status_code == 200
    restarted = utrecht_api.patch(url, {"status": "production"}, format="json").json()
    assert restarted["until"] is None
    statuses = list(own_usage.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["production", "pilot", "stopped", "production"]


@pytest.mark.parametrize("path", ["/api/v1/webhooks", "/api/v1/harvest-sources"])
@pytest.mark.parametrize("method", ["get", "options"])
def test_what_belongs_to_one_organisation_is_not_read_without_a_token(api, acme_api, path, method):
    assert getattr(api, method)(path).status_code == 401
    assert getattr(acme_api, method)(path).status_code == 200


def test_reads_of_the_catalogue_need_no_token(api):
    assert api.get("/api/v1/components").status_code == 200
    assert api.options("/api/v1/components").status_code == 200
    assert api.options("/api/v1/publiccode").status_code == 401
