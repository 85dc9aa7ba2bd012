"""publiccode.yml and harvest findings speak the reader's language: Dutch on the
Dutch site, English under /en/, and always English in the API and the
commands. A finding is kept as its English template and parameters
(registry.i18n.Message), so one stored by the worker is read in either
language later; key paths and values from the file stay as they are."""

import pytest
from django.utils import timezone, translation

from components import harvest
from components.constants import DeliveryStatus, EventType
from components.models import Event, HarvestSource, WebhookDelivery, WebhookSubscription
from components.notifications import delivery_error
from components.publiccode import validate
from registry.i18n import Message

from .conftest import client_for, signed_in, text_of
from .factories import MembershipFactory
from .test_harvest import INVALID, harvest_settings, server  # noqa: F401 (fixtures)
from .test_publiccode_import import document

pytestmark = pytest.mark.django_db

MINE = "/mijn-organisatie/gemeente-utrecht"
STATUS_NL = (
    "developmentStatus moet een van de volgende zijn: &quot;concept&quot;, "
    "&quot;development&quot;, &quot;beta&quot;, &quot;stable&quot; of &quot;obsolete&quot; "
    "(gevonden: &#x27;klaar&#x27;)"
)
STATUS_EN = (
    'developmentStatus must be one of the following: "concept", "development", "beta", '
    '"stable" or "obsolete" (found \'klaar\')'
)

# A file that draws many kinds of finding at once.
MANY_FINDINGS = """\
publiccodeYmlVersion: 0.2
name: Test
url: "not a url"
landingURL: "ftp://example.org"
releaseDate: "2024-13-45"
platforms: []
categories: [nonsense]
developmentStatus: klaar
softwareType: weird
inputTypes: ["not-mime"]
usedBy: yes
monochromeLogo: /abs/logo.png
intendedAudience:
  scope: [nowhere]
  countries: [xx, nl]
description:
  nl:
    genericName: "a generic name that is far longer than thirty-five characters"
    shortDescription: kort
    longDescription: te kort
    features: []
  "en_US": {}
legal:
  license: NOT-A-LICENCE
  repoOwner: Someone
maintenance:
  type: contract
localisation:
  localisationReady: yes
  availableLanguages: [xx-123456789]
nl:
  commonground:
    layerType: somewhere
  upl: "not a list"
unknownKey: 1
"""


def test_every_finding_of_the_validator_is_translated_into_dutch():
    result = validate(MANY_FINDINGS)
    assert len(result.findings) >= 20
    untranslated = []
    for finding in result.findings:
        assert finding.translated, finding
        with translation.override("nl"):
            dutch = finding.localised
        if dutch == finding.message:
            untranslated.append(finding.message)
    assert not untranslated, untranslated


def test_a_finding_keeps_the_key_path_and_the_values_from_the_file():
    [finding] = [f for f in validate(MANY_FINDINGS).errors if f.path == "developmentStatus"]
    with translation.override("nl"):
        assert finding.localised.startswith("developmentStatus moet een van de volgende zijn")
        assert "'klaar'" in finding.localised
    assert finding.message.startswith("developmentStatus must be one of the following")


def test_the_dutch_page_shows_the_dutch_finding_and_the_english_page_the_english(bob):
    client = signed_in(bob)
    text = document(developmentStatus="klaar")

    dutch = text_of(client.post(f"{MINE}/publiccode", {"text": text, "action": "check"}))
    english = text_of(
        client.post(
            "/en/my-organisation/gemeente-utrecht/publiccode", {"text": text, "action": "check"}
        )
    )

    assert STATUS_NL in dutch and "must be one of the following" not in dutch
    assert "developmentStatus must be one of the following" in english
    assert "(found &#x27;klaar&#x27;)" in english


def test_the_api_shows_the_english_finding_whatever_the_client_asks(utrecht):
    response = client_for(utrecht).post(
        "/api/v1/publiccode",
        document(developmentStatus="klaar"),
        content_type="application/yaml",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    body = response.json()
    [finding] = [f for f in body["findings"] if f["path"] == "developmentStatus"]
    assert finding["message"] == STATUS_EN
    assert set(finding) == {"severity", "path", "line", "column", "message"}
    [param] = [p for p in body["invalidParams"] if p["name"] == "developmentStatus"]
    assert param["reason"].endswith(STATUS_EN)


def test_a_harvest_in_dutch_stores_the_template_and_is_read_in_either_language(
    server,  # noqa: F811
    harvest_settings,  # noqa: F811
    utrecht,
    bob,
):
    """The worker runs with the site's default language (Dutch): what it stores
    must not be Dutch words, but the template and its parameters."""
    server.serve("/publiccode.yml", INVALID)
    source = HarvestSource.objects.create(url=server.url(), organisation=utrecht)
    with translation.override("nl"):
        harvest.harvest_source(source)
    source.refresh_from_db()
    [stored] = [e for e in source.last_errors if e["path"] == "developmentStatus"]
    assert stored["message"].startswith("developmentStatus must be one of the following")
    assert stored["msgid"] == (
        "%(key)s must be one of the following: %(choices)s (found '%(value)s')"
    )
    assert stored["params"]["key"] == "developmentStatus"
    assert stored["params"]["value"] == "finished"

    client = signed_in(bob)
    dutch = text_of(client.get(f"{MINE}/oogstbronnen"))
    english = text_of(client.get("/en/my-organisation/gemeente-utrecht/harvest-sources"))
    assert "moet een van de volgende zijn" in dutch and "must be one of" not in dutch
    assert "<strong>fout</strong>" in dutch
    assert "developmentStatus must be one of the following" in english
    assert "<strong>error</strong>" in english

    body = client_for(utrecht).get(f"/api/v1/harvest-sources/{source.pk}").json()
    [error] = [e for e in body["lastErrors"] if e["path"] == "developmentStatus"]
    assert error["message"] == stored["message"]
    assert "msgid" not in error and "params" not in error


def test_a_fetch_error_is_read_in_the_readers_language(
    server,  # noqa: F811
    harvest_settings,  # noqa: F811
    utrecht,
    bob,
):
    server.statuses["/publiccode.yml"] = 503
    source = HarvestSource.objects.create(url=server.url(), organisation=utrecht)
    with translation.override("nl"):
        harvest.harvest_source(source)
    source.refresh_from_db()
    [stored] = source.last_errors
    assert stored["message"] == f"{server.url()}: the server answered HTTP 503"
    page = text_of(signed_in(bob).get(f"{MINE}/oogstbronnen"))
    assert f"{server.url()}: de server antwoordde HTTP 503" in page


def test_a_refused_address_is_kept_in_english_with_its_reason_translatable(
    server,  # noqa: F811
    harvest_settings,  # noqa: F811
    utrecht,
):
    harvest_settings.HARVEST_ALLOW_PRIVATE = False
    source = HarvestSource.objects.create(url=server.url(), organisation=utrecht)
    with translation.override("nl"):
        harvest.harvest_source(source)
    source.refresh_from_db()
    [finding] = harvest.last_findings(source)
    assert "refused: the host '127.0.0.1' resolves to a non-public address" in finding.message
    with translation.override("nl"):
        assert "geweigerd: de host '127.0.0.1' verwijst naar een niet-openbaar adres" in (
            finding.localised
        )


def test_webhook_deliveries_are_read_in_the_readers_language(bob, utrecht, acme_component):
    hook = WebhookSubscription.objects.create(
        organisation=utrecht, url="https://hooks.example.nl/x", secret="s"
    )
    event = Event.objects.create(
        type=EventType.RELEASE_PUBLISHED,
        component=acme_component,
        summary="Acme Zaken 2.0 released",
        data={"version": "2.0"},
    )
    WebhookDelivery.objects.create(
        subscription=hook,
        event=event,
        status=DeliveryStatus.FAILED,
        response_status=500,
        error="receiver answered 500",
    )
    client = signed_in(bob)
    dutch = text_of(client.get(f"{MINE}/webhooks"))
    assert "Acme Zaken 2.0 uitgebracht" in dutch
    assert "Acme Zaken 2.0 released" not in dutch
    assert "ontvanger antwoordde 500" in dutch and "receiver answered" not in dutch
    english = text_of(client.get("/en/my-organisation/gemeente-utrecht/webhooks"))
    assert "Acme Zaken 2.0 released" in english and "receiver answered 500" in english
    # The API's delivery log stays English.
    body = client_for(utrecht).get(f"/api/v1/webhooks/{hook.pk}/deliveries").json()
    assert body["results"][0]["error"] == "receiver answered 500"


def test_a_delivery_error_of_the_network_library_is_shown_as_it_is():
    with translation.override("nl"):
        assert delivery_error("[Errno 111] Connection refused") == (
            "[Errno 111] Connection refused"
        )
        assert delivery_error("subscription paused or switched off") == (
            "webhook gepauzeerd of uitgezet"
        )
        assert delivery_error(
            "the host 'intranet' resolves to a non-public address; the registry sends "
            "nothing into its own network"
        ).startswith("de host 'intranet' verwijst")


# --- the Message itself ----------------------------------------------------------


def test_a_message_round_trips_through_json_with_nested_messages():
    inner = Message("%(some)s or %(last)s", some='"a", "b"', last='"c"')
    message = Message("%(key)s must be one of %(choices)s", key="x.y[0]", choices=inner)
    assert Message.from_data(message.as_data()) == message
    assert message.english() == 'x.y[0] must be one of "a", "b" or "c"'
    with translation.override("nl"):
        assert str(inner) == '"a", "b" of "c"'


def test_numbers_are_written_the_readers_way_unless_the_template_counts_with_d():
    size = Message("the file is larger than 1 MB (%(size)s bytes)", size=1048577)
    assert size.english() == "the file is larger than 1 MB (1,048,577 bytes)"
    with translation.override("nl"):
        assert str(size) == "het bestand is groter dan 1 MB (1.048.577 bytes)"
    assert Message("%(n)d left", n=1234).english() == "1234 left"


def test_a_message_is_recognised_from_its_english_words():
    found = Message.recognise("receiver answered 502", ["nothing", "receiver answered %(status)s"])
    assert found == Message("receiver answered %(status)s", status="502")
    assert Message.recognise("something else", ["receiver answered %(status)s"]) is None


def test_an_old_stored_finding_is_shown_as_it_was_written():
    source = HarvestSource(
        url="https://example.org/x.yml",
        organisation_id=1,
        last_errors=[{"severity": "warning", "message": "something in English"}],
        last_run_at=timezone.now(),
    )
    [finding] = harvest.last_findings(source)
    assert (finding.severity, finding.path, finding.translated) == ("warning", "", False)
    with translation.override("nl"):
        assert finding.localised == "something in English"


def test_the_import_command_speaks_english(tmp_path, utrecht, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "publiccode.yml"
    path.write_text(document(developmentStatus="klaar"))
    with translation.override("nl"), pytest.raises(CommandError):
        call_command("import_publiccode", str(path), "--publisher", utrecht.slug)
    out = capsys.readouterr().out
    assert STATUS_EN in out


def test_a_member_of_the_organisation_only_sees_its_own_findings(bob, secretive):
    MembershipFactory(organisation=secretive)
    HarvestSource.objects.create(
        url="https://example.org/geheim.yml",
        organisation=secretive,
        last_errors=[{"severity": "error", "message": "secret finding"}],
    )
    assert "secret finding" not in text_of(signed_in(bob).get(f"{MINE}/oogstbronnen"))


def test_no_finding_is_written_as_english_words_only():
    """Every finding the validator, the importer and the harvest make is a Message:
    a string literal or f-string where a finding's text goes would be English on
    the Dutch site. (Read from the source, so that a new check cannot forget.)"""
    import ast
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR) / "components"
    files = [*sorted((root / "publiccode").glob("*.py")), root / "harvest.py"]
    # Where the text goes: Finding(severity, path, line, column, text), and the
    # validator's and importer's helpers, whose last argument is the text.
    helpers = {"error", "warn", "refuse", "finding", "add"}
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            named = isinstance(func, ast.Name) and func.id in ("Finding", "FetchError", "problem")
            helper = isinstance(func, ast.Attribute) and func.attr in helpers
            if not (named or helper):
                continue
            text = node.args[-1]
            if isinstance(text, ast.JoinedStr | ast.BinOp) or (
                isinstance(text, ast.Constant) and isinstance(text.value, str)
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, found
