"""An organisation's landscape in the ArchiMate 3.1 Model Exchange File Format
(the Open Group's "AMEFF"), for architecture tools such as Archi.

Elements: the organisation is a BusinessActor; a component it uses is an
ApplicationComponent, or an ApplicationInterface when it is an API; a standard
an integration runs over is a Constraint (GEMMA models standards as
constraints on what realises them). Relationships: each component Serves the
organisation; each integration is a Flow from one component to the other
(two, one each way, when it is two-way); its standard or API is Associated
with that Flow. One view ("Diagram") draws the layers and the components where
Graphviz's dot placed them for the landscape page, and the flows between them.

Every relationship is checked against ALLOWED, the part of ArchiMate 3.1's
relationship table (Appendix B) this export uses; an identifier is unique and
every reference resolves (tests/test_archimate.py proves both on the output).
"""

import json
import xml.etree.ElementTree as ET

from . import landscape as ls
from .constants import ComponentKind, IntegrationDirection

NS = "http://www.opengroup.org/xsd/archimate/3.0/"  # 3.1 keeps the 3.0 namespace
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

ACTOR = "BusinessActor"
COMPONENT = "ApplicationComponent"
INTERFACE = "ApplicationInterface"
CONSTRAINT = "Constraint"
RELATIONSHIP = "Relationship"  # a relationship as the target of another

FLOW, SERVING, ASSOCIATION = "Flow", "Serving", "Association"
URL_PROPERTY = "propid-registry-page"

# ArchiMate 3.1, Appendix B, for the element types and relationship types used
# here: (source type, target type) → the relationships allowed between them.
# Flow and Serving run between active structure elements of the application
# layer, and from them to a business actor; association is allowed between any
# two concepts, and from an element to a relationship.
_ACTIVE = (COMPONENT, INTERFACE)
ALLOWED = {
    **{(a, b): {FLOW, SERVING, ASSOCIATION} for a in _ACTIVE for b in _ACTIVE},
    **{(a, ACTOR): {FLOW, SERVING, ASSOCIATION} for a in _ACTIVE},
    **{(CONSTRAINT, b): {ASSOCIATION} for b in (*_ACTIVE, ACTOR, CONSTRAINT)},
    **{(a, CONSTRAINT): {ASSOCIATION} for a in (*_ACTIVE, ACTOR)},
    **{(a, RELATIONSHIP): {ASSOCIATION} for a in (*_ACTIVE, ACTOR, CONSTRAINT)},
}


class NotAllowed(ValueError):
    """A relationship ArchiMate does not allow between those two types."""


def element_type(component):
    if component.kind == ComponentKind.STANDARD:
        return CONSTRAINT
    if component.kind == ComponentKind.API:
        return INTERFACE
    return COMPONENT


def _q(tag):
    return f"{{{NS}}}{tag}"


def _text(parent, tag, text, lang="nl"):
    child = ET.SubElement(parent, _q(tag))
    child.text = str(text)
    child.set(XML_LANG, lang)
    return child


class _Model:
    """The XML being written, with the type of every element and relationship
    by identifier, so each relationship is checked as it is added."""

    def __init__(self, root):
        self.root = root
        self.elements = ET.SubElement(root, _q("elements"))
        self.relationships = ET.SubElement(root, _q("relationships"))
        self.types = {}

    def element(self, identifier, kind, name, documentation="", url=""):
        if identifier in self.types:
            return
        node = ET.SubElement(self.elements, _q("element"), identifier=identifier)
        node.set(f"{{{XSI}}}type", kind)
        _text(node, "name", name)
        if documentation:
            _text(node, "documentation", documentation)
        if url:
            properties = ET.SubElement(node, _q("properties"))
            prop = ET.SubElement(properties, _q("property"), propertyDefinitionRef=URL_PROPERTY)
            _text(prop, "value", url, lang="en")
        self.types[identifier] = kind

    def relationship(self, identifier, kind, source, target, name=""):
        source_type = self.types[source]
        target_type = self.types[target]
        if target_type in (FLOW, SERVING, ASSOCIATION):
            target_type = RELATIONSHIP
        if kind not in ALLOWED.get((source_type, target_type), ()):
            raise NotAllowed(f"{kind} from {source_type} to {target_type}")
        node = ET.SubElement(
            self.relationships,
            _q("relationship"),
            identifier=identifier,
            source=source,
            target=target,
        )
        node.set(f"{{{XSI}}}type", kind)
        if name:
            _text(node, "name", name)
        self.types[identifier] = kind
        return node


def _layout(landscape):
    """dot's layout of the landscape: node and cluster boxes in points, with the
    origin at the top left as in a view (dot's y axis points up)."""
    layout = json.loads(ls.render(ls.dot_source(landscape, link=False), "json"))
    height = float(layout["bb"].split(",")[3])
    boxes = {}
    for item in layout.get("objects", []):
        if "pos" in item:
            x, y = (float(v) for v in item["pos"].split(","))
            w, h = float(item["width"]) * 72, float(item["height"]) * 72
            boxes[item["name"]] = (x - w / 2, height - y - h / 2, w, h)
        elif item.get("name", "").startswith("cluster_") and "bb" in item:
            x1, y1, x2, y2 = (float(v) for v in item["bb"].split(","))
            boxes[item["name"]] = (x1, height - y2, x2 - x1, y2 - y1)
    return boxes


def _bounds(node, box, margin=20):
    x, y, w, h = box
    node.set("x", str(round(x) + margin))
    node.set("y", str(round(y) + margin))
    node.set("w", str(max(1, round(w))))
    node.set("h", str(max(1, round(h))))


def model_xml(landscape, site_url=""):
    """The landscape as an AMEFF document (bytes, UTF-8)."""
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    organisation = landscape.organisation
    root = ET.Element(_q("model"), identifier=f"id-model-{organisation.slug}")
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    _text(root, "name", landscape.title, lang="en")
    _text(
        root,
        "documentation",
        "Exported from the Component Registry: the components the organisation uses "
        "and the integrations between them, as far as the exporter may see them.",
        lang="en",
    )
    model = _Model(root)
    actor = f"id-organisation-{organisation.pk}"
    model.element(actor, ACTOR, organisation.name, organisation.description)

    ids = {}
    page = ls.component_url()
    for node in landscape.nodes:
        component = node.component
        ids[node.key] = f"id-component-{component.pk}"
        model.element(
            ids[node.key],
            element_type(component),
            component.name,
            component.short_description,
            site_url + node.url,
        )
        model.relationship(f"id-serving-{component.pk}", SERVING, ids[node.key], actor)

    flows = []  # (relationship id, source node key, target node key)
    for edge in landscape.edges:
        integration = edge.integration
        source, target = ids[edge.source.key], ids[edge.target.key]
        directions = [("", source, target, edge.source.key, edge.target.key)]
        if integration.direction == IntegrationDirection.TWO_WAY:
            directions.append(("-back", target, source, edge.target.key, edge.source.key))
        carrier = integration.standard
        carrier_id = None
        if carrier is not None:
            carrier_id = f"id-component-{carrier.pk}"
            model.element(
                carrier_id,
                element_type(carrier),
                carrier.name,
                url=site_url + page(carrier.slug),
            )
        for suffix, from_id, to_id, from_key, to_key in directions:
            identifier = f"id-flow-{integration.pk}{suffix}"
            kind = FLOW
            if (model.types[from_id], model.types[to_id]) not in {
                key for key, allowed in ALLOWED.items() if FLOW in allowed
            }:
                kind = ASSOCIATION  # say, an end that is a standard: no flow from it
            model.relationship(identifier, kind, from_id, to_id, edge.label)
            flows.append((identifier, from_key, to_key))
            if carrier_id is not None:
                model.relationship(
                    f"id-over-{integration.pk}{suffix}", ASSOCIATION, carrier_id, identifier
                )

    definitions = ET.SubElement(root, _q("propertyDefinitions"))
    definition = ET.SubElement(
        definitions, _q("propertyDefinition"), identifier=URL_PROPERTY, type="string"
    )
    _text(definition, "name", "Component Registry page", lang="en")

    views = ET.SubElement(root, _q("views"))
    diagrams = ET.SubElement(views, _q("diagrams"))
    view = ET.SubElement(diagrams, _q("view"), identifier=f"id-view-{organisation.slug}")
    view.set(f"{{{XSI}}}type", "Diagram")
    _text(view, "name", landscape.title, lang="en")
    if landscape.nodes:
        boxes = _layout(landscape)
        for layer, nodes in landscape.by_layer():
            container = ET.SubElement(
                view, _q("node"), identifier=f"id-layer-{layer or 'none'}-{organisation.pk}"
            )
            container.set(f"{{{XSI}}}type", "Container")
            _bounds(container, boxes[f"cluster_{layer or 'none'}"])
            _text(container, "label", ls.layer_label(layer), lang="en")
            for node in nodes:
                child = ET.SubElement(
                    container,
                    _q("node"),
                    identifier=f"id-node-{node.component.pk}",
                    elementRef=ids[node.key],
                )
                child.set(f"{{{XSI}}}type", "Element")
                _bounds(child, boxes[node.key])
        for identifier, from_key, to_key in flows:
            connection = ET.SubElement(
                view,
                _q("connection"),
                identifier=f"id-connection-{identifier.removeprefix('id-')}",
                relationshipRef=identifier,
                source=f"id-node-{from_key.removeprefix('c')}",
                target=f"id-node-{to_key.removeprefix('c')}",
            )
            connection.set(f"{{{XSI}}}type", "Relationship")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
