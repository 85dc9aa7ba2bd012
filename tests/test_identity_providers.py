"""Around the OIDC sign-in (the flow itself: tests/oidc): curators set a
provider with its secret encrypted, administrators give a role to who signed
in without one, and password sign-in is for curators and organisations
without a provider."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import IdentityProvider, Membership, OidcIdentity
from accounts.secrets import decrypt

from .conftest import csrf_client, csrf_token, signed_in
from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
MEMBERS = "/mijn-organisatie/gemeente-utrecht/leden"


@pytest.fixture
def provider(utrecht):
    return IdentityProvider.objects.create(
        organisation=utrecht,
        discovery_url="http://127.0.0.1:9/.well-known/openid-configuration",
        client_id="registry",
    )


@pytest.fixture
def jan(utrecht, provider):
    user = get_user_model().objects.create(username="gemeente-utrecht:jan", email="jan@utrecht.nl")
    return OidcIdentity.objects.create(
        user=user, organisation=utrecht, issuer="http://127.0.0.1:9", subject="jan"
    )


def test_curators_set_the_client_secret_and_it_is_stored_encrypted(utrecht):
    curator = UserFactory(username="cora", is_staff=True, is_superuser=True)
    client = signed_in(curator)
    response = client.post(
        "/admin/accounts/identityprovider/add/",
        {
            "organisation": utrecht.pk,
            "discovery_url": "https://login.example.nl/.well-known/openid-configuration",
            "client_id": "registry",
            "client_secret": "s3cret-value",
            "sub_claim": "sub",
            "email_claim": "email",
            "name_claim": "name",
            "groups_claim": "groups",
            "role_mapping": '{"registry-admins": "admin"}',
            "enabled": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get()
    assert "s3cret-value" not in provider.client_secret_encrypted
    assert decrypt(provider.client_secret_encrypted) == "s3cret-value"
    # Never shown again, and an empty field keeps it.
    page = client.get(f"/admin/accounts/identityprovider/{provider.pk}/change/").content.decode()
    assert "s3cret-value" not in page and provider.client_secret_encrypted not in page


def test_an_administrator_gives_a_role_to_someone_who_signed_in_without_one(alice, jan):
    client = csrf_client(alice)
    page = client.get(MEMBERS).content.decode()
    assert "Ingelogd, wacht op een rol" in page and "jan@utrecht.nl" in page
    url = f"{MEMBERS}/{jan.pk}/rol"
    response = client.post(
        url, {"csrfmiddlewaretoken": csrf_token(client, MEMBERS), "role": "editor"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=jan.user).role == "editor"
    # Given a role, jan no longer waits for one.
    assert "Ingelogd, wacht op een rol" not in client.get(MEMBERS).content.decode()


def test_an_editor_cannot_give_roles_and_nobody_can_for_another_organisation(bob, alice, jan, acme):
    client = csrf_client(bob)
    token = csrf_token(client, "/mijn-organisatie/gemeente-utrecht")
    response = client.post(
        f"{MEMBERS}/{jan.pk}/rol", {"csrfmiddlewaretoken": token, "role": "admin"}
    )
    assert response.status_code == 403
    admin_of_acme = MembershipFactory(user__username="ada", organisation=acme, role="admin").user
    client = csrf_client(admin_of_acme)
    token = csrf_token(client, "/mijn-organisatie/acme")
    response = client.post(
        f"/mijn-organisatie/acme/leden/{jan.pk}/rol",
        {"csrfmiddlewaretoken": token, "role": "admin"},
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user=jan.user).exists()


def test_members_of_an_organisation_with_a_provider_sign_in_there_not_with_a_password(
    bob, provider
):
    response = Client().post("/inloggen", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 200
    assert "Je organisatie laat je inloggen met haar eigen inlogdienst" in response.content.decode()
    # Without a provider (switched off) the password works again.
    provider.enabled = False
    provider.save()
    assert Client().post("/inloggen", {"username": "bob", "password": PASSWORD}).status_code == 302


def test_curators_keep_their_password_sign_in(utrecht, provider):
    curator = MembershipFactory(
        user__username="cora", user__is_staff=True, organisation=utrecht
    ).user
    assert curator.is_staff
    assert Client().post("/inloggen", {"username": "cora", "password": PASSWORD}).status_code == 302


def test_the_sign_in_page_offers_the_organisations_with_a_provider(provider):
    client = Client()
    page = client.get("/inloggen").content.decode()
    assert '<option value="gemeente-utrecht">Gemeente Utrecht</option>' in page
    response = client.get("/inloggen/organisatie?organisation=gemeente-utrecht")
    assert response["Location"] == "/inloggen/gemeente-utrecht"
    response = client.get("/inloggen/organisatie?organisation=nope")
    assert response["Location"] == "/inloggen"
