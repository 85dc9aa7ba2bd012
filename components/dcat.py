"""The public catalogue as linked data: DCAT-AP-NL 3.0 for APIs, ADMS-AP for the rest.

Each API component is a ``dcat:DataService``; software, libraries, house styles
and standards are ``adms:Asset``s (a standard is a ``dct:Standard`` too, so that
services can say they conform to it). The catalogue (``dcat:Catalog``) also
describes the registry's own data as a ``dcat:Dataset`` (DCAT-AP-NL asks every
catalogue for at least one) served by the registry's API as a DataService.

Built with rdflib and written chunk by chunk (``serialize``): a small graph per
few hundred components, so 50,000 components stream in bounded memory. Every
node has an IRI (no blank nodes), so the same catalogue always gives the same
bytes. Nothing about usages is exported: government-only usages cannot show.

IRIs:
- a component: ``{site}/api/v1/components/{slug}`` (answers RDF to
  ``Accept: text/turtle``), its page on the site as landing page;
- an organisation: its TOOI URI (the one recorded, else built from its CBS code:
  ``GM0344`` → ``https://identifier.overheid.nl/tooi/id/gemeente/gm0344``,
  ``PV26`` → ``…/provincie/pv26``, ``WS0155`` → ``…/waterschap/ws0155``); an
  organisation without one (vendors, most cooperations) is identified by this
  registry: ``{site}/api/v1/organisations/{slug}``. The OIN is its
  ``adms:identifier``;
- a licence: ``http://spdx.org/licenses/{id}``; a custom ``LicenseRef-…`` the
  registry's ``/api/v1/licenses/{id}``; an expression of several licences
  (``MIT OR Apache-2.0``) one ``dct:LicenseDocument`` of the component, labelled
  with the expression and pointing at each licence.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from xml.sax.saxutils import quoteattr

import orjson
from django.conf import settings
from django.db.models import F, Max
from django.urls import reverse
from django.utils import translation
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.serializers.jsonld import from_rdf

from accounts.constants import OrganisationKind
from accounts.models import Organisation
from registry.links import base_url

from .constants import ComponentKind, DependencyUse, DevelopmentStatus, LinkKind, ReuseRestriction
from .models import Component, Dependency, License, Release


class Namespace:
    """A vocabulary whose terms are made once. rdflib's namespaces make (and for the
    well-known ones, look up) a term on every use, a cost at 1.5 million triples."""

    def __init__(self, iri: str):
        self._iri = iri

    def __str__(self):
        return self._iri

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        term = URIRef(self._iri + name)
        self.__dict__[name] = term
        return term

    def __getitem__(self, name):
        return getattr(self, name)


ADMS = Namespace("http://www.w3.org/ns/adms#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
# DCAT 3's general link from a catalogue to what it lists.
DCAT_RESOURCE = DCAT.resource

EU = "http://publications.europa.eu/resource/authority/"
ACCESS_RIGHT = Namespace(EU + "access-right/")
DATA_THEME = Namespace(EU + "data-theme/")
LANGUAGE = Namespace(EU + "language/")
FILE_TYPE = Namespace(EU + "file-type/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
ADMS_STATUS = Namespace("http://purl.org/adms/status/")
SPDX_LICENSES = "http://spdx.org/licenses/"
IANA = "https://www.iana.org/assignments/media-types/"
TOOI = "https://identifier.overheid.nl/tooi/id/"

PREFIXES = {
    "adms": ADMS,
    "dcat": DCAT,
    "dcatap": DCATAP,
    "dct": DCT,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "vcard": VCARD,
    "xsd": XSD,
}

# The formats we answer in: (media type, rdflib plugin, file suffix).
FORMATS = {
    "text/turtle": ("turtle", "ttl"),
    "application/ld+json": ("json-ld", "jsonld"),
    "application/rdf+xml": ("xml", "rdf"),
}

CHUNK = 500

# CBS code prefix → TOOI organisation type.
TOOI_TYPES = {"GM": "gemeente", "PV": "provincie", "WS": "waterschap"}

# ADMS publisher types (the vocabulary DCAT-AP asks for). A cooperation of public
# bodies (a gemeenschappelijke regeling, VNG) is closest to a local authority;
# other public bodies (Kadaster, RDW, …) work nationally.
PUBLISHER_TYPES = {
    OrganisationKind.MUNICIPALITY: "LocalAuthority",
    OrganisationKind.PROVINCE: "RegionalAuthority",
    OrganisationKind.WATER_AUTHORITY: "RegionalAuthority",
    OrganisationKind.CENTRAL_GOVERNMENT: "NationalAuthority",
    OrganisationKind.OTHER_PUBLIC: "NationalAuthority",
    OrganisationKind.COOPERATION: "LocalAuthority",
    OrganisationKind.VENDOR: "Company",
}
PUBLISHER_TYPE_LABELS = {
    "LocalAuthority": "Local Authority",
    "RegionalAuthority": "Regional Authority",
    "NationalAuthority": "National Authority",
    "Company": "Company",
}

ADMS_STATUSES = {
    DevelopmentStatus.CONCEPT: "UnderDevelopment",
    DevelopmentStatus.DEVELOPMENT: "UnderDevelopment",
    DevelopmentStatus.BETA: "UnderDevelopment",
    DevelopmentStatus.STABLE: "Completed",
    DevelopmentStatus.OBSOLETE: "Deprecated",
}
ADMS_STATUS_LABELS = {
    "UnderDevelopment": "Under development",
    "Completed": "Completed",
    "Deprecated": "Deprecated",
}

# Concepts of the EU vocabularies we use, with the label and scheme the shapes
# need to see in the data itself (validation runs without fetching anything).
CONCEPTS = {
    ACCESS_RIGHT.PUBLIC: ("Public", EU + "access-right", DCT.RightsStatement),
    ACCESS_RIGHT.RESTRICTED: ("Restricted", EU + "access-right", DCT.RightsStatement),
    DATA_THEME.GOVE: ("Government and public sector", EU + "data-theme", None),
    LANGUAGE.NLD: ("Dutch", EU + "language", DCT.LinguisticSystem),
    LANGUAGE.ENG: ("English", EU + "language", DCT.LinguisticSystem),
    FILE_TYPE.RDF_TURTLE: ("Turtle", EU + "file-type", DCT.MediaTypeOrExtent),
    FILE_TYPE.JSON_LD: ("JSON-LD", EU + "file-type", DCT.MediaTypeOrExtent),
    FILE_TYPE.RDF_XML: ("RDF/XML", EU + "file-type", DCT.MediaTypeOrExtent),
    FILE_TYPE.ZIP: ("ZIP", EU + "file-type", DCT.MediaTypeOrExtent),
}
SCHEMES = {
    EU + "access-right": "Access right",
    EU + "data-theme": "Data theme",
    EU + "language": "Languages",
    EU + "file-type": "File type",
    "http://purl.org/adms/publishertype/1.0": "Publisher type",
    "http://purl.org/adms/status/1.0": "Status",
}

LICENSE_TOKEN = re.compile(r"[A-Za-z0-9.+\-]+")
OPERATORS = {"AND", "OR", "WITH"}


API = "/api/v1"


def absolute(path: str, base: str | None = None) -> str:
    return (base or base_url()) + path


def catalogue_iri(base: str | None = None) -> URIRef:
    return URIRef(absolute(f"{API}/catalogue", base))


def component_iri(slug: str, base: str | None = None) -> URIRef:
    return URIRef(absolute(f"{API}/components/{slug}", base))


def organisation_iri(organisation, base: str | None = None) -> URIRef:
    """The TOOI URI, recorded or built from the CBS code; else this registry's."""
    if organisation.tooi_uri:
        return URIRef(organisation.tooi_uri)
    code = organisation.cbs_code
    if code and code[:2] in TOOI_TYPES:
        return URIRef(f"{TOOI}{TOOI_TYPES[code[:2]]}/{code.lower()}")
    return registry_organisation_iri(organisation, base)


def registry_organisation_iri(organisation, base: str | None = None) -> URIRef:
    return URIRef(absolute(f"{API}/organisations/{organisation.slug}", base))


@cache
def _page_prefix() -> str:
    # The site's Dutch address, whatever language answers the request.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("component-list") + "/"


def page_iri(slug: str, base: str | None = None) -> URIRef:
    return URIRef(absolute(_page_prefix() + slug, base))


# --------------------------------------------------------------------------
# Standards a component conforms to
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardRef:
    iri: URIRef
    title: str


def standards_implemented(component_ids: Iterable[int]) -> dict[int, list[StandardRef]]:
    """{component id: the standards it says it implements}, in one query.

    Today a component declares a standard as a dependency it implements: a
    registered component of kind standard, or a name (a standard not in the
    registry, named under the component's own IRI). A later model of its own
    for supported standards replaces this function alone."""
    found = defaultdict(list)
    rows = (
        Dependency.objects.filter(component_id__in=list(component_ids))
        .filter(how_used=DependencyUse.IMPLEMENTS)
        .select_related("component", "depends_on")
        .order_by("component_id", "pk")
    )
    for dependency in rows:
        target = dependency.depends_on
        if target is not None:
            if target.kind != ComponentKind.STANDARD:
                continue
            found[dependency.component_id].append(
                StandardRef(component_iri(target.slug), target.name)
            )
        else:
            name = dependency.name
            fragment = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "standard"
            iri = URIRef(f"{component_iri(dependency.component.slug)}#standard-{fragment}")
            found[dependency.component_id].append(StandardRef(iri, name))
    return found


# --------------------------------------------------------------------------
# Building graphs
# --------------------------------------------------------------------------


def new_graph(triples=()) -> Graph:
    # SimpleMemory: no indexes to keep up; these graphs are only written out.
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph


class Triples(list):
    """What a chunk says, in order, before rdflib writes it: adding to a list costs
    a fraction of adding to a graph, which matters at 50,000 components."""

    def add(self, triple):
        self.append(triple)


def _text(value: str, language: str) -> Literal:
    return Literal(value, lang=language)


@lru_cache(maxsize=1024)
def _plain(value: str) -> Literal:
    """A literal that recurs (a keyword, a version): made once."""
    return Literal(value)


def _datetime(value) -> Literal:
    # From the Python value: rdflib would parse a lexical form back into one.
    return Literal(value)


@dataclass
class Context:
    """What a stream has said already, and what it knows of the catalogue."""

    license_names: dict[str, str]
    custom_licenses: dict[str, License]
    base: str
    described: set = field(default_factory=set)
    organisations: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)

    @classmethod
    def load(cls):
        names = dict(License.objects.values_list("id", "name"))
        custom = {lic.id: lic for lic in License.objects.filter(is_custom=True)}
        return cls(license_names=names, custom_licenses=custom, base=base_url())

    def first_time(self, iri) -> bool:
        if iri in self.described:
            return False
        self.described.add(iri)
        return True


def describe_concept(graph: Graph, context: Context, iri: URIRef) -> URIRef:
    if context.first_time(iri):
        label, scheme, extra_class = CONCEPTS[iri]
        graph.add((iri, RDF.type, SKOS.Concept))
        if extra_class is not None:
            graph.add((iri, RDF.type, extra_class))
        graph.add((iri, SKOS.prefLabel, _text(label, "en")))
        graph.add((iri, SKOS.inScheme, describe_scheme(graph, context, scheme)))
    return iri


def describe_scheme(graph: Graph, context: Context, scheme: str) -> URIRef:
    iri = URIRef(scheme)
    if context.first_time(iri):
        graph.add((iri, RDF.type, SKOS.ConceptScheme))
        graph.add((iri, DCT.title, _text(SCHEMES[scheme], "en")))
    return iri


def describe_document(graph: Graph, url: str) -> URIRef:
    iri = URIRef(url)
    graph.add((iri, RDF.type, FOAF.Document))
    return iri


def describe_resource(graph: Graph, url: str) -> URIRef:
    # DCAT-AP's shapes check the class of an endpoint URL and an access URL
    # (rdfs:Resource), and validation runs without inference: say it.
    iri = URIRef(url)
    graph.add((iri, RDF.type, RDFS.Resource))
    return iri


def describe_organisation(graph: Graph, context: Context, organisation) -> URIRef:
    known = context.organisations.get(organisation.pk)
    if known is not None:
        return known
    base = context.base
    iri = context.organisations[organisation.pk] = organisation_iri(organisation, base)
    if not context.first_time(iri):
        return iri
    graph.add((iri, RDF.type, FOAF.Agent))
    graph.add((iri, RDF.type, FOAF.Organization))
    graph.add((iri, FOAF.name, _text(organisation.name, "nl")))
    graph.add((iri, DCT.identifier, Literal(organisation.slug)))
    kind = PUBLISHER_TYPES[organisation.kind]
    kind_iri = PUBLISHER_TYPE[kind]
    graph.add((iri, DCT.type, kind_iri))
    if context.first_time(kind_iri):
        graph.add((kind_iri, RDF.type, SKOS.Concept))
        graph.add((kind_iri, SKOS.prefLabel, _text(PUBLISHER_TYPE_LABELS[kind], "en")))
        scheme = "http://purl.org/adms/publishertype/1.0"
        graph.add((kind_iri, SKOS.inScheme, describe_scheme(graph, context, scheme)))
    if organisation.oin:
        identifier = URIRef(f"{registry_organisation_iri(organisation, base)}#oin")
        graph.add((iri, ADMS.identifier, identifier))
        graph.add((identifier, RDF.type, ADMS.Identifier))
        graph.add((identifier, SKOS.notation, Literal(organisation.oin)))
        graph.add((identifier, ADMS.schemaAgency, _text("Logius (OIN)", "nl")))
    registry_iri = registry_organisation_iri(organisation, base)
    if registry_iri != iri:
        graph.add((iri, RDFS.seeAlso, registry_iri))
    if organisation.website:
        graph.add((iri, FOAF.homepage, URIRef(organisation.website)))
    return iri


def describe_contact(graph: Graph, context: Context, organisation) -> URIRef:
    """The publisher as the contact point: the registry records no person per component."""
    known = context.contacts.get(organisation.pk)
    if known is not None:
        return known
    registry_iri = registry_organisation_iri(organisation, context.base)
    iri = context.contacts[organisation.pk] = URIRef(f"{registry_iri}#contact")
    if context.first_time(iri):
        graph.add((iri, RDF.type, VCARD.Kind))
        graph.add((iri, RDF.type, VCARD.Organization))
        graph.add((iri, VCARD.fn, Literal(organisation.name)))
        graph.add((iri, VCARD.hasURL, URIRef(organisation.website or registry_iri)))
    return iri


def license_ids(expression: str) -> list[str]:
    return [t for t in LICENSE_TOKEN.findall(expression) if t.upper() not in OPERATORS]


def describe_license(graph: Graph, context: Context, component) -> URIRef:
    expression = component.license_expression
    ids = license_ids(expression)
    if len(ids) == 1 and expression.strip() == ids[0]:
        return describe_single_license(graph, context, ids[0])
    iri = URIRef(f"{component_iri(component.slug, context.base)}#license")
    graph.add((iri, RDF.type, DCT.LicenseDocument))
    graph.add((iri, RDFS.label, Literal(expression)))
    for licence_id in ids:
        graph.add((iri, RDFS.seeAlso, describe_single_license(graph, context, licence_id)))
    return iri


def describe_single_license(graph: Graph, context: Context, licence_id: str) -> URIRef:
    custom = context.custom_licenses.get(licence_id)
    if custom is not None:
        iri = URIRef(absolute(f"{API}/licenses/{licence_id}", context.base))
    else:
        iri = URIRef(SPDX_LICENSES + licence_id)
    if context.first_time(iri):
        graph.add((iri, RDF.type, DCT.LicenseDocument))
        graph.add((iri, DCT.identifier, Literal(licence_id)))
        name = context.license_names.get(licence_id)
        if name:
            graph.add((iri, RDFS.label, Literal(name)))
        if custom is not None and custom.url:
            graph.add((iri, RDFS.seeAlso, URIRef(custom.url)))
    return iri


def describe_standard(graph: Graph, context: Context, standard: StandardRef) -> URIRef:
    if context.first_time(("standard", standard.iri)):
        graph.add((standard.iri, RDF.type, DCT.Standard))
        graph.add((standard.iri, DCT.title, _text(standard.title, "nl")))
    return standard.iri


def endpoint_url(component, base=None) -> str:
    """The API's production environment; else any environment; else its page here
    (DCAT-AP requires an endpoint URL, and the registry knows no better one)."""
    links = list(component.links.all())
    for kind in (LinkKind.PRODUCTION, LinkKind.ACCEPTANCE, LinkKind.DEMO):
        for link in links:
            if link.kind == kind:
                return link.url
    return str(page_iri(component.slug, base))


def endpoint_description(component, base=None) -> str:
    """The OpenAPI document; else its documentation; else its page here."""
    return (
        component.api_specification_url
        or component.documentation_url
        or str(page_iri(component.slug, base))
    )


def _successor_slug(component):
    if not component.replaced_by_id:
        return None
    if hasattr(component, "replaced_by_slug"):
        return component.replaced_by_slug
    return component.replaced_by.slug


def describe_component(graph: Graph, context: Context, component, standards, latest) -> URIRef:
    base = context.base
    iri = component_iri(component.slug, base)
    page = str(page_iri(component.slug, base))
    catalogue = catalogue_iri(base)
    publisher = describe_organisation(graph, context, component.publisher)
    is_api = component.kind == ComponentKind.API
    if is_api:
        graph.add((iri, RDF.type, DCAT.DataService))
    else:
        graph.add((iri, RDF.type, ADMS.Asset))
        # A standard that another component named earlier in the stream has its
        # type and title said already (describe_standard): not twice.
        if component.kind == ComponentKind.STANDARD and context.first_time(("standard", iri)):
            graph.add((iri, RDF.type, DCT.Standard))
            graph.add((iri, DCT.title, _text(component.name, "nl")))
    graph.add((iri, DCT.identifier, Literal(component.slug)))
    if component.kind != ComponentKind.STANDARD:
        graph.add((iri, DCT.title, _text(component.name, "nl")))
    description = component.long_description or component.short_description
    graph.add((iri, DCT.description, _text(description, "nl")))
    english = component.long_description_en or component.short_description_en
    if english:
        graph.add((iri, DCT.description, _text(english, "en")))
    graph.add((iri, DCT.publisher, publisher))
    graph.add((iri, DCT.creator, publisher))
    graph.add((iri, DCAT.contactPoint, describe_contact(graph, context, component.publisher)))
    graph.add((iri, DCT.issued, _datetime(component.created_at)))
    graph.add((iri, DCT.modified, _datetime(component.updated_at)))
    graph.add((iri, DCT.language, describe_concept(graph, context, LANGUAGE.NLD)))
    graph.add((iri, DCAT.theme, describe_concept(graph, context, DATA_THEME.GOVE)))
    graph.add((iri, DCAT.landingPage, describe_document(graph, page)))
    for keyword in [component.kind, *(component.categories or [])]:
        graph.add((iri, DCAT.keyword, _plain(keyword)))
    if component.documentation_url:
        graph.add((iri, FOAF.page, describe_document(graph, component.documentation_url)))
    successor = _successor_slug(component)
    if successor:
        graph.add((iri, DCT.isReplacedBy, component_iri(successor, base)))
    licence = describe_license(graph, context, component)
    rights = (
        ACCESS_RIGHT.PUBLIC
        if component.reuse_restriction == ReuseRestriction.NONE
        else ACCESS_RIGHT.RESTRICTED
    )
    if is_api:
        graph.add((iri, DCT.license, licence))
        graph.add((iri, DCT.accessRights, describe_concept(graph, context, rights)))
        graph.add((iri, DCAT.endpointURL, describe_resource(graph, endpoint_url(component, base))))
        graph.add(
            (
                iri,
                DCAT.endpointDescription,
                describe_resource(graph, endpoint_description(component, base)),
            )
        )
        for standard in standards:
            graph.add((iri, DCT.conformsTo, describe_standard(graph, context, standard)))
        graph.add((catalogue, DCAT.service, iri))
    else:
        status = ADMS_STATUS[ADMS_STATUSES[component.development_status]]
        graph.add((iri, ADMS.status, status))
        if context.first_time(status):
            graph.add((status, RDF.type, SKOS.Concept))
            label = ADMS_STATUS_LABELS[ADMS_STATUSES[component.development_status]]
            graph.add((status, SKOS.prefLabel, _text(label, "en")))
            scheme = describe_scheme(graph, context, "http://purl.org/adms/status/1.0")
            graph.add((status, SKOS.inScheme, scheme))
        graph.add((iri, DCT.accessRights, describe_concept(graph, context, rights)))
        if component.homepage_url:
            graph.add((iri, FOAF.homepage, URIRef(component.homepage_url)))
        for standard in standards:
            graph.add((iri, DCT.conformsTo, describe_standard(graph, context, standard)))
        # ADMS-AP: the licence belongs to the asset's distribution (its code).
        distribution = URIRef(f"{iri}#distribution")
        graph.add((iri, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, ADMS.AssetDistribution))
        access = component.repository_url or component.homepage_url or page
        graph.add((distribution, DCAT.accessURL, URIRef(access)))
        graph.add((distribution, DCT.license, licence))
        if latest is not None:
            graph.add((iri, OWL.versionInfo, _plain(latest)))
        graph.add((catalogue, DCAT_RESOURCE, iri))
    if is_api and latest is not None:
        graph.add((iri, OWL.versionInfo, _plain(latest)))
    return iri


def catalogue_publisher(graph: Graph, context: Context) -> URIRef:
    """CATALOGUE_PUBLISHER names the organisation that runs this registry (its slug);
    without it, the installation itself (CATALOGUE_PUBLISHER_NAME) publishes."""
    slug = settings.CATALOGUE_PUBLISHER
    organisation = Organisation.objects.filter(slug=slug).first() if slug else None
    if organisation is not None:
        return describe_organisation(graph, context, organisation)
    iri = URIRef(f"{catalogue_iri()}#publisher")
    graph.add((iri, RDF.type, FOAF.Agent))
    graph.add((iri, FOAF.name, Literal(settings.CATALOGUE_PUBLISHER_NAME)))
    return iri


def describe_catalogue(graph: Graph, context: Context, modified) -> URIRef:
    """The catalogue, its publisher, and the registry's own data and API."""
    catalogue = catalogue_iri()
    publisher = catalogue_publisher(graph, context)
    contact = URIRef(f"{catalogue}#contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(settings.CATALOGUE_PUBLISHER_NAME)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.CATALOGUE_CONTACT_EMAIL}")))
    licence = describe_single_license(graph, context, settings.CATALOGUE_LICENSE)
    nld = describe_concept(graph, context, LANGUAGE.NLD)
    public = describe_concept(graph, context, ACCESS_RIGHT.PUBLIC)
    theme = describe_concept(graph, context, DATA_THEME.GOVE)

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCT.title, _text("Componentenregister", "nl")))
    graph.add((catalogue, DCT.title, _text("Component Registry", "en")))
    graph.add(
        (
            catalogue,
            DCT.description,
            _text(
                "Herbruikbare componenten van de Nederlandse overheid: API's, software, "
                "bibliotheken, huisstijlen en standaarden, met hun licenties.",
                "nl",
            ),
        )
    )
    graph.add(
        (
            catalogue,
            DCT.description,
            _text(
                "Reusable components of the Dutch public sector: APIs, software, libraries, "
                "house styles and standards, with their licences.",
                "en",
            ),
        )
    )
    graph.add((catalogue, DCT.publisher, publisher))
    graph.add((catalogue, DCT.creator, publisher))
    graph.add((catalogue, DCAT.contactPoint, contact))
    graph.add((catalogue, DCT.language, nld))
    graph.add((catalogue, DCT.license, licence))
    graph.add((catalogue, FOAF.homepage, describe_document(graph, absolute("/"))))
    graph.add((catalogue, DCAT.themeTaxonomy, describe_scheme(graph, context, EU + "data-theme")))
    if modified is not None:
        graph.add((catalogue, DCT.modified, _datetime(modified)))

    # The registry's own API, which serves the catalogue's data.
    service = URIRef(absolute(API))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCT.identifier, Literal("component-registry-api")))
    graph.add((service, DCT.title, _text("API van het Componentenregister", "nl")))
    graph.add(
        (
            service,
            DCT.description,
            _text("Lezen (en met een token publiceren) van de hele catalogus.", "nl"),
        )
    )
    graph.add((service, DCAT.endpointURL, describe_resource(graph, absolute(API))))
    graph.add(
        (
            service,
            DCAT.endpointDescription,
            describe_resource(graph, absolute(f"{API}/openapi.json")),
        )
    )
    graph.add((service, DCT.publisher, publisher))
    graph.add((service, DCAT.contactPoint, contact))
    graph.add((service, DCT.accessRights, public))
    graph.add((service, DCT.license, licence))
    graph.add((service, DCAT.theme, theme))
    graph.add((service, DCT.language, nld))
    graph.add((catalogue, DCAT.service, service))

    dataset = URIRef(f"{catalogue}#dataset")
    graph.add((catalogue, DCAT.dataset, dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCT.identifier, Literal("component-registry-catalogue")))
    graph.add((dataset, DCT.title, _text("De catalogus van het Componentenregister", "nl")))
    graph.add(
        (
            dataset,
            DCT.description,
            _text(
                "Alle openbare gegevens van het register: componenten, releases, organisaties, "
                "openbaar gebruik en licenties.",
                "nl",
            ),
        )
    )
    graph.add((dataset, DCT.publisher, publisher))
    graph.add((dataset, DCT.creator, publisher))
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((dataset, DCT.accessRights, public))
    graph.add((dataset, DCAT.theme, theme))
    graph.add((dataset, DCT.language, nld))
    graph.add((dataset, DCAT.landingPage, describe_document(graph, absolute("/"))))
    if modified is not None:
        graph.add((dataset, DCT.modified, _datetime(modified)))
    graph.add((service, DCAT.servesDataset, dataset))
    distributions = [
        ("ttl", FILE_TYPE.RDF_TURTLE, "text/turtle"),
        ("jsonld", FILE_TYPE.JSON_LD, "application/ld+json"),
        ("rdf", FILE_TYPE.RDF_XML, "application/rdf+xml"),
    ]
    for suffix, file_type, media_type in distributions:
        url = absolute(f"{API}/catalogue.{suffix}")
        add_distribution(
            graph, context, dataset, f"{catalogue}#{suffix}", url, file_type, media_type
        )
        graph.add((URIRef(f"{catalogue}#{suffix}"), DCAT.accessService, service))
    add_distribution(
        graph,
        context,
        dataset,
        f"{catalogue}#dump",
        absolute(f"{API}/dumps/latest"),
        FILE_TYPE.ZIP,
        "application/zip",
    )
    return catalogue


def add_distribution(graph, context, dataset, iri, url, file_type, media_type):
    distribution = URIRef(iri)
    graph.add((dataset, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCAT.accessURL, describe_resource(graph, url)))
    graph.add((distribution, DCAT.downloadURL, describe_resource(graph, url)))
    graph.add((distribution, DCT.format, describe_concept(graph, context, file_type)))
    media = URIRef(IANA + media_type)
    graph.add((media, RDF.type, DCT.MediaType))
    graph.add((distribution, DCAT.mediaType, media))
    graph.add(
        (
            distribution,
            DCT.license,
            describe_single_license(graph, context, settings.CATALOGUE_LICENSE),
        )
    )


# --------------------------------------------------------------------------
# The whole catalogue, chunk by chunk
# --------------------------------------------------------------------------


def public_components():
    """Every component of the catalogue (all components are public; usages are not
    exported at all)."""
    # The search document is large and not exported.
    return (
        Component.objects.select_related("publisher")
        .annotate(replaced_by_slug=F("replaced_by__slug"))
        .defer(
            "search_document",
            "other_descriptions",
            "publisher__description",
            "publisher__aliases",
        )
        .prefetch_related("links")
    )


def latest_releases(component_ids) -> dict[int, str]:
    """{component id: the version of its newest release}."""
    latest = {}
    rows = (
        Release.objects.filter(component_id__in=list(component_ids))
        .order_by("component_id", "-release_date", "-id")
        .values_list("component_id", "version")
    )
    for component_id, version in rows:
        latest.setdefault(component_id, version)
    return latest


def component_graphs(components, context: Context, chunk=None) -> Iterator[Triples]:
    """One graph per chunk of components, saying each shared node once."""
    chunk = chunk or CHUNK
    batch = []
    for component in components:
        batch.append(component)
        if len(batch) == chunk:
            yield _graph_for(batch, context)
            batch = []
    if batch:
        yield _graph_for(batch, context)


def _graph_for(components, context):
    graph = Triples()
    ids = [c.pk for c in components]
    standards = standards_implemented(ids)
    latest = latest_releases(ids)
    for component in components:
        describe_component(
            graph, context, component, standards.get(component.pk, []), latest.get(component.pk)
        )
    return graph


def iterate_in_chunks(queryset, chunk=None):
    """Keyset pagination by id: constant memory, one query (plus prefetches) per chunk."""
    chunk = chunk or CHUNK
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:chunk])
        if not rows:
            return
        yield from rows
        last = rows[-1].pk


def catalogue_graphs(chunk=None) -> Iterator[Triples]:
    """The catalogue's own description first, then its components."""
    chunk = chunk or CHUNK
    context = Context.load()
    modified = Component.objects.aggregate(m=Max("updated_at"))["m"]
    head = Triples()
    describe_catalogue(head, context, modified)
    yield head
    yield from component_graphs(iterate_in_chunks(public_components(), chunk), context, chunk)


def component_graph(component) -> Triples:
    """One component alone, with what it refers to (publisher, licence, standards)."""
    context = Context.load()
    graph = Triples()
    standards = standards_implemented([component.pk]).get(component.pk, [])
    latest = latest_releases([component.pk]).get(component.pk)
    describe_component(graph, context, component, standards, latest)
    return graph


# --------------------------------------------------------------------------
# Serialising a stream of graphs as one document
# --------------------------------------------------------------------------


def serialize(chunks: Iterable[Triples], media_type: str) -> Iterator[bytes]:
    """One document in the media type from a stream of chunks of triples, each
    written by rdflib and joined: JSON-LD gathers the nodes in one @graph, RDF/XML
    in one rdf:RDF element.

    Turtle: the first chunk (the catalogue itself, or a single component) as rdflib's
    Turtle, with prefixes; the following chunks one triple a line, each term written
    by rdflib (``n3()``), which is Turtle too (its N-Triples subset). rdflib's
    pretty Turtle costs some 100 µs a triple, too slow for 1.5 million of them."""
    plugin = FORMATS[media_type][0]
    if plugin == "turtle":
        yield from _turtle(chunks)
    elif plugin == "json-ld":
        yield from _json_ld(chunks)
    else:
        yield from _rdf_xml(chunks)


def _turtle(chunks):
    for index, triples in enumerate(chunks):
        if index == 0:
            yield new_graph(triples).serialize(format="turtle").encode()
        else:
            yield "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples).encode()


JSON_LD_CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _json_ld(chunks):
    """rdflib's JSON-LD conversion (``from_rdf``, what its json-ld serializer calls)
    of each chunk, compacted with the prefixes as context; the nodes of all chunks in
    one @graph. Its serializer would then write the chunk indented, with Python's
    slow pure-Python encoder, only for us to parse it again: two thirds of the time
    at 50,000 components. Nodes sorted by @id, keys sorted: the same catalogue is
    the same bytes (and ETag) in every process, whatever its hash seed."""
    yield b'{"@context": ' + orjson.dumps(JSON_LD_CONTEXT) + b', "@graph": ['
    first = True
    for triples in chunks:
        data = from_rdf(new_graph(triples), context_data=JSON_LD_CONTEXT)
        nodes = data.get("@graph", [data] if len(data) > 1 else [])
        for node in sorted(nodes, key=lambda node: node.get("@id", "")):
            node.pop("@context", None)
            yield (b"" if first else b",\n") + orjson.dumps(node, option=orjson.OPT_SORT_KEYS)
            first = False
    yield b"]}\n"


RDF_OPEN = re.compile(r"<rdf:RDF\b[^>]*>", re.S)


def _rdf_xml(chunks):
    """rdflib declares on each chunk's rdf:RDF only the prefixes that chunk uses; the
    one rdf:RDF element of the document declares them all."""
    declarations = " ".join(
        f"xmlns:{prefix}={quoteattr(str(namespace))}" for prefix, namespace in PREFIXES.items()
    )
    yield f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF {declarations}>\n'.encode()
    for triples in chunks:
        text = new_graph(triples).serialize(format="xml")
        match = RDF_OPEN.search(text)
        yield text[match.end() : text.rindex("</rdf:RDF>")].encode()
    yield b"</rdf:RDF>\n"
