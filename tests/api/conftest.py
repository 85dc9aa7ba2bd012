import pytest
from django.core.cache import cache

from accounts.constants import OrganisationKind

from ..conftest import client_for  # noqa: F401  (kept importable from here)
from ..factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ministry(db):
    return OrganisationFactory(
        name="Ministerie van Algemene Zaken",
        slug="ministerie-van-algemene-zaken",
        kind=OrganisationKind.CENTRAL_GOVERNMENT,
    )
