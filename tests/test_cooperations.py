"""Cooperations act for their members: a member organisation lets the
cooperation record its usages; the usage names both; the member sees and can
withdraw it; one person switches between organisations without signing out;
the catalogue filters "used via a cooperation"."""

import pytest
from django.test import Client

from accounts.constants import MemberRole, OrganisationKind
from accounts.models import CooperationMember
from components.constants import Visibility
from components.models import Usage

from .conftest import signed_in, text_of
from .factories import ComponentFactory, MembershipFactory, OrganisationFactory, UsageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dimpact(db):
    return OrganisationFactory(name="Dimpact", slug="dimpact", kind=OrganisationKind.COOPERATION)


@pytest.fixture
def dana(dimpact, utrecht):
    """Dana works for Dimpact and for Utrecht."""
    user = MembershipFactory(user__username="dana", organisation=dimpact).user
    MembershipFactory(user=user, organisation=utrecht, role=MemberRole.ADMIN)
    return user


@pytest.fixture
def place(dimpact, utrecht):
    return CooperationMember.objects.create(cooperation=dimpact, member=utrecht)


def on_behalf(client, member, component="acme-zaken", **extra):
    return client.post(
        "/mijn-organisatie/dimpact/namens-deelnemers",
        {
            "member": member.pk,
            "component": component,
            "status": "production",
            "visibility": "public",
            **extra,
        },
    )


def test_a_cooperation_records_only_for_members_that_allowed_it(
    dana, place, utrecht, acme_component
):
    member = signed_in(dana)
    refused = on_behalf(member, utrecht)
    assert refused.status_code == 200  # the form again, with the choice refused
    assert not Usage.objects.exists()

    # Utrecht's administrator (dana, here) allows it on Utrecht's own page.
    member.post(
        f"/mijn-organisatie/gemeente-utrecht/samenwerkingsverbanden/{place.pk}", {"allow": "yes"}
    )
    place.refresh_from_db()
    assert place.records_usages and place.granted_at

    assert on_behalf(member, utrecht).status_code == 302
    usage = Usage.objects.get()
    assert (usage.organisation, usage.recorded_via) == (utrecht, place.cooperation)


def test_only_the_member_organisations_administrators_grant(place, bob, utrecht):
    response = signed_in(bob).post(
        f"/mijn-organisatie/gemeente-utrecht/samenwerkingsverbanden/{place.pk}", {"allow": "yes"}
    )
    assert response.status_code == 403
    place.refresh_from_db()
    assert not place.records_usages


def test_the_usage_names_both_and_the_member_sees_and_withdraws_it(
    dana, place, utrecht, acme_component, bob
):
    place.records_usages = True
    place.save()
    on_behalf(signed_in(dana), utrecht)
    usage = Usage.objects.get()
    public = text_of(Client().get("/en/components/acme-zaken"))
    assert "Gemeente Utrecht" in public and "recorded via Dimpact" in public
    api = Client().get(f"/api/v1/usages/{usage.pk}").json()
    assert api["organisation"] == "gemeente-utrecht" and api["recordedVia"] == "dimpact"
    # Utrecht's editor sees it among what was recorded on its behalf, and withdraws it.
    page = text_of(signed_in(bob).get("/mijn-organisatie/gemeente-utrecht/samenwerkingsverbanden"))
    assert "Acme Zaken" in page and "vastgelegd via Dimpact" in page
    signed_in(bob).post(
        f"/mijn-organisatie/gemeente-utrecht/samenwerkingsverbanden/intrekken/{usage.pk}"
    )
    assert not Usage.objects.exists()


def test_a_member_cannot_withdraw_a_usage_it_recorded_itself_this_way(bob, utrecht, acme_component):
    own = UsageFactory(organisation=utrecht, component=acme_component)
    response = signed_in(bob).post(
        f"/mijn-organisatie/gemeente-utrecht/samenwerkingsverbanden/intrekken/{own.pk}"
    )
    assert response.status_code == 404
    assert Usage.objects.filter(pk=own.pk).exists()


def test_a_usage_the_member_records_already_is_not_recorded_twice(
    dana, place, utrecht, acme_component
):
    place.records_usages = True
    place.save()
    UsageFactory(organisation=utrecht, component=acme_component)
    response = on_behalf(signed_in(dana), utrecht)
    assert "legt al gebruik van dit component vast" in response.content.decode()
    assert Usage.objects.count() == 1


def test_an_organisation_that_is_no_cooperation_has_no_on_behalf_page(bob):
    response = signed_in(bob).get("/mijn-organisatie/gemeente-utrecht/namens-deelnemers")
    assert response.status_code == 404


def test_one_person_switches_between_organisations_without_signing_out(dana):
    member = signed_in(dana)
    home = text_of(member.get("/mijn-organisatie"))
    assert "/mijn-organisatie/dimpact" in home and "/mijn-organisatie/gemeente-utrecht" in home
    assert member.get("/mijn-organisatie/dimpact/samenwerkingsverbanden").status_code == 200
    assert (
        member.get("/mijn-organisatie/gemeente-utrecht/samenwerkingsverbanden").status_code == 200
    )


def test_the_catalogue_filters_components_used_via_a_cooperation(dimpact, utrecht, acme):
    via = ComponentFactory(name="Via Dimpact", publisher=acme)
    direct = ComponentFactory(name="Zelf gekozen", publisher=acme)
    UsageFactory(organisation=utrecht, component=via, recorded_via=dimpact)
    UsageFactory(organisation=utrecht, component=direct)
    page = text_of(Client().get("/en/components?via=cooperation"))
    assert "Via Dimpact" in page and "Zelf gekozen" not in page
    assert "1 component found" in page
    assert "Used via a cooperation" in page  # the chip that removes the filter


def test_a_government_only_usage_via_a_cooperation_names_no_one_to_outsiders(
    dimpact, secretive, acme_component, victor
):
    UsageFactory(
        organisation=secretive,
        component=acme_component,
        recorded_via=dimpact,
        visibility=Visibility.GOVERNMENT,
    )
    page = text_of(signed_in(victor).get("/en/components/acme-zaken"))
    assert "Geheimdorp" not in page and "recorded via" not in page


def test_a_usage_the_restriction_does_not_allow_is_confirmed_for_that_member_first(
    dana, place, utrecht, acme
):
    """As on the member's own form: the reasons first, nothing saved; "record anyway"
    names the component and the member organisation, so it confirms only that pair."""
    from components.constants import ReuseRestriction

    CooperationMember.objects.filter(pk=place.pk).update(records_usages=True)
    ComponentFactory(slug="merk", publisher=acme, reuse_restriction=ReuseRestriction.OWNER_ONLY)
    member = signed_in(dana)
    asked = on_behalf(member, utrecht, component="merk")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "mag niet worden hergebruikt door Gemeente Utrecht" in page
    assert f'name="confirmed" value="merk:{utrecht.pk}"' in page
    assert not Usage.objects.exists()
    # A confirmation for another pair does not count.
    assert on_behalf(member, utrecht, component="merk", confirmed="merk:0").status_code == 200
    assert not Usage.objects.exists()
    done = on_behalf(member, utrecht, component="merk", confirmed=f"merk:{utrecht.pk}")
    assert done.status_code == 302
    usage = Usage.objects.get()
    assert usage.recorded_via == place.cooperation and usage.restriction_flag
