"""The licence pages, the component page's links to them, and the about page
that credits the licence data (OSADL)."""

import pytest
from django.test import Client

from components.licensing import OSADL_ATTRIBUTION
from components.models import License

from .conftest import text_of
from .factories import ComponentFactory, CustomLicenseFactory

pytestmark = pytest.mark.django_db


def test_a_licence_page_shows_flags_obligation_and_components(acme):
    ComponentFactory(name="Zaakregister", publisher=acme, license_expression="EUPL-1.2")
    page = text_of(Client().get("/licenties/EUPL-1.2"))
    assert "European Union Public License 1.2" in page
    assert "<code>EUPL-1.2</code>" in page
    assert "goedgekeurd" in page
    assert "Zaakregister" in page and "Acme Software B.V." in page
    english = text_of(Client().get("/en/licences/EUPL-1.2"))
    assert '<html lang="en">' in english
    assert "Components under this licence" in english
    assert "Open Source Initiative" in english and "approved" in english


def test_a_deprecated_licence_links_to_its_successor():
    licence = License.objects.get(id="GPL-2.0+")
    assert licence.is_deprecated
    page = text_of(Client().get("/licenties/GPL-2.0+"))
    assert f'href="/licenties/{licence.superseded_by_id}"' in page


def test_a_custom_licence_page_shows_url_summary_and_whether_others_may_reuse(acme):
    CustomLicenseFactory(
        id="LicenseRef-Acme-Brand",
        name="Acme merklicentie",
        url="https://acme.example/licentie",
        summary="Alleen Acme mag het merk gebruiken.",
        reuse_allowed=False,
        owner=acme,
    )
    page = text_of(Client().get("/licenties/LicenseRef-Acme-Brand"))
    assert "https://acme.example/licentie" in page
    assert "Alleen Acme mag het merk gebruiken." in page
    assert "Niet toegestaan: alleen de rechthebbende mag het gebruiken." in page
    assert 'href="/organisaties/acme"' in page


def test_an_unknown_licence_is_a_404():
    assert Client().get("/licenties/No-Such-Licence").status_code == 404


def test_the_licence_page_costs_the_same_queries_for_3_or_30_components(
    acme, django_assert_max_num_queries
):
    ComponentFactory.create_batch(3, publisher=acme, license_expression="MIT")
    with django_assert_max_num_queries(10) as few:
        text_of(Client().get("/licenties/MIT"))
    ComponentFactory.create_batch(27, publisher=acme, license_expression="MIT")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text_of(Client().get("/licenties/MIT"))
    assert "Pagina 1 van 2" in page


def test_the_component_page_links_to_its_licences_and_its_publiccode(acme_component):
    page = text_of(Client().get(f"/componenten/{acme_component.slug}"))
    assert 'href="/licenties/EUPL-1.2"' in page
    assert f'href="/api/v1/components/{acme_component.slug}/publiccode.yml"' in page


def test_the_about_page_credits_osadl_and_is_linked_from_every_footer(db):
    page = text_of(Client().get("/over"))
    assert "Over het register" in page
    assert "CC-BY-4.0" in page and "OSADL" in page
    assert OSADL_ATTRIBUTION.split(",")[0] in page
    assert 'href="/over"' in text_of(Client().get("/"))
    assert "About the registry" in text_of(Client().get("/en/about"))
