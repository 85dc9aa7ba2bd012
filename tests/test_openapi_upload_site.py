"""A publisher uploads the OpenAPI document of its API on the site
(/mijn-organisatie/<slug>/openapi): checked as the API's upload is, the result
on the component's page; bad files get a message next to the field and save
nothing; another organisation's API cannot be chosen."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from components.constants import ComponentKind
from components.models import ApiLint

from .conftest import signed_in, text_of
from .factories import ComponentFactory
from .test_api_quality import GOOD, bad

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (Path(settings.BASE_DIR) / "node_modules" / ".bin" / "spectral").exists(),
        reason="Spectral is installed by make install (npm)",
    ),
]

URL = "/mijn-organisatie/acme/openapi"


@pytest.fixture
def zaken(acme):
    return ComponentFactory(
        slug="zaken-api", name="Zaken API", kind=ComponentKind.API, publisher=acme
    )


def upload(client, component, content, name="openapi.yaml"):
    return client.post(
        URL, {"component": component.pk, "file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_a_member_uploads_a_document_and_sees_the_result_on_the_component_page(victor, zaken):
    client = signed_in(victor)
    response = upload(client, zaken, yaml.safe_dump(GOOD).encode())
    assert response.redirect_chain[-1][0].startswith("/componenten/zaken-api")
    lint = ApiLint.objects.get(component=zaken)
    assert (lint.score, lint.meets_rules, lint.document_url) == (100, True, "")
    page = text_of(response)
    assert "score 100%" in page
    assert "geüpload document" in page or "uploaded document" in page


def test_a_bad_document_is_stored_with_its_findings_and_a_lower_score(victor, zaken):
    response = upload(signed_in(victor), zaken, yaml.safe_dump(bad()).encode())
    assert response.status_code == 200
    lint = ApiLint.objects.get(component=zaken)
    assert lint.score < 100 and not lint.meets_rules and lint.failed


@pytest.mark.parametrize(
    "content, message",
    [
        (b"   \n", "Het bestand is leeg."),
        (b"openapi: [unclosed", "YAML"),
    ],
)
def test_unreadable_files_get_a_message_next_to_the_field_and_save_nothing(
    victor, zaken, content, message
):
    response = upload(signed_in(victor), zaken, content)
    assert response.status_code == 200
    page = response.content.decode()
    error = page.split('id="id_file_error"')[1].split("</div>")[0]
    assert message in error
    assert not ApiLint.objects.exists()


def test_a_file_over_the_limit_is_refused(victor, zaken, settings):
    settings.HARVEST_MAX_BYTES = 1024
    response = upload(signed_in(victor), zaken, b"a" * 2048)
    assert "groter dan 1,0\xa0KB" in response.content.decode()
    assert not ApiLint.objects.exists()


def test_only_the_organisations_own_apis_can_be_chosen(victor, zaken, globex, acme):
    theirs = ComponentFactory(slug="hun-api", kind=ComponentKind.API, publisher=globex)
    software = ComponentFactory(slug="software", kind=ComponentKind.SOFTWARE, publisher=acme)
    client = signed_in(victor)
    page = client.get(URL).content.decode()
    assert f'value="{zaken.pk}"' in page
    assert f'value="{theirs.pk}"' not in page and f'value="{software.pk}"' not in page
    response = upload(client, theirs, yaml.safe_dump(GOOD).encode())
    assert response.status_code == 200
    assert 'id="id_component_error"' in response.content.decode()
    assert not ApiLint.objects.exists()


def test_another_organisations_page_is_a_404_and_anonymous_visitors_sign_in(client, bob, zaken):
    assert signed_in(bob).get(URL).status_code == 404
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/inloggen?next=")


def test_the_component_page_offers_the_upload_to_its_publishers_members_only(
    client, victor, bob, zaken
):
    link = f"{URL}?component=zaken-api"
    assert link in signed_in(victor).get("/componenten/zaken-api").content.decode()
    assert link not in signed_in(bob).get("/componenten/zaken-api").content.decode()
    assert link not in client.get("/componenten/zaken-api").content.decode()
    # The link preselects the component.
    page = signed_in(victor).get(link).content.decode()
    assert f'value="{zaken.pk}" selected' in page
