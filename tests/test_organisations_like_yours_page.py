"""The organisation page recommends what organisations like it use, never a
component it may not reuse (Den Haag's owner-only house style to Utrecht)."""

import pytest
from django.test import Client

from accounts.constants import OrganisationKind
from components.constants import ReuseRestriction

from .factories import ComponentFactory, OrganisationFactory, UsageFactory

pytestmark = pytest.mark.django_db


def test_the_page_recommends_what_peers_use_but_not_what_it_may_not_reuse(
    utrecht, acme, acme_component
):
    den_haag = OrganisationFactory(
        name="Gemeente Den Haag", slug="gemeente-den-haag", kind=OrganisationKind.MUNICIPALITY
    )
    house_style = ComponentFactory(
        slug="haagse-huisstijl",
        name="Haagse huisstijl",
        publisher=den_haag,
        reuse_restriction=ReuseRestriction.OWNER_ONLY,
    )
    open_forms = ComponentFactory(slug="open-formulieren", name="Open Formulieren", publisher=acme)
    for component in (acme_component, house_style, open_forms):
        UsageFactory(organisation=den_haag, component=component)
    UsageFactory(organisation=utrecht, component=acme_component)
    page = Client().get("/organisaties/gemeente-utrecht").content.decode()
    section = page.split('id="similar-heading"')[1].split("</section>")[0]
    assert "Open Formulieren" in section
    assert "Haagse huisstijl" not in section
    api = Client().get("/api/v1/organisations/gemeente-utrecht/figures").json()
    assert [row["component"] for row in api["similarOrganisationsUse"]] == ["open-formulieren"]
