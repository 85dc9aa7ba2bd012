"""The landscape for other tools: the ArchiMate 3.1 Model Exchange File Format
(GET /api/v1/organisations/{slug}/landscape.xml) and a CSV (…/landscape.csv).

The Open Group's XSD is not available offline, so the structure is checked by
parsing: the exchange format's element order, unique identifiers, every
reference resolving to the right kind of thing, every relationship one that
ArchiMate 3.1 allows between its two types, and the view's layout being dot's."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from components import archimate
from components import landscape as ls
from components.models import Integration
from components.query import Viewer

from ..conftest import client_for

pytestmark = pytest.mark.django_db

NS = {"a": archimate.NS}
XSI_TYPE = f"{{{archimate.XSI}}}type"


def xml_url(slug="gemeente-utrecht"):
    return reverse("organisation-landscape-xml", args=[slug])


def csv_url(slug="gemeente-utrecht"):
    return reverse("organisation-landscape-csv", args=[slug])


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314  (our own output)


def test_the_model_follows_the_exchange_formats_structure(api, landscape):
    root = parse(api.get(xml_url()))
    assert root.tag == f"{{{archimate.NS}}}model"
    children = [child.tag.split("}")[1] for child in root]
    assert children == [
        "name",
        "documentation",
        "elements",
        "relationships",
        "propertyDefinitions",
        "views",
    ]
    assert root.find("a:name", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    [view] = root.findall("a:views/a:diagrams/a:view", NS)
    assert view.get(XSI_TYPE) == "Diagram"


def _identifiers(root):
    return [node.get("identifier") for node in root.iter() if node.get("identifier")]


def test_every_identifier_is_unique_and_every_reference_resolves(api, landscape, ministry):
    for client in (api, client_for(ministry)):
        root = parse(client.get(xml_url()))
        identifiers = _identifiers(root)
        assert len(identifiers) == len(set(identifiers))
        assert all(re.fullmatch(r"[A-Za-z_][-A-Za-z0-9_.]*", i) for i in identifiers)  # xs:ID
        elements = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iterfind(".//a:element", NS)}
        relationships = {r.get("identifier"): r for r in root.iterfind(".//a:relationship", NS)}
        for relationship in relationships.values():
            assert relationship.get("source") in elements
            assert relationship.get("target") in elements or relationship.get("target") in (
                relationships
            )
        definitions = {d.get("identifier") for d in root.iterfind(".//a:propertyDefinition", NS)}
        for prop in root.iterfind(".//a:property", NS):
            assert prop.get("propertyDefinitionRef") in definitions
        view = root.find(".//a:view", NS)
        nodes = {n.get("identifier"): n for n in view.iter(f"{{{archimate.NS}}}node")}
        for node in nodes.values():
            if node.get(XSI_TYPE) == "Element":
                assert node.get("elementRef") in elements
        for connection in view.iterfind("a:connection", NS):
            relationship = relationships[connection.get("relationshipRef")]
            source, target = nodes[connection.get("source")], nodes[connection.get("target")]
            # The connection joins the boxes of the relationship's own two elements.
            assert source.get("elementRef") == relationship.get("source")
            assert target.get("elementRef") == relationship.get("target")


def test_every_relationship_is_allowed_between_its_two_types(api, landscape, ministry):
    root = parse(client_for(ministry).get(xml_url()))
    types = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iterfind(".//a:element", NS)}
    kinds = {r.get("identifier"): r.get(XSI_TYPE) for r in root.iterfind(".//a:relationship", NS)}
    seen = set()
    for relationship in root.iterfind(".//a:relationship", NS):
        source = types[relationship.get("source")]
        target = types.get(relationship.get("target"), archimate.RELATIONSHIP)
        kind = relationship.get(XSI_TYPE)
        assert kind in archimate.ALLOWED[(source, target)], (kind, source, target)
        seen.add((kind, source, target))
    assert ("Serving", "ApplicationComponent", "BusinessActor") in seen
    assert ("Flow", "ApplicationComponent", "ApplicationComponent") in seen
    assert ("Association", "Constraint", "Relationship") in seen
    assert set(kinds.values()) <= {"Flow", "Serving", "Association"}


def test_the_allowed_table_is_archimates():
    """A few cells of ArchiMate 3.1's relationship table, and what it rules out."""
    allowed = archimate.ALLOWED
    assert "Flow" in allowed[("ApplicationComponent", "ApplicationInterface")]
    assert "Serving" in allowed[("ApplicationInterface", "BusinessActor")]
    assert allowed[("Constraint", "ApplicationComponent")] == {"Association"}
    assert "Flow" not in allowed[("ApplicationComponent", "Constraint")]
    assert ("BusinessActor", "ApplicationComponent") not in allowed  # not used here
    # and the builder refuses what the table does not allow
    model = archimate._Model(ET.Element("model"))
    model.element("id-a", "Constraint", "StUF")
    model.element("id-b", "ApplicationComponent", "Open Zaak")
    with pytest.raises(archimate.NotAllowed):
        model.relationship("id-r", "Flow", "id-a", "id-b")


def test_elements_are_typed_by_kind(api, landscape):
    root = parse(api.get(xml_url()))
    by_name = {
        e.find("a:name", NS).text: e.get(XSI_TYPE) for e in root.iterfind(".//a:element", NS)
    }
    assert by_name["Gemeente Utrecht"] == "BusinessActor"
    assert by_name["Open Zaak"] == "ApplicationComponent"
    assert by_name["ZGW API's"] == "Constraint"  # the standard of the public integration


def test_a_two_way_integration_is_a_flow_each_way(utrecht_api, api, landscape):
    landscape["public"].direction = "two-way"
    landscape["public"].save()
    root = parse(api.get(xml_url()))
    flows = {
        r.get("identifier"): (r.get("source"), r.get("target"))
        for r in root.iterfind(".//a:relationship", NS)
        if r.get(XSI_TYPE) == "Flow"
    }
    pk = landscape["public"].pk
    assert flows[f"id-flow-{pk}"] == tuple(reversed(flows[f"id-flow-{pk}-back"]))


def test_the_view_has_the_layout_of_the_diagram(api, landscape, utrecht):
    """Each box stands where dot put it on the landscape page: its centre in the
    view is the centre of its label in the page's SVG (same layout run)."""
    root = parse(api.get(xml_url()))
    picture = ls.build(utrecht, Viewer.anonymous())
    svg = ls.render(ls.dot_source(picture), "svg").decode().replace("&#45;", "-")
    height = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ [\d.]+ ([\d.]+)"', svg).group(1))
    view_nodes = {
        n.get("elementRef"): n
        for n in root.iterfind(".//a:view//a:node", NS)
        if n.get(XSI_TYPE) == "Element"
    }
    assert len(view_nodes) == len(picture.nodes) == 3
    for node in picture.nodes:
        group = svg[svg.index(f'id="component-{node.component.slug}"') :]
        x, y = (
            float(v) for v in re.search(r'<text[^>]* x="([-\d.]+)" y="([-\d.]+)"', group).groups()
        )
        box = view_nodes[f"id-component-{node.component.pk}"]
        centre_x = int(box.get("x")) + int(box.get("w")) / 2 - 20
        centre_y = int(box.get("y")) + int(box.get("h")) / 2 - 20
        # The SVG's graph coordinates are dot's with y negated, in a view box 4
        # points larger on each side; the label's baseline sits a few points below
        # the box's centre.
        assert abs(centre_x - x) <= 2
        assert abs(centre_y - (height - 8 + y)) <= 8


def test_government_only_integrations_stay_out_for_vendors_and_anonymous(
    api, acme_api, landscape, ministry
):
    hidden = f"id-flow-{landscape['hidden'].pk}"
    for client in (api, acme_api):
        assert hidden.encode() not in client.get(xml_url()).content
        assert b"Intern" not in client.get(csv_url()).content
    assert hidden.encode() in client_for(ministry).get(xml_url()).content


def test_the_csv_has_a_row_per_usage_and_per_integration(api, landscape, ministry):
    response = client_for(ministry).get(csv_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["type"] for r in rows].count("usage") == 3
    assert [r["type"] for r in rows].count("integration") == 2
    public = next(r for r in rows if r["type"] == "integration" and r["visibility"] == "public")
    assert (public["component"], public["toComponent"], public["standard"]) == (
        "signalen",
        "open-zaak",
        "zgw-apis",
    )
    anonymous = list(csv.DictReader(io.StringIO(api.get(csv_url()).content.decode())))
    assert [r["type"] for r in anonymous].count("integration") == 1


def test_the_csv_is_safe_in_a_spreadsheet(api, landscape):
    integration = landscape["public"]
    component = integration.source_usage.component
    component.name = '=HYPERLINK("http://192.0.2.1")'
    component.save()
    text = api.get(csv_url()).content.decode()
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_an_unknown_organisation_is_a_problem(api):
    for url in (xml_url("gemeente-nergens"), csv_url("gemeente-nergens")):
        response = api.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_exports_take_a_fixed_number_of_queries(api, landscape, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        api.get(csv_url())
    with django_assert_max_num_queries(4):
        api.get(xml_url())
    assert Integration.objects.count() == 2


def test_an_api_is_an_application_interface_and_its_integrations_are_allowed(
    api, landscape, utrecht, globex
):
    """An API the organisation uses is an ApplicationInterface; an integration from
    a component to it, and one over it (as the API talked through), are
    relationships ArchiMate allows between those types."""
    from components.constants import ComponentKind, UsageStatus

    from ..factories import ComponentFactory, IntegrationFactory, UsageFactory

    brp = ComponentFactory(
        slug="brp-bevragen", name="BRP Bevragen", publisher=globex, kind=ComponentKind.API
    )
    usage = UsageFactory(organisation=utrecht, component=brp, status=UsageStatus.PRODUCTION)
    IntegrationFactory(
        organisation=utrecht, source_usage=landscape["usages"]["open-zaak"], target_usage=usage
    )
    IntegrationFactory(
        organisation=utrecht,
        source_usage=landscape["usages"]["signalen"],
        target_usage=landscape["usages"]["open-notificaties"],
        standard=brp,
    )
    root = parse(api.get(xml_url()))
    types = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iterfind(".//a:element", NS)}
    names = {
        e.get("identifier"): e.find("a:name", NS).text for e in root.iterfind(".//a:element", NS)
    }
    (interface,) = [i for i, name in names.items() if name == "BRP Bevragen"]
    assert types[interface] == "ApplicationInterface"
    touching = [
        (r.get(XSI_TYPE), types.get(r.get("source")), types.get(r.get("target")))
        for r in root.iterfind(".//a:relationship", NS)
        if interface in (r.get("source"), r.get("target"))
    ]
    assert touching
    for kind, source, target in touching:
        assert kind in archimate.ALLOWED[(source, target or archimate.RELATIONSHIP)], touching
