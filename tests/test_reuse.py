"""May this organisation reuse this component? (components/reuse.py)"""

import pytest
from django.utils import translation

from accounts.constants import OrganisationKind
from components.constants import ReuseRestriction
from components.reuse import ALLOWED, CONDITIONAL, NOT_ALLOWED, reuse_verdict

from .factories import ComponentFactory, CustomLicenseFactory

pytestmark = pytest.mark.django_db


def component(publisher, expression="MIT", **kwargs):
    return ComponentFactory(publisher=publisher, license_expression=expression, **kwargs)


def test_a_permissive_licence_without_restriction_is_allowed(acme, utrecht):
    verdict = reuse_verdict(component(acme), utrecht)
    assert verdict.verdict == ALLOWED
    assert "No reuse restriction applies." in verdict.reasons
    assert "MIT is a permissive licence: keep its copyright notice." in verdict.reasons


@pytest.mark.parametrize(
    "expression, obligation",
    [
        ("EUPL-1.2", "EUPL or a compatible licence"),
        ("GPL-3.0-only", "changed or not"),
        ("AGPL-3.0-or-later", "also over a network"),
        ("LGPL-2.1-only", "only links to it"),
        ("MPL-2.0", "stay under the MPL"),
    ],
)
def test_copyleft_makes_reuse_conditional_and_names_the_obligation(
    acme, utrecht, expression, obligation
):
    verdict = reuse_verdict(component(acme, expression), utrecht)
    assert verdict.verdict == CONDITIONAL
    assert any(obligation in reason for reason in verdict.reasons), verdict.reasons


def test_an_alternative_lets_the_organisation_pick_the_easiest_licence(acme, utrecht):
    verdict = reuse_verdict(component(acme, "GPL-3.0-only OR MIT"), utrecht)
    assert verdict.verdict == ALLOWED


def test_a_combination_must_meet_every_licence(acme, utrecht):
    verdict = reuse_verdict(component(acme, "MIT AND GPL-3.0-only"), utrecht)
    assert verdict.verdict == CONDITIONAL


def test_public_sector_only_allows_a_municipality_but_not_a_vendor(acme, globex, utrecht):
    c = component(acme, reuse_restriction=ReuseRestriction.PUBLIC_SECTOR)
    assert reuse_verdict(c, utrecht).verdict == ALLOWED
    refused = reuse_verdict(c, globex)
    assert refused.verdict == NOT_ALLOWED
    assert "Globex B.V. is a vendor" in " ".join(refused.reasons)


def test_organisation_kinds_allow_only_those_kinds(utrecht, ministry):
    c = component(
        ministry,
        reuse_restriction=ReuseRestriction.ORGANISATION_KINDS,
        reuse_organisation_kinds=[OrganisationKind.CENTRAL_GOVERNMENT],
    )
    refused = reuse_verdict(c, utrecht)
    assert refused.verdict == NOT_ALLOWED
    assert "central government" in " ".join(refused.reasons)
    other_ministry = type(ministry).objects.create(
        name="Ministerie van Financiën", slug="fin", kind=OrganisationKind.CENTRAL_GOVERNMENT
    )
    assert reuse_verdict(c, other_ministry).verdict == ALLOWED


def test_owner_only_allows_nobody_but_the_publisher(ministry, utrecht):
    c = component(ministry, reuse_restriction=ReuseRestriction.OWNER_ONLY)
    assert reuse_verdict(c, utrecht).verdict == NOT_ALLOWED
    owner = reuse_verdict(c, ministry)
    assert owner.verdict == ALLOWED
    assert "Ministerie van Binnenlandse Zaken publishes this component." in owner.reasons


def test_named_organisations_allow_only_those_named(acme, utrecht, secretive):
    c = component(acme, reuse_restriction=ReuseRestriction.NAMED_ORGANISATIONS)
    c.reuse_organisations.add(utrecht)
    assert reuse_verdict(c, utrecht).verdict == ALLOWED
    assert reuse_verdict(c, secretive).verdict == NOT_ALLOWED


def test_a_custom_licence_that_reserves_reuse_refuses_all_but_its_owner(ministry, utrecht):
    brand = CustomLicenseFactory(
        id="LicenseRef-Rijkshuisstijl",
        name="Rijkshuisstijl brand licence",
        summary="The logo and word mark are reserved to the State.",
        reuse_allowed=False,
        owner=ministry,
    )
    c = component(ministry, f"EUPL-1.2 AND {brand.id}")
    refused = reuse_verdict(c, utrecht)
    assert refused.verdict == NOT_ALLOWED
    assert "reserves reuse to its owner" in " ".join(refused.reasons)
    assert reuse_verdict(c, ministry).verdict == CONDITIONAL  # EUPL still applies


def test_further_terms_make_an_allowed_reuse_conditional(acme, utrecht):
    c = component(acme, reuse_terms="Mention the Acme logo is not included.")
    verdict = reuse_verdict(c, utrecht)
    assert verdict.verdict == CONDITIONAL
    assert "Further terms: Mention the Acme logo is not included." in verdict.reasons


def test_the_reasons_are_translated(acme, globex):
    c = component(acme, reuse_restriction=ReuseRestriction.PUBLIC_SECTOR)
    with translation.override("nl"):
        verdict = reuse_verdict(c, globex)
    assert "Alleen overheidsorganisaties mogen het hergebruiken" in verdict.reasons[0]
