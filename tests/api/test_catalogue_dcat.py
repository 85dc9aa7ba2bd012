"""GET /api/v1/catalogue: the public catalogue in DCAT-AP-NL 3.0 (and ADMS-AP), and
one component as linked data; validated with the official SHACL shapes."""

import io

import pytest
from django.core.management import call_command
from rdflib import Graph, Literal, URIRef

from accounts.constants import OrganisationKind
from components import dcat
from components.constants import (
    ComponentKind,
    DependencyUse,
    LinkKind,
    ReuseRestriction,
    UsageStatus,
    Visibility,
)
from components.dcat import DCAT, RDF, SKOS, XSD
from components.dcat import DCT as DCTERMS
from components.models import ComponentLink

from ..factories import (
    ComponentFactory,
    DependencyFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    VendorFactory,
)
from ..shacl import results

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
ADMS = dcat.ADMS
FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}


def fetch(client, path, accept=None):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get(path, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def parsed(body, media_type):
    graph = Graph()
    graph.parse(data=body, format=FORMATS[media_type])
    return graph


@pytest.fixture
def catalogue(db):
    """A small catalogue: an API of Utrecht that implements a standard of the VNG,
    released, with a production environment; a vendor's software under two licences."""
    utrecht = OrganisationFactory(
        name="Gemeente Utrecht", slug="gemeente-utrecht", cbs_code="GM0344",
        oin="00000001002220647000",
    )  # fmt: skip
    vng = OrganisationFactory(
        name="VNG", slug="vng", kind=OrganisationKind.COOPERATION, oin="00000001821002193000"
    )
    vendor = VendorFactory(name="Acme B.V.", slug="acme")
    standard = ComponentFactory(
        slug="zgw-standaard", name="ZGW API's", kind=ComponentKind.STANDARD, publisher=vng
    )
    api = ComponentFactory(
        slug="zaken-api",
        name="Zaken API",
        kind=ComponentKind.API,
        publisher=utrecht,
        api_specification_url="https://zaken.example.nl/api/v1/schema/openapi.yaml",
        documentation_url="https://zaken.example.nl/docs",
        long_description_en="Cases of the municipality.",
        reuse_restriction=ReuseRestriction.PUBLIC_SECTOR,
    )
    ComponentLink.objects.create(
        component=api, kind=LinkKind.PRODUCTION, url="https://zaken.example.nl/api/v1"
    )
    DependencyFactory(component=api, depends_on=standard, how_used=DependencyUse.IMPLEMENTS)
    DependencyFactory(
        component=api, depends_on=None, name="NL GOV OAuth", how_used=DependencyUse.IMPLEMENTS
    )
    ReleaseFactory(component=api, version="1.5.0")
    software = ComponentFactory(
        slug="acme-zaken", name="Acme Zaken", publisher=vendor,
        license_expression="MIT OR Apache-2.0", repository_url="https://github.com/acme/zaken",
    )  # fmt: skip
    for component in (standard, api, software):
        component.sync_licenses()
    return {"utrecht": utrecht, "vendor": vendor, "api": api, "software": software}


def test_the_catalogue_validates_against_dcat_ap_nl_and_dcat_ap(client, catalogue):
    response, body = fetch(client, "/api/v1/catalogue", "text/turtle")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    assert results(parsed(body, "text/turtle")) == {}


@pytest.mark.parametrize("suffix, media_type", [
    ("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml"),
])  # fmt: skip
def test_every_format_says_the_same_by_accept_header_and_by_suffix(
    client, catalogue, suffix, media_type
):
    _response, turtle = fetch(client, "/api/v1/catalogue", "text/turtle")
    expected = set(parsed(turtle, "text/turtle"))
    response, body = fetch(client, "/api/v1/catalogue", media_type)
    assert response["Content-Type"].startswith(media_type)
    assert set(parsed(body, media_type)) == expected
    response, body = fetch(client, f"/api/v1/catalogue.{suffix}")
    assert response["Content-Type"].startswith(media_type)
    assert set(parsed(body, media_type)) == expected


def test_json_ld_is_the_same_bytes_whatever_the_process_hash_seed(client, catalogue):
    """rdflib gathers a graph's nodes from a set, whose order follows the process's
    hash seed: unsorted, two gunicorn workers wrote the same component in different
    orders, so under different ETags. Nodes come sorted by @id, keys sorted."""
    import json

    for path in ("/api/v1/catalogue", "/api/v1/components/zaken-api"):
        _response, body = fetch(client, path, "application/ld+json")
        nodes = json.loads(body)["@graph"]
        assert len(nodes) > 3
        if "components" in path:
            # One chunk: sorted throughout (the catalogue is sorted chunk by chunk).
            ids = [node.get("@id", "") for node in nodes]
            assert ids == sorted(ids)
        for node in nodes:
            assert list(node) == sorted(node)


def test_an_unsupported_accept_is_406_problem_json(client, catalogue):
    for path in ("/api/v1/catalogue", "/api/v1/components/zaken-api"):
        response, body = fetch(client, path, "application/xml")
        assert response.status_code == 406
        assert response["Content-Type"] == "application/problem+json"
        assert b'"status":406' in body
    response, _body = fetch(client, "/api/v1/catalogue.xml")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_an_api_is_a_data_service_with_what_dcat_ap_nl_asks(client, catalogue):
    _response, body = fetch(client, "/api/v1/catalogue", "text/turtle")
    graph = parsed(body, "text/turtle")
    api = URIRef(f"{BASE}/api/v1/components/zaken-api")
    assert (URIRef(f"{BASE}/api/v1/catalogue"), DCAT.service, api) in graph
    assert (api, RDF.type, DCAT.DataService) in graph
    assert graph.value(api, DCAT.endpointURL) == URIRef("https://zaken.example.nl/api/v1")
    assert graph.value(api, DCAT.endpointDescription) == URIRef(
        "https://zaken.example.nl/api/v1/schema/openapi.yaml"
    )
    assert graph.value(api, DCTERMS.license) == URIRef("http://spdx.org/licenses/EUPL-1.2")
    # Reuse restricted to the public sector: restricted access.
    assert graph.value(api, DCTERMS.accessRights) == dcat.ACCESS_RIGHT.RESTRICTED
    assert graph.value(api, DCAT.theme) == dcat.DATA_THEME.GOVE
    standards = set(graph.objects(api, DCTERMS.conformsTo))
    assert URIRef(f"{BASE}/api/v1/components/zgw-standaard") in standards
    assert len(standards) == 2
    for standard in standards:
        assert (standard, RDF.type, DCTERMS.Standard) in graph
    assert {str(t) for t in graph.objects(api, DCTERMS.title)} == {"Zaken API"}
    modified = graph.value(api, DCTERMS.modified)
    assert modified.datatype == XSD.dateTime
    assert graph.value(api, dcat.OWL.versionInfo) == Literal("1.5.0")
    contact = graph.value(api, DCAT.contactPoint)
    assert (contact, RDF.type, dcat.VCARD.Kind) in graph


def test_publishers_are_identified_by_tooi_with_the_oin_as_adms_identifier(client, catalogue):
    _response, body = fetch(client, "/api/v1/catalogue", "text/turtle")
    graph = parsed(body, "text/turtle")
    api = URIRef(f"{BASE}/api/v1/components/zaken-api")
    utrecht = URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0344")
    assert graph.value(api, DCTERMS.publisher) == utrecht
    identifier = graph.value(utrecht, ADMS.identifier)
    assert graph.value(identifier, SKOS.notation) == Literal("00000001002220647000")
    assert graph.value(utrecht, DCTERMS.type) == dcat.PUBLISHER_TYPE.LocalAuthority
    # Without a TOOI URI or CBS code: this registry's URI for the organisation.
    software = URIRef(f"{BASE}/api/v1/components/acme-zaken")
    assert graph.value(software, DCTERMS.publisher) == URIRef(f"{BASE}/api/v1/organisations/acme")


def test_a_recorded_tooi_uri_wins_over_the_cbs_code(catalogue):
    utrecht = catalogue["utrecht"]
    utrecht.tooi_uri = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
    assert dcat.organisation_iri(utrecht) == URIRef(utrecht.tooi_uri)
    province = OrganisationFactory(kind=OrganisationKind.PROVINCE, cbs_code="PV26")
    water = OrganisationFactory(kind=OrganisationKind.WATER_AUTHORITY, cbs_code="WS0155")
    assert str(dcat.organisation_iri(province)).endswith("/tooi/id/provincie/pv26")
    assert str(dcat.organisation_iri(water)).endswith("/tooi/id/waterschap/ws0155")


def test_software_is_an_adms_asset_with_its_licences_by_spdx_uri(client, catalogue):
    _response, body = fetch(client, "/api/v1/catalogue", "text/turtle")
    graph = parsed(body, "text/turtle")
    software = URIRef(f"{BASE}/api/v1/components/acme-zaken")
    assert (software, RDF.type, ADMS.Asset) in graph
    assert (software, RDF.type, DCAT.DataService) not in graph
    distribution = graph.value(software, DCAT.distribution)
    assert graph.value(distribution, DCAT.accessURL) == URIRef("https://github.com/acme/zaken")
    licence = graph.value(distribution, DCTERMS.license)
    assert str(graph.value(licence, dcat.RDFS.label)) == "MIT OR Apache-2.0"
    assert set(graph.objects(licence, dcat.RDFS.seeAlso)) == {
        URIRef("http://spdx.org/licenses/MIT"),
        URIRef("http://spdx.org/licenses/Apache-2.0"),
    }
    standard = URIRef(f"{BASE}/api/v1/components/zgw-standaard")
    assert {(standard, RDF.type, ADMS.Asset), (standard, RDF.type, DCTERMS.Standard)} <= set(graph)


def test_one_component_as_linked_data_is_its_part_of_the_catalogue(client, catalogue):
    _response, body = fetch(client, "/api/v1/catalogue", "text/turtle")
    whole = set(parsed(body, "text/turtle"))
    for media_type, suffix in (("text/turtle", "ttl"), ("application/ld+json", "jsonld")):
        response, body = fetch(client, "/api/v1/components/zaken-api", media_type)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(media_type)
        one = set(parsed(body, media_type))
        api = URIRef(f"{BASE}/api/v1/components/zaken-api")
        assert (api, RDF.type, DCAT.DataService) in one
        assert one <= whole
        _response, by_suffix = fetch(client, f"/api/v1/components/zaken-api.{suffix}")
        assert set(parsed(by_suffix, media_type)) == one
    # JSON stays the default.
    response, _body = fetch(client, "/api/v1/components/zaken-api")
    assert response["Content-Type"] == "application/json"
    assert response.json()["slug"] == "zaken-api"


def test_a_government_only_usage_changes_nothing_in_the_export(client, catalogue):
    paths = ["/api/v1/catalogue", "/api/v1/catalogue.jsonld", "/api/v1/components/zaken-api.ttl"]
    before = [fetch(client, path)[1] for path in paths]
    UsageFactory(
        organisation=OrganisationFactory(name="Gemeente Geheim"),
        component=catalogue["api"],
        visibility=Visibility.GOVERNMENT,
        status=UsageStatus.PRODUCTION,
    )
    assert [fetch(client, path)[1] for path in paths] == before
    assert b"Geheim" not in before[0]


def test_the_catalogue_costs_a_fixed_number_of_queries_per_chunk(
    client, catalogue, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(dcat, "CHUNK", 10)
    publisher = VendorFactory()
    ComponentFactory.create_batch(25, publisher=publisher, kind=ComponentKind.API)
    # Licences and the publisher once, the maximum date, then per chunk of 10: the
    # components, their links, standards and latest releases.
    with django_assert_max_num_queries(4 + 4 * 4):
        _response, body = fetch(client, "/api/v1/catalogue")
    services = set(parsed(body, "text/turtle").subjects(RDF.type, DCAT.DataService))
    # Each API, and the registry's own API.
    assert len(services) == 26 + 1


def test_the_demo_catalogue_validates(client):
    call_command("load_demo", stdout=io.StringIO())
    _response, body = fetch(client, "/api/v1/catalogue", "text/turtle")
    graph = parsed(body, "text/turtle")
    assert len(set(graph.subjects(RDF.type, DCAT.DataService))) >= 5
    assert len(set(graph.subjects(RDF.type, ADMS.Asset))) >= 20
    assert results(graph) == {}


@pytest.mark.postgres
def test_a_generated_catalogue_validates(client):
    """The benchmark generator's catalogue (writes with COPY: PostgreSQL only)."""
    call_command(
        "generate_catalogue", "--organisations=40", "--components=300", "--usages=1000",
        "--seed=3", stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    _response, body = fetch(client, "/api/v1/catalogue", "text/turtle")
    graph = parsed(body, "text/turtle")
    services = set(graph.subjects(RDF.type, DCAT.DataService))
    assets = set(graph.subjects(RDF.type, ADMS.Asset))
    assert len(services) + len(assets) == 300 + 1
    assert results(graph) == {}


def test_links_are_written_with_a_component_and_a_link_given_twice_is_refused(db):
    from ..conftest import client_for

    publisher = VendorFactory()
    client = client_for(publisher)
    body = {
        "slug": "met-links", "name": "Met links", "kind": "api", "license": "EUPL-1.2",
        "shortDescription": "Een API.",
        "links": [{"url": "https://a.example.nl/api"}, {"kind": "production", "url": "https://b.nl"}],
    }  # fmt: skip
    response = client.post("/api/v1/components", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["links"] == [
        {"kind": "other", "url": "https://a.example.nl/api", "label": ""},
        {"kind": "production", "url": "https://b.nl", "label": ""},
    ]
    twice = {**body, "slug": "twee", "links": [{"url": "https://a.nl"}, {"url": "https://a.nl"}]}
    response = client.post("/api/v1/components", twice, format="json")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "links.1.url"
