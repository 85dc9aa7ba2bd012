"""Organisations over their lifetime: self-registration as a concept that a
curator approves or refuses (by e-mail), and ending (date, successor)."""

import datetime

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory

from accounts.admin import OrganisationAdmin
from accounts.constants import MemberRole, OrganisationKind, OrganisationStatus
from accounts.models import ApiToken, ConceptOrganisation, Membership, Organisation

from .conftest import csrf_token, text_of
from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Gemeente Dijk en Waard",
    "kind": "municipality",
    "oin": "",
    "cbs_code": "GM1980",
    "kvk_number": "",
    "website": "",
    "contact_email": "info@dijkenwaard.example",
    "your_name": "Dirk",
    "email": "dirk@dijkenwaard.example",
    "password": "een lang en sterk wachtwoord 42",
}


def register(client, **changes):
    return client.post("/aanmelden", {**FORM, **changes})


def test_registering_makes_a_concept_organisation_and_signs_its_administrator_in():
    client = Client()
    assert client.get("/aanmelden").status_code == 200
    response = register(client)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Gemeente Dijk en Waard")
    assert organisation.status == OrganisationStatus.CONCEPT
    assert response["Location"] == f"/mijn-organisatie/{organisation.slug}"
    membership = Membership.objects.get(organisation=organisation)
    assert membership.role == MemberRole.ADMIN and membership.user.email == FORM["email"]
    home = text_of(client.get(response["Location"]))
    assert "wacht op goedkeuring" in home


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"oin": "123"}, "oin", "precies 20 cijfers"),
        ({"cbs_code": "GM12"}, "cbs_code", "GM0344"),
        ({"cbs_code": "WS0155"}, "cbs_code", "begint met GM"),
        ({"kind": "vendor", "cbs_code": "", "kvk_number": "1234567"}, "kvk_number", "8 cijfers"),
        ({"cbs_code": ""}, "oin", "Geef het OIN, de CBS-code of het KvK-nummer"),
        ({"password": "kort"}, "password", "8"),
    ],
)
def test_bad_identifiers_get_a_message_next_to_the_field_and_nothing_is_made(
    changes, field, message
):
    response = register(Client(), **changes)
    assert response.status_code == 400
    page = response.content.decode()
    error = page.split(f'id="id_{field}_error"')[1].split("</div>")[0]
    assert message.lower() in error.lower()
    assert not Organisation.objects.filter(name=FORM["name"]).exists()
    assert not Membership.objects.exists()


def test_a_known_organisation_or_account_cannot_be_registered_twice(utrecht, bob):
    page = register(Client(), name="Gemeente Utrecht").content.decode()
    assert "al aangemeld" in page
    page = register(Client(), cbs_code="GM0344", name="Utrecht bis").content.decode()
    assert "al aangemeld" in page
    bob.email = "bob@utrecht.example"
    bob.save()
    page = register(Client(), email="BOB@utrecht.example").content.decode()
    assert "bestaat al een account" in page


@pytest.fixture
def concept(db):
    client = Client()
    register(client)
    organisation = Organisation.objects.get(name=FORM["name"])
    return organisation, client


def test_a_concept_organisation_is_not_public_and_changes_nothing(concept, acme_component):
    organisation, member = concept
    assert Client().get(f"/organisaties/{organisation.slug}").status_code == 404
    assert organisation.name not in text_of(Client().get("/organisaties"))
    api = Client().get(f"/api/v1/organisations/{organisation.slug}")
    assert api.status_code == 404
    assert organisation.slug not in Client().get("/api/v1/organisations").content.decode()
    # Its administrator may look, but not record a usage or create a token.
    mine = f"/mijn-organisatie/{organisation.slug}"
    assert member.get(f"{mine}/gebruik/nieuw").status_code == 200
    response = member.post(
        f"{mine}/gebruik/nieuw", {"component": "acme-zaken", "status": "production"}
    )
    assert response.status_code == 403
    assert member.post(f"{mine}/tokens", {"name": "CI"}).status_code == 403
    assert not organisation.usages.exists() and not organisation.api_tokens.exists()


def test_a_concept_organisation_gets_no_api_token_anywhere(concept):
    organisation, _member = concept
    with pytest.raises(ConceptOrganisation):
        ApiToken.issue(organisation, "ci")
    with pytest.raises(CommandError, match="awaits a curator"):
        call_command("create_token", organisation.slug, name="ci")


def _admin_action(action, queryset, curator):
    request = RequestFactory().post("/admin/")
    request.user = curator
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    model_admin = OrganisationAdmin(Organisation, admin_site)
    getattr(model_admin, action)(request, queryset)


@pytest.fixture
def curator(db):
    return UserFactory(username="cora", is_staff=True, is_superuser=True)


def test_a_curator_approves_and_the_decision_is_e_mailed(concept, curator):
    organisation, member = concept
    _admin_action("approve", Organisation.objects.filter(pk=organisation.pk), curator)
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.ACTIVE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["dirk@dijkenwaard.example", "info@dijkenwaard.example"]
    assert "goedgekeurd" in message.subject
    # Now it is public and may get a token.
    assert Client().get(f"/organisaties/{organisation.slug}").status_code == 200
    assert (
        member.post(f"/mijn-organisatie/{organisation.slug}/tokens", {"name": "CI"}).status_code
        == 200
    )
    assert organisation.api_tokens.count() == 1


def test_a_curator_does_not_approve_an_organisation_with_a_malformed_identifier(curator):
    broken = OrganisationFactory(
        status=OrganisationStatus.CONCEPT, kind=OrganisationKind.PROVINCE, cbs_code="GM0001"
    )
    _admin_action("approve", Organisation.objects.filter(pk=broken.pk), curator)
    broken.refresh_from_db()
    assert broken.status == OrganisationStatus.CONCEPT
    assert not mail.outbox


def test_a_curator_refuses_and_the_decision_is_e_mailed(concept, curator):
    organisation, _member = concept
    _admin_action("refuse", Organisation.objects.filter(pk=organisation.pk), curator)
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert "niet goedgekeurd" in mail.outbox[0].body


def test_an_active_organisation_is_never_deleted_in_the_admin(utrecht, curator):
    request = RequestFactory().get("/admin/")
    request.user = curator
    model_admin = OrganisationAdmin(Organisation, admin_site)
    assert not model_admin.has_delete_permission(request, utrecht)
    assert "delete_selected" not in model_admin.get_actions(request)


# --- ending ---------------------------------------------------------------------


def test_an_ended_organisation_shows_its_end_and_successor(utrecht):
    old = OrganisationFactory(name="Gemeente Heerhugowaard", slug="heerhugowaard")
    old.status = OrganisationStatus.ENDED
    old.ended_on = datetime.date(2022, 1, 1)
    old.successor = utrecht
    old.full_clean()
    old.save()
    page = text_of(Client().get("/en/organisations/heerhugowaard"))
    assert "This organisation ended on 1 January 2022." in page
    assert 'href="/en/organisations/gemeente-utrecht">Gemeente Utrecht</a>' in page
    body = Client().get("/api/v1/organisations/heerhugowaard").json()
    assert body["status"] == "ended" and body["endedOn"] == "2022-01-01"
    assert body["successor"] == "gemeente-utrecht"


def test_ending_needs_a_date_and_no_organisation_succeeds_itself(utrecht):
    utrecht.status = OrganisationStatus.ENDED
    with pytest.raises(ValidationError) as caught:
        utrecht.full_clean()
    assert "ended_on" in caught.value.message_dict
    utrecht.ended_on = datetime.date(2023, 1, 1)
    utrecht.successor = utrecht
    with pytest.raises(ValidationError) as caught:
        utrecht.full_clean()
    assert "successor" in caught.value.message_dict


def test_the_registration_page_needs_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/aanmelden", FORM).status_code == 403
    token = csrf_token(client, "/aanmelden")
    assert client.post("/aanmelden", {**FORM, "csrfmiddlewaretoken": token}).status_code == 302
