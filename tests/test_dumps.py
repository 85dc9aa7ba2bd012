"""Full dumps: manage.py dump_catalogue, the nightly task, GET /api/v1/dumps/latest,
and manage.py load_dump filling an empty registry, round trip exact."""

import hashlib
import io
import json
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Organisation
from components import dumps, tasks
from components.constants import (
    Assertion,
    ComponentKind,
    DependencyUse,
    LinkKind,
    UsageStatus,
    Visibility,
)
from components.models import (
    Component,
    ComponentLink,
    Dependency,
    License,
    Release,
    UplProduct,
    Usage,
)

from .factories import (
    ComponentFactory,
    CustomLicenseFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dump_dir(settings, tmp_path):
    settings.DUMP_DIR = tmp_path / "dumps"
    return settings.DUMP_DIR


@pytest.fixture
def catalogue(db):
    """The demo catalogue, plus what it lacks: links, a successor, a dependency on a
    standard by name, a custom licence, a claim, and a government-only usage."""
    call_command("load_demo", stdout=io.StringIO())
    acme = VendorFactory(name="Acme B.V.", slug="acme")
    licence = CustomLicenseFactory(id="LicenseRef-Acme-Brand", summary="Logo is Acme's.")
    old = ComponentFactory(slug="acme-oud", name="Acme Oud", publisher=acme)
    new = ComponentFactory(
        slug="acme-nieuw",
        name="Acme Nieuw",
        publisher=acme,
        kind=ComponentKind.API,
        license_expression=f"MIT AND {licence.id}",
        categories=["document-management"],
    )
    for component in (old, new):
        component.sync_licenses()
    old.replaced_by = new
    old.save()
    ComponentLink.objects.create(component=new, kind=LinkKind.PRODUCTION, url="https://a.nl/api")
    Dependency.objects.create(component=new, name="NL GOV OAuth", how_used=DependencyUse.IMPLEMENTS)
    release = ReleaseFactory(component=new, version="2.0.0", notes="Nieuw.")
    utrecht = Organisation.objects.get(slug="gemeente-utrecht")
    UsageFactory(
        organisation=utrecht, component=new, release=release, assertion=Assertion.CLAIMED,
        claimed_by=acme, claimed_at=timezone.now(),
    )  # fmt: skip
    secret = OrganisationFactory(name="Gemeente Geheim", slug="gemeente-geheim")
    UsageFactory(organisation=secret, component=old, visibility=Visibility.GOVERNMENT)
    return {"acme": acme, "secret": secret}


def members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def jsonl(data):
    return [json.loads(line) for line in data.splitlines()]


def dump(*args):
    out = io.StringIO()
    call_command("dump_catalogue", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()[-1]


def empty_the_registry():
    Usage.objects.all().delete()
    Release.objects.all().delete()
    Component.objects.update(replaced_by=None)
    Component.objects.all().delete()
    Organisation.objects.all().delete()
    UplProduct.objects.all().delete()
    License.objects.filter(is_custom=True).delete()


def test_a_dump_holds_every_public_resource_with_a_manifest(catalogue, dump_dir):
    path = dump()
    assert path.startswith(str(dump_dir))
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    assert manifest["schemaVersion"] == dumps.SCHEMA_VERSION
    assert set(manifest["files"]) == {
        "organisations.jsonl", "licenses.jsonl", "customer-questions.jsonl",
        "upl-products.jsonl", "components.jsonl", "releases.jsonl", "usages.jsonl",
        "catalogue.ttl",
    }  # fmt: skip
    for name, entry in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == entry["sha256"]
        assert len(files[name]) == entry["bytes"]
        if name.endswith(".jsonl"):
            assert len(files[name].splitlines()) == entry["count"]
    assert manifest["files"]["components.jsonl"]["count"] == Component.objects.count()
    components = {c["slug"]: c for c in jsonl(files["components.jsonl"])}
    # As the API shows a component, less what is counted from other records.
    assert components["acme-oud"]["replacedBy"] == "acme-nieuw"
    assert components["acme-nieuw"]["links"] == [
        {"kind": "production", "url": "https://a.nl/api", "label": ""}
    ]
    assert "usageCounts" not in components["acme-nieuw"]
    assert b"@prefix dcat:" in files["catalogue.ttl"]


def test_a_government_only_usage_is_never_in_a_dump(catalogue):
    files = members(dump())
    usages = jsonl(files["usages.jsonl"])
    assert {u["visibility"] for u in usages} == {"public"}
    assert Usage.objects.filter(visibility=Visibility.GOVERNMENT).exists()
    public = Usage.objects.filter(visibility=Visibility.PUBLIC).exclude(
        assertion=Assertion.REJECTED
    )
    assert len(usages) == public.count()
    assert not any(u["organisation"] == "gemeente-geheim" for u in usages)
    # The organisation itself is public; nothing ties it to the component.
    assert b"gemeente-geheim" not in files["catalogue.ttl"]


def test_dump_load_dump_gives_the_same_lines(catalogue, tmp_path):
    first = members(dump("--dir", str(tmp_path / "first")))
    empty_the_registry()
    out = io.StringIO()
    call_command(
        "load_dump", str(next((tmp_path / "first").glob("*.zip"))), stdout=out,
        stderr=io.StringIO(),
    )  # fmt: skip
    assert "components: " in out.getvalue()
    second = members(dump("--dir", str(tmp_path / "second")))
    for name in first:
        if name.endswith(".jsonl"):
            assert first[name] == second[name], name
    # And the catalogue says the same (its triples; the header's date is the newest change).
    assert sorted(first["catalogue.ttl"].splitlines()) == sorted(
        second["catalogue.ttl"].splitlines()
    )
    # The loaded registry works on: a new usage takes an id after the loaded ones.
    new = UsageFactory(component=Component.objects.get(slug="acme-oud"))
    assert new.pk > max(u["id"] for u in jsonl(first["usages.jsonl"]))


def test_a_registry_that_is_not_empty_is_refused_and_left_alone(catalogue):
    path = dump()
    before = (Component.objects.count(), Usage.objects.count(), Organisation.objects.count())
    with pytest.raises(CommandError, match="not empty"):
        call_command("load_dump", path, stdout=io.StringIO(), stderr=io.StringIO())
    after = (Component.objects.count(), Usage.objects.count(), Organisation.objects.count())
    assert after == before


def test_a_corrupt_dump_is_refused_before_anything_is_written(catalogue, tmp_path):
    path = dump()
    files = members(path)
    files["components.jsonl"] = files["components.jsonl"].replace(b"Acme Oud", b"Acme Odd")
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    empty_the_registry()
    with pytest.raises(CommandError) as refused:
        call_command("load_dump", broken, stdout=io.StringIO(), stderr=io.StringIO())
    message = str(refused.value)
    assert "components.jsonl does not match its SHA-256" in message
    assert "\n" not in message
    assert not Component.objects.exists()
    assert not Organisation.objects.exists()


def test_a_file_that_is_no_dump_is_refused(db, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a readable ZIP file"):
        call_command("load_dump", junk, stdout=io.StringIO(), stderr=io.StringIO())


def test_a_load_that_fails_half_way_changes_nothing(catalogue, tmp_path, monkeypatch):
    path = dump()
    empty_the_registry()

    def fails(*args):
        raise ValueError("boom")

    monkeypatch.setattr(dumps, "_load_releases", fails)
    with pytest.raises(CommandError, match="not as this registry writes them"):
        call_command("load_dump", path, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Organisation.objects.exists()
    assert not Component.objects.exists()


def test_the_api_serves_the_newest_dump_or_a_404(client, catalogue):
    response = client.get("/api/v1/dumps/latest")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    dump()
    newest = dump()
    response = client.get("/api/v1/dumps/latest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    with open(newest, "rb") as handle:
        assert body == handle.read()
    again = client.get("/api/v1/dumps/latest", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_nightly_task_dumps_keeps_the_newest_and_comes_back_next_night(
    catalogue, settings, dump_dir
):
    from django_tasks_db.models import DBTaskResult

    settings.DUMP_KEEP = 2
    settings.DUMP_HOUR_UTC = 3
    for _ in range(3):
        tasks.dump_nightly.call()
    assert len(list(dump_dir.glob("*.zip"))) == 2
    [next_night] = DBTaskResult.objects.filter(task_path="components.tasks.dump_nightly")
    assert next_night.run_after > timezone.now()
    assert next_night.run_after.hour == 3
    out = io.StringIO()
    call_command("dump_catalogue", "--schedule", stdout=out)
    assert out.getvalue().strip() == "nightly dump already queued; nothing to do"


def test_only_a_pending_claim_and_public_usages_travel(catalogue):
    usages = jsonl(members(dump())["usages.jsonl"])
    statuses = {u["status"] for u in usages}
    assert statuses <= set(UsageStatus.values)
    assert any(u["assertion"] == "claimed" and u["claimedBy"] == "acme" for u in usages)


def test_both_commands_show_a_progress_bar_per_resource(catalogue, tmp_path):
    """tqdm on stderr: a bar per resource with its total, for the dump and for
    the load (stdout keeps only the path and the summary)."""
    err = io.StringIO()
    call_command("dump_catalogue", "--dir", str(tmp_path), stdout=io.StringIO(), stderr=err)
    bars = err.getvalue()
    components = Component.objects.count()
    # (tqdm draws a line as work goes; the finished bars are cleared, leave=False.)
    assert re.search(rf"components: +\d+%\|[^|]*\| \d+/{components} ", bars), bars
    assert "usages: " in bars and "organisations: " in bars
    empty_the_registry()
    err = io.StringIO()
    call_command(
        "load_dump", str(next(tmp_path.glob("*.zip"))), stdout=io.StringIO(), stderr=err
    )  # fmt: skip
    assert re.search(rf"components: +\d+%\|[^|]*\| \d+/{components} ", err.getvalue())
