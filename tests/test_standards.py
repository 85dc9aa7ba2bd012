"""Supported standards (issue 15, part 4): a component declares the registered
standards it implements, with version, conformance and evidence; the API reads
and writes them, filters by them; the catalogue facets by them; a standard's
page lists its implementations; the publiccode.yml import reads nl.standards."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from components import publiccode, standards
from components.constants import ComponentKind, DependencyUse
from components.models import Component, Dependency

from .factories import ComponentFactory
from .test_publiccode_import import document

pytestmark = pytest.mark.django_db

BODY = {"name": "Zaken", "kind": "software", "shortDescription": "Kort.", "license": "MIT"}


@pytest.fixture
def adr(acme):
    return ComponentFactory(
        slug="nl-api-design-rules", name="NL GOV API Design Rules", kind="standard"
    )


@pytest.fixture
def oauth(acme):
    return ComponentFactory(slug="oauth-nl-gov", name="OAuth NL GOV", kind="standard")


def declare(component, standard, version="", conformance="", evidence=""):
    return Dependency.objects.create(
        component=component,
        depends_on=standard,
        how_used=DependencyUse.IMPLEMENTS,
        version=version,
        conformance=conformance,
        evidence_url=evidence,
    )


# --------------------------------------------------------------------------- API


def test_standards_are_written_on_put_and_read_back(acme_api, adr, oauth):
    response = acme_api.put(
        "/api/v1/components/zaken",
        {
            **BODY,
            "standards": [
                {"slug": "oauth-nl-gov", "version": "1.0", "conformance": "self-declared"},
                {
                    "slug": "nl-api-design-rules",
                    "version": "2.0",
                    "conformance": "tested",
                    "evidence": "https://example.org/adr-report",
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    expected = [
        {
            "slug": "nl-api-design-rules",
            "name": "NL GOV API Design Rules",
            "version": "2.0",
            "conformance": "tested",
            "evidence": "https://example.org/adr-report",
        },
        {
            "slug": "oauth-nl-gov",
            "name": "OAuth NL GOV",
            "version": "1.0",
            "conformance": "self-declared",
            "evidence": "",
        },
    ]
    assert response.json()["standards"] == expected
    assert acme_api.get("/api/v1/components/zaken").json()["standards"] == expected
    # One source of truth: the declarations are dependencies "implements".
    component = Component.objects.get(slug="zaken")
    assert [d.depends_on.slug for d in standards.standards_of(component)] == [
        "nl-api-design-rules",
        "oauth-nl-gov",
    ]
    assert set(component.dependencies.values_list("how_used", flat=True)) == {"implements"}


def test_patching_standards_keeps_the_other_dependencies(acme_api, adr, oauth):
    acme_api.put(
        "/api/v1/components/zaken",
        {
            **BODY,
            "dependencies": [{"name": "PostgreSQL"}, {"component": "oauth-nl-gov"}],
        },
        format="json",
    )
    response = acme_api.patch(
        "/api/v1/components/zaken",
        {"standards": [{"slug": "nl-api-design-rules", "version": "1.0"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [s["slug"] for s in body["standards"]] == ["nl-api-design-rules"]
    assert sorted(d["name"] or d["component"] for d in body["dependencies"]) == [
        "PostgreSQL",
        "nl-api-design-rules",
    ]
    # The same PATCH again changes nothing (no new history entry).
    component = Component.objects.get(slug="zaken")
    before = component.history.count()
    acme_api.patch(
        "/api/v1/components/zaken",
        {"standards": [{"slug": "nl-api-design-rules", "version": "1.0"}]},
        format="json",
    )
    assert component.history.count() == before


@pytest.mark.parametrize(
    "declaration, field",
    [
        ({"slug": "no-such-standard"}, "slug"),
        ({"slug": "not-a-standard"}, "slug"),
        ({"slug": "nl-api-design-rules", "conformance": "perfect"}, "conformance"),
        ({"slug": "nl-api-design-rules", "evidence": "ftp://example.org/x"}, "evidence"),
        ({"slug": "nl-api-design-rules", "evidence": "not a url"}, "evidence"),
        ({"slug": "nl-api-design-rules", "unknown": 1}, "unknown"),
        # On a PATCH DRF does not require a nested item's fields (found by schemathesis: 500).
        ({"version": "1.0", "evidence": "https://example.org/x"}, "slug"),
    ],
)
def test_a_bad_declaration_is_a_problem_and_changes_nothing(
    acme_api, acme, adr, declaration, field
):
    ComponentFactory(slug="not-a-standard", kind="software", publisher=acme)
    acme_api.put("/api/v1/components/zaken", BODY, format="json")
    response = acme_api.patch(
        "/api/v1/components/zaken", {"standards": [declaration]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in str(response.json())
    assert not Dependency.objects.filter(component__slug="zaken").exists()


def test_a_standard_listed_twice_is_refused(acme_api, adr):
    acme_api.put("/api/v1/components/zaken", BODY, format="json")
    response = acme_api.patch(
        "/api/v1/components/zaken",
        {"standards": [{"slug": adr.slug}, {"slug": adr.slug}]},
        format="json",
    )
    assert response.status_code == 400
    assert "twice" in str(response.json())


def test_another_publisher_cannot_write_the_standards(globex_api, acme_api, adr):
    acme_api.put("/api/v1/components/zaken", BODY, format="json")
    response = globex_api.patch(
        "/api/v1/components/zaken", {"standards": [{"slug": adr.slug}]}, format="json"
    )
    assert response.status_code == 403
    assert not Dependency.objects.exists()


def test_the_list_filters_by_standard_without_duplicates(api, acme, adr, oauth):
    both = ComponentFactory(slug="both", publisher=acme)
    only_adr = ComponentFactory(slug="only-adr", publisher=acme)
    ComponentFactory(slug="none", publisher=acme)
    declare(both, adr)
    declare(both, oauth)
    declare(only_adr, adr)
    # A dependency "implements" on an API is not a standard declaration.
    api_component = ComponentFactory(slug="an-api", kind=ComponentKind.API, publisher=acme)
    declare(ComponentFactory(slug="client", publisher=acme), api_component)

    def slugs(query):
        response = api.get(f"/api/v1/components?{query}")
        assert response.status_code == 200, response.content
        return [c["slug"] for c in response.json()["results"]]

    assert slugs("standard=nl-api-design-rules") == ["both", "only-adr"]
    assert slugs("standard=oauth-nl-gov") == ["both"]
    assert slugs("standard=an-api") == []
    assert slugs("standard=unknown") == []


def test_the_list_reads_standards_without_a_query_per_row(
    api, acme, adr, oauth, django_assert_max_num_queries
):
    for i in range(3):
        component = ComponentFactory(slug=f"c{i}", publisher=acme)
        declare(component, adr, "1.0")
        declare(component, oauth)
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/components?page_size=2")
    for i in range(3, 12):
        component = ComponentFactory(slug=f"c{i}", publisher=acme)
        declare(component, adr, "1.0")
        declare(component, oauth)
    with django_assert_max_num_queries(len(few)):
        response = api.get("/api/v1/components?page_size=50")
    results = response.json()["results"]
    assert sum(len(c["standards"]) for c in results) == 24


def test_the_standard_filter_is_served_by_an_index():
    indexed = [
        tuple(index.fields) for index in Dependency._meta.indexes
    ]  # the EXISTS looks up (depends_on, how_used)
    assert ("depends_on", "how_used") in indexed


# --------------------------------------------------------------------------- site


def test_the_catalogue_facets_and_filters_by_standard(client, acme, adr, oauth):
    both = ComponentFactory(slug="both", name="Beide", publisher=acme)
    only = ComponentFactory(slug="only", name="Alleen ADR", publisher=acme)
    ComponentFactory(slug="none", name="Geen", publisher=acme)
    declare(both, adr)
    declare(both, oauth)
    declare(only, adr)
    page = client.get("/en/components").content.decode()
    assert 'name="standard" value="nl-api-design-rules"' in page
    assert "NL GOV API Design Rules" in page
    filtered = client.get("/en/components?standard=oauth-nl-gov").content.decode()
    assert "Beide" in filtered and "Alleen ADR" not in filtered and ">Geen<" not in filtered


def test_the_standard_page_lists_its_implementations_paged(
    client, acme, adr, django_assert_max_num_queries
):
    for i in range(3):
        declare(ComponentFactory(slug=f"impl-{i}", name=f"Impl {i}", publisher=acme), adr, "1.0")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/components/nl-api-design-rules")
    for i in range(3, 40):
        declare(ComponentFactory(slug=f"impl-{i}", name=f"Impl {i:02}", publisher=acme), adr)
    with django_assert_max_num_queries(len(few)):
        page = client.get("/en/components/nl-api-design-rules").content.decode()
    assert "Components that implement this standard" in page
    assert "Impl 0" in page
    assert "implementations=2" in page  # a second page
    second = client.get("/en/components/nl-api-design-rules?implementations=2").content.decode()
    assert "Impl 39" in second


def test_the_component_page_lists_the_standards_it_implements(client, acme, adr):
    component = ComponentFactory(slug="zaken", name="Zaken", publisher=acme)
    declare(component, adr, "2.0", "tested", "https://example.org/report")
    page = client.get("/en/components/zaken").content.decode()
    assert "Standards it implements" in page
    assert "NL GOV API Design Rules</a> 2.0: tested" in page
    assert 'href="https://example.org/report"' in page
    with translation.override("nl"):
        url = reverse("component-detail", args=["zaken"])
    dutch = client.get(url).content.decode()
    assert "Standaarden die het implementeert" in dutch


# --------------------------------------------------------------------------- publiccode.yml


def test_the_import_reads_nl_standards(acme, adr, oauth):
    text = document(
        nl={
            "standards": [
                "NL GOV API Design Rules",
                {
                    "name": "oauth-nl-gov",
                    "version": "1.0",
                    "conformance": "tested",
                    "evidence": "https://example.org/oauth",
                },
                "Not A Registered Standard",
                {"name": "OAuth NL GOV", "conformance": "excellent"},
            ]
        }
    )
    result = publiccode.import_publiccode(text, acme)
    assert result.ok, result.errors
    declared = {d.depends_on.slug: d for d in standards.standards_of(result.component)}
    assert set(declared) == {"nl-api-design-rules", "oauth-nl-gov"}
    assert declared["oauth-nl-gov"].conformance == "tested"
    assert declared["oauth-nl-gov"].evidence_url == "https://example.org/oauth"
    warned = {f.path for f in result.findings}
    assert "nl.standards[2]" in warned and "nl.standards[3]" in warned
    # Again: nothing changes; without nl.standards the declarations are kept.
    ids = set(Dependency.objects.values_list("pk", flat=True))
    publiccode.import_publiccode(text, acme)
    assert set(Dependency.objects.values_list("pk", flat=True)) == ids
    publiccode.import_publiccode(document(), acme)
    assert set(Dependency.objects.values_list("pk", flat=True)) == ids
    # An empty list removes them.
    publiccode.import_publiccode(document(nl={"standards": []}), acme)
    assert not Dependency.objects.exists()


def test_the_export_writes_nl_standards_and_the_import_reads_them_back(acme, adr, oauth):
    component = ComponentFactory(
        slug="zaken", repository_url="https://github.com/acme/zaken", publisher=acme
    )
    declare(component, adr, "2.0", "tested", "https://example.org/report")
    declare(component, oauth)
    text = publiccode.export_publiccode(component)
    assert "standards:" in text
    component.dependencies.all().delete()
    result = publiccode.import_publiccode(text, acme)
    assert result.ok, result.errors
    assert result.component.pk == component.pk
    assert [
        (d.depends_on.slug, d.version, d.conformance, d.evidence_url)
        for d in standards.standards_of(component)
    ] == [
        ("nl-api-design-rules", "2.0", "tested", "https://example.org/report"),
        ("oauth-nl-gov", "", "", ""),
    ]
