import os

import django.utils.timezone
from django.db import migrations, models

# On PostgreSQL the table refuses UPDATE and DELETE itself, whoever asks; the
# owner role could drop the trigger, the app role cannot (deploy/postgresql/roles.sql).
APPEND_ONLY = """
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(APPEND_ONLY)
    # The application's own role (deploy/postgresql/roles.sql) may only read and add.
    role = os.environ.get("DATABASE_APP_ROLE")
    if role:
        schema_editor.execute(
            "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditentry FROM "
            + schema_editor.quote_name(role)
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, help_text="When it happened.", verbose_name="when")),
                ("kind", models.CharField(choices=[("write", "Write"), ("sign-in", "Sign-in"), ("sign-in-failed", "Failed sign-in"), ("sign-out", "Sign-out")], help_text="What happened.", max_length=16, verbose_name="kind")),
                ("user_id", models.BigIntegerField(blank=True, help_text="The signed-in user, by id.", null=True, verbose_name="user id")),
                ("token_id", models.BigIntegerField(blank=True, help_text="The API token, by id.", null=True, verbose_name="API token id")),
                ("actor", models.CharField(blank=True, help_text="Who, in words: a user name, or a token and its organisation.", max_length=300, verbose_name="who")),
                ("organisation_id", models.BigIntegerField(blank=True, help_text="The organisation acted for, by id.", null=True, verbose_name="organisation id")),
                ("organisation_name", models.CharField(blank=True, help_text="The organisation acted for.", max_length=200, verbose_name="organisation")),
                ("method", models.CharField(help_text="HTTP method.", max_length=8, verbose_name="method")),
                ("path", models.CharField(help_text="The address written to.", max_length=500, verbose_name="path")),
                ("objects_changed", models.JSONField(blank=True, default=list, help_text="The records created, changed or deleted: model, id, what.", verbose_name="objects")),
                ("change", models.JSONField(blank=True, default=dict, help_text="What was sent (secrets left out, long values shortened).", verbose_name="change")),
                ("status", models.PositiveSmallIntegerField(help_text="The HTTP status of the answer.", verbose_name="result")),
                ("request_id", models.CharField(blank=True, help_text="As in the request log.", max_length=32, verbose_name="request id")),
                ("remote_address", models.GenericIPAddressField(blank=True, help_text="The client's address.", null=True, verbose_name="address")),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit log",
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["organisation_id", "-at"], name="audit_organisation_at"),
                    models.Index(fields=["kind", "-at"], name="audit_kind_at"),
                    models.Index(fields=["user_id", "-at"], name="audit_user_at"),
                ],
            },
        ),
        migrations.RunPython(append_only, drop),
    ]
