"""Recording a usage in the site: picking the component by name (without
JavaScript, and the combobox's JSON), and confirming a usage that the
component's reuse restriction does not allow before it is saved."""

import re

import pytest

from accounts.constants import OrganisationKind
from components.constants import ReuseRestriction
from components.models import Usage

from .conftest import signed_in
from .factories import ComponentFactory
from .test_member_usages_and_claims import USAGES

pytestmark = pytest.mark.django_db

NEW = f"{USAGES}/nieuw"
PICKER = f"{USAGES}/componenten"


@pytest.fixture
def house_style(ministry):
    """A house style only central government may reuse, like the Rijkshuisstijl."""
    return ComponentFactory(
        slug="huisstijl",
        name="Huisstijl Rijksoverheid",
        publisher=ministry,
        reuse_restriction=ReuseRestriction.ORGANISATION_KINDS,
        reuse_organisation_kinds=[OrganisationKind.CENTRAL_GOVERNMENT],
    )


def usage_of(slug, **more):
    return {"component": slug, "status": "production", "visibility": "public", **more}


# Picking the component ---------------------------------------------------------------------


def test_a_member_without_javascript_finds_a_component_by_part_of_its_name_and_picks_it(
    bob, acme_component
):
    ComponentFactory(name="Zaakgericht Werken Portaal", slug="zwp")
    ComponentFactory(name="Berichtenbox", slug="berichtenbox")
    client = signed_in(bob)

    page = client.get(NEW, {"q": "zA"}).content.decode()
    # A GET search on the same page, and the matches as links that fill the choice.
    assert re.search(r'<form method="get" action="#find"[^>]*role="search"', page)
    assert 'name="q" value="zA"' in page
    links = re.findall(r'href="\?component=([^"#]+)#id_component">([^<]+)</a>', page)
    assert links == [("acme-zaken", "Acme Zaken"), ("zwp", "Zaakgericht Werken Portaal")]
    assert "(Acme Software B.V.)" in page

    picked = client.get(NEW, {"component": "acme-zaken"}).content.decode()
    assert re.search(r'<input type="text" name="component" value="acme-zaken"', picked)
    assert client.post(NEW, usage_of("acme-zaken")).status_code == 302
    assert Usage.objects.get().component == acme_component


def test_finding_nothing_says_so(bob, acme_component):
    page = signed_in(bob).get(NEW, {"q": "onbekend"}).content.decode()
    assert "Geen enkele componentnaam bevat “onbekend”." in page
    assert "?component=" not in page


def test_the_component_may_also_be_given_by_its_exact_name(bob, acme_component):
    assert signed_in(bob).post(NEW, usage_of("acme zaken")).status_code == 302
    assert Usage.objects.get().component == acme_component


def test_a_name_that_two_components_share_is_no_choice(bob, acme_component, globex):
    ComponentFactory(name="Acme Zaken", slug="acme-zaken-2", publisher=globex)
    page = signed_in(bob).post(NEW, usage_of("Acme Zaken")).content.decode()
    assert "Er is geen component met deze identificatie." in page
    assert not Usage.objects.exists()


def test_the_combobox_gets_the_matches_as_json(bob, acme_component):
    ComponentFactory(name="Berichtenbox", slug="berichtenbox")
    response = signed_in(bob).get(PICKER, {"q": "acme z"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"slug": "acme-zaken", "name": "Acme Zaken", "publisher": "Acme Software B.V."}]
    }
    assert signed_in(bob).get(PICKER).json() == {"results": []}


def test_the_form_tells_the_combobox_where_to_ask(bob):
    page = signed_in(bob).get(NEW).content.decode()
    assert f'data-picker="{PICKER}"' in page
    assert 'src="/static/registry/component-picker.js" defer' in page


def test_the_picker_is_for_members_of_the_organisation_only(victor, utrecht):
    assert signed_in(victor).get(PICKER, {"q": "a"}).status_code == 404
    assert signed_in(victor).get(NEW, {"q": "a"}).status_code == 404


def test_picking_costs_the_same_queries_for_few_or_many_components(
    bob, acme, django_assert_num_queries
):
    ComponentFactory.create_batch(3, name="Zaaksysteem", publisher=acme)
    client = signed_in(bob)
    # session, user, membership (with its organisation), the matches
    with django_assert_num_queries(4):
        assert client.get(PICKER, {"q": "zaak"}).status_code == 200
    with django_assert_num_queries(4):
        client.get(NEW, {"q": "zaak"})
    ComponentFactory.create_batch(30, name="Zaaksysteem", publisher=acme)
    with django_assert_num_queries(4):
        assert len(client.get(PICKER, {"q": "zaak"}).json()["results"]) == 10
    with django_assert_num_queries(4):
        client.get(NEW, {"q": "zaak"})


# Not allowed by the restriction: confirm first ---------------------------------------------


def test_a_usage_the_restriction_does_not_allow_is_confirmed_before_it_is_saved(bob, house_style):
    client = signed_in(bob)
    response = client.post(NEW, usage_of("huisstijl", notes="Voor de intranetsite"))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Usage.objects.exists()
    # The verdict's reasons, as on the component page, and a way to go on.
    assert "Je organisatie mag Huisstijl Rijksoverheid niet hergebruiken" in page
    assert (
        "Alleen organisaties van de Rijksoverheid mogen dit onderdeel hergebruiken; "
        "Gemeente Utrecht is een gemeente."
    ) in page
    assert "Er is nog niets vastgelegd." in page
    assert re.search(r'<button type="submit" name="confirmed" value="huisstijl"[^>]*>', page)
    assert "Toch vastleggen" in page
    assert "Voor de intranetsite" in page  # what was typed stays

    response = client.post(
        NEW, usage_of("huisstijl", notes="Voor de intranetsite", confirmed="huisstijl")
    )
    assert response.status_code == 302
    usage = Usage.objects.get()
    assert usage.notes == "Voor de intranetsite"
    assert "Gemeente Utrecht is een gemeente" in usage.restriction_flag
    followed = client.get(USAGES).content.decode()
    assert "Het gebruik is gemarkeerd: de hergebruikbeperking staat het niet toe." in followed


def test_confirming_one_component_does_not_let_another_through(bob, house_style, acme):
    private = ComponentFactory(
        slug="eigen", publisher=acme, reuse_restriction=ReuseRestriction.OWNER_ONLY
    )
    page = signed_in(bob).post(NEW, usage_of(private.slug, confirmed="huisstijl")).content
    assert b"Toch vastleggen" in page
    assert not Usage.objects.exists()


def test_an_allowed_usage_is_saved_at_once(mira, house_style):
    response = signed_in(mira).post(
        "/mijn-organisatie/ministerie-bzk/gebruik/nieuw", usage_of("huisstijl")
    )
    assert response.status_code == 302
    assert Usage.objects.get().restriction_flag == ""


def test_the_confirmation_speaks_english_on_the_english_site(bob, house_style):
    page = (
        signed_in(bob)
        .post("/en/my-organisation/gemeente-utrecht/usages/new", usage_of("huisstijl"))
        .content.decode()
    )
    assert "Huisstijl Rijksoverheid may not be reused by your organisation" in page
    assert "Record anyway" in page
