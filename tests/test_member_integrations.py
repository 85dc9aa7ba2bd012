"""Members record, edit and remove their organisation's integrations on the
site, picking the components by name (a combobox with JavaScript; without it
the browser's suggestions and an exact name), and answer the integrations
other organisations propose, on the claims page."""

import re

import pytest

from components.constants import Assertion
from components.models import Integration

from .conftest import csrf_client, csrf_token, signed_in, text_of
from .factories import IntegrationFactory

pytestmark = pytest.mark.django_db

BASE = "/mijn-organisatie/gemeente-utrecht/koppelingen"


def form(**more):
    return {
        "source": "Open Zaak",
        "target": "Signalen",
        "standard": "ZGW API's",
        "direction": "two-way",
        "status": "production",
        "visibility": "public",
        **more,
    }


def test_the_list_shows_the_organisations_integrations(bob, landscape):
    page = text_of(signed_in(bob).get(BASE))
    assert "Signalen" in page and "Open Notificaties" in page
    assert f'href="{BASE}/{landscape["public"].pk}"' in page
    assert f'href="{BASE}/nieuw"' in page
    assert 'href="/organisaties/gemeente-utrecht/landschap"' in page


def test_the_form_offers_pickers_for_the_components(bob, landscape):
    page = text_of(signed_in(bob).get(f"{BASE}/nieuw"))
    for name in ("source", "target", "standard"):
        field = re.search(rf'<input type="text" name="{name}"[^>]*>', page).group(0)
        assert 'data-picker="' in field
    used = re.search(r'<datalist id="picker-used">(.*?)</datalist>', page, re.S).group(1)
    assert re.findall(r'value="([^"]+)"', used) == ["Open Notificaties", "Open Zaak", "Signalen"]
    assert "component-picker.js" in page


def test_a_member_records_an_integration_by_names(bob, landscape, zgw):
    response = signed_in(bob).post(f"{BASE}/nieuw", form())
    assert response.status_code == 302
    integration = Integration.objects.order_by("-pk").first()
    assert integration.source_usage.component.slug == "open-zaak"
    assert integration.target_usage.component.slug == "signalen"
    assert integration.standard == zgw
    assert (integration.direction, integration.assertion) == ("two-way", Assertion.SELF)


def test_the_picker_also_takes_identifiers(bob, landscape):
    response = signed_in(bob).post(
        f"{BASE}/nieuw", form(source="open-notificaties", target="signalen", standard="stuf")
    )
    assert response.status_code == 200  # StUF is not registered in this test
    assert Integration.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"target": "Acme Zaken"}, "target", "records no usage of this component"),
        ({"target": "Open Zaak"}, "target", "two different components"),
        ({"standard": "Signalen"}, "standard", "no standard or API with this name"),
        ({"since": "2026-03-01", "until": "2026-02-01"}, "until", "cannot be before"),
    ],
)
def test_a_bad_integration_is_explained_next_to_its_field(
    bob, landscape, acme_component, change, field, message
):
    with_english = signed_in(bob)
    response = with_english.post(
        "/en/my-organisation/gemeente-utrecht/integrations/new", form(**change)
    )
    page = text_of(response)
    error = re.search(rf'id="id_{field}_error">(.*?)</div>', page, re.S)
    assert error and message in error.group(1)
    assert Integration.objects.count() == 2


def test_recording_it_twice_is_explained(bob, landscape):
    client = signed_in(bob)
    assert client.post(f"{BASE}/nieuw", form()).status_code == 302
    page = text_of(client.post(f"{BASE}/nieuw", form()))
    assert "al vastgelegd" in page
    assert Integration.objects.count() == 3


def test_a_member_edits_an_integration(bob, landscape):
    integration = landscape["public"]
    client = signed_in(bob)
    page = text_of(client.get(f"{BASE}/{integration.pk}"))
    assert 'value="Signalen"' in page and 'value="Open Zaak"' in page
    response = client.post(
        f"{BASE}/{integration.pk}",
        form(source="Signalen", target="Open Zaak", standard="ZGW API's", status="stopped"),
    )
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.status == "stopped"


def test_a_member_removes_an_integration_after_confirming(bob, landscape):
    integration = landscape["public"]
    client = csrf_client(bob)
    url = f"{BASE}/{integration.pk}/verwijderen"
    assert "verwijderen?" in text_of(client.get(url))
    assert client.post(url, {"csrfmiddlewaretoken": csrf_token(client, url)}).status_code == 302
    assert not Integration.objects.filter(pk=integration.pk).exists()


def test_another_organisations_integrations_are_a_404(victor, landscape):
    client = signed_in(victor)
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}/{landscape['public'].pk}").status_code == 404
    url = f"/mijn-organisatie/acme/koppelingen/{landscape['public'].pk}"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/verwijderen").status_code == 404
    assert Integration.objects.count() == 2


def test_the_combobox_finds_used_components_and_standards(bob, landscape, stuf):
    client = signed_in(bob)
    used = client.get(f"{BASE}/componenten", {"q": "open", "scope": "used"}).json()
    assert [r["slug"] for r in used["results"]] == ["open-notificaties", "open-zaak"]
    standards = client.get(f"{BASE}/componenten", {"q": "st", "scope": "standards"}).json()
    assert [r["slug"] for r in standards["results"]] == ["stuf"]


def test_a_member_answers_a_proposed_integration(bob, landscape, acme, stuf):
    usages = landscape["usages"]
    claim = IntegrationFactory(
        organisation=landscape["public"].organisation,
        source_usage=usages["open-zaak"],
        target_usage=usages["signalen"],
        standard=stuf,
        assertion=Assertion.CLAIMED,
        claimed_by=acme,
    )
    client = csrf_client(bob)
    claims = "/mijn-organisatie/gemeente-utrecht/claims"
    page = text_of(client.get(claims))
    assert (
        "Acme Software B.V. zegt dat <strong>Open Zaak</strong> met <strong>Signalen</strong>"
        in page
    )
    url = f"{claims}/koppelingen/{claim.pk}"
    token = csrf_token(client, claims)
    assert (
        client.post(url, {"decision": "confirm", "csrfmiddlewaretoken": token}).status_code == 302
    )
    claim.refresh_from_db()
    assert claim.assertion == Assertion.CONFIRMED
    assert "zegt dat" not in text_of(client.get(claims)).split("Voorgestelde koppelingen")[1]
