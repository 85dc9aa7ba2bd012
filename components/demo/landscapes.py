"""The demo municipalities' landscapes: which of the components they use talk
to which, over which standard or API. Common Ground as it is built: forms and
case handling on the ZGW API's, notifications, objects; the BRP through Haal
Centraal over FSC/NLX or, the old way, StUF over Digikoppeling.

Each entry is (from, to, standard or None, two-way?). An organisation that
does not use one of the components yet is given the usage; an integration
whose end is only a claim about the organisation is left out (the landscape
is what the organisation itself says). Its status follows its ends: planned
while either is planned, stopped once either stopped, else in production.
"""

ZGW = "zgw-api-standaarden"

# Connections to the BRP are shared with government organisations only.
GOVERNMENT_ONLY = {"haal-centraal-brp-bevragen"}

# What every Open Zaak municipality has in common.
_ZAAKGERICHT = [
    ("open-formulieren", "open-zaak", ZGW, False),
    ("open-formulieren", "objecten-api", None, False),
    ("open-zaak", "open-notificaties", ZGW, False),
    ("objecten-api", "objecttypen-api", None, False),
    ("open-formulieren", "digid", None, False),
    ("open-formulieren", "haal-centraal-brp-bevragen", "fsc", False),
]

LANDSCAPES = {
    "gemeente-utrecht": [
        *_ZAAKGERICHT,
        ("signalen", "open-zaak", ZGW, False),
        ("signalen", "open-notificaties", ZGW, False),
        ("open-klant", "open-zaak", ZGW, True),
        ("open-klant", "open-notificaties", ZGW, False),
        ("open-archiefbeheer", "open-zaak", ZGW, True),
        ("open-producten", "open-formulieren", None, False),
        ("open-zaak", "nlx", "fsc", False),
        ("nlx", "haal-centraal-brp-bevragen", "digikoppeling", False),
        ("open-zaak", "haal-centraal-brp-bevragen", "stuf", False),
        ("open-notificaties", "mijnoverheid-berichtenbox", "digikoppeling", False),
        ("open-formulieren", "utrecht-design-system", None, False),
    ],
    "gemeente-amsterdam": [
        *_ZAAKGERICHT,
        ("signalen-frontend", "signalen", None, True),
        ("signalen", "open-zaak", ZGW, False),
        ("open-zaak", "haal-centraal-brp-bevragen", "fsc", False),
        ("open-formulieren", "amsterdam-design-system", None, False),
        ("zgw-consumers", "open-zaak", ZGW, False),
    ],
    "gemeente-den-haag": [
        *_ZAAKGERICHT,
        ("open-inwoner", "open-zaak", ZGW, False),
        ("open-inwoner", "open-klant", None, True),
        ("open-inwoner", "digid", None, False),
        ("open-klant", "open-notificaties", ZGW, False),
        ("open-zaak", "haal-centraal-brp-bevragen", "stuf", False),
        ("open-producten", "open-inwoner", None, False),
        ("open-formulieren", "den-haag-design-system", None, False),
    ],
    "gemeente-rotterdam": [
        *_ZAAKGERICHT,
        ("open-klant", "open-zaak", ZGW, True),
        ("open-zaak", "nlx", "fsc", False),
        ("nlx", "haal-centraal-brp-bevragen", "digikoppeling", False),
    ],
    "gemeente-tilburg": [
        *_ZAAKGERICHT,
        ("valtimo", "open-zaak", ZGW, True),
        ("valtimo", "open-notificaties", ZGW, False),
    ],
    "gemeente-enschede": [
        *_ZAAKGERICHT,
        ("open-inwoner", "open-zaak", ZGW, False),
        ("open-inwoner", "open-klant", None, True),
        ("open-klant", "open-notificaties", ZGW, False),
        ("zaakafhandelcomponent", "open-zaak", ZGW, True),
    ],
    "gemeente-haarlem": [
        *_ZAAKGERICHT,
        ("open-inwoner", "open-zaak", ZGW, False),
        ("open-inwoner", "open-klant", None, True),
        ("open-zaak", "haal-centraal-brp-bevragen", "stuf", False),
    ],
}


def landscape_usages():
    """{(organisation, component)} that the landscapes need."""
    return {
        (organisation, component)
        for organisation, integrations in LANDSCAPES.items()
        for source, target, _standard, _two_way in integrations
        for component in (source, target)
    }
