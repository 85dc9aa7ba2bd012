"""The landscape's personas, shared by the model, API and site tests.

Utrecht uses Open Zaak (published by Acme), Open Notificaties and Signalen
(published by Globex); the ZGW API's and StUF are standards. Acme may propose
integrations for Utrecht that involve Open Zaak; Globex for Signalen."""

import pytest

from components.constants import ComponentKind, Layer, UsageStatus, Visibility

from .factories import ComponentFactory, IntegrationFactory, UsageFactory


@pytest.fixture
def open_zaak(acme):
    return ComponentFactory(
        slug="open-zaak", name="Open Zaak", publisher=acme, layer=Layer.SERVICES
    )


@pytest.fixture
def open_notificaties(acme):
    return ComponentFactory(
        slug="open-notificaties",
        name="Open Notificaties",
        publisher=acme,
        layer=Layer.INTEGRATION,
    )


@pytest.fixture
def signalen(globex):
    return ComponentFactory(
        slug="signalen", name="Signalen", publisher=globex, layer=Layer.INTERACTION
    )


@pytest.fixture
def zgw(globex):
    return ComponentFactory(
        slug="zgw-apis", name="ZGW API's", publisher=globex, kind=ComponentKind.STANDARD
    )


@pytest.fixture
def stuf(globex):
    return ComponentFactory(slug="stuf", name="StUF", publisher=globex, kind=ComponentKind.STANDARD)


@pytest.fixture
def landscape(utrecht, open_zaak, open_notificaties, signalen, zgw):
    """Utrecht's three usages; Signalen → Open Zaak over the ZGW API's (public) and
    Open Zaak → Open Notificaties (government-only)."""
    usages = {
        c.slug: UsageFactory(organisation=utrecht, component=c, status=UsageStatus.PRODUCTION)
        for c in (open_zaak, open_notificaties, signalen)
    }
    public = IntegrationFactory(
        organisation=utrecht,
        source_usage=usages["signalen"],
        target_usage=usages["open-zaak"],
        standard=zgw,
    )
    hidden = IntegrationFactory(
        organisation=utrecht,
        source_usage=usages["open-zaak"],
        target_usage=usages["open-notificaties"],
        visibility=Visibility.GOVERNMENT,
        notes="Intern",
    )
    return {"usages": usages, "public": public, "hidden": hidden}
