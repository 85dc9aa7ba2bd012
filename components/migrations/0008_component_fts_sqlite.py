"""Full-text search on SQLite: an FTS5 index of what PostgreSQL's search_document
holds, kept in step by triggers (components/search.py says how it is built and
searched). On PostgreSQL this migration does nothing: 0004 serves it there."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from components import search

        search.install(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from components import search

        for statement in search.DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("components", "0007_component_name_id_index")]
    operations = [migrations.RunPython(forward, backward)]
