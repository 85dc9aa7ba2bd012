"""Licence pages answer "may others reuse under it?" without contradicting the
licence's own words, and /licenties lists the licences in use."""

import re

import pytest
from django.test import Client

from accounts.constants import OrganisationKind
from components.constants import ReuseRestriction
from components.models import License

from .factories import ComponentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(ministry):
    """A brand licence that lets others than its owner reuse under it, on a
    component only central government may reuse (the Rijkshuisstijl's shape)."""
    License.objects.create(
        id="LicenseRef-Merk",
        name="Gebruiksvoorwaarden Merk",
        is_custom=True,
        reuse_allowed=True,
        owner=ministry,
        summary="Voorbehouden aan de Rijksoverheid; andere organisaties mogen het niet gebruiken.",
    )
    return ComponentFactory(
        slug="merk",
        name="Merk",
        publisher=ministry,
        license_expression="LicenseRef-Merk",
        reuse_restriction=ReuseRestriction.ORGANISATION_KINDS,
        reuse_organisation_kinds=[OrganisationKind.CENTRAL_GOVERNMENT],
    )


def test_a_licence_page_names_the_restriction_instead_of_a_plain_yes(brand):
    page = Client().get("/licenties/LicenseRef-Merk").content.decode()
    assert "Alleen zoals de componenten eronder het toestaan" in page
    assert "Rijksoverheid" in page
    assert "Ja, andere organisaties" not in page


def test_a_custom_licence_without_restrictions_says_others_may_reuse(acme):
    License.objects.create(id="LicenseRef-Vrij", name="Vrij", is_custom=True, owner=acme)
    ComponentFactory(slug="vrij", publisher=acme, license_expression="LicenseRef-Vrij")
    page = Client().get("/licenties/LicenseRef-Vrij").content.decode()
    assert "Toegestaan: de licentie houdt anderen niet tegen" in page


def test_a_licence_only_its_owner_may_use_says_so(acme):
    License.objects.create(
        id="LicenseRef-Eigen", name="Eigen", is_custom=True, owner=acme, reuse_allowed=False
    )
    page = Client().get("/licenties/LicenseRef-Eigen").content.decode()
    assert "Niet toegestaan: alleen de rechthebbende" in page


def test_the_licence_index_lists_the_licences_in_use_with_counts(brand, acme):
    ComponentFactory(slug="a", publisher=acme, license_expression="MIT")
    ComponentFactory(slug="b", publisher=acme, license_expression="MIT OR Apache-2.0")
    response = Client().get("/licenties")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/licenties/MIT"' in page and 'href="/licenties/LicenseRef-Merk"' in page
    assert page.index("/licenties/MIT") < page.index("/licenties/LicenseRef-Merk")
    assert "GPL-3.0-only" not in page  # licences nobody uses are not listed
    # The count column: MIT is in two components' expressions, Apache-2.0 in one.
    rows = dict(re.findall(r"<code>([^<]+)</code></td>\s*<td[^>]*numeric-data\">(\d+)</td>", page))
    assert rows["MIT"] == "2" and rows["Apache-2.0"] == "1", rows
    english = Client().get("/en/licences")
    assert english.status_code == 200 and "Licences in use" in english.content.decode()


def test_the_licence_index_costs_the_same_for_many_licences(acme, django_assert_num_queries):
    for index, licence in enumerate(["MIT", "Apache-2.0", "EUPL-1.2", "BSD-3-Clause"]):
        ComponentFactory(slug=f"c{index}", publisher=acme, license_expression=licence)
    with django_assert_num_queries(1):
        Client().get("/licenties")
