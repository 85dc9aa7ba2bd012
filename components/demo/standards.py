"""Demo: standards of Forum Standaardisatie's "pas toe of leg uit" list that the
demo components implement, and their declarations (version, conformance, evidence).

The standards already in data.COMPONENTS (NL GOV API Design Rules, Digikoppeling,
StUF, the ZGW API's) are declared here too; the ones below complete the list.
"""

from ..constants import ComponentKind, Conformance, DevelopmentStatus, Layer, MaintenanceType

STANDARD = ComponentKind.STANDARD
STABLE = DevelopmentStatus.STABLE
LIST_NL = "Staat op de pas-toe-of-leg-uitlijst van het Forum Standaardisatie."
LIST_EN = 'On the "comply or explain" list of the Dutch Standardisation Forum.'


def _standard(slug, name, publisher, license, short, short_en, homepage, layer=Layer.SERVICES):
    return {
        "slug": slug,
        "name": name,
        "kind": STANDARD,
        "publisher": publisher,
        "layer": layer,
        "status": STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": license,
        "short": short,
        "short_en": short_en,
        "long": f"{short} {LIST_NL}",
        "long_en": f"{short_en} {LIST_EN}",
        "categories": ["it-development"],
        "questions": [],
        "upl": [],
        "homepage": homepage,
    }


STANDARD_COMPONENTS = [
    _standard(
        "oauth-nl-gov",
        "NL GOV Assurance profile for OAuth 2.0",
        "logius",
        "CC-BY-4.0",
        "Nederlands profiel van OAuth 2.0 voor veilige toegang tot overheids-API's.",
        "The Dutch profile of OAuth 2.0 for secure access to government APIs.",
        "https://www.forumstandaardisatie.nl/open-standaarden/nl-gov-assurance-profile-oauth-20",
    ),
    _standard(
        "openapi-specification",
        "OpenAPI Specification",
        "logius",
        "Apache-2.0",
        "Beschrijvingsformaat voor REST-API's; verplicht voor overheids-API's.",
        "The description format for REST APIs; required for government APIs.",
        "https://www.forumstandaardisatie.nl/open-standaarden/openapi-specification",
    ),
    _standard(
        "wcag-21",
        "WCAG 2.1 (EN 301 549)",
        "logius",
        "CC-BY-4.0",
        "Eisen aan de toegankelijkheid van websites en apps, via de Europese norm EN 301 549.",
        "Accessibility requirements for websites and apps, through the European "
        "standard EN 301 549.",
        "https://www.forumstandaardisatie.nl/open-standaarden/digitoegankelijk-en-301-549-met-wcag-21",
        layer=Layer.INTERACTION,
    ),
]

SELF = Conformance.SELF_DECLARED
TESTED = Conformance.TESTED

# (component, standard, version, conformance, evidence URL)
STANDARD_DECLARATIONS = [
    (
        "open-zaak",
        "zgw-api-standaarden",
        "1.5",
        TESTED,
        "https://open-zaak.readthedocs.io/en/latest/introduction/standards.html",
    ),
    ("open-zaak", "nl-api-design-rules", "1.0", SELF, ""),
    ("open-zaak", "openapi-specification", "3.0", SELF, ""),
    ("open-zaak", "oauth-nl-gov", "1.0", SELF, ""),
    ("open-notificaties", "zgw-api-standaarden", "1.0", TESTED, ""),
    ("open-notificaties", "openapi-specification", "3.0", SELF, ""),
    ("objecten-api", "nl-api-design-rules", "1.0", SELF, ""),
    ("objecten-api", "openapi-specification", "3.0", SELF, ""),
    ("objecttypen-api", "openapi-specification", "3.0", SELF, ""),
    ("open-klant", "nl-api-design-rules", "2.0", SELF, ""),
    ("open-klant", "openapi-specification", "3.0", SELF, ""),
    ("common-gateway", "zgw-api-standaarden", "1.5", SELF, ""),
    ("common-gateway", "stuf", "3.01", SELF, ""),
    ("common-gateway", "digikoppeling", "3.0", SELF, ""),
    ("haal-centraal-brp-bevragen", "nl-api-design-rules", "1.0", TESTED, ""),
    ("haal-centraal-brp-bevragen", "openapi-specification", "3.0", TESTED, ""),
    ("bag-api-individuele-bevragingen", "nl-api-design-rules", "1.0", SELF, ""),
    ("open-formulieren", "wcag-21", "2.1 AA", TESTED, "https://www.toegankelijkheidsverklaring.nl"),
    ("open-inwoner", "wcag-21", "2.1 AA", SELF, ""),
    ("signalen-frontend", "wcag-21", "2.1 AA", SELF, ""),
    ("utrecht-design-system", "wcag-21", "2.1 AA", SELF, ""),
    ("amsterdam-design-system", "wcag-21", "2.1 AA", SELF, ""),
    ("valtimo", "zgw-api-standaarden", "1.0", SELF, ""),
    ("zaakafhandelcomponent", "zgw-api-standaarden", "1.0", SELF, ""),
]
