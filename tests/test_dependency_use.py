"""How a component uses a dependency (built in, linked, a runtime service, a
standard it implements): the guess when nobody says, the migration that
sorted the existing rows, and publiccode.yml, whose dependsOn lists runtime
services only."""

import importlib
from pathlib import Path

import pytest
import yaml
from django.apps import apps

import components
from components import publiccode
from components.constants import ComponentKind, DependencyKind, DependencyUse, is_runtime_service
from components.models import Dependency

from .factories import ComponentFactory, DependencyFactory
from .test_publiccode_import import document

pytestmark = pytest.mark.django_db

RUNTIME = DependencyUse.RUNTIME_SERVICE


@pytest.mark.parametrize(
    "name",
    ["PostgreSQL", "postgres", "PostgreSQL 14", "Redis Server", "Microsoft SQL Server",
     "Apache Kafka", "Keycloak", "nginx 1.25", "Elasticsearch 8.x", "MinIO", "RabbitMQ"],
)  # fmt: skip
def test_well_known_servers_are_runtime_services(name):
    assert is_runtime_service(name)


@pytest.mark.parametrize("name", ["Django", "redis-py", "SQLite", "psycopg", "React", ""])
def test_libraries_are_not_runtime_services(name):
    assert not is_runtime_service(name)


def test_the_default_use_follows_the_target_the_name_and_the_kind():
    standard = ComponentFactory.build(kind=ComponentKind.STANDARD)
    api = ComponentFactory.build(kind=ComponentKind.API)
    library = ComponentFactory.build(kind=ComponentKind.LIBRARY)
    assert Dependency.default_use(standard) == DependencyUse.IMPLEMENTS
    assert Dependency.default_use(api) == DependencyUse.IMPLEMENTS
    assert Dependency.default_use(library) == DependencyUse.INCORPORATED
    assert Dependency.default_use(None, "Redis") == RUNTIME
    assert Dependency.default_use(None, "Django") == DependencyUse.INCORPORATED
    assert Dependency.default_use(None, "Kaartlezer", DependencyKind.HARDWARE) == RUNTIME


def test_the_migration_sorts_existing_dependencies_by_name_kind_and_target():
    # Found by its name, not its number: migrations may be renumbered on merge.
    [name] = [
        path.stem
        for path in (Path(components.__file__).parent / "migrations").glob("*.py")
        if path.stem.endswith("_dependency_how_used")
    ]
    migration = importlib.import_module(f"components.migrations.{name}")
    component = ComponentFactory()
    standard = ComponentFactory(kind=ComponentKind.STANDARD)
    library = ComponentFactory(kind=ComponentKind.LIBRARY)
    rows = {
        "postgres": DependencyFactory(component=component, depends_on=None, name="PostgreSQL 15"),
        "keycloak": DependencyFactory(component=component, depends_on=None, name="keycloak"),
        "django": DependencyFactory(component=component, depends_on=None, name="Django"),
        "reader": DependencyFactory(
            component=component, depends_on=None, name="Kaartlezer", kind=DependencyKind.HARDWARE
        ),
        "standard": DependencyFactory(component=component, depends_on=standard),
        "library": DependencyFactory(component=component, depends_on=library),
    }
    migration.classify_existing(apps, None)
    found = {key: Dependency.objects.get(pk=row.pk).how_used for key, row in rows.items()}
    assert found == {
        "postgres": RUNTIME,
        "keycloak": RUNTIME,
        "django": DependencyUse.INCORPORATED,
        "reader": RUNTIME,
        "standard": DependencyUse.IMPLEMENTS,
        "library": DependencyUse.INCORPORATED,
    }


def test_an_import_keeps_what_dependson_does_not_speak_for(acme):
    component = publiccode.import_publiccode(
        document(dependsOn={"open": [{"name": "PostgreSQL"}, {"name": "Redis"}]}), acme
    ).component
    standard = ComponentFactory(kind=ComponentKind.STANDARD, name="ZGW API's")
    Dependency.objects.create(component=component, depends_on=standard, how_used="implements")
    Dependency.objects.create(component=component, name="Django", how_used="incorporated")
    # Listed as built in, but the file says it is needed to run: the file wins.
    Dependency.objects.create(component=component, name="Celery", how_used="incorporated")

    publiccode.import_publiccode(
        document(dependsOn={"open": [{"name": "PostgreSQL"}, {"name": "celery"}]}), acme
    )
    rows = set(component.dependencies.values_list("depends_on_id", "name", "how_used"))
    assert rows == {
        (None, "PostgreSQL", RUNTIME),
        (None, "celery", RUNTIME),
        (standard.pk, "", "implements"),
        (None, "Django", "incorporated"),
    }


def test_an_import_that_changes_nothing_writes_nothing(acme):
    depends_on = {"open": [{"name": "PostgreSQL", "versionMin": "14"}]}
    component = publiccode.import_publiccode(document(dependsOn=depends_on), acme).component
    Dependency.objects.create(component=component, name="Django")
    before = list(Dependency.objects.order_by("pk").values_list("pk", flat=True))
    publiccode.import_publiccode(document(dependsOn=depends_on), acme)
    assert list(Dependency.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_the_export_lists_runtime_services_and_hardware_in_dependson(acme):
    component = ComponentFactory(publisher=acme)
    library = ComponentFactory(name="Zaak Bibliotheek", kind=ComponentKind.LIBRARY)
    for values in [
        {"name": "PostgreSQL", "version": ">=14", "how_used": RUNTIME},
        {"name": "Kaartlezer", "kind": DependencyKind.HARDWARE, "how_used": RUNTIME},
        {"name": "Oracle", "kind": DependencyKind.PROPRIETARY, "how_used": RUNTIME},
        {"name": "Django", "how_used": DependencyUse.INCORPORATED},
        {"name": "libxml2", "how_used": DependencyUse.LINKED},
        {"name": "NL API Design Rules", "how_used": DependencyUse.IMPLEMENTS},
    ]:
        Dependency.objects.create(component=component, **values)
    Dependency.objects.create(component=component, depends_on=library)
    exported = yaml.safe_load(publiccode.export_publiccode(component))
    assert exported["dependsOn"] == {
        "open": [{"name": "PostgreSQL", "versionMin": "14"}],
        "proprietary": [{"name": "Oracle"}],
        "hardware": [{"name": "Kaartlezer"}],
    }
