import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.constants import OrganisationKind
from accounts.models import ApiToken

from ..factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def ministry(db):
    return OrganisationFactory(
        name="Ministerie van Algemene Zaken",
        slug="ministerie-van-algemene-zaken",
        kind=OrganisationKind.CENTRAL_GOVERNMENT,
    )
