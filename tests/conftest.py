import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.constants import OrganisationKind
from accounts.models import ApiToken

from .factories import ComponentFactory, MembershipFactory, OrganisationFactory, VendorFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL features; skip them on SQLite."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


# Personas. Acme and Globex are vendors; Utrecht is a municipality whose member
# is bob; anonymous visitors are simply no client credentials.
@pytest.fixture
def acme(db):
    return VendorFactory(name="Acme Software B.V.", slug="acme")


@pytest.fixture
def globex(db):
    return VendorFactory(name="Globex B.V.", slug="globex")


@pytest.fixture
def utrecht(db):
    return OrganisationFactory(
        name="Gemeente Utrecht",
        slug="gemeente-utrecht",
        kind=OrganisationKind.MUNICIPALITY,
        cbs_code="GM0344",
    )


@pytest.fixture
def bob(utrecht):
    return MembershipFactory(user__username="bob", organisation=utrecht).user


@pytest.fixture
def acme_component(acme):
    return ComponentFactory(slug="acme-zaken", name="Acme Zaken", publisher=acme)


@pytest.fixture
def api():
    return APIClient()


def client_for(organisation, name="ci"):
    _token, plaintext = ApiToken.issue(organisation, name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    client.plaintext = plaintext
    return client


@pytest.fixture
def acme_api(acme):
    return client_for(acme)


@pytest.fixture
def globex_api(globex):
    return client_for(globex)


@pytest.fixture
def utrecht_api(utrecht):
    return client_for(utrecht)
