import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from accounts.constants import MemberRole, OrganisationKind
from accounts.models import ApiToken
from components.constants import UsageStatus, Visibility

from .factories import (
    ComponentFactory,
    MembershipFactory,
    OrganisationFactory,
    UsageFactory,
    VendorFactory,
)


def pytest_configure(config):
    """Compile the translations when a .po is newer than its .mo, as `make install`
    does, so that running pytest directly tests the Dutch site too."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL features; skip them on SQLite."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Code under test speaks English unless a request chooses the language: the
    site's default is Dutch, but model and API messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def figures_uncached(settings):
    """Each test sees its own rows: figures are not kept between tests (whose
    rolled-back changes never bump the catalogue version)."""
    settings.FIGURES_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def admin_without_second_step(settings):
    """The admin asks curators for a TOTP code (registry/admin_site.py); the
    tests of the admin's own pages sign curators in directly. The second step
    is tested with it on, in tests/test_two_factor.py."""
    settings.ADMIN_REQUIRES_OTP = False


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


# The website as a signed-in member sees it.


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def csrf_client(user):
    """A client that, like a browser, must send the CSRF token it was given."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def acme_api(acme):
    return client_for(acme)


@pytest.fixture
def globex_api(globex):
    return client_for(globex)


@pytest.fixture
def utrecht_api(utrecht):
    return client_for(utrecht)


# More personas for the website: victor works for the vendor Acme; alice is an
# administrator of Utrecht (bob is an editor there); mira works for a ministry.
@pytest.fixture
def victor(acme):
    return MembershipFactory(user__username="victor", organisation=acme).user


@pytest.fixture
def alice(utrecht):
    return MembershipFactory(
        user__username="alice", organisation=utrecht, role=MemberRole.ADMIN
    ).user


@pytest.fixture
def ministry(db):
    return OrganisationFactory(
        name="Ministerie van Binnenlandse Zaken",
        slug="ministerie-bzk",
        kind=OrganisationKind.CENTRAL_GOVERNMENT,
    )


@pytest.fixture
def mira(ministry):
    return MembershipFactory(user__username="mira", organisation=ministry).user


@pytest.fixture
def secretive(db):
    """A municipality that shares its usages with government organisations only."""
    return OrganisationFactory(
        name="Gemeente Geheimdorp", slug="gemeente-geheimdorp", kind=OrganisationKind.MUNICIPALITY
    )


@pytest.fixture
def government_only_usage(secretive, acme_component):
    return UsageFactory(
        organisation=secretive,
        component=acme_component,
        visibility=Visibility.GOVERNMENT,
        status=UsageStatus.PRODUCTION,
    )


def find_shared(*parts):
    """The shared material (../shared) next to this checkout, or where the
    workplace keeps it; SHARED_DIR overrides both. Missing is a failure, not a
    skip: the corpus tests are part of the suite."""
    import os
    from pathlib import Path

    candidates = [
        os.environ.get("SHARED_DIR"),
        Path(__file__).resolve().parents[2] / "shared",
        "/work/shared",
    ]
    for candidate in candidates:
        if candidate and Path(candidate, *parts).exists():
            return Path(candidate, *parts)
    raise FileNotFoundError(
        f"{'/'.join(parts)} not found in ../shared or /work/shared; set SHARED_DIR"
    )


# The landscape's personas (components Utrecht uses, integrations between them).
from .integration_personas import (  # noqa: E402, F401
    landscape,
    open_notificaties,
    open_zaak,
    signalen,
    stuf,
    zgw,
)
