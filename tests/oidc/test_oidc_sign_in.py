"""Signing in with the organisation's identity provider, end to end against a
real certified OpenID Provider (oidc-provider from npm, tests/oidc/provider.mjs)
on 127.0.0.1. The browser's side is played by httpx (the provider's login and
consent pages) and Django's test client (our side); nothing leaves 127.0.0.1."""

import base64
import json
import os
import re
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import RSAKey

from accounts.models import IdentityProvider, Membership, OidcIdentity
from accounts.secrets import encrypt
from audit.models import AuditEntry
from tests.production.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node") or "/usr/bin/node"
CALLBACK = "http://testserver/oidc/callback"

pytestmark = pytest.mark.django_db


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"The OIDC tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def op():
    """The OpenID Provider, on a free port of 127.0.0.1."""
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        _unavailable("oidc-provider is not installed: run `make install` (npm ci)")
    port = free_port()
    process = subprocess.Popen(
        [NODE, str(ROOT / "tests/oidc/provider.mjs"), str(port), CALLBACK],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in process.stdout:
            if line.strip() == "ready":
                break
        else:
            pytest.fail(f"the OpenID Provider did not start (exit {process.wait()})")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def plain_http_on_loopback(monkeypatch):
    # The provider speaks plain HTTP on 127.0.0.1; Authlib refuses that unless told.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
def provider(op, utrecht):
    return IdentityProvider.objects.create(
        organisation=utrecht,
        discovery_url=f"{op}/.well-known/openid-configuration",
        client_id="registry",
        client_secret_encrypted=encrypt("registry-secret"),
        groups_claim="groups",
        role_mapping={"registry-admins": "admin"},
    )


def sign_in_at_the_provider(authorize_url, login, browser=None):
    """The person's browser at the provider: log in, consent; returns the
    address the provider sends it back to (our callback), not followed. A
    browser given keeps its cookies (the provider's session) for later."""
    with browser or httpx.Client(timeout=10) as browser:
        url = authorize_url
        for _step in range(10):
            if isinstance(url, tuple):
                response = browser.post(url[0], data=url[1])
            else:
                response = browser.get(url)
            location = response.headers.get("location")
            if location:
                location = urljoin(str(response.url), location)
                if location.startswith(CALLBACK):
                    return location
                url = location
                continue
            page = response.text
            assert response.status_code == 200, (response.status_code, page[:500])
            action = urljoin(str(response.url), re.search(r'action="([^"]+)"', page).group(1))
            fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page))
            if 'name="login"' in page:
                if login is None:
                    raise AssertionError("the provider asked to log in")
                fields.update(login=login, password="secret")
            url = (action, fields)  # the login page, then the consent page
        raise AssertionError("the provider never sent the browser back")


def start(client, organisation="gemeente-utrecht"):
    response = client.get(f"/inloggen/{organisation}")
    assert response.status_code == 302
    return response["Location"]


def test_a_first_sign_in_makes_a_user_without_any_role(provider, utrecht):
    client = Client()
    authorize = start(client)
    query = parse_qs(urlsplit(authorize).query)
    # PKCE, state and nonce are all asked for.
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    back = sign_in_at_the_provider(authorize, "jan")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 302
    identity = OidcIdentity.objects.select_related("user").get()
    assert (identity.subject, identity.organisation) == ("jan", utrecht)
    assert identity.user.email == "jan@gemeente.example"
    assert not identity.user.has_usable_password()
    assert not Membership.objects.filter(user=identity.user).exists()
    # Signed in, but no member page of Utrecht opens.
    assert client.get("/mijn-organisatie/gemeente-utrecht").status_code == 404
    assert AuditEntry.objects.filter(kind="sign-in", user_id=identity.user.pk).exists()


def test_a_group_claim_mapped_to_a_role_gives_it_and_a_returning_person_is_recognised(
    provider, utrecht
):
    for _visit in range(2):
        client = Client()
        back = sign_in_at_the_provider(start(client), "admin-els")
        assert client.get(back.removeprefix("http://testserver")).status_code == 302
    identity = OidcIdentity.objects.get()
    assert Membership.objects.get(user=identity.user).role == "admin"
    assert client.get("/mijn-organisatie/gemeente-utrecht").status_code == 200
    # Sign-out ends the session.
    client.post("/uitloggen")
    assert client.get("/mijn-organisatie/gemeente-utrecht").status_code == 302


def test_an_answer_meant_for_another_session_is_refused(provider):
    """A real answer (state and code) brought to another browser session: its
    state is not that session's, so it is refused before the code is used."""
    client = Client()
    back = sign_in_at_the_provider(start(client), "jan")
    intruder = Client()
    start(intruder)  # a session of its own, with another state
    response = intruder.get(back.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "did not give a valid answer" in response.content.decode() or response.status_code
    assert not OidcIdentity.objects.exists()
    failed = AuditEntry.objects.get(kind="sign-in-failed")
    assert failed.organisation_name == "Gemeente Utrecht"


class Forger(ThreadingHTTPServer):
    """Between the registry and the provider's token endpoint: passes the
    exchange on, and puts an id_token of its own making (the same claims and
    key id, signed with another key) in the answer."""

    daemon_threads = True

    def __init__(self, upstream, forge=True, delay=0, replay=False):
        super().__init__(("127.0.0.1", 0), ForgerHandler)
        self.upstream = upstream
        self.forge, self.delay, self.replay = forge, delay, replay
        self.first_id_token = None
        self.key = RSAKey.generate_key(2048)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class ForgerHandler(BaseHTTPRequestHandler):
    def _answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        metadata = httpx.get(f"{self.server.upstream}/.well-known/openid-configuration").json()
        metadata["token_endpoint"] = f"{self.server.url}/token"
        self._answer(metadata)

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        answer = httpx.post(
            f"{self.server.upstream}/token",
            content=body,
            headers={
                "Authorization": self.headers["Authorization"],
                "Content-Type": self.headers["Content-Type"],
            },
        ).json()
        time.sleep(self.server.delay)
        if self.server.replay:
            # Every answer carries the id_token of the first sign-in.
            self.server.first_id_token = self.server.first_id_token or answer["id_token"]
            answer["id_token"] = self.server.first_id_token
        if not self.server.forge:
            return self._answer(answer)
        header_part, payload_part, _signature = answer["id_token"].split(".")
        header = json.loads(base64.urlsafe_b64decode(header_part + "=="))
        claims = json.loads(base64.urlsafe_b64decode(payload_part + "=="))
        claims["sub"] = "mallory"
        forged = jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims, self.server.key)
        answer["id_token"] = forged
        return self._answer(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def between(op):
    """Starts a Forger in front of the provider."""
    servers = []

    def make(**kwargs):
        server = Forger(op, **kwargs)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def test_an_id_token_not_signed_by_the_provider_is_refused(provider, between):
    forger = between(forge=True)
    provider.discovery_url = f"{forger.url}/.well-known/openid-configuration"
    provider.save()
    client = Client()
    back = sign_in_at_the_provider(start(client), "jan")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert not OidcIdentity.objects.exists()
    assert client.get("/mijn-organisatie").status_code == 302  # not signed in


def test_an_id_token_of_an_earlier_sign_in_is_refused(provider, between):
    """Signed by the provider and not expired, but issued for another sign-in:
    its nonce is not this session's."""
    replayer = between(forge=False, replay=True)
    provider.discovery_url = f"{replayer.url}/.well-known/openid-configuration"
    provider.save()
    first = Client()
    back = sign_in_at_the_provider(start(first), "jan")
    assert first.get(back.removeprefix("http://testserver")).status_code == 302
    second = Client()
    back = sign_in_at_the_provider(start(second), "jan")
    assert second.get(back.removeprefix("http://testserver")).status_code == 400
    assert "_auth_user_id" not in second.session


def test_an_expired_id_token_is_refused(provider, settings, between):
    """The provider's id_tokens for this client live one second, and the answer
    arrives two seconds late (held up on the way); no clock skew allowed."""
    settings.OIDC_CLOCK_SKEW_SECONDS = 0
    slow = between(forge=False, delay=2.1)
    provider.client_id = "registry-short"
    provider.discovery_url = f"{slow.url}/.well-known/openid-configuration"
    provider.save()
    client = Client()
    back = sign_in_at_the_provider(start(client), "jan")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert not OidcIdentity.objects.exists()


def test_the_same_answer_on_time_signs_in(provider, settings, between):
    """The control for the test above: the same client, the same way, no delay."""
    settings.OIDC_CLOCK_SKEW_SECONDS = 0
    passing = between(forge=False, delay=0)
    provider.client_id = "registry-short"
    provider.discovery_url = f"{passing.url}/.well-known/openid-configuration"
    provider.save()
    client = Client()
    back = sign_in_at_the_provider(start(client), "jan")
    assert client.get(back.removeprefix("http://testserver")).status_code == 302
    assert OidcIdentity.objects.filter(subject="jan").exists()


def test_signing_out_here_signs_out_at_the_provider_too(provider, utrecht):
    """RP-initiated logout: our sign-out sends the browser to the provider's
    end_session_endpoint with the id_token as hint; after confirming there it
    comes back to our home page, and the provider's session is over (the next
    sign-in asks for the password again)."""
    browser = httpx.Client(timeout=10)
    client = Client()
    back = sign_in_at_the_provider(start(client), "jan", browser=Lent(browser))
    assert client.get(back.removeprefix("http://testserver")).status_code == 302
    # While the provider's session lasts, a new sign-in asks no password.
    again = Client()
    sign_in_at_the_provider(start(again), None, browser=Lent(browser))

    response = client.post("/uitloggen")
    assert response.status_code == 302
    there = urlsplit(response["Location"])
    assert f"{there.scheme}://{there.netloc}" == provider.discovery_url.split("/.well-known")[0]
    query = parse_qs(there.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["client_id"] == ["registry"]
    assert jwt.decode(query["id_token_hint"][0], _provider_keys(provider)).claims["sub"] == "jan"
    # Signed out here at once.
    assert client.get("/mijn-organisatie/gemeente-utrecht").status_code == 302

    confirm = browser.get(response["Location"])
    assert confirm.status_code == 200
    action = urljoin(str(confirm.url), re.search(r'action="([^"]+)"', confirm.text).group(1))
    fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', confirm.text))
    done = browser.post(action, data={**fields, "logout": "yes"})
    assert done.status_code in (302, 303)
    assert done.headers["location"].startswith("http://testserver/")
    # The provider's session is over: the next sign-in asks for the password.
    with pytest.raises(AssertionError, match="asked to log in"):
        sign_in_at_the_provider(start(Client()), None, browser=Lent(browser))
    browser.close()


def test_a_password_sign_in_signs_out_here_only(provider, bob):
    client = Client()
    client.force_login(bob)
    response = client.post("/uitloggen")
    assert response.status_code == 302
    assert response["Location"].startswith("/")


class Lent:
    """Lends a browser to sign_in_at_the_provider without closing it."""

    def __init__(self, browser):
        self.browser = browser

    def __enter__(self):
        return self.browser

    def __exit__(self, *exc):
        return False


def _provider_keys(provider):
    from joserfc.jwk import KeySet

    issuer = provider.discovery_url.split("/.well-known")[0]
    return KeySet.import_key_set(httpx.get(f"{issuer}/jwks", timeout=10).json())


def test_the_claim_mapping_is_the_organisations_own(provider, utrecht):
    """A provider whose people are identified by another claim: here the e-mail
    address as subject and as name (as some ADFS set-ups do)."""
    IdentityProvider.objects.filter(pk=provider.pk).update(
        sub_claim="email", name_claim="email", groups_claim=""
    )
    client = Client()
    back = sign_in_at_the_provider(start(client), "admin-piet")
    assert client.get(back.removeprefix("http://testserver")).status_code == 302
    identity = OidcIdentity.objects.select_related("user").get()
    assert identity.subject == "admin-piet@gemeente.example"
    assert identity.user.first_name == "admin-piet@gemeente.example"
    # No groups claim configured: no role, whatever the groups say.
    assert not Membership.objects.filter(user=identity.user).exists()
