"""manage.py federate against a second instance of this project, started here on
127.0.0.1 with its own SQLite database and the demo catalogue."""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Organisation
from components import federation
from components.constants import ForeignSource
from components.models import Component, ForeignRecord, Peer

from .conftest import client_for
from .factories import ComponentFactory, VendorFactory

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Instance:
    def __init__(self, directory: Path):
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")},
            "DEBUG": "True",
            "DATABASE_URL": f"sqlite:///{directory / 'peer.sqlite3'}",
            "DUMP_DIR": str(directory / "dumps"),
            "API_RATE_ANONYMOUS": "",
        }
        self.log = directory / "server.log"

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=self.env,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    def start(self):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=settings.BASE_DIR, env=self.env, stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health/live", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError(f"the peer did not start: {self.log.read_text()[-2000:]}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)

    def requests(self):
        return self.log.read_text()


@pytest.fixture(scope="module")
def peer(tmp_path_factory):
    instance = Instance(tmp_path_factory.mktemp("peer"))
    instance.manage("migrate", "--noinput", "-v", "0")
    instance.manage("load_demo")
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def private_addresses(settings):
    settings.HARVEST_ALLOW_PRIVATE = True
    settings.HARVEST_TIMEOUT_SECONDS = 20


def federate(url):
    out, err = io.StringIO(), io.StringIO()
    call_command("federate", url, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_a_peer_registry_is_taken_over_read_only_and_incrementally(
    peer, private_addresses, client, monkeypatch
):
    peer_components = httpx.get(f"{peer.url}/api/v1/components?pageSize=100").json()
    slugs = {c["slug"] for c in peer_components["results"]}
    assert peer_components["count"] == len(slugs) > 20
    # Pages of 7, so that the peer's catalogue takes several (the next links followed).
    monkeypatch.setattr(federation, "PAGE_SIZE", 7)
    # A local publisher's component with a slug the peer uses too.
    local = ComponentFactory(slug="digid", name="Onze DigiD-koppeling", publisher=VendorFactory())

    out, err = federate(peer.url)

    api = f"{peer.url}/api/v1"
    assert out == f"{api}: {len(slugs) - 1} created, 0 updated, 0 unchanged, 1 skipped"
    pages = -(-len(slugs) // 7)
    assert f"page={pages}&" in peer.requests() or f"page={pages} " in peer.requests()
    assert "digid: skipped: a component here (digid) is not the peer's" in err
    local.refresh_from_db()
    assert local.name == "Onze DigiD-koppeling"
    assert not ForeignRecord.objects.filter(component=local).exists()
    foreign = ForeignRecord.objects.filter(source=ForeignSource.REGISTRY, origin=api)
    assert foreign.count() == len(slugs) - 1
    assert all(foreign.values_list("read_only", flat=True))
    # A component as the peer has it, with its releases and publisher.
    mine = Component.objects.get(slug="open-zaak")
    theirs = httpx.get(f"{api}/components/open-zaak").json()
    assert (mine.name, mine.license_expression, mine.publisher.slug) == (
        theirs["name"], theirs["license"], theirs["publisher"],
    )  # fmt: skip
    their_releases = httpx.get(f"{api}/components/open-zaak/releases?pageSize=100").json()
    assert sorted(mine.releases.values_list("version", flat=True)) == sorted(
        r["version"] for r in their_releases["results"]
    )
    assert mine.publisher.verified is False

    # Read-only: not even its publisher's token may change it here.
    response = client_for(mine.publisher).patch(
        "/api/v1/components/open-zaak", {"name": "Anders"}, format="json"
    )
    assert response.status_code == 403
    assert api in response.json()["detail"]
    page = client.get("/componenten/open-zaak").content.decode()
    assert f"Overgenomen uit het componentenregister op {api}" in page

    # Nothing changed there: one request, answered 304, nothing written here.
    history = Component.history.count()
    out, _err = federate(peer.url)
    assert out == f"{api}: nothing changed since the last run (304)"
    assert Component.history.count() == history

    # One change there: only the changes since the last run are read.
    peer.manage(
        "shell", "-c",
        "from components.models import Component as C; c = C.objects.get(slug='open-zaak'); "
        "c.name = 'Open Zaak (nieuw)'; c.save()",
    )  # fmt: skip
    out, _err = federate(peer.url)
    assert "1 updated" in out and "0 created" in out
    assert Component.objects.get(slug="open-zaak").name == "Open Zaak (nieuw)"
    assert "updatedSince=" in peer.requests()
    assert Peer.objects.get(api_url=api).cursor is not None
    assert Organisation.objects.filter(verified=False).exists()
