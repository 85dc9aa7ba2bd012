"""The audit log: one entry per write and per sign-in, append-only, read by
curators (and exported), and by an organisation's administrators for their own."""

import csv
import io
import secrets

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.models import AppendOnly, AuditEntry
from components.models import Component

from .conftest import client_for, csrf_client, csrf_token, signed_in
from .factories import ComponentFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW = {
    "slug": "nieuw",
    "name": "Nieuw onderdeel",
    "kind": "library",
    "shortDescription": "Een bibliotheek.",
    "license": "EUPL-1.2",
}


def test_a_token_write_is_one_entry_written_with_one_insert(acme):
    api = client_for(acme, name="deploy")
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/components", NEW, format="json")
    assert response.status_code == 201
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "audit_auditentry"')]
    assert len(inserts) == 1
    [entry] = AuditEntry.objects.all()
    component = Component.objects.get(slug="nieuw")
    assert entry.kind == "write"
    assert entry.actor == "token 'deploy' of Acme Software B.V."
    assert (entry.organisation_id, entry.organisation_name) == (acme.pk, "Acme Software B.V.")
    assert (entry.method, entry.path, entry.status) == ("POST", "/api/v1/components", 201)
    assert {"model": "components.component", "id": component.pk, "action": "created"} in (
        entry.objects_changed
    )
    assert entry.change == NEW
    assert entry.token_id is not None and entry.user_id is None
    assert len(entry.request_id) == 32
    assert entry.remote_address == "127.0.0.1"


def test_a_refused_write_is_recorded_with_its_answer_and_nothing_changed(
    acme, globex, acme_component
):
    response = client_for(globex).patch(
        f"/api/v1/components/{acme_component.slug}", {"name": "Overgenomen"}, format="json"
    )
    assert response.status_code == 403
    [entry] = AuditEntry.objects.all()
    assert (entry.organisation_name, entry.status, entry.objects_changed) == (
        "Globex B.V.",
        403,
        [],
    )
    assert entry.change == {"name": "Overgenomen"}


def test_an_anonymous_write_changes_nothing_and_is_not_recorded(db):
    assert (
        Client().post("/api/v1/components", NEW, content_type="application/json").status_code == 401
    )
    assert not AuditEntry.objects.exists()


def test_reads_are_not_recorded(acme, acme_component):
    client_for(acme).get("/api/v1/components")
    assert not AuditEntry.objects.exists()


def test_a_member_writing_on_the_site_is_recorded_for_the_organisation(alice, utrecht):
    client = csrf_client(alice)
    url = "/mijn-organisatie/gemeente-utrecht/leden"
    response = client.post(
        url,
        {
            "csrfmiddlewaretoken": csrf_token(client, url),
            "email": "carol@utrecht.nl",
            "role": "editor",
        },
    )
    assert response.status_code == 302
    [entry] = AuditEntry.objects.all()
    assert (entry.actor, entry.user_id, entry.organisation_id) == ("alice", alice.pk, utrecht.pk)
    assert entry.change == {
        "csrfmiddlewaretoken": "[left out]",
        "email": "carol@utrecht.nl",
        "role": "editor",
    }
    assert {o["model"] for o in entry.objects_changed} >= {"auth.user", "accounts.membership"}


def test_sign_in_failed_sign_in_and_sign_out_are_recorded_without_the_password(bob):
    client = Client()
    client.post("/inloggen", {"username": "bob", "password": "wrong"})
    client.post("/inloggen", {"username": "bob", "password": PASSWORD})
    client.post("/uitloggen")
    entries = list(AuditEntry.objects.order_by("id"))
    assert [(e.kind, e.actor, e.status) for e in entries] == [
        ("sign-in-failed", "bob", 200),
        ("sign-in", "bob", 302),
        ("sign-out", "bob", 302),
    ]
    assert entries[1].user_id == bob.pk
    assert all(e.change.get("password") in (None, "[left out]") for e in entries)
    assert PASSWORD not in str([e.change for e in entries])


def test_entries_cannot_be_changed_or_removed_by_the_application(acme):
    client_for(acme).post("/api/v1/components", NEW, format="json")
    entry = AuditEntry.objects.get()
    entry.status = 200
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(status=200)
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().status == 201


@pytest.mark.postgres
def test_on_postgresql_the_table_itself_refuses_update_and_delete(acme):
    """Even SQL that goes around the model: the trigger of migration audit.0001."""
    client_for(acme).post("/api/v1/components", NEW, format="json")
    for sql in ("UPDATE audit_auditentry SET status = 200", "DELETE FROM audit_auditentry"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.get().status == 201


@pytest.mark.postgres
def test_the_app_role_of_roles_sql_may_read_and_add_but_not_change_the_audit_log(acme, settings):
    """deploy/postgresql/roles.sql's grants, run for a role of this test's own."""
    from pathlib import Path

    sql = (Path(settings.BASE_DIR) / "deploy/postgresql/roles.sql").read_text()
    grants = sql.split("-- grants:begin")[1].split("-- grants:end")[0].split("\n", 1)[1]
    owner = connection.settings_dict["USER"]
    app = f"registry_app_test_{secrets.token_hex(4)}"
    grants = grants.replace(':"app"', f'"{app}"').replace(':"owner"', f'"{owner}"')
    client_for(acme).post("/api/v1/components", NEW, format="json")
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{app}" NOLOGIN')
        try:
            cursor.execute(grants)
            cursor.execute(f'SET ROLE "{app}"')
            cursor.execute("SELECT count(*) FROM audit_auditentry")
            assert cursor.fetchone() == (1,)
            cursor.execute(
                "INSERT INTO audit_auditentry (at, kind, actor, organisation_name, method, path,"
                " objects_changed, change, status, request_id)"
                " VALUES (now(), 'write', 'x', '', 'POST', '/', '[]', '{}', 200, '')"
            )
            cursor.execute("UPDATE components_component SET name = name")  # other tables: yes
            for statement in (
                "UPDATE audit_auditentry SET status = 500",
                "DELETE FROM audit_auditentry",
                "TRUNCATE audit_auditentry",
            ):
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    cursor.execute(statement)
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute(f'DROP OWNED BY "{app}"')
            cursor.execute(f'DROP ROLE "{app}"')


@pytest.fixture
def curator(db):
    return UserFactory(username="cora", is_staff=True, is_superuser=True)


def test_curators_read_the_log_in_the_admin_but_cannot_add_change_or_delete(curator, acme):
    client_for(acme).post("/api/v1/components", NEW, format="json")
    entry = AuditEntry.objects.get()
    admin = signed_in(curator)
    listing = admin.get("/admin/audit/auditentry/?q=Acme")
    assert listing.status_code == 200
    assert "/api/v1/components" in listing.content.decode()
    assert admin.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    detail = admin.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"status": "200"})
    assert detail.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).status == 201
    # The refused attempt is itself on the record.
    attempt = AuditEntry.objects.exclude(pk=entry.pk).get()
    assert (attempt.actor, attempt.status) == ("cora", 403)


def test_curators_export_what_the_list_shows_as_csv(curator, acme, globex):
    client_for(acme).post("/api/v1/components", NEW, format="json")
    client_for(globex).post(
        "/api/v1/components", {**NEW, "slug": "=cmd|x", "name": "=1+1"}, format="json"
    )
    response = signed_in(curator).get("/admin/audit/auditentry/export.csv?q=Globex")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["organisation_name"] for row in rows] == ["Globex B.V."]
    assert "'=1+1" in rows[0]["change"] or rows[0]["change"].startswith("{")
    assert (
        signed_in(UserFactory(username="nobody"))
        .get("/admin/audit/auditentry/export.csv")
        .status_code
        == 302
    )  # not staff: to the admin's sign-in


def test_an_organisations_administrators_see_what_it_did_and_only_that(alice, bob, acme, utrecht):
    client_for(utrecht, name="ci").post("/api/v1/components", NEW, format="json")
    client_for(acme, name="acme-ci").post(
        "/api/v1/components", {**NEW, "slug": "ander"}, format="json"
    )
    page = signed_in(alice).get("/mijn-organisatie/gemeente-utrecht/logboek")
    text = page.content.decode()
    assert page.status_code == 200
    assert "token &#x27;ci&#x27; of Gemeente Utrecht" in text
    assert "acme-ci" not in text
    # An editor does not read the activity; another organisation's page does not exist for her.
    assert signed_in(bob).get("/mijn-organisatie/gemeente-utrecht/logboek").status_code == 403
    assert signed_in(alice).get("/mijn-organisatie/acme/logboek").status_code == 404


def test_the_activity_page_reads_a_page_of_entries_in_a_fixed_number_of_queries(
    alice, utrecht, django_assert_max_num_queries
):
    api = client_for(utrecht)
    for n in range(30):
        api.post("/api/v1/components", {**NEW, "slug": f"c{n}"}, format="json")
    client = signed_in(alice)
    with django_assert_max_num_queries(6):
        page = client.get("/en/my-organisation/gemeente-utrecht/activity")
    assert page.status_code == 200
    assert page.content.decode().count('<tr class="utrecht-table__row">') == 31


def test_a_body_nested_too_deep_to_read_is_recorded_as_such(acme):
    body = "[" * 5000 + "]" * 5000
    response = client_for(acme).post("/api/v1/components", body, content_type="application/json")
    assert response.status_code == 400
    assert AuditEntry.objects.get().change == {"body": "10000 bytes, not readable JSON"}


@pytest.mark.parametrize(
    "body",
    [
        '{"name": NaN, "slug": Infinity}',  # Python's JSON reader takes these; JSON does not
        '{"name": "nul \\u0000 and a lone \\ud800"}',
    ],
)
def test_a_body_no_json_column_would_take_is_still_recorded(acme, body):
    api = client_for(acme)
    response = api.post("/api/v1/components", body, content_type="application/json")
    assert response.status_code == 400
    entry = AuditEntry.objects.get()
    assert entry.status == 400
    assert set(entry.change) <= {"name", "slug"}
    # The request's transaction is intact: the database still answers.
    assert api.get("/api/v1/components").status_code == 200


# Writes outside a request: management commands and the worker's tasks --------


def test_a_command_that_changes_the_registry_is_one_entry_with_its_options(db):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_organisation", "Gemeente Auditdorp", kind="municipality", stdout=out)
    entry = AuditEntry.objects.get()
    assert (entry.kind, entry.method, entry.path, entry.status) == (
        "write", "COMMAND", "manage.py create_organisation", 0,
    )  # fmt: skip
    assert entry.actor.startswith("operator")
    assert entry.change["kind"] == "municipality"
    assert entry.change["name"] == "Gemeente Auditdorp" or "Gemeente Auditdorp" in str(entry.change)
    assert {"model": "accounts.organisation", "action": "created"}.items() <= (
        entry.objects_changed[0].items()
    )


def test_a_refused_command_and_a_dry_run_change_nothing_and_are_not_recorded(acme, acme_component):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("merge_components", "bestaat-niet", acme_component.slug, stdout=io.StringIO())
    other = ComponentFactory(slug="dubbel", publisher=acme)
    call_command(
        "merge_components", other.slug, acme_component.slug, "--dry-run",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert not AuditEntry.objects.exists()
    call_command(
        "merge_components", other.slug, acme_component.slug,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    merged = AuditEntry.objects.get()
    assert (merged.path, merged.status) == ("manage.py merge_components", 0)
    assert (merged.change["source"], merged.change["target"]) == ("dubbel", acme_component.slug)
    assert {"model": "components.component", "id": other.pk, "action": "deleted"} in (
        merged.objects_changed
    )


def test_a_command_that_fails_after_changing_something_is_recorded_as_failed(acme):
    from audit.recording import COMMAND, system_write

    with (
        pytest.raises(RuntimeError),
        system_write(COMMAND, "manage.py halfway", "operator x", {}),
    ):
        ComponentFactory(slug="half", publisher=acme)
        raise RuntimeError("stopped")
    entry = AuditEntry.objects.get()
    assert (entry.path, entry.status) == ("manage.py halfway", 1)


def test_a_command_never_records_a_secret_it_was_given(acme):
    from audit.recording import COMMAND, system_write

    with system_write(COMMAND, "manage.py something", "operator x", {"client_secret": "geheim"}):
        ComponentFactory(slug="x", publisher=acme)
    entry = AuditEntry.objects.get()
    assert "geheim" not in str(entry.change) and entry.change["client_secret"] == "[left out]"


def test_the_workers_harvest_is_recorded_as_a_task(acme, settings, tmp_path):
    from components.models import HarvestSource
    from components.tasks import harvest_source

    source = HarvestSource.objects.create(
        organisation=acme, url="http://127.0.0.1:9/publiccode.yml"
    )
    harvest_source.call(source.pk)  # as the worker runs it (the fetch fails: nothing listens)
    entry = AuditEntry.objects.get()
    assert (entry.method, entry.path, entry.actor) == (
        "TASK", "task components.tasks.harvest_source", "worker",
    )  # fmt: skip
    assert entry.change == {"args": source.pk}  # (a list of one is written as its item)
    assert {"model": "components.harvestsource", "id": source.pk, "action": "changed"} in (
        entry.objects_changed
    )
