"""Full-text search on PostgreSQL: a trigger keeps Component.search_document up
to date (Dutch configuration for the Dutch fields, English for the English
ones), a GIN index serves it. Trigram indexes serve the short name lookups.
SQLite has its own full-text index instead (0008)."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION components_component_search_document() RETURNS trigger AS $$
BEGIN
  NEW.search_document :=
      setweight(to_tsvector('dutch', coalesce(NEW.name, '')), 'A')
   || setweight(to_tsvector('simple', coalesce(NEW.slug, '')), 'A')
   || setweight(to_tsvector('dutch', coalesce(NEW.short_description, '')), 'B')
   || setweight(to_tsvector('english', coalesce(NEW.short_description_en, '')), 'B')
   || setweight(to_tsvector('dutch', coalesce(NEW.long_description, '')), 'C')
   || setweight(to_tsvector('english', coalesce(NEW.long_description_en, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS components_component_search_document ON components_component;
CREATE TRIGGER components_component_search_document
  BEFORE INSERT OR UPDATE ON components_component
  FOR EACH ROW EXECUTE FUNCTION components_component_search_document();
UPDATE components_component SET name = name;
CREATE INDEX IF NOT EXISTS components_component_search_gin
  ON components_component USING gin (search_document);
CREATE INDEX IF NOT EXISTS components_component_name_trgm
  ON components_component USING gin (name gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS components_component_name_trgm;
DROP INDEX IF EXISTS components_component_search_gin;
DROP TRIGGER IF EXISTS components_component_search_document ON components_component;
DROP FUNCTION IF EXISTS components_component_search_document();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("components", "0003_customer_questions")]
    operations = [migrations.RunPython(forward, backward)]
