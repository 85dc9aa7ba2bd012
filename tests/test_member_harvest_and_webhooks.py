"""Harvest sources and webhooks on the members' pages: an organisation's
administrators add, change, run, pause and remove them, under the same rules as
the API (the SSRF guard, one webhook per address); editors read them; another
organisation's are not there at all.

alice is an administrator of Utrecht, bob an editor there; olga administers
Geheimdorp, another municipality. Host names never reach a real resolver: the
`resolver` fixture answers for the few names these tests use."""

import ipaddress
import re
import socket

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from accounts.constants import MemberRole
from components.constants import EventType, HarvestStatus
from components.models import Component, HarvestSource, WebhookSubscription

from .conftest import client_for, csrf_client, csrf_token, signed_in, text_of
from .factories import ComponentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

MINE = "/mijn-organisatie/gemeente-utrecht"
HARVEST = f"{MINE}/oogstbronnen"
WEBHOOKS = f"{MINE}/webhooks"

# What the stub resolver answers: public names to a public address, and one name
# that points into a private network (the SSRF guard must refuse it).
PUBLIC_ADDRESS = "145.21.0.10"
NAMES = {
    "code.example.nl": PUBLIC_ADDRESS,
    "hooks.example.nl": PUBLIC_ADDRESS,
    "other.example.nl": PUBLIC_ADDRESS,
    "intranet.example.nl": "10.1.2.3",
}


@pytest.fixture(autouse=True)
def resolver(monkeypatch):
    """socket.getaddrinfo without DNS: IP literals as numbers, NAMES from the
    table above, any other name unknown."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        try:
            ipaddress.ip_address(name)
        except ValueError:
            if name not in NAMES:
                raise socket.gaierror(socket.EAI_NONAME, "unknown in this test") from None
            name = NAMES[name]
        return real(name, port, family, type, proto, flags | socket.AI_NUMERICHOST)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert ipaddress.ip_address(PUBLIC_ADDRESS).is_global


@pytest.fixture
def olga(secretive):
    return MembershipFactory(
        user__username="olga", organisation=secretive, role=MemberRole.ADMIN
    ).user


@pytest.fixture
def source(utrecht):
    return HarvestSource.objects.create(
        url="https://code.example.nl/zaken/publiccode.yml", organisation=utrecht
    )


@pytest.fixture
def hook(utrecht):
    return WebhookSubscription.objects.create(
        organisation=utrecht, url="https://hooks.example.nl/registry", secret="kept-secret"
    )


@pytest.fixture
def their_source(secretive):
    return HarvestSource.objects.create(
        url="https://other.example.nl/publiccode.yml", organisation=secretive
    )


@pytest.fixture
def their_hook(secretive):
    return WebhookSubscription.objects.create(
        organisation=secretive, url="https://other.example.nl/hook", secret="theirs"
    )


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


# --- harvest sources ------------------------------------------------------------


def test_an_administrator_adds_a_harvest_source_and_is_sent_back_to_the_list(alice, utrecht):
    client = signed_in(alice)
    form = text_of(client.get(f"{HARVEST}/nieuw"))
    assert 'name="url"' in form and 'name="interval_hours"' in form

    response = client.post(
        f"{HARVEST}/nieuw",
        {"url": "https://code.example.nl/zaken/publiccode.yml", "interval_hours": "12"},
    )

    assert response.status_code == 302 and response["Location"] == HARVEST
    added = HarvestSource.objects.get()
    assert (added.organisation, added.interval_hours) == (utrecht, 12)
    assert added.enabled is False  # the box was not ticked: added paused
    page = text_of(client.get(HARVEST))
    assert "De oogstbron https://code.example.nl/zaken/publiccode.yml is toegevoegd." in page
    assert "gepauzeerd" in page


def test_a_private_address_is_refused_next_to_the_field_and_nothing_is_added(alice):
    client = signed_in(alice)
    for url, host in (
        ("http://127.0.0.1:8000/publiccode.yml", "127.0.0.1"),
        ("https://intranet.example.nl/publiccode.yml", "intranet.example.nl"),
        ("http://[::1]/publiccode.yml", "::1"),
    ):
        page = text_of(client.post(f"{HARVEST}/nieuw", {"url": url, "interval_hours": "24"}))
        error = re.search(r'id="id_url_error">(.*?)</div>', page, re.S).group(1)
        assert f"De host &#x27;{host}&#x27; verwijst naar een niet-openbaar adres" in error
        assert 'aria-invalid="true"' in page
    assert not HarvestSource.objects.exists()


def test_the_refusal_is_english_on_the_english_page_and_in_the_api(alice, utrecht):
    page = text_of(
        signed_in(alice).post(
            "/en/my-organisation/gemeente-utrecht/harvest-sources/new",
            {"url": "http://10.0.0.1/publiccode.yml", "interval_hours": "24"},
        )
    )
    assert "The host &#x27;10.0.0.1&#x27; resolves to a non-public address" in page
    response = client_for(utrecht).post(
        "/api/v1/harvest-sources", {"url": "http://10.0.0.1/publiccode.yml"}, format="json"
    )
    [param] = response.json()["invalidParams"]
    assert param["reason"].startswith("The host '10.0.0.1' resolves to a non-public address")
    assert not HarvestSource.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"url": "", "interval_hours": "24"}, "url", "Dit veld is vereist."),
        (
            {"url": "ftp://code.example.nl/x", "interval_hours": "24"},
            "url",
            "Alleen http- en https-adressen",
        ),
        ({"url": "code example", "interval_hours": "24"}, "url", "Voer een geldige URL in."),
        (
            {"url": "https://code.example.nl/x", "interval_hours": "0"},
            "interval_hours",
            "minstens 1",
        ),
        (
            {"url": "https://code.example.nl/x", "interval_hours": "9000"},
            "interval_hours",
            "hoogstens 8760",
        ),
        (
            {"url": "https://nergens.example.nl/x", "interval_hours": "24"},
            "url",
            "is niet te vinden",
        ),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_changes_nothing(
    alice, source, data, field, error
):
    client = signed_in(alice)
    before = list(HarvestSource.objects.values())
    for path in (f"{HARVEST}/nieuw", f"{HARVEST}/{source.pk}"):
        page = text_of(client.post(path, data))
        message = re.search(rf'id="id_{field}_error">(.*?)</div>', page, re.S).group(1)
        assert error in message
    assert list(HarvestSource.objects.values()) == before


def test_a_source_another_organisation_registered_is_refused_by_the_unique_address(
    alice, their_source
):
    page = text_of(
        signed_in(alice).post(f"{HARVEST}/nieuw", {"url": their_source.url, "interval_hours": 24})
    )
    assert "bestaat al" in re.search(r'id="id_url_error">(.*?)</div>', page, re.S).group(1)
    assert HarvestSource.objects.count() == 1


def test_changing_the_address_forgets_the_old_files_etag(alice, source):
    HarvestSource.objects.filter(pk=source.pk).update(etag='"abc"', last_modified="yesterday")
    client = signed_in(alice)
    form = text_of(client.get(f"{HARVEST}/{source.pk}"))
    assert 'value="https://code.example.nl/zaken/publiccode.yml"' in form

    response = client.post(
        f"{HARVEST}/{source.pk}",
        {
            "url": "https://code.example.nl/zaken/publiccode.yaml",
            "interval_hours": "6",
            "enabled": "on",
        },
    )

    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.url, source.interval_hours, source.enabled) == (
        "https://code.example.nl/zaken/publiccode.yaml",
        6,
        True,
    )
    assert (source.etag, source.last_modified) == ("", "")
    assert messages_of(response) == [
        "De oogstbron https://code.example.nl/zaken/publiccode.yaml is opgeslagen."
    ]


def test_keeping_the_address_keeps_the_etag(alice, source):
    HarvestSource.objects.filter(pk=source.pk).update(etag='"abc"')
    signed_in(alice).post(
        f"{HARVEST}/{source.pk}", {"url": source.url, "interval_hours": "48", "enabled": "on"}
    )
    source.refresh_from_db()
    assert (source.interval_hours, source.etag) == (48, '"abc"')


def test_run_now_queues_the_harvest_like_the_api(alice, source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(alice).post(f"{HARVEST}/{source.pk}/ophalen")

    assert response.status_code == 302 and response["Location"] == HARVEST
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "components.tasks.harvest_source"
    assert queued.args_kwargs == {"args": [source.pk], "kwargs": {}}
    source.refresh_from_db()
    assert source.last_run_at is None  # nothing is fetched inside the request
    assert "staat in de wachtrij" in messages_of(response)[0]


def test_run_now_is_post_only(alice, source):
    assert signed_in(alice).get(f"{HARVEST}/{source.pk}/ophalen").status_code == 405
    assert not DBTaskResult.objects.exists()


def test_a_source_is_paused_and_resumed(alice, source):
    client = signed_in(alice)
    client.post(f"{HARVEST}/{source.pk}/pauzeren")
    source.refresh_from_db()
    assert source.enabled is False
    page = text_of(client.get(HARVEST))
    assert f'action="{HARVEST}/{source.pk}/hervatten"' in page
    assert f'action="{HARVEST}/{source.pk}/pauzeren"' not in page
    client.post(f"{HARVEST}/{source.pk}/hervatten")
    source.refresh_from_db()
    assert source.enabled is True


def test_removing_a_source_asks_first_and_keeps_its_component(alice, source, utrecht):
    component = ComponentFactory(publisher=utrecht, name="Zaken")
    HarvestSource.objects.filter(pk=source.pk).update(component=component)
    client = signed_in(alice)

    page = text_of(client.get(f"{HARVEST}/{source.pk}/verwijderen"))
    assert (
        "De oogstbron <code>https://code.example.nl/zaken/publiccode.yml</code> verwijderen?"
        in page
    )
    assert "Zaken, blijft zoals het nu is in de catalogus staan" in page
    assert HarvestSource.objects.exists()

    response = client.post(f"{HARVEST}/{source.pk}/verwijderen")
    assert response.status_code == 302 and response["Location"] == HARVEST
    assert not HarvestSource.objects.exists()
    assert Component.objects.filter(pk=component.pk).exists()
    assert "is verwijderd" in messages_of(response)[0]


# --- webhooks --------------------------------------------------------------------


def test_a_new_webhooks_secret_is_shown_once_after_the_redirect(alice, utrecht):
    client = signed_in(alice)
    response = client.post(
        f"{WEBHOOKS}/nieuw",
        {"url": "https://hooks.example.nl/registry", "event_types": ["release.published"]},
    )

    assert response.status_code == 302 and response["Location"] == WEBHOOKS
    hook = WebhookSubscription.objects.get()
    assert (hook.organisation, hook.event_types, hook.active) == (
        utrecht,
        ["release.published"],
        True,
    )
    assert len(hook.secret) >= 40  # stored to sign deliveries, as the API stores it
    first = text_of(client.get(WEBHOOKS))
    assert f'value="{hook.secret}"' in first
    assert "deze ene keer en daarna nooit meer" in first
    assert "Nieuwe release" in first  # the event type by its name
    second = text_of(client.get(WEBHOOKS))
    assert hook.secret not in second
    assert hook.secret not in text_of(client.get(f"{WEBHOOKS}/{hook.pk}"))
    assert client_for(utrecht).get(f"/api/v1/webhooks/{hook.pk}").json()["secret"] is None


def test_the_secret_is_shown_to_no_other_member(alice, bob, utrecht):
    signed_in(alice).post(f"{WEBHOOKS}/nieuw", {"url": "https://hooks.example.nl/registry"})
    secret = WebhookSubscription.objects.get().secret
    assert secret not in text_of(signed_in(bob).get(WEBHOOKS))


def test_a_webhook_for_an_address_the_organisation_already_has_is_refused(alice, hook):
    page = text_of(signed_in(alice).post(f"{WEBHOOKS}/nieuw", {"url": hook.url}))
    error = re.search(r'id="id_url_error">(.*?)</div>', page, re.S).group(1)
    assert "Je organisatie heeft al een webhook voor dit adres." in error
    assert WebhookSubscription.objects.count() == 1


def test_another_organisation_may_use_the_same_webhook_address(olga, hook):
    response = signed_in(olga).post(
        "/mijn-organisatie/gemeente-geheimdorp/webhooks/nieuw", {"url": hook.url}
    )
    assert response.status_code == 302
    assert WebhookSubscription.objects.filter(url=hook.url).count() == 2


def test_a_webhook_to_a_private_address_is_refused(alice):
    page = text_of(signed_in(alice).post(f"{WEBHOOKS}/nieuw", {"url": "http://192.168.1.5/h"}))
    error = re.search(r'id="id_url_error">(.*?)</div>', page, re.S).group(1)
    assert "verwijst naar een niet-openbaar adres" in error
    assert not WebhookSubscription.objects.exists()


def test_an_unknown_event_type_is_refused(alice):
    page = text_of(
        signed_in(alice).post(
            f"{WEBHOOKS}/nieuw", {"url": "https://hooks.example.nl/x", "event_types": ["nope"]}
        )
    )
    assert re.search(r'id="id_event_types_error">', page)
    assert not WebhookSubscription.objects.exists()


def test_changing_a_webhook_and_switching_it_on_ends_the_registrys_pause(alice, hook):
    from django.utils import timezone

    WebhookSubscription.objects.filter(pk=hook.pk).update(
        paused_at=timezone.now(), consecutive_failures=5
    )
    client = signed_in(alice)
    assert "gepauzeerd door het register" in text_of(client.get(WEBHOOKS))

    response = client.post(
        f"{WEBHOOKS}/{hook.pk}",
        {
            "url": "https://hooks.example.nl/v2",
            "event_types": [EventType.COMPONENT_DEPRECATED],
            "active": "on",
        },
    )

    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.url, hook.event_types, hook.active) == (
        "https://hooks.example.nl/v2",
        ["component.deprecated"],
        True,
    )
    assert (hook.paused_at, hook.consecutive_failures) == (None, 0)
    assert hook.secret == "kept-secret"


def test_a_webhook_is_paused_and_resumed(alice, hook):
    client = signed_in(alice)
    client.post(f"{WEBHOOKS}/{hook.pk}/pauzeren")
    hook.refresh_from_db()
    assert hook.active is False
    client.post(f"{WEBHOOKS}/{hook.pk}/hervatten")
    hook.refresh_from_db()
    assert hook.active is True


def test_removing_a_webhook_asks_first(alice, hook):
    client = signed_in(alice)
    page = text_of(client.get(f"{WEBHOOKS}/{hook.pk}/verwijderen"))
    assert "De webhook <code>https://hooks.example.nl/registry</code> verwijderen?" in page
    assert WebhookSubscription.objects.exists()
    response = client.post(f"{WEBHOOKS}/{hook.pk}/verwijderen")
    assert response.status_code == 302 and response["Location"] == WEBHOOKS
    assert not WebhookSubscription.objects.exists()


# --- who may do what ---------------------------------------------------------------


def write_requests(source_pk, hook_pk):
    """(method, path) of every page and action that changes something."""
    return [
        ("get", f"{HARVEST}/nieuw"),
        ("post", f"{HARVEST}/nieuw"),
        ("get", f"{HARVEST}/{source_pk}"),
        ("post", f"{HARVEST}/{source_pk}"),
        ("post", f"{HARVEST}/{source_pk}/ophalen"),
        ("post", f"{HARVEST}/{source_pk}/pauzeren"),
        ("post", f"{HARVEST}/{source_pk}/hervatten"),
        ("get", f"{HARVEST}/{source_pk}/verwijderen"),
        ("post", f"{HARVEST}/{source_pk}/verwijderen"),
        ("get", f"{WEBHOOKS}/nieuw"),
        ("post", f"{WEBHOOKS}/nieuw"),
        ("get", f"{WEBHOOKS}/{hook_pk}"),
        ("post", f"{WEBHOOKS}/{hook_pk}"),
        ("post", f"{WEBHOOKS}/{hook_pk}/pauzeren"),
        ("post", f"{WEBHOOKS}/{hook_pk}/hervatten"),
        ("get", f"{WEBHOOKS}/{hook_pk}/verwijderen"),
        ("post", f"{WEBHOOKS}/{hook_pk}/verwijderen"),
    ]


def state():
    return (
        list(HarvestSource.objects.order_by("pk").values()),
        list(WebhookSubscription.objects.order_by("pk").values()),
        DBTaskResult.objects.count(),
    )


def test_an_editor_reads_the_pages_but_may_change_nothing(bob, source, hook):
    client = signed_in(bob)
    for path in (HARVEST, WEBHOOKS):
        page = text_of(client.get(path))
        assert "/nieuw" not in page and "/verwijderen" not in page
        assert "/pauzeren" not in page and "/ophalen" not in page
        assert "Beheerders van je organisatie" in page
    before = state()
    data = {"url": "https://code.example.nl/new.yml", "interval_hours": "1", "enabled": "on"}
    for method, path in write_requests(source.pk, hook.pk):
        assert getattr(client, method)(path, data).status_code == 403, (method, path)
    assert state() == before


def test_another_organisations_sources_and_webhooks_are_not_found(
    alice, olga, source, hook, their_source, their_hook
):
    before = state()
    data = {"url": "https://code.example.nl/new.yml", "interval_hours": "1"}
    # Olga administers Geheimdorp: Utrecht's pages do not exist for her.
    for method, path in write_requests(source.pk, hook.pk):
        assert getattr(signed_in(olga), method)(path, data).status_code == 404, (method, path)
    for path in (HARVEST, WEBHOOKS):
        assert signed_in(olga).get(path).status_code == 404
    # Alice administers Utrecht: Geheimdorp's objects are not there under Utrecht.
    requests = write_requests(their_source.pk, their_hook.pk)
    for method, path in requests:
        if "/nieuw" in path:
            continue
        assert getattr(signed_in(alice), method)(path, data).status_code == 404, (method, path)
    assert state() == before


def test_anonymous_visitors_are_sent_to_sign_in(source, hook):
    before = state()
    client = Client()
    for method, path in [("get", HARVEST), ("get", WEBHOOKS), *write_requests(source.pk, hook.pk)]:
        response = getattr(client, method)(path)
        if method == "get" or response.status_code != 405:
            assert response.status_code == 302, (method, path)
            assert response["Location"].startswith("/inloggen"), response["Location"]
    assert state() == before


def test_every_form_is_csrf_protected(alice, source, hook):
    client = csrf_client(alice)
    before = state()
    for path in (f"{HARVEST}/{source.pk}/pauzeren", f"{WEBHOOKS}/{hook.pk}/verwijderen"):
        assert client.post(path).status_code == 403
    assert state() == before
    for page in (HARVEST, f"{HARVEST}/nieuw", f"{HARVEST}/{source.pk}", WEBHOOKS):
        # Every form on the page carries the token (the sign-out form too).
        html = text_of(client.get(page))
        assert html.count("<form") == html.count('name="csrfmiddlewaretoken"')
    token = csrf_token(client, HARVEST)
    response = client.post(f"{HARVEST}/{source.pk}/pauzeren", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.enabled is False


def test_the_list_pages_cost_no_query_per_row(alice, utrecht, django_assert_max_num_queries):
    client = signed_in(alice)
    HarvestSource.objects.create(
        url="https://code.example.nl/0.yml",
        organisation=utrecht,
        component=ComponentFactory(publisher=utrecht),
        last_status=HarvestStatus.FAILED,
        last_errors=[
            {"severity": "error", "path": "", "line": None, "column": None, "message": "x"}
        ],
    )
    WebhookSubscription.objects.create(organisation=utrecht, url="https://hooks.example.nl/0")
    with django_assert_max_num_queries(20) as first:
        text_of(client.get(HARVEST))
    with django_assert_max_num_queries(20) as first_hooks:
        text_of(client.get(WEBHOOKS))
    for n in range(1, 8):
        HarvestSource.objects.create(
            url=f"https://code.example.nl/{n}.yml",
            organisation=utrecht,
            component=ComponentFactory(publisher=utrecht),
        )
        WebhookSubscription.objects.create(
            organisation=utrecht, url=f"https://hooks.example.nl/{n}"
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = text_of(client.get(HARVEST))
    assert page.count("/ophalen") == 8
    with django_assert_max_num_queries(len(first_hooks.captured_queries)):
        page = text_of(client.get(WEBHOOKS))
    assert page.count("/verwijderen") == 8


def test_the_pages_speak_english_under_en(alice, source, hook):
    client = signed_in(alice)
    base = "/en/my-organisation/gemeente-utrecht"
    page = text_of(client.get(f"{base}/harvest-sources"))
    assert "Add a harvest source" in page and f"{base}/harvest-sources/{source.pk}/run" in page
    page = text_of(client.get(f"{base}/webhooks"))
    assert "Add a webhook" in page and f"{base}/webhooks/{hook.pk}/remove" in page
    assert "Remove the webhook" in text_of(client.get(f"{base}/webhooks/{hook.pk}/remove"))


# --- the API keeps the same rules ----------------------------------------------------


def test_the_api_refuses_moving_a_webhook_onto_an_address_it_already_has(utrecht, hook):
    other = WebhookSubscription.objects.create(
        organisation=utrecht, url="https://hooks.example.nl/other", secret="s"
    )
    response = client_for(utrecht).patch(
        f"/api/v1/webhooks/{other.pk}", {"url": hook.url}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "You already have a subscription for this URL."
    other.refresh_from_db()
    assert other.url == "https://hooks.example.nl/other"
