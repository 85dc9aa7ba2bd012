"""Validating our DCAT-AP output with the official shapes (../shared/dcat-ap-nl and
../shared/dcat-ap), as data.overheid.nl and the EU's validator would."""

from collections import Counter
from functools import cache

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from .conftest import find_shared

DCAT_AP_NL = [
    "dcat-ap-nl-SHACL.ttl",
    "dcat-ap-nl-SHACL-klassebereik.ttl",
    "dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
    "dcat-ap-nl-SHACL-aanbevolen.ttl",
]
# The EU profile: the shapes with their class ranges and controlled vocabularies
# (shapes_recommended.ttl only warns).
DCAT_AP = ["dcat-ap-3.0.0-SHACL.ttl", "range.ttl", "mdr-vocabularies.shape.ttl"]


@cache
def shapes() -> Graph:
    graph = Graph()
    for name in DCAT_AP_NL:
        graph.parse(find_shared("dcat-ap-nl", name), format="turtle")
    for name in DCAT_AP:
        graph.parse(find_shared("dcat-ap", name), format="turtle")
    return graph


def results(data: Graph, severity=SH.Violation) -> Counter:
    """{(focus node, path, message): n} of the report's results of this severity
    (the top-level ones: pyshacl also lists the nested details of sh:node)."""
    _conforms, report_graph, _text = validate(data, shacl_graph=shapes(), inference="none")
    report = next(report_graph.subjects(RDF.type, SH.ValidationReport))
    found = Counter()
    for result in report_graph.objects(report, SH.result):
        if report_graph.value(result, SH.resultSeverity) != severity:
            continue
        found[
            (
                str(report_graph.value(result, SH.focusNode)),
                str(report_graph.value(result, SH.resultPath)),
                str(report_graph.value(result, SH.resultMessage)),
            )
        ] += 1
    return found
