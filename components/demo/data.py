"""The demo catalogue's data: plain values only, no logic (see load_demo).

Written from public facts where they are known (names, CBS codes, OINs,
repositories, licences, when a component came out). Who uses what, release
dates and claim dates are illustrative, but follow each component's public
history: an information manager should recognise the landscape.
"""

from datetime import UTC, date, datetime

from accounts.constants import OrganisationKind

from ..constants import (
    Assertion,
    ComponentKind,
    DependencyUse,
    DevelopmentStatus,
    Layer,
    MaintenanceType,
    ReuseRestriction,
    UsageStatus,
    Visibility,
)

MUNICIPALITY = OrganisationKind.MUNICIPALITY
PROVINCE = OrganisationKind.PROVINCE
WATER_AUTHORITY = OrganisationKind.WATER_AUTHORITY
CENTRAL_GOVERNMENT = OrganisationKind.CENTRAL_GOVERNMENT
OTHER_PUBLIC = OrganisationKind.OTHER_PUBLIC
COOPERATION = OrganisationKind.COOPERATION
VENDOR = OrganisationKind.VENDOR

TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/"
TOOI_PROVINCIE = "https://identifier.overheid.nl/tooi/id/provincie/"
UPL = "http://standaarden.overheid.nl/owms/terms/"

# The fixed moment the demo describes; usage dates never pass it.
CATALOGUE_DATE = date(2026, 9, 30)
# When the registry opened: components and usages were recorded from then on.
REGISTRY_OPENED = datetime(2024, 1, 8, tzinfo=UTC)


# --------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------

# OINs (Organisatie-identificatienummers) only where developer.overheid.nl
# recorded one for the organisation (../shared/corpus/don-apis); none is made
# up. The VNG's is the one recorded for VNG Realisatie, the part of the VNG
# that maintains its standards (and one of its aliases here).
ORGANISATIONS = [
    # Municipalities: CBS codes from the CBS list of municipalities.
    {
        "slug": "gemeente-utrecht",
        "name": "Gemeente Utrecht",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0344",
        "website": "https://www.utrecht.nl",
        "description": "De vierde stad van Nederland en hoofdstad van de gelijknamige provincie. "
        "Trekker van het Utrechtse design system binnen NL Design System.",
        "aliases": ["Utrecht", "gemeente Utrecht"],
    },
    {
        "slug": "gemeente-amsterdam",
        "name": "Gemeente Amsterdam",
        "kind": MUNICIPALITY,
        "oin": "00000001002564440000",
        "cbs_code": "GM0363",
        "website": "https://www.amsterdam.nl",
        "description": "De hoofdstad van Nederland. Ontwikkelt onder meer Signalen en het "
        "Amsterdam Design System als open source.",
        "aliases": ["Amsterdam", "gemeente Amsterdam", "City of Amsterdam"],
    },
    {
        "slug": "gemeente-rotterdam",
        "name": "Gemeente Rotterdam",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0599",
        "website": "https://www.rotterdam.nl",
        "description": "De tweede stad van Nederland, in de provincie Zuid-Holland.",
        "aliases": ["Rotterdam", "gemeente Rotterdam"],
    },
    {
        "slug": "gemeente-den-haag",
        "name": "Gemeente Den Haag",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0518",
        "website": "https://www.denhaag.nl",
        "description": "Regeringsstad van Nederland en gemeente in Zuid-Holland. Beheert een "
        "eigen huisstijlthema binnen NL Design System.",
        "aliases": ["Den Haag", "'s-Gravenhage", "Gemeente 's-Gravenhage", "The Hague"],
    },
    {
        "slug": "gemeente-eindhoven",
        "name": "Gemeente Eindhoven",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0772",
        "website": "https://www.eindhoven.nl",
        "description": "De grootste gemeente van Noord-Brabant.",
        "aliases": ["Eindhoven", "gemeente Eindhoven"],
    },
    {
        "slug": "gemeente-groningen",
        "name": "Gemeente Groningen",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0014",
        "website": "https://gemeente.groningen.nl",
        "description": "De grootste gemeente in het noorden van het land en hoofdstad van de "
        "provincie Groningen.",
        "aliases": ["Groningen", "gemeente Groningen"],
    },
    {
        "slug": "gemeente-tilburg",
        "name": "Gemeente Tilburg",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0855",
        "website": "https://www.tilburg.nl",
        "description": "Gemeente in Midden-Brabant en de tweede stad van Noord-Brabant.",
        "aliases": ["Tilburg", "gemeente Tilburg"],
    },
    {
        "slug": "gemeente-almere",
        "name": "Gemeente Almere",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0034",
        "website": "https://www.almere.nl",
        "description": "De grootste gemeente van Flevoland, gebouwd op land dat in de vorige "
        "eeuw op het water is gewonnen.",
        "aliases": ["Almere", "gemeente Almere"],
    },
    {
        "slug": "gemeente-breda",
        "name": "Gemeente Breda",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0758",
        "website": "https://www.breda.nl",
        "description": "Gemeente in West-Brabant.",
        "aliases": ["Breda", "gemeente Breda"],
    },
    {
        "slug": "gemeente-nijmegen",
        "name": "Gemeente Nijmegen",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0268",
        "website": "https://www.nijmegen.nl",
        "description": "Gemeente aan de Waal in Gelderland en een van de oudste steden van het "
        "land.",
        "aliases": ["Nijmegen", "gemeente Nijmegen"],
    },
    {
        "slug": "gemeente-haarlem",
        "name": "Gemeente Haarlem",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0392",
        "website": "https://haarlem.nl",
        "description": "Hoofdstad van de provincie Noord-Holland.",
        "aliases": ["Haarlem", "gemeente Haarlem"],
    },
    {
        "slug": "gemeente-arnhem",
        "name": "Gemeente Arnhem",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0202",
        "website": "https://www.arnhem.nl",
        "description": "Hoofdstad van de provincie Gelderland.",
        "aliases": ["Arnhem", "gemeente Arnhem"],
    },
    {
        "slug": "gemeente-enschede",
        "name": "Gemeente Enschede",
        "kind": MUNICIPALITY,
        "oin": "00000001001589623000",
        "cbs_code": "GM0153",
        "website": "https://www.enschede.nl",
        "description": "De grootste gemeente van Overijssel, in Twente.",
        "aliases": ["Enschede", "gemeente Enschede"],
    },
    {
        "slug": "gemeente-amersfoort",
        "name": "Gemeente Amersfoort",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0307",
        "website": "https://www.amersfoort.nl",
        "description": "Gemeente in de provincie Utrecht, aan de rand van de Gelderse Vallei.",
        "aliases": ["Amersfoort", "gemeente Amersfoort"],
    },
    {
        "slug": "gemeente-zwolle",
        "name": "Gemeente Zwolle",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0193",
        "website": "https://www.zwolle.nl",
        "description": "Hoofdstad van de provincie Overijssel.",
        "aliases": ["Zwolle", "gemeente Zwolle"],
    },
    {
        "slug": "gemeente-leiden",
        "name": "Gemeente Leiden",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0546",
        "website": "https://www.leiden.nl",
        "description": "Universiteitsstad in Zuid-Holland.",
        "aliases": ["Leiden", "gemeente Leiden"],
    },
    {
        "slug": "gemeente-dordrecht",
        "name": "Gemeente Dordrecht",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0505",
        "website": "https://www.dordrecht.nl",
        "description": "Gemeente in Zuid-Holland, omringd door rivieren, en de oudste stad van "
        "Holland.",
        "aliases": ["Dordrecht", "gemeente Dordrecht"],
    },
    {
        "slug": "gemeente-apeldoorn",
        "name": "Gemeente Apeldoorn",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0200",
        "website": "https://www.apeldoorn.nl",
        "description": "Gemeente op de Veluwe in Gelderland.",
        "aliases": ["Apeldoorn", "gemeente Apeldoorn"],
    },
    {
        "slug": "gemeente-s-hertogenbosch",
        "name": "Gemeente 's-Hertogenbosch",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0796",
        "website": "https://www.s-hertogenbosch.nl",
        "description": "Hoofdstad van de provincie Noord-Brabant.",
        "aliases": ["'s-Hertogenbosch", "Den Bosch", "Gemeente Den Bosch"],
    },
    {
        "slug": "gemeente-maastricht",
        "name": "Gemeente Maastricht",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0935",
        "website": "https://www.gemeentemaastricht.nl",
        "description": "Hoofdstad van de provincie Limburg, aan de Maas.",
        "aliases": ["Maastricht", "gemeente Maastricht"],
    },
    {
        "slug": "gemeente-delft",
        "name": "Gemeente Delft",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0503",
        "website": "https://www.delft.nl",
        "description": "Gemeente in Zuid-Holland tussen Den Haag en Rotterdam.",
        "aliases": ["Delft", "gemeente Delft"],
    },
    {
        "slug": "gemeente-sudwest-fryslan",
        "name": "Gemeente Súdwest-Fryslân",
        "kind": MUNICIPALITY,
        "cbs_code": "GM1900",
        "website": "https://sudwestfryslan.nl",
        "description": "Friese gemeente die in 2011 ontstond uit een fusie van onder meer Sneek "
        "en Bolsward.",
        "aliases": ["Súdwest-Fryslân", "Sudwest-Fryslan", "Gemeente Sudwest-Fryslan"],
    },
    {
        "slug": "gemeente-leeuwarden",
        "name": "Gemeente Leeuwarden",
        "kind": MUNICIPALITY,
        "cbs_code": "GM0080",
        "website": "https://www.leeuwarden.nl",
        "description": "Hoofdstad van de provincie Fryslân.",
        "aliases": ["Leeuwarden", "Ljouwert", "gemeente Leeuwarden"],
    },
    # Provinces
    {
        "slug": "provincie-utrecht",
        "name": "Provincie Utrecht",
        "kind": PROVINCE,
        "cbs_code": "PV26",
        "website": "https://www.provincie-utrecht.nl",
        "description": "Provinciaal bestuur van Utrecht, onder meer verantwoordelijk voor "
        "natuur, ruimtelijke ordening en regionaal verkeer.",
        "aliases": ["Utrecht (provincie)"],
    },
    {
        "slug": "provincie-noord-holland",
        "name": "Provincie Noord-Holland",
        "kind": PROVINCE,
        "cbs_code": "PV27",
        "website": "https://www.noord-holland.nl",
        "description": "Provinciaal bestuur van Noord-Holland, gevestigd in Haarlem.",
        "aliases": ["Noord-Holland"],
    },
    {
        "slug": "provincie-zuid-holland",
        "name": "Provincie Zuid-Holland",
        "kind": PROVINCE,
        "oin": "00000001002306608000",
        "cbs_code": "PV28",
        "website": "https://www.zuid-holland.nl",
        "description": "Provinciaal bestuur van Zuid-Holland, gevestigd in Den Haag.",
        "aliases": ["Zuid-Holland"],
    },
    {
        "slug": "provincie-noord-brabant",
        "name": "Provincie Noord-Brabant",
        "kind": PROVINCE,
        "cbs_code": "PV30",
        "website": "https://www.brabant.nl",
        "description": "Provinciaal bestuur van Noord-Brabant, gevestigd in 's-Hertogenbosch.",
        "aliases": ["Noord-Brabant", "Provincie Brabant"],
    },
    {
        "slug": "provincie-gelderland",
        "name": "Provincie Gelderland",
        "kind": PROVINCE,
        "cbs_code": "PV25",
        "website": "https://www.gelderland.nl",
        "description": "Provinciaal bestuur van Gelderland, gevestigd in Arnhem.",
        "aliases": ["Gelderland"],
    },
    # Water authorities (CBS codes left blank: not checked)
    {
        "slug": "hoogheemraadschap-de-stichtse-rijnlanden",
        "name": "Hoogheemraadschap De Stichtse Rijnlanden",
        "kind": WATER_AUTHORITY,
        "website": "https://www.hdsr.nl",
        "description": "Waterschap in het midden van het land, gevestigd in Houten. Zorgt voor "
        "dijken, waterpeil en schoon water.",
        "aliases": ["HDSR", "De Stichtse Rijnlanden"],
    },
    {
        "slug": "hoogheemraadschap-van-rijnland",
        "name": "Hoogheemraadschap van Rijnland",
        "kind": WATER_AUTHORITY,
        "website": "https://www.rijnland.net",
        "description": "Een van de oudste waterschappen van het land, gevestigd in Leiden.",
        "aliases": ["Rijnland"],
    },
    {
        "slug": "waterschap-rivierenland",
        "name": "Waterschap Rivierenland",
        "kind": WATER_AUTHORITY,
        "website": "https://www.waterschaprivierenland.nl",
        "description": "Waterschap voor het gebied tussen de grote rivieren, gevestigd in Tiel.",
        "aliases": ["Rivierenland"],
    },
    {
        "slug": "waterschap-aa-en-maas",
        "name": "Waterschap Aa en Maas",
        "kind": WATER_AUTHORITY,
        "website": "https://www.aaenmaas.nl",
        "description": "Waterschap in het oosten van Noord-Brabant, gevestigd in 's-Hertogenbosch.",
        "aliases": ["Aa en Maas"],
    },
    # Central government
    {
        "slug": "ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties",
        "name": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "kind": CENTRAL_GOVERNMENT,
        "oin": "00000001003214345000",
        "website": "https://www.rijksoverheid.nl/ministeries/"
        "ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties",
        "description": "Ministerie dat onder meer verantwoordelijk is voor het openbaar bestuur, "
        "de digitale overheid en de relaties binnen het Koninkrijk.",
        "aliases": ["BZK", "Ministerie van BZK", "Binnenlandse Zaken"],
    },
    {
        "slug": "ministerie-van-algemene-zaken",
        "name": "Ministerie van Algemene Zaken",
        "kind": CENTRAL_GOVERNMENT,
        "website": "https://www.rijksoverheid.nl/ministeries/ministerie-van-algemene-zaken",
        "description": "Het ministerie van de minister-president. Zorgt voor de communicatie "
        "van de Rijksoverheid, waaronder de Rijkshuisstijl.",
        "aliases": ["AZ", "Ministerie van AZ", "Algemene Zaken"],
    },
    {
        "slug": "logius",
        "name": "Logius",
        "kind": CENTRAL_GOVERNMENT,
        "oin": "00000001822477348000",
        "website": "https://www.logius.nl",
        "description": "Dienst van het ministerie van BZK die gemeenschappelijke digitale "
        "voorzieningen beheert, zoals DigiD, MijnOverheid en Digikoppeling.",
        "aliases": ["Logius, Digitale Overheid"],
    },
    {
        "slug": "rijksdienst-voor-identiteitsgegevens",
        "name": "Rijksdienst voor Identiteitsgegevens",
        "kind": CENTRAL_GOVERNMENT,
        "website": "https://www.rvig.nl",
        "description": "Uitvoeringsorganisatie van BZK die verantwoordelijk is voor de "
        "Basisregistratie Personen en voor reisdocumenten.",
        "aliases": ["RvIG"],
    },
    {
        "slug": "rijksdienst-voor-ondernemend-nederland",
        "name": "Rijksdienst voor Ondernemend Nederland",
        "kind": CENTRAL_GOVERNMENT,
        "oin": "00000004000000006000",
        "website": "https://www.rvo.nl",
        "description": "Voert namens verschillende ministeries regelingen uit voor ondernemers, "
        "zoals subsidies en vergunningen.",
        "aliases": ["RVO", "RVO.nl"],
    },
    {
        "slug": "belastingdienst",
        "name": "Belastingdienst",
        "kind": CENTRAL_GOVERNMENT,
        "website": "https://www.belastingdienst.nl",
        "description": "Heft en int de rijksbelastingen.",
        "aliases": ["Belastingdienst Nederland"],
    },
    # Other public bodies
    {
        "slug": "kadaster",
        "name": "Kadaster",
        "kind": OTHER_PUBLIC,
        "oin": "00000001802327497000",
        "website": "https://www.kadaster.nl",
        "description": "Zelfstandig bestuursorgaan dat de eigendom van onroerend goed "
        "registreert en landelijke registraties als de BAG beschikbaar stelt.",
        "aliases": ["Het Kadaster", "Dienst voor het kadaster en de openbare registers"],
    },
    {
        "slug": "kamer-van-koophandel",
        "name": "Kamer van Koophandel",
        "kind": OTHER_PUBLIC,
        "oin": "00000001006033404000",
        "website": "https://www.kvk.nl",
        "description": "Beheert het Handelsregister en helpt ondernemers op weg.",
        "aliases": ["KvK", "Kamer van Koophandel Nederland"],
    },
    {
        "slug": "rdw",
        "name": "RDW",
        "kind": OTHER_PUBLIC,
        "oin": "00000001804770694000",
        "website": "https://www.rdw.nl",
        "description": "Regelt de toelating en registratie van voertuigen en geeft rijbewijzen "
        "uit.",
        "aliases": ["Dienst Wegverkeer", "Rijksdienst voor het Wegverkeer"],
    },
    {
        "slug": "geonovum",
        "name": "Geonovum",
        "kind": OTHER_PUBLIC,
        "website": "https://www.geonovum.nl",
        "description": "Stichting van de overheid die standaarden voor geo-informatie "
        "ontwikkelt en beheert.",
        "aliases": [],
        "verified": False,
    },
    # Cooperations
    {
        "slug": "vereniging-van-nederlandse-gemeenten",
        "name": "Vereniging van Nederlandse Gemeenten",
        "kind": COOPERATION,
        "oin": "00000001821002193000",
        "website": "https://vng.nl",
        "description": "De vereniging waarin alle Nederlandse gemeenten samenwerken. Beheert "
        "onder meer GEMMA en de API-standaarden voor zaakgericht werken.",
        "aliases": ["VNG", "VNG Realisatie"],
    },
    {
        "slug": "dimpact",
        "name": "Dimpact",
        "kind": COOPERATION,
        "website": "https://www.dimpact.nl",
        "description": "Coöperatie van gemeenten die samen software voor digitale "
        "dienstverlening laten ontwikkelen en inkopen.",
        "aliases": ["Coöperatie Dimpact"],
    },
    {
        "slug": "open-webconcept",
        "name": "Open Webconcept",
        "kind": COOPERATION,
        "website": "https://openwebconcept.nl",
        "description": "Samenwerking van overheden rond open source bouwstenen voor websites "
        "en digitale dienstverlening.",
        "aliases": ["OpenWebConcept", "OWC"],
    },
    {
        "slug": "nl-design-system",
        "name": "NL Design System",
        "kind": COOPERATION,
        "website": "https://nldesignsystem.nl",
        "description": "Samenwerkingsverband van overheidsorganisaties dat samen toegankelijke, "
        "herbruikbare componenten en huisstijlthema's maakt.",
        "aliases": ["NLDS"],
    },
    {
        "slug": "unie-van-waterschappen",
        "name": "Unie van Waterschappen",
        "kind": COOPERATION,
        "website": "https://unievanwaterschappen.nl",
        "description": "Vereniging van de Nederlandse waterschappen.",
        "aliases": ["UvW"],
    },
    {
        "slug": "interprovinciaal-overleg",
        "name": "Interprovinciaal Overleg",
        "kind": COOPERATION,
        "website": "https://www.ipo.nl",
        "description": "Vereniging van de twaalf provincies.",
        "aliases": ["IPO"],
    },
    # Vendors
    {
        "slug": "maykin-media",
        "name": "Maykin Media",
        "kind": VENDOR,
        "website": "https://www.maykinmedia.nl",
        "description": "Softwarebedrijf uit Amsterdam dat open source componenten voor de "
        "overheid bouwt en onderhoudt, zoals Open Zaak en Open Formulieren.",
        "aliases": ["Maykin Media B.V.", "Maykin"],
    },
    {
        "slug": "conduction",
        "name": "Conduction",
        "kind": VENDOR,
        "website": "https://www.conduction.nl",
        "description": "Leverancier van open source software volgens de Common Ground-principes.",
        "aliases": ["Conduction B.V.", "Conduction B.V"],
    },
    {
        "slug": "exxellence",
        "name": "Exxellence Groep",
        "kind": VENDOR,
        "website": "https://www.exxellence.nl",
        "description": "Leverancier van software en dienstverlening voor gemeenten, onder meer "
        "rond zaakgericht werken.",
        "aliases": ["Exxellence"],
    },
    {
        "slug": "centric",
        "name": "Centric",
        "kind": VENDOR,
        "website": "https://www.centric.eu",
        "description": "IT-dienstverlener met software voor gemeenten, onder meer voor het "
        "sociaal domein en burgerzaken.",
        "aliases": ["Centric Netherlands"],
    },
    {
        "slug": "roxit",
        "name": "Roxit",
        "kind": VENDOR,
        "website": "https://www.roxit.nl",
        "description": "Leverancier van software voor vergunningverlening, toezicht en handhaving.",
        "aliases": [],
    },
    {
        "slug": "procura",
        "name": "Procura",
        "kind": VENDOR,
        "website": "https://www.procura.nl",
        "description": "Leverancier van software voor burgerzaken bij gemeenten.",
        "aliases": ["Procura B.V."],
    },
    {
        "slug": "pinkroccade-local-government",
        "name": "PinkRoccade Local Government",
        "kind": VENDOR,
        "website": "https://www.pinkroccadelocalgovernment.nl",
        "description": "Leverancier van gemeentelijke software voor onder meer burgerzaken, "
        "belastingen en het sociaal domein.",
        "aliases": ["PinkRoccade"],
    },
    {
        "slug": "ritense",
        "name": "Ritense",
        "kind": VENDOR,
        "website": "https://www.ritense.com",
        "description": "Softwarebedrijf achter het open source procesplatform Valtimo.",
        "aliases": ["Ritense B.V."],
        "verified": False,
    },
]


# --------------------------------------------------------------------------
# Custom licences
# --------------------------------------------------------------------------

CUSTOM_LICENSES = [
    {
        "id": "LicenseRef-Rijkshuisstijl",
        "name": "Gebruiksvoorwaarden Rijkshuisstijl",
        "url": "https://www.rijkshuisstijl.nl",
        "owner": "ministerie-van-algemene-zaken",
        # The brand belongs to the Rijksoverheid as a whole, not to AZ alone: the
        # licence lets others reuse it, the component's restriction (central
        # government only) decides who those others may be.
        "reuse_allowed": True,
        "summary": "Het beeldmerk (het Rijkslogo) en de Rijkshuisstijl zijn voorbehouden aan "
        "de Rijksoverheid. Alle ministeries en andere rijksorganisaties mogen ze voeren; "
        "andere organisaties mogen het logo en de herkenbare huisstijl niet gebruiken.",
    },
    {
        "id": "LicenseRef-Logius-Aansluitvoorwaarden",
        "name": "Aansluitvoorwaarden voor voorzieningen van Logius",
        "url": "https://www.logius.nl",
        "owner": "logius",
        "reuse_allowed": True,
        "summary": "Geen broncode, maar een dienst: organisaties met een publieke taak mogen "
        "aansluiten na een aansluittraject en onder de voorwaarden die Logius daarvoor stelt.",
    },
]


# --------------------------------------------------------------------------
# UPL sample: (URI name, product name, customer question codes)
# --------------------------------------------------------------------------

UPL_PRODUCTS = [
    ("Verhuizing_doorgeven", "Verhuizing doorgeven", ["verhuizen"]),
    ("Emigratie", "Emigratie", ["verhuizen"]),
    (
        "Uittreksel_basisregistratie_personen",
        "Uittreksel basisregistratie personen",
        ["verhuizen", "geboorte-gezin", "identiteit-reizen"],
    ),
    ("Geboorteaangifte", "Geboorteaangifte", ["geboorte-gezin"]),
    ("Erkenning_ongeboren_kind", "Erkenning ongeboren kind", ["geboorte-gezin"]),
    ("Naamskeuze", "Naamskeuze", ["geboorte-gezin", "trouwen-samenwonen"]),
    ("Huwelijk", "Huwelijk", ["trouwen-samenwonen"]),
    ("Geregistreerd_partnerschap", "Geregistreerd partnerschap", ["trouwen-samenwonen"]),
    ("Aangifte_overlijden", "Aangifte overlijden", ["overlijden"]),
    ("Verlof_tot_begraven_of_cremeren", "Verlof tot begraven of cremeren", ["overlijden"]),
    ("Grafrechten", "Grafrechten", ["overlijden", "belastingen-betalen"]),
    ("Paspoort", "Paspoort", ["identiteit-reizen"]),
    ("Identiteitskaart", "Identiteitskaart", ["identiteit-reizen"]),
    ("Rijbewijs", "Rijbewijs", ["identiteit-reizen", "parkeren-verkeer"]),
    ("Omgevingsvergunning", "Omgevingsvergunning", ["wonen-bouwen", "ondernemen"]),
    ("Sloopmelding", "Sloopmelding", ["wonen-bouwen"]),
    ("Kapvergunning", "Kapvergunning", ["wonen-bouwen", "afval-buurt"]),
    ("Alcoholvergunning", "Alcoholvergunning", ["ondernemen"]),
    ("Terrasvergunning", "Terrasvergunning", ["ondernemen"]),
    ("Evenementenvergunning", "Evenementenvergunning", ["ondernemen", "meedoen-inspraak"]),
    ("Bijstandsuitkering", "Bijstandsuitkering", ["werk-inkomen"]),
    ("Individuele_inkomenstoeslag", "Individuele inkomenstoeslag", ["werk-inkomen"]),
    ("Schuldhulpverlening", "Schuldhulpverlening", ["werk-inkomen", "zorg-ondersteuning"]),
    ("Hulpmiddelen_Wmo", "Hulpmiddelen Wmo", ["zorg-ondersteuning"]),
    ("Woningaanpassing", "Woningaanpassing", ["zorg-ondersteuning", "wonen-bouwen"]),
    ("Jeugdhulp", "Jeugdhulp", ["zorg-ondersteuning", "geboorte-gezin"]),
    ("Onroerendezaakbelasting", "Onroerendezaakbelasting", ["belastingen-betalen", "wonen-bouwen"]),
    (
        "Kwijtschelding_gemeentelijke_belastingen",
        "Kwijtschelding gemeentelijke belastingen",
        ["belastingen-betalen", "werk-inkomen"],
    ),
    ("Hondenbelasting", "Hondenbelasting", ["belastingen-betalen"]),
    ("Afvalstoffenheffing", "Afvalstoffenheffing", ["afval-buurt", "belastingen-betalen"]),
    ("Grofvuil", "Grofvuil", ["afval-buurt"]),
    ("Melding_openbare_ruimte", "Melding openbare ruimte", ["afval-buurt", "meedoen-inspraak"]),
    ("Parkeervergunning", "Parkeervergunning", ["parkeren-verkeer"]),
    (
        "Gehandicaptenparkeerkaart",
        "Gehandicaptenparkeerkaart",
        ["parkeren-verkeer", "zorg-ondersteuning"],
    ),
    ("Gehandicaptenparkeerplaats", "Gehandicaptenparkeerplaats", ["parkeren-verkeer"]),
    ("Bezwaar", "Bezwaar", ["meedoen-inspraak"]),
    ("Klacht", "Klacht", ["meedoen-inspraak"]),
    ("Vervangende_stempas", "Vervangende stempas", ["meedoen-inspraak"]),
]


# --------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------

API = ComponentKind.API
HOUSE_STYLE = ComponentKind.HOUSE_STYLE
SOFTWARE = ComponentKind.SOFTWARE
LIBRARY = ComponentKind.LIBRARY
STANDARD = ComponentKind.STANDARD

# Organisations allowed to query the BRP API: afnemers with an authorisation
# decision (the spec is open, access to the data is not). Each has a usage below.
BRP_AFNEMERS = [
    "gemeente-utrecht",
    "gemeente-amsterdam",
    "gemeente-rotterdam",
    "gemeente-den-haag",
    "gemeente-eindhoven",
    "gemeente-groningen",
    "gemeente-tilburg",
    "gemeente-almere",
    "gemeente-breda",
    "gemeente-nijmegen",
    "belastingdienst",
]

COMPONENTS = [
    {
        "slug": "open-zaak",
        "name": "Open Zaak",
        "kind": SOFTWARE,
        "publisher": "maykin-media",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Registratie- en servicelaag voor zaakgericht werken, volgens de "
        "ZGW API-standaarden van VNG.",
        "short_en": "Production-grade registers and APIs for case-oriented work "
        "(zaakgericht werken), following the VNG ZGW API standards.",
        "long": "Open Zaak slaat zaken, documenten, besluiten en zaaktypecatalogi op en "
        "ontsluit ze via de gestandaardiseerde Zaken-, Documenten-, Catalogi-, Besluiten- en "
        "Autorisaties-API's. Het vormt de onderste lagen van het Common Ground-model, zodat "
        "verschillende applicaties dezelfde zaakgegevens kunnen gebruiken. De code is "
        "gebaseerd op de referentie-implementaties van VNG.",
        "long_en": "Open Zaak stores cases, documents, decisions and case type catalogues and "
        "exposes them through the standardised Zaken, Documenten, Catalogi, Besluiten and "
        "Autorisaties APIs. It forms the lower layers of the Common Ground model so that "
        "different applications can share the same case data.",
        "categories": ["business-process-management", "document-management", "workflow-management"],
        "questions": [
            "wonen-bouwen",
            "ondernemen",
            "werk-inkomen",
            "zorg-ondersteuning",
            "meedoen-inspraak",
        ],
        "upl": ["Omgevingsvergunning", "Evenementenvergunning", "Bijstandsuitkering", "Bezwaar"],
        "repo": "https://github.com/open-zaak/open-zaak",
        "homepage": "https://openzaak.org",
        "docs": "https://open-zaak.readthedocs.io/",
    },
    {
        "slug": "open-notificaties",
        "name": "Open Notificaties",
        "kind": SOFTWARE,
        "publisher": "maykin-media",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Notificatiecomponent die applicaties laat weten wanneer zaken, documenten of "
        "objecten veranderen.",
        "short_en": "Notification service that tells subscribed applications when cases, "
        "documents or objects change.",
        "long": "Open Notificaties implementeert de Notificaties API. Registers als Open Zaak "
        "melden wijzigingen aan, en abonnees krijgen die doorgestuurd. Zo hoeven applicaties "
        "niet steeds zelf te vragen of er iets veranderd is.",
        "long_en": "Open Notificaties implements the Notificaties API. Registers such as "
        "Open Zaak publish changes and subscribers receive them, so applications no longer "
        "have to poll for changes.",
        "categories": ["communications", "it-development"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/open-zaak/open-notificaties",
        "docs": "https://open-notificaties.readthedocs.io/",
    },
    {
        "slug": "open-formulieren",
        "name": "Open Formulieren",
        "kind": SOFTWARE,
        "publisher": "maykin-media",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Slimme webformulieren bouwen en via een API aanbieden, in de huisstijl van "
        "de organisatie.",
        "short_en": "Build smart web forms and serve them through an API, in the "
        "organisation's own house style.",
        "long": "Met Open Formulieren stellen beheerders zonder programmeren formulieren samen, "
        "met logica, voorinvulling en betalen. Inzendingen gaan via plugins naar bijvoorbeeld "
        "Open Zaak of de Objecten API. Inwoners loggen in met DigiD of eHerkenning waar dat "
        "nodig is.",
        "long_en": "Open Formulieren lets administrators compose forms without programming, "
        "with logic, prefill and payments. Submissions are routed by plugins to, for "
        "example, Open Zaak or the Objects API.",
        "categories": ["data-collection", "digital-citizenship", "workflow-management"],
        "questions": [
            "verhuizen",
            "trouwen-samenwonen",
            "ondernemen",
            "zorg-ondersteuning",
            "afval-buurt",
            "parkeren-verkeer",
            "meedoen-inspraak",
        ],
        "upl": [
            "Verhuizing_doorgeven",
            "Huwelijk",
            "Evenementenvergunning",
            "Hulpmiddelen_Wmo",
            "Grofvuil",
            "Parkeervergunning",
            "Klacht",
            "Vervangende_stempas",
        ],
        "repo": "https://github.com/open-formulieren/open-forms",
        "docs": "https://open-forms.readthedocs.io/",
    },
    {
        "slug": "open-formulieren-sdk",
        "name": "Open Formulieren SDK",
        "kind": LIBRARY,
        "publisher": "maykin-media",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "JavaScript-bibliotheek die formulieren uit Open Formulieren in een website "
        "toont.",
        "short_en": "JavaScript library that renders Open Formulieren forms inside a website.",
        "long": "De SDK haalt formulieren op bij de Open Formulieren API en toont ze in de "
        "eigen website. Het uiterlijk volgt de design tokens van NL Design System, zodat het "
        "formulier past bij de huisstijl van de gemeente.",
        "long_en": "The SDK fetches forms from the Open Formulieren API and renders them in "
        "the organisation's website, styled with NL Design System design tokens.",
        "categories": ["data-collection", "application-development"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/open-formulieren/open-forms-sdk",
    },
    {
        "slug": "objecten-api",
        "name": "Objecten API",
        "kind": API,
        "publisher": "maykin-media",
        "layer": Layer.DATA,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Registratie van uiteenlopende objecten in een gestandaardiseerd formaat, "
        "zoals bomen, containers of meldingen.",
        "short_en": "Register for all kinds of objects, such as trees, containers or reports, "
        "in a standardised format.",
        "long": "De Objecten API slaat objecten op waarvan de vorm is vastgelegd in een "
        "objecttype. Een organisatie kan er alles in bijhouden waarvoor geen eigen register "
        "bestaat, en objecten desgewenst als open data publiceren.",
        "long_en": "The Objects API stores objects whose shape is defined by an object type. "
        "Organisations use it for anything that has no register of its own, and can publish "
        "objects as open data.",
        "categories": ["data-collection", "it-development"],
        "questions": ["afval-buurt"],
        "upl": ["Grofvuil"],
        "repo": "https://github.com/maykinmedia/objects-api",
        "docs": "https://objects-and-objecttypes-api.readthedocs.io/",
        "api_spec": "https://raw.githubusercontent.com/maykinmedia/objects-api/master/src/"
        "objects/api/v1/openapi.yaml",
    },
    {
        "slug": "objecttypen-api",
        "name": "Objecttypen API",
        "kind": API,
        "publisher": "maykin-media",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Catalogus van objecttypen: legt met JSON-schema vast hoe objecten in de "
        "Objecten API eruitzien.",
        "short_en": "Catalogue of object types: defines with JSON Schema what objects in the "
        "Objects API look like.",
        "long": "In de Objecttypen API beschrijven organisaties welke soorten objecten zij "
        "registreren en welke eigenschappen die hebben. Objecttypen kunnen lokaal of landelijk "
        "worden gedeeld, zodat gemeenten dezelfde definities hergebruiken.",
        "long_en": "In the Objecttypes API organisations describe which kinds of objects they "
        "register and what properties those have. Types can be shared locally or nationally.",
        "categories": ["data-collection", "knowledge-management"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/maykinmedia/objecttypes-api",
        "docs": "https://objects-and-objecttypes-api.readthedocs.io/",
        "api_spec": "https://raw.githubusercontent.com/maykinmedia/objecttypes-api/master/src/"
        "objecttypes/api/v2/openapi.yaml",
    },
    {
        "slug": "open-klant",
        "name": "Open Klant",
        "kind": SOFTWARE,
        "publisher": "maykin-media",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Register voor klantinteracties en contactgegevens van inwoners en ondernemers.",
        "short_en": "Register of customer interactions and contact details of residents and "
        "businesses.",
        "long": "Open Klant legt vast wie contact had met de organisatie, waarover en via welk "
        "kanaal, en welke contactvoorkeuren iemand heeft. Andere applicaties, zoals een "
        "klantportaal of een contactcentrum, lezen en schrijven die gegevens via de "
        "Klantinteracties API.",
        "long_en": "Open Klant records who contacted the organisation, about what and through "
        "which channel, and people's contact preferences, for portals and contact centres.",
        "categories": ["crm", "customer-service-and-support"],
        "questions": ["meedoen-inspraak"],
        "upl": ["Klacht"],
        "repo": "https://github.com/maykinmedia/open-klant",
        "docs": "https://open-klant.readthedocs.io/",
    },
    {
        "slug": "open-inwoner",
        "name": "Open Inwoner",
        "kind": SOFTWARE,
        "publisher": "maykin-media",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Persoonlijk portaal waarin inwoners hun lopende zaken, aanvragen en "
        "contactmomenten volgen.",
        "short_en": "Personal portal where residents follow their cases, applications and "
        "contacts with the municipality.",
        "long": "Open Inwoner geeft inwoners één plek om de status van hun zaken te zien, "
        "berichten te lezen en producten aan te vragen. Het portaal haalt zijn gegevens uit "
        "Open Zaak, Open Klant en de Objecten API en verzint zelf geen eigen registraties.",
        "long_en": "Open Inwoner gives residents one place to follow their cases, read "
        "messages and request products, reading from Open Zaak, Open Klant and the Objects "
        "API.",
        "categories": ["digital-citizenship", "customer-service-and-support"],
        "questions": ["werk-inkomen", "zorg-ondersteuning"],
        "upl": ["Bijstandsuitkering", "Schuldhulpverlening", "Hulpmiddelen_Wmo", "Jeugdhulp"],
        "repo": "https://github.com/maykinmedia/open-inwoner",
    },
    {
        "slug": "open-archiefbeheer",
        "name": "Open Archiefbeheer",
        "kind": SOFTWARE,
        "publisher": "maykin-media",
        "layer": Layer.PROCESS,
        "status": DevelopmentStatus.BETA,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Ondersteunt het vernietigen van zaken en documenten volgens de archiefregels.",
        "short_en": "Supports the lawful destruction of cases and documents according to "
        "archiving rules.",
        "long": "Open Archiefbeheer stelt vernietigingslijsten op uit de zaken in Open Zaak, "
        "laat ze beoordelen door de betrokken medewerkers en archivaris en voert de "
        "vernietiging daarna uit. Elke stap wordt vastgelegd voor verantwoording.",
        "long_en": "Open Archiefbeheer builds destruction lists from the cases in Open Zaak, "
        "has them reviewed and then carries out the destruction, logging every step.",
        "categories": ["document-management", "compliance-management"],
        "questions": [],
        "upl": [],
    },
    {
        "slug": "open-producten",
        "name": "Open Producten",
        "kind": SOFTWARE,
        "publisher": "maykin-media",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.DEVELOPMENT,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Register van producttypen en van de producten die inwoners in bezit hebben, "
        "zoals vergunningen.",
        "short_en": "Register of product types and of the products residents hold, such as "
        "permits.",
        "long": "Open Producten beschrijft welke producten een gemeente levert en houdt bij "
        "welke inwoner welk product heeft, met looptijd en status. Een portaal kan zo laten "
        "zien welke parkeervergunning iemand heeft en wanneer die verloopt.",
        "long_en": "Open Producten describes the products a municipality delivers and keeps "
        "track of who holds which product, with its term and status.",
        "categories": ["knowledge-management", "digital-citizenship"],
        "questions": ["parkeren-verkeer", "belastingen-betalen"],
        "upl": ["Parkeervergunning", "Gehandicaptenparkeerkaart", "Hondenbelasting"],
    },
    {
        "slug": "zgw-consumers",
        "name": "zgw-consumers",
        "kind": LIBRARY,
        "publisher": "maykin-media",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "MIT",
        "short": "Django-bibliotheek om ZGW- en andere API's te configureren en aan te roepen.",
        "short_en": "Django library to configure and call ZGW and other APIs.",
        "long": "zgw-consumers beheert in een Django-project de gegevens van externe "
        "API-diensten, zoals adressen en sleutels, en biedt clients om ze aan te roepen. "
        "Veel componenten van Maykin Media gebruiken de bibliotheek voor hun koppelingen.",
        "long_en": "zgw-consumers manages the configuration of external API services in a "
        "Django project and provides clients to call them.",
        "categories": ["it-development", "application-development"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/maykinmedia/zgw-consumers",
    },
    {
        "slug": "commonground-api-common",
        "name": "commonground-api-common",
        "kind": LIBRARY,
        "publisher": "maykin-media",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Gedeelde Django-bouwstenen voor API's volgens de Common Ground-standaarden.",
        "short_en": "Shared Django building blocks for APIs that follow the Common Ground "
        "standards.",
        "long": "De bibliotheek bundelt wat API's voor zaakgericht werken gemeen hebben: "
        "foutberichten, autorisatie, notificaties en documentatie. Zo hoeft niet elk register "
        "dat opnieuw te bouwen.",
        "long_en": "The library bundles what APIs for case-oriented work have in common: "
        "error responses, authorisation, notifications and documentation.",
        "categories": ["it-development"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/maykinmedia/commonground-api-common",
    },
    {
        "slug": "signalen",
        "name": "Signalen",
        "kind": SOFTWARE,
        "publisher": "gemeente-amsterdam",
        "layer": Layer.PROCESS,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.COMMUNITY,
        "license": "MPL-2.0",
        "short": "Meldingen over de openbare ruimte ontvangen, automatisch categoriseren en "
        "naar de juiste afdeling sturen.",
        "short_en": "Receive reports about public space, categorise them automatically and "
        "route them to the right team.",
        "long": "Signalen is het proces- en taaksysteem achter meldingen over de openbare "
        "ruimte, zoals zwerfvuil, kapotte lantaarnpalen of overlast. De gemeente Amsterdam "
        "begon het project; inmiddels gebruiken en onderhouden meer gemeenten het samen.",
        "long_en": "Signalen is the process and task system behind reports about public "
        "space, such as litter or broken street lights. Started by Amsterdam, it is now "
        "maintained together with other municipalities.",
        "categories": ["workflow-management", "task-management", "communications"],
        "questions": ["afval-buurt", "meedoen-inspraak"],
        "upl": ["Melding_openbare_ruimte", "Grofvuil"],
        "repo": "https://github.com/Amsterdam/signals",
        "homepage": "https://signalen.org",
        "docs": "https://docs.signalen.org/",
    },
    {
        "slug": "signalen-frontend",
        "name": "Signalen frontend",
        "kind": SOFTWARE,
        "publisher": "gemeente-amsterdam",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.COMMUNITY,
        "license": "MPL-2.0",
        "short": "Meldformulier voor inwoners en behandelscherm voor medewerkers bij Signalen.",
        "short_en": "Reporting form for residents and handling screens for staff, for Signalen.",
        "long": "De frontend van Signalen bevat het formulier waarmee inwoners een melding "
        "doen en de schermen waarin medewerkers meldingen verdelen en afhandelen. Elke "
        "gemeente kan de frontend in de eigen huisstijl configureren.",
        "long_en": "The Signalen frontend holds the form residents use to report issues and "
        "the screens in which staff assign and handle reports.",
        "categories": ["workflow-management", "feedback-and-reviews-management"],
        "questions": ["afval-buurt"],
        "upl": ["Melding_openbare_ruimte"],
        "repo": "https://github.com/Amsterdam/signals-frontend",
        "homepage": "https://signalen.org",
    },
    {
        "slug": "amsterdam-design-system",
        "name": "Amsterdam Design System",
        "kind": LIBRARY,
        "publisher": "gemeente-amsterdam",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Componenten, patronen en richtlijnen voor de digitale diensten van de "
        "gemeente Amsterdam.",
        "short_en": "Components, patterns and guidelines for the City of Amsterdam's digital "
        "services.",
        "long": "Het Amsterdam Design System levert design tokens, CSS- en React-componenten "
        "en iconen, zodat alle Amsterdamse websites er hetzelfde uitzien en toegankelijk "
        "zijn. Het maakt deel uit van de NL Design System-gemeenschap.",
        "long_en": "The Amsterdam Design System provides design tokens, CSS and React "
        "components and icons so that all Amsterdam websites look alike and are accessible.",
        "categories": ["design-system", "design"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/Amsterdam/design-system",
        "homepage": "https://designsystem.amsterdam",
        "reuse": ReuseRestriction.NONE,
        "reuse_terms": "De code is vrij herbruikbaar; het Amsterdamse logo en de andreaskruisen "
        "horen bij de gemeente Amsterdam.",
    },
    {
        "slug": "utrecht-design-system",
        "name": "Utrecht Design System",
        "kind": LIBRARY,
        "publisher": "gemeente-utrecht",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.COMMUNITY,
        "license": "EUPL-1.2",
        "short": "Toegankelijke CSS- en React-componenten (@utrecht/component-library-css) "
        "die met elk thema werken.",
        "short_en": "Accessible CSS and React components (@utrecht/component-library-css) "
        "that work with any theme.",
        "long": "De gemeente Utrecht ontwikkelt deze componentenbibliotheek binnen NL Design "
        "System. De componenten gebruiken design tokens, zodat andere organisaties ze met hun "
        "eigen huisstijlthema kunnen inzetten. Veel gemeenten en provincies bouwen erop voort.",
        "long_en": "The City of Utrecht develops this component library within NL Design "
        "System. Components use design tokens, so other organisations can apply their own "
        "theme.",
        "categories": ["design-system", "design"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/nl-design-system/utrecht",
    },
    {
        "slug": "utrecht-huisstijlthema",
        "name": "Utrecht huisstijlthema",
        "kind": HOUSE_STYLE,
        "publisher": "gemeente-utrecht",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Design tokens met de kleuren, lettertypen en het logo van de gemeente Utrecht.",
        "short_en": "Design tokens with the colours, fonts and logo of the City of Utrecht.",
        "long": "Het thema geeft de componenten van het Utrecht Design System de Utrechtse "
        "huisstijl. De code valt onder de EUPL, maar het thema zelf is de herkenbare "
        "identiteit van de gemeente en is niet bedoeld voor andere organisaties.",
        "long_en": "The theme gives the Utrecht Design System components the Utrecht house "
        "style. The code is EUPL, but the theme is the city's identity and not for others.",
        "categories": ["design-system", "graphic-design"],
        "questions": [],
        "upl": [],
        "reuse": ReuseRestriction.OWNER_ONLY,
        "reuse_terms": "Het Utrechtse logo, de kleuren en het thema zijn voorbehouden aan de "
        "gemeente Utrecht. Andere organisaties gebruiken de componenten met hun eigen thema.",
    },
    {
        "slug": "den-haag-design-system",
        "name": "Den Haag Design System",
        "kind": HOUSE_STYLE,
        "publisher": "gemeente-den-haag",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.BETA,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Huisstijlthema en componenten voor de websites en diensten van de gemeente "
        "Den Haag.",
        "short_en": "House style theme and components for the City of The Hague's websites "
        "and services.",
        "long": "Den Haag werkt binnen NL Design System aan een eigen thema en een set "
        "componenten in de Haagse huisstijl. De componenten zijn open source; het Haagse "
        "beeldmerk en het thema zijn alleen voor de gemeente zelf.",
        "long_en": "The Hague builds its own theme and components in the Hague house style "
        "within NL Design System. The city's emblem and theme are for its own use.",
        "categories": ["design-system", "graphic-design"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/nl-design-system/denhaag",
        "reuse": ReuseRestriction.OWNER_ONLY,
        "reuse_terms": "Het beeldmerk en de huisstijl van Den Haag mogen alleen door de "
        "gemeente Den Haag worden gevoerd.",
    },
    {
        "slug": "rijkshuisstijl",
        "name": "Rijkshuisstijl",
        "kind": HOUSE_STYLE,
        "publisher": "ministerie-van-algemene-zaken",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "LicenseRef-Rijkshuisstijl",
        "short": "De gezamenlijke huisstijl van de Rijksoverheid: beeldmerk, kleuren, "
        "typografie en richtlijnen.",
        "short_en": "The shared house style of the Dutch central government: emblem, colours, "
        "typography and guidelines.",
        "long": "Sinds de invoering van de Rijkshuisstijl communiceren ministeries en "
        "rijksdiensten met één beeldmerk en één herkenbare vormgeving. De richtlijnen staan op "
        "rijkshuisstijl.nl. Het logo en de huisstijl zijn voorbehouden aan de Rijksoverheid.",
        "long_en": "Ministries and government agencies communicate with one emblem and one "
        "recognisable design. The logo and the house style are reserved to central "
        "government.",
        "categories": ["graphic-design", "design"],
        "questions": [],
        "upl": [],
        "homepage": "https://www.rijkshuisstijl.nl",
        "reuse": ReuseRestriction.ORGANISATION_KINDS,
        "reuse_kinds": [CENTRAL_GOVERNMENT],
        "reuse_terms": "Het Rijkslogo en de Rijkshuisstijl zijn voorbehouden aan de "
        "Rijksoverheid. Gemeenten, provincies, waterschappen en leveranciers mogen ze niet "
        "voeren, ook niet in gezamenlijke projecten zonder toestemming.",
    },
    {
        "slug": "rijkshuisstijl-community",
        "name": "Rijkshuisstijl Community",
        "kind": HOUSE_STYLE,
        "publisher": "nl-design-system",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.BETA,
        "maintenance": MaintenanceType.COMMUNITY,
        "license": "EUPL-1.2",
        "short": "NL Design System-componenten en -thema in de Rijkshuisstijl, gemaakt door "
        "een gemeenschap van rijksorganisaties.",
        "short_en": "NL Design System components and theme in the central-government house "
        "style, built by a community of agencies.",
        "long": "Rijksorganisaties bouwen hier samen herbruikbare CSS- en React-componenten in "
        "de Rijkshuisstijl, op basis van NL Design System. De code is open source; het "
        "Rijkslogo en de huisstijl zelf blijven voorbehouden aan de Rijksoverheid.",
        "long_en": "Government agencies jointly build reusable components in the central "
        "government house style on NL Design System; the emblem remains reserved.",
        "categories": ["design-system", "design"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/nl-design-system/rijkshuisstijl-community",
        "reuse": ReuseRestriction.PUBLIC_SECTOR,
        "reuse_terms": "De componenten zijn bedoeld voor overheidsorganisaties. Gebruik van "
        "het Rijkslogo en de herkenbare Rijkshuisstijl is alleen toegestaan aan de "
        "Rijksoverheid.",
    },
    {
        "slug": "haal-centraal-brp-bevragen",
        "name": "Haal Centraal BRP Bevragen",
        "kind": API,
        "publisher": "rijksdienst-voor-identiteitsgegevens",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "API om actuele gegevens van personen uit de Basisregistratie Personen "
        "rechtstreeks te bevragen.",
        "short_en": "API to query current personal data directly from the Dutch Personal "
        "Records Database (BRP).",
        "long": "Met deze API vragen afnemers gegevens uit de BRP op bij de bron, in plaats "
        "van een eigen kopie bij te houden. De specificatie is open; toegang tot de gegevens "
        "krijgt alleen wie daarvoor een autorisatiebesluit heeft.",
        "long_en": "With this API authorised users query the BRP at the source instead of "
        "keeping their own copy. The specification is open; access to the data needs an "
        "authorisation decision.",
        "categories": ["identity-management", "data-collection"],
        "questions": [
            "verhuizen",
            "geboorte-gezin",
            "trouwen-samenwonen",
            "overlijden",
            "identiteit-reizen",
        ],
        "upl": [
            "Uittreksel_basisregistratie_personen",
            "Verhuizing_doorgeven",
            "Geboorteaangifte",
            "Aangifte_overlijden",
            "Paspoort",
            "Identiteitskaart",
        ],
        "repo": "https://github.com/BRP-API/Haal-Centraal-BRP-bevragen",
        "docs": "https://brp-api.github.io/Haal-Centraal-BRP-bevragen/",
        "api_spec": "https://github.com/BRP-API/Haal-Centraal-BRP-bevragen/tree/master/"
        "specificatie",
        "reuse": ReuseRestriction.NAMED_ORGANISATIONS,
        "reuse_organisations": BRP_AFNEMERS,
        "reuse_terms": "De specificatie mag iedereen hergebruiken. De API zelf bevragen mogen "
        "alleen afnemers met een autorisatiebesluit voor de BRP.",
    },
    {
        "slug": "bag-api-individuele-bevragingen",
        "name": "BAG API Individuele Bevragingen",
        "kind": API,
        "publisher": "kadaster",
        "layer": Layer.DATA,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Haal Centraal-API voor adressen, panden en verblijfsobjecten uit de "
        "Basisregistratie Adressen en Gebouwen.",
        "short_en": "Haal Centraal API for addresses, buildings and units from the Dutch "
        "register of addresses and buildings (BAG).",
        "long": "De API geeft per adres, pand of verblijfsobject de actuele gegevens uit de "
        "landelijke voorziening BAG. Applicaties hoeven daardoor geen eigen kopie van de BAG "
        "meer bij te houden.",
        "long_en": "The API returns current BAG data per address, building or unit, so "
        "applications no longer need their own copy of the register.",
        "categories": ["geographic-information-systems", "real-estate-management"],
        "questions": ["verhuizen", "wonen-bouwen"],
        "upl": ["Verhuizing_doorgeven", "Omgevingsvergunning", "Onroerendezaakbelasting"],
    },
    {
        "slug": "haal-centraal-brk-bevragen",
        "name": "Haal Centraal BRK Bevragen",
        "kind": API,
        "publisher": "kadaster",
        "layer": Layer.DATA,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "API voor kadastrale percelen, eigenaren en zakelijke rechten uit de "
        "Basisregistratie Kadaster.",
        "short_en": "API for cadastral parcels, owners and rights from the Dutch Cadastre "
        "register (BRK).",
        "long": "Overheden vragen met deze API gegevens over percelen en rechthebbenden "
        "rechtstreeks op bij het Kadaster, bijvoorbeeld voor de WOZ of voor een "
        "omgevingsvergunning.",
        "long_en": "Public bodies use this API to query parcels and right holders directly "
        "at the Cadastre, for instance for property valuation or permits.",
        "categories": ["geographic-information-systems", "property-management"],
        "questions": ["wonen-bouwen", "belastingen-betalen"],
        "upl": ["Onroerendezaakbelasting", "Omgevingsvergunning"],
    },
    {
        "slug": "digid",
        "name": "DigiD",
        "kind": API,
        "publisher": "logius",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "LicenseRef-Logius-Aansluitvoorwaarden",
        "short": "Inlogvoorziening waarmee inwoners zich bij overheidsorganisaties identificeren.",
        "short_en": "Login service with which residents identify themselves to public "
        "organisations.",
        "long": "Met DigiD loggen inwoners in bij websites van gemeenten, ministeries en andere "
        "organisaties met een publieke taak. Logius beheert de voorziening; organisaties "
        "sluiten aan via een aansluittraject en een SAML- of OIDC-koppeling.",
        "long_en": "With DigiD residents log in to websites of municipalities, ministries and "
        "other organisations with a public task. Logius runs the service.",
        "categories": ["identity-management", "it-security"],
        "questions": ["verhuizen", "werk-inkomen", "parkeren-verkeer"],
        "upl": [
            "Uittreksel_basisregistratie_personen",
            "Verhuizing_doorgeven",
            "Bijstandsuitkering",
            "Parkeervergunning",
        ],
        "homepage": "https://www.digid.nl",
        "reuse": ReuseRestriction.PUBLIC_SECTOR,
        "reuse_terms": "Aansluiten kan alleen voor organisaties met een publieke taak, na het "
        "aansluittraject van Logius.",
    },
    {
        "slug": "mijnoverheid-berichtenbox",
        "name": "MijnOverheid Berichtenbox",
        "kind": API,
        "publisher": "logius",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "LicenseRef-Logius-Aansluitvoorwaarden",
        "short": "Digitale postbus waarin overheden berichten, zoals aanslagen, veilig aan "
        "inwoners sturen.",
        "short_en": "Digital mailbox in which public bodies send residents messages, such as "
        "tax assessments, securely.",
        "long": "Via de Berichtenbox van MijnOverheid ontvangen inwoners post van de overheid "
        "digitaal. Gemeenten gebruiken hem onder meer voor aanslagen gemeentelijke "
        "belastingen en besluiten.",
        "long_en": "Through the MijnOverheid mailbox residents receive government mail "
        "digitally; municipalities send local tax assessments and decisions.",
        "categories": ["communications", "digital-citizenship"],
        "questions": ["belastingen-betalen"],
        "upl": [
            "Onroerendezaakbelasting",
            "Afvalstoffenheffing",
            "Kwijtschelding_gemeentelijke_belastingen",
        ],
        "homepage": "https://mijn.overheid.nl",
        "reuse": ReuseRestriction.PUBLIC_SECTOR,
        "reuse_terms": "Alleen voor overheidsorganisaties die bij Logius zijn aangesloten.",
    },
    {
        "slug": "zgw-api-standaarden",
        "name": "API-standaarden voor Zaakgericht Werken",
        "kind": STANDARD,
        "publisher": "vereniging-van-nederlandse-gemeenten",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "De ZGW API-standaarden: Zaken, Documenten, Catalogi, Besluiten, "
        "Autorisaties en Notificaties.",
        "short_en": "The ZGW API standards: Zaken, Documenten, Catalogi, Besluiten, "
        "Autorisaties and Notificaties.",
        "long": "VNG beheert deze set API-specificaties waarmee applicaties zaakgegevens op "
        "een eenduidige manier uitwisselen. Registers als Open Zaak implementeren ze; "
        "zaaksystemen en formulieren maken er gebruik van.",
        "long_en": "VNG maintains this set of API specifications for exchanging case data in "
        "one consistent way. Registers such as Open Zaak implement them.",
        "categories": ["business-process-management", "document-management"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/VNG-Realisatie/gemma-zaken",
        "docs": "https://vng-realisatie.github.io/gemma-zaken/",
    },
    {
        "slug": "gemma",
        "name": "GEMMA",
        "kind": STANDARD,
        "publisher": "vereniging-van-nederlandse-gemeenten",
        "layer": "",
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "CC-BY-4.0",
        "short": "Gemeentelijke Model Architectuur: de referentiearchitectuur voor de "
        "informatievoorziening van gemeenten.",
        "short_en": "Municipal Model Architecture: the reference architecture for Dutch "
        "municipal information management.",
        "long": "GEMMA beschrijft welke bedrijfsfuncties, applicatiefuncties en "
        "referentiecomponenten een gemeente nodig heeft en hoe ze samenhangen. Gemeenten "
        "gebruiken het bij het inrichten en aanbesteden van hun applicatielandschap.",
        "long_en": "GEMMA describes the business and application functions and reference "
        "components a municipality needs and how they fit together.",
        "categories": ["knowledge-management"],
        "questions": [],
        "upl": [],
        "homepage": "https://www.gemmaonline.nl",
    },
    {
        "slug": "stuf",
        "name": "StUF",
        "kind": STANDARD,
        "publisher": "vereniging-van-nederlandse-gemeenten",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.OBSOLETE,
        "maintenance": MaintenanceType.NONE,
        "license": "CC-BY-4.0",
        "short": "Standaard Uitwisseling Formaat: XML-berichtenstandaard tussen gemeentelijke "
        "applicaties, wordt uitgefaseerd.",
        "short_en": "Standard Exchange Format: XML messaging standard between municipal "
        "applications, being phased out.",
        "long": "StUF en de sectormodellen, zoals StUF-BG en StUF-ZKN, waren jarenlang de "
        "manier waarop gemeentelijke systemen berichten uitwisselden. Nieuwe koppelingen "
        "gebruiken API's; StUF wordt niet meer doorontwikkeld.",
        "long_en": "StUF and its sector models were for years how municipal systems "
        "exchanged messages. New integrations use APIs; StUF is no longer developed.",
        "categories": ["it-development"],
        "questions": [],
        "upl": [],
    },
    {
        "slug": "fsc",
        "name": "Federatieve Service Connectiviteit (FSC)",
        "kind": STANDARD,
        "publisher": "vereniging-van-nederlandse-gemeenten",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.BETA,
        "maintenance": MaintenanceType.COMMUNITY,
        "license": "EUPL-1.2",
        "short": "Standaard voor veilige, federatieve verbindingen tussen API's van "
        "verschillende organisaties.",
        "short_en": "Standard for secure, federated connections between APIs of different "
        "organisations.",
        "long": "FSC legt vast hoe organisaties elkaars diensten vinden, contracten over "
        "toegang sluiten en verbindingen beveiligen, zonder centrale tussenpartij. De "
        "standaard is voortgekomen uit het werk aan NLX binnen Common Ground.",
        "long_en": "FSC defines how organisations discover each other's services, agree on "
        "access and secure connections without a central broker.",
        "categories": ["network-management", "it-security"],
        "questions": [],
        "upl": [],
    },
    {
        "slug": "nlx",
        "name": "NLX",
        "kind": SOFTWARE,
        "publisher": "vereniging-van-nederlandse-gemeenten",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.COMMUNITY,
        "license": "EUPL-1.2",
        "short": "Open source gateway en beheeromgeving om API's veilig tussen overheden uit "
        "te wisselen.",
        "short_en": "Open-source gateway and management console for exchanging APIs securely "
        "between public bodies.",
        "long": "NLX bestaat uit inways en outways waarmee organisaties API's aanbieden en "
        "afnemen, met logging van elk verzoek. Het was de eerste implementatie van het "
        "federatieve verbindingsmodel van Common Ground.",
        "long_en": "NLX provides inways and outways through which organisations offer and "
        "consume APIs, logging every request.",
        "categories": ["network-management", "it-security"],
        "questions": [],
        "upl": [],
        "repo": "https://gitlab.com/commonground/nlx/nlx",
        "homepage": "https://nlx.io",
    },
    {
        "slug": "nl-api-design-rules",
        "name": "NL GOV API Design Rules",
        "kind": STANDARD,
        "publisher": "logius",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "CC-BY-4.0",
        "short": "Ontwerpregels voor REST-API's van de Nederlandse overheid, met een "
        "geautomatiseerde linter.",
        "short_en": "Design rules for Dutch government REST APIs, with an automated linter.",
        "long": "De API Design Rules beschrijven hoe overheids-API's paden, foutmeldingen, "
        "versies en documentatie inrichten. De standaard staat op de pas-toe-of-leg-uitlijst "
        "van het Forum Standaardisatie; Logius beheert hem.",
        "long_en": "The API Design Rules describe how government APIs shape paths, errors, "
        "versions and documentation. Logius maintains the standard.",
        "categories": ["it-development", "application-development"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/Logius-standaarden/API-Design-Rules",
    },
    {
        "slug": "digikoppeling",
        "name": "Digikoppeling",
        "kind": STANDARD,
        "publisher": "logius",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "CC-BY-4.0",
        "short": "Standaarden voor het veilig uitwisselen van berichten en API-verkeer tussen "
        "overheidsorganisaties.",
        "short_en": "Standards for the secure exchange of messages and API traffic between "
        "public organisations.",
        "long": "Digikoppeling bundelt koppelvlakstandaarden voor berichtuitwisseling, grote "
        "bestanden en REST-API's tussen overheden, met PKIoverheid-certificaten voor "
        "vertrouwen. Logius beheert de standaard.",
        "long_en": "Digikoppeling bundles interface standards for messaging, large files and "
        "REST APIs between public bodies, secured with PKIoverheid certificates.",
        "categories": ["network-management", "it-security"],
        "questions": [],
        "upl": [],
    },
    {
        "slug": "logboek-dataverwerkingen",
        "name": "Logboek Dataverwerkingen",
        "kind": STANDARD,
        "publisher": "logius",
        "layer": Layer.DATA,
        "status": DevelopmentStatus.CONCEPT,
        "maintenance": MaintenanceType.COMMUNITY,
        "license": "CC0-1.0",
        "short": "Conceptstandaard om vast te leggen welke persoonsgegevens een overheid "
        "wanneer en waarom verwerkt.",
        "short_en": "Draft standard for logging which personal data a public body processes, "
        "when and why.",
        "long": "Met een gestandaardiseerd logboek kunnen organisaties verantwoorden welke "
        "verwerkingen zij deden en kunnen inwoners dat later inzien. De standaard is nog in "
        "concept en wordt samen met gemeenten en rijksorganisaties uitgeprobeerd.",
        "long_en": "A standardised log lets organisations account for the processing they did "
        "and lets residents see it later. The standard is still a draft.",
        "categories": ["compliance-management", "it-security"],
        "questions": [],
        "upl": [],
    },
    {
        "slug": "openpdc",
        "name": "OpenPDC",
        "kind": SOFTWARE,
        "publisher": "conduction",
        "layer": Layer.SERVICES,
        "status": DevelopmentStatus.DEVELOPMENT,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Producten- en dienstencatalogus die beschrijft wat een gemeente levert, "
        "gekoppeld aan de UPL.",
        "short_en": "Products and services catalogue describing what a municipality offers, "
        "linked to the UPL.",
        "long": "OpenPDC houdt de teksten, voorwaarden en kosten van gemeentelijke producten "
        "bij en biedt ze via een API aan websites en kanalen aan. Producten worden gekoppeld "
        "aan de Uniforme Productnamenlijst, zodat ze landelijk vindbaar zijn.",
        "long_en": "OpenPDC keeps the texts, conditions and fees of municipal products and "
        "serves them to websites through an API, linked to the national product list (UPL).",
        "categories": ["content-management", "knowledge-management"],
        "questions": [
            "identiteit-reizen",
            "trouwen-samenwonen",
            "belastingen-betalen",
            "parkeren-verkeer",
        ],
        "upl": [
            "Paspoort",
            "Identiteitskaart",
            "Rijbewijs",
            "Huwelijk",
            "Geregistreerd_partnerschap",
            "Hondenbelasting",
            "Parkeervergunning",
        ],
    },
    {
        "slug": "open-catalogi",
        "name": "Open Catalogi",
        "kind": SOFTWARE,
        "publisher": "conduction",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.BETA,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Federatieve catalogus waarin overheden software, API's en publicaties "
        "vindbaar maken.",
        "short_en": "Federated catalogue in which public bodies make software, APIs and "
        "publications findable.",
        "long": "Open Catalogi verzamelt beschrijvingen van componenten en publicaties uit "
        "verschillende bronnen, waaronder publiccode.yml-bestanden, en maakt ze doorzoekbaar. "
        "Catalogi van verschillende organisaties kunnen elkaar aanvullen.",
        "long_en": "Open Catalogi gathers descriptions of components and publications from "
        "several sources, including publiccode.yml files, and makes them searchable.",
        "categories": ["knowledge-management", "content-management"],
        "questions": [],
        "upl": [],
        "repo": "https://github.com/ConductionNL/opencatalogi",
    },
    {
        "slug": "common-gateway",
        "name": "Common Gateway",
        "kind": SOFTWARE,
        "publisher": "conduction",
        "layer": Layer.INTEGRATION,
        "status": DevelopmentStatus.BETA,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Integratieplatform dat bestaande systemen via moderne API's ontsluit, onder "
        "meer met ZGW-koppelingen.",
        "short_en": "Integration platform that exposes existing systems through modern APIs, "
        "including ZGW connectors.",
        "long": "De Common Gateway vertaalt tussen oude koppelvlakken en de API's van Common "
        "Ground. Met uitbreidingen, zoals de ZGW-bundel, kunnen gemeenten stap voor stap van "
        "StUF naar API's overgaan.",
        "long_en": "The Common Gateway translates between legacy interfaces and Common Ground "
        "APIs, helping municipalities move from StUF to APIs step by step.",
        "categories": ["it-development", "application-development"],
        "questions": [],
        "upl": [],
    },
    {
        "slug": "valtimo",
        "name": "Valtimo",
        "kind": SOFTWARE,
        "publisher": "ritense",
        "layer": Layer.PROCESS,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.INTERNAL,
        "license": "EUPL-1.2",
        "short": "Open source platform voor procesautomatisering en zaakafhandeling met BPMN.",
        "short_en": "Open-source platform for process automation and case handling with BPMN.",
        "long": "Valtimo laat organisaties processen in BPMN modelleren en uitvoeren, met "
        "formulieren, taken en koppelingen naar de ZGW-registers. Gemeenten gebruiken het "
        "onder meer als zaakafhandelplatform voor vergunningen en het sociaal domein.",
        "long_en": "Valtimo lets organisations model and run processes in BPMN, with forms, "
        "tasks and connectors to the ZGW registers.",
        "categories": ["business-process-management", "workflow-management"],
        "questions": ["wonen-bouwen", "werk-inkomen"],
        "upl": ["Omgevingsvergunning", "Bijstandsuitkering"],
    },
    {
        "slug": "zaakafhandelcomponent",
        "name": "Zaakafhandelcomponent (ZAC)",
        "kind": SOFTWARE,
        "publisher": "dimpact",
        "layer": Layer.PROCESS,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.CONTRACT,
        "license": "EUPL-1.2",
        "short": "Werkomgeving waarin medewerkers zaken behandelen, bovenop Open Zaak en de "
        "andere ZGW-registers.",
        "short_en": "Workspace in which staff handle cases, on top of Open Zaak and the other "
        "ZGW registers.",
        "long": "De zaakafhandelcomponent geeft medewerkers een overzicht van hun werkvoorraad, "
        "taken, documenten en klantcontacten per zaak. Dimpact laat hem ontwikkelen voor de "
        "aangesloten gemeenten; de gegevens blijven in de registers.",
        "long_en": "The case-handling component gives staff an overview of their work queue, "
        "tasks, documents and contacts per case, while the data stays in the registers.",
        "categories": ["workflow-management", "task-management"],
        "questions": ["wonen-bouwen", "ondernemen"],
        "upl": ["Omgevingsvergunning", "Evenementenvergunning"],
    },
    {
        "slug": "openwebconcept",
        "name": "OpenWebConcept",
        "kind": SOFTWARE,
        "publisher": "open-webconcept",
        "layer": Layer.INTERACTION,
        "status": DevelopmentStatus.STABLE,
        "maintenance": MaintenanceType.COMMUNITY,
        "license": "EUPL-1.2",
        "short": "Gedeelde bouwstenen voor gemeentelijke websites op basis van WordPress, "
        "zoals een productcatalogus.",
        "short_en": "Shared building blocks for municipal websites on WordPress, such as a "
        "product catalogue.",
        "long": "Het OpenWebConcept is een verzameling plug-ins en afspraken waarmee "
        "overheden hun websites samen bouwen en onderhouden. Onderdelen zijn onder meer een "
        "producten- en dienstencatalogus en koppelingen met formulieren en zaken.",
        "long_en": "OpenWebConcept is a collection of plug-ins and agreements with which "
        "public bodies build and maintain their websites together.",
        "categories": ["content-management", "website-builder"],
        "questions": ["identiteit-reizen", "afval-buurt"],
        "upl": ["Paspoort", "Afvalstoffenheffing"],
        "homepage": "https://openwebconcept.nl",
    },
]


# Dependencies: (component, registered component or None, external name,
# version, licence, how it is used). The Django applications build Django in;
# what they reach over the network (a database, another registry's API) is a
# runtime service, whose licence does not bind them.
INCORPORATED = DependencyUse.INCORPORATED
LINKED = DependencyUse.LINKED
RUNTIME = DependencyUse.RUNTIME_SERVICE
IMPLEMENTS = DependencyUse.IMPLEMENTS

# The standards a component implements are in standards.py (with version and
# conformance); what is here is code and services.
DEPENDENCIES = [
    ("open-zaak", "commonground-api-common", "", "", "", INCORPORATED),
    ("open-zaak", None, "Django", ">=4.2", "BSD-3-Clause", INCORPORATED),
    ("open-zaak", "open-notificaties", "", "", "", RUNTIME),
    ("open-zaak", None, "PostgreSQL", ">=14", "PostgreSQL", RUNTIME),
    ("open-zaak", None, "Redis", ">=6", "BSD-3-Clause", RUNTIME),
    ("open-notificaties", None, "Django", ">=4.2", "BSD-3-Clause", INCORPORATED),
    ("open-notificaties", None, "PostgreSQL", ">=14", "PostgreSQL", RUNTIME),
    ("open-notificaties", None, "RabbitMQ", ">=3.8", "MPL-2.0", RUNTIME),
    ("open-formulieren", "zgw-consumers", "", "", "", INCORPORATED),
    ("open-formulieren", None, "Django", ">=4.2", "BSD-3-Clause", INCORPORATED),
    ("open-formulieren", "open-zaak", "", "", "", RUNTIME),
    ("open-formulieren", "objecten-api", "", "", "", RUNTIME),
    ("open-formulieren", None, "PostgreSQL", ">=12", "PostgreSQL", RUNTIME),
    ("open-formulieren", None, "Redis", "6", "BSD-3-Clause", RUNTIME),
    ("open-formulieren-sdk", "utrecht-design-system", "", "", "", INCORPORATED),
    ("objecten-api", None, "Django", ">=4.2", "BSD-3-Clause", INCORPORATED),
    ("objecten-api", "objecttypen-api", "", ">=1.0", "", RUNTIME),
    ("objecten-api", None, "PostgreSQL", ">=12", "PostgreSQL", RUNTIME),
    ("objecten-api", None, "PostGIS", ">=2.4", "GPL-2.0-or-later", RUNTIME),
    ("open-klant", None, "PostgreSQL", ">=14", "PostgreSQL", RUNTIME),
    ("open-inwoner", "open-klant", "", "", "", RUNTIME),
    ("open-inwoner", "open-zaak", "", "", "", RUNTIME),
    ("open-inwoner", "objecten-api", "", "", "", RUNTIME),
    ("open-inwoner", None, "Elasticsearch", ">=7", "", RUNTIME),
    ("open-archiefbeheer", "open-zaak", "", "", "", RUNTIME),
    ("zgw-consumers", None, "Django", ">=4.2", "BSD-3-Clause", LINKED),
    ("signalen-frontend", "signalen", "", "", "", RUNTIME),
    ("signalen", None, "Django", ">=4.2", "BSD-3-Clause", INCORPORATED),
    ("signalen", None, "PostgreSQL", "", "PostgreSQL", RUNTIME),
    ("signalen", None, "Elasticsearch", "", "", RUNTIME),
    ("signalen", None, "RabbitMQ", "", "MPL-2.0", RUNTIME),
    ("utrecht-huisstijlthema", "utrecht-design-system", "", "", "", INCORPORATED),
    ("rijkshuisstijl-community", "rijkshuisstijl", "", "", "", IMPLEMENTS),
    ("zaakafhandelcomponent", "open-zaak", "", "", "", RUNTIME),
    ("zaakafhandelcomponent", "open-klant", "", "", "", RUNTIME),
    ("zaakafhandelcomponent", None, "Keycloak", "", "Apache-2.0", RUNTIME),
    ("valtimo", "open-zaak", "", "", "", RUNTIME),
    ("valtimo", None, "Keycloak", "", "Apache-2.0", RUNTIME),
    ("valtimo", None, "PostgreSQL", "", "PostgreSQL", RUNTIME),
]


# Releases: version, date, notes (Dutch). Versions and dates are illustrative.
RELEASES = {
    "open-zaak": [
        (
            "1.17.0",
            date(2024, 11, 14),
            "Ondersteuning voor de nieuwste versie van de Zaken API "
            "en snellere zoekopdrachten in de zaakregistratie.",
        ),
        (
            "1.19.0",
            date(2025, 2, 28),
            "Nieuwe beheerschermen voor catalogi en verbeterde import en export van zaaktypen.",
        ),
        (
            "1.21.0",
            date(2025, 9, 9),
            "Prestatieverbeteringen bij grote aantallen documenten en uitgebreidere auditlogging.",
        ),
        (
            "1.23.0",
            date(2026, 4, 21),
            "Ondersteuning voor PostgreSQL 17 en opgeschoonde afhankelijkheden.",
        ),
    ],
    "open-notificaties": [
        ("1.7.0", date(2024, 9, 3), "Betrouwbaardere aflevering met automatisch opnieuw proberen."),
        ("1.9.0", date(2025, 6, 12), "Beheerscherm voor mislukte notificaties."),
    ],
    "open-formulieren": [
        (
            "2.8.0",
            date(2024, 10, 17),
            "Nieuwe prefill-plugins en betere ondersteuning voor meerdere talen.",
        ),
        (
            "3.0.0",
            date(2025, 3, 6),
            "Grote opschoonronde: oude configuratie verwijderd en formulierlogica vernieuwd.",
        ),
        (
            "3.2.0",
            date(2025, 9, 25),
            "Registratie naar de Objecten API met objecttypeversies "
            "en verbeterde toegankelijkheid.",
        ),
        ("3.4.0", date(2026, 5, 19), "Inloggen met eHerkenning via OIDC en nieuwe afspraakmodule."),
    ],
    "open-formulieren-sdk": [
        ("2.4.0", date(2024, 10, 17), "Componenten omgezet naar NL Design System-tokens."),
        ("3.0.0", date(2025, 3, 6), "Hoort bij Open Formulieren 3.0; oude stijlen verwijderd."),
    ],
    "objecten-api": [
        ("2.4.0", date(2024, 6, 20), "Filteren op geldigheidsdatum en snellere geo-queries."),
        ("3.0.0", date(2025, 1, 30), "Nieuwe hoofdversie: verouderde endpoints verwijderd."),
        ("3.1.0", date(2025, 10, 2), "Ondersteuning voor notificaties bij wijzigingen."),
    ],
    "objecttypen-api": [
        ("2.2.0", date(2024, 6, 20), "Versiebeheer van objecttypen uitgebreid."),
        ("3.0.0", date(2025, 1, 30), "Nieuwe hoofdversie samen met de Objecten API."),
    ],
    "open-klant": [
        ("2.0.0", date(2024, 3, 28), "Eerste versie met de nieuwe Klantinteracties API."),
        (
            "2.5.0",
            date(2025, 4, 15),
            "Partijen en digitale adressen uitgebreid; importfunctie voor bestaande klantgegevens.",
        ),
        ("2.8.0", date(2026, 2, 10), "Verbeterde zoekfunctie en auditlogging."),
    ],
    "open-inwoner": [
        ("1.20.0", date(2024, 9, 26), "Overzicht van lopende zaken vernieuwd."),
        ("1.27.0", date(2025, 8, 14), "Contactmomenten uit Open Klant zichtbaar in het portaal."),
    ],
    "open-archiefbeheer": [
        (
            "0.9.0",
            date(2025, 3, 20),
            "Eerste versie voor pilots: vernietigingslijsten opstellen en beoordelen.",
        ),
        ("1.0.0", date(2025, 11, 6), "Eerste stabiele versie."),
    ],
    "open-producten": [
        ("0.1.0", date(2026, 3, 12), "Eerste ontwikkelversie met producttypen en producten."),
    ],
    "zgw-consumers": [
        ("0.35.0", date(2024, 8, 1), "Nieuwe clientfactory en opgeschoonde configuratie."),
        ("0.38.0", date(2025, 5, 22), "Ondersteuning voor Django 5.2."),
    ],
    "commonground-api-common": [
        ("2.0.0", date(2024, 11, 5), "Samengevoegd met onderdelen uit de VNG-bibliotheek."),
        ("2.5.0", date(2025, 7, 1), "Ondersteuning voor Django 5.2."),
    ],
    "signalen": [
        ("v2.19.0", date(2024, 5, 14), "Verbeterde automatische categorisering."),
        ("v2.24.0", date(2025, 6, 3), "Nieuwe rapportages voor gemeenten."),
    ],
    "signalen-frontend": [
        ("v2.20.0", date(2024, 5, 21), "Meldformulier toegankelijker gemaakt."),
        ("v2.25.0", date(2025, 6, 10), "Kaartweergave vernieuwd."),
    ],
    "amsterdam-design-system": [
        ("0.12.0", date(2024, 10, 8), "Nieuwe componenten voor formulieren."),
        ("1.0.0", date(2025, 10, 14), "Eerste stabiele versie van de CSS- en React-pakketten."),
    ],
    "utrecht-design-system": [
        ("7.0.0", date(2024, 12, 3), "Componenten volgen de nieuwe NL Design System-tokens."),
        ("8.0.0", date(2025, 11, 18), "Verouderde componenten verwijderd."),
    ],
    "haal-centraal-brp-bevragen": [
        ("2.0.0", date(2023, 5, 11), "Nieuwe versie met zoekvragen en gegevens per doelbinding."),
        ("2.3.0", date(2025, 2, 4), "Extra velden voor verblijfplaats en nationaliteit."),
    ],
    "bag-api-individuele-bevragingen": [
        ("2.0.0", date(2022, 9, 15), "Nieuwe hoofdversie op basis van de landelijke voorziening."),
        ("2.6.0", date(2024, 11, 26), "Zoeken op postcode en huisnummer versneld."),
    ],
    "haal-centraal-brk-bevragen": [
        ("2.0.0", date(2023, 2, 9), "Nieuwe hoofdversie met kadastrale onroerende zaken."),
    ],
    "digid": [
        ("SAML 4.6", date(2023, 6, 1), "Koppelvlakspecificatie voor SAML-aansluitingen."),
        ("OIDC 1.0", date(2025, 4, 1), "Nieuwe koppeling via OpenID Connect."),
    ],
    "mijnoverheid-berichtenbox": [
        (
            "2025.1",
            date(2025, 1, 15),
            "Nieuwe versie van het koppelvlak voor het versturen van berichten.",
        ),
    ],
    "nlx": [
        ("0.150.0", date(2023, 11, 7), "Verbeterde beheeromgeving."),
        ("0.160.0", date(2024, 6, 25), "Voorbereiding op de FSC-standaard."),
    ],
    "openpdc": [
        ("1.0.0", date(2022, 4, 5), "Eerste versie van de productcatalogus."),
        ("1.3.0", date(2024, 2, 27), "Koppeling met de Uniforme Productnamenlijst."),
    ],
    "open-catalogi": [
        ("0.6.0", date(2024, 10, 1), "Federatie tussen catalogi."),
        ("0.7.0", date(2025, 5, 13), "Import van publiccode.yml-bestanden."),
    ],
    "common-gateway": [
        ("1.0.0", date(2023, 3, 14), "Eerste stabiele versie van de gateway."),
        ("1.2.0", date(2024, 9, 17), "ZGW-bundel en betere foutafhandeling."),
    ],
    "valtimo": [
        ("11.0.0", date(2024, 2, 1), "Nieuwe gebruikersinterface."),
        ("12.0.0", date(2024, 11, 12), "Koppelingen met de ZGW-registers uitgebreid."),
        ("12.6.0", date(2025, 8, 5), "Verbeterde formulierbouwer."),
    ],
    "zaakafhandelcomponent": [
        ("2.0.0", date(2024, 6, 6), "Werkvoorraad vernieuwd."),
        ("3.0.0", date(2025, 6, 19), "Koppeling met Open Klant 2."),
    ],
    "openwebconcept": [
        ("2024.1", date(2024, 3, 1), "Gebundelde uitgave van de plug-ins."),
        ("2025.1", date(2025, 3, 3), "Nieuwe versie van de PDC-plug-in."),
    ],
}


# --------------------------------------------------------------------------
# Usages
# --------------------------------------------------------------------------

# How the users of a component are spread over the statuses, out of 20:
# (planned, pilot, production, stopped).
# National infrastructure that every organisation named runs, openly: DigiD,
# the Rijkshuisstijl, the base registries. Nobody rejects such a claim.
ESTABLISHED = (0, 0, 20, 0)
# Established open source: most run it, a few try it out or plan it.
MATURE = (1, 2, 17, 0)
# Recent components: many still plan or pilot them.
YOUNG = (4, 6, 10, 0)
# Being replaced by a successor (NLX by FSC): many have already stopped.
SUCCEEDED = (0, 0, 12, 8)

# (component, (first, last) start date of those in production, how users are
# spread, organisations). A bare name is a municipality ("utrecht" →
# "gemeente-utrecht"); anything else is a slug. The windows follow the public
# history of each component: DigiD went live in 2003 and municipalities joined
# from 2005 to 2011; the Rijkshuisstijl dates from 2008; Open Zaak 1.0 came
# out in 2020. A component may appear twice, for users with another history.
USAGES = [
    ("open-zaak", (date(2020, 6, 1), date(2024, 6, 30)), MATURE, [
        "utrecht", "amsterdam", "rotterdam", "den-haag", "haarlem", "tilburg",
        "sudwest-fryslan", "eindhoven", "nijmegen", "arnhem", "enschede", "zwolle",
        "apeldoorn", "leiden", "delft", "dordrecht",
    ]),
    ("open-notificaties", (date(2020, 6, 1), date(2024, 6, 30)), MATURE, [
        "utrecht", "amsterdam", "rotterdam", "den-haag", "haarlem", "tilburg", "eindhoven",
        "nijmegen", "enschede", "zwolle", "apeldoorn",
    ]),
    ("open-formulieren", (date(2021, 9, 1), date(2025, 3, 31)), MATURE, [
        "utrecht", "amsterdam", "den-haag", "rotterdam", "haarlem", "tilburg", "eindhoven",
        "breda", "nijmegen", "arnhem", "enschede", "amersfoort", "zwolle", "leiden", "delft",
        "apeldoorn", "dordrecht", "s-hertogenbosch", "provincie-utrecht",
        "hoogheemraadschap-de-stichtse-rijnlanden",
    ]),
    ("open-formulieren-sdk", (date(2022, 3, 1), date(2024, 12, 31)), MATURE, [
        "utrecht", "den-haag", "amsterdam", "tilburg",
    ]),
    ("objecten-api", (date(2021, 3, 1), date(2024, 12, 31)), MATURE, [
        "utrecht", "amsterdam", "den-haag", "rotterdam", "tilburg", "eindhoven", "enschede",
        "haarlem", "delft", "nijmegen",
    ]),
    ("objecttypen-api", (date(2021, 3, 1), date(2024, 12, 31)), MATURE, [
        "utrecht", "amsterdam", "den-haag", "tilburg", "rotterdam", "enschede", "haarlem",
    ]),
    ("open-klant", (date(2022, 6, 1), date(2025, 6, 30)), YOUNG, [
        "utrecht", "den-haag", "rotterdam", "enschede", "haarlem", "nijmegen",
    ]),
    ("open-inwoner", (date(2022, 6, 1), date(2025, 3, 31)), MATURE, [
        "den-haag", "enschede", "zwolle", "apeldoorn", "haarlem",
    ]),
    ("open-archiefbeheer", (date(2025, 11, 6), date(2026, 6, 30)), YOUNG, ["utrecht", "delft"]),
    ("open-producten", (date(2026, 3, 12), date(2026, 9, 30)), YOUNG, ["den-haag", "utrecht"]),
    ("zgw-consumers", (date(2021, 1, 1), date(2023, 12, 31)), MATURE, ["amsterdam", "den-haag"]),
    ("signalen", (date(2019, 6, 1), date(2023, 12, 31)), MATURE, [
        "s-hertogenbosch", "utrecht", "amersfoort", "arnhem", "zwolle",
        "groningen", "almere", "leiden", "breda", "delft", "maastricht",
    ]),
    ("signalen-frontend", (date(2019, 6, 1), date(2023, 12, 31)), MATURE, [
        "s-hertogenbosch", "amersfoort", "utrecht", "almere", "arnhem",
    ]),
    ("amsterdam-design-system", (date(2023, 3, 1), date(2024, 6, 30)), ESTABLISHED, [
        "amsterdam",
    ]),
    ("utrecht-design-system", (date(2021, 3, 1), date(2025, 6, 30)), MATURE, [
        "utrecht", "amersfoort", "zwolle", "leiden", "nijmegen", "delft", "arnhem",
        "dordrecht", "provincie-utrecht", "hoogheemraadschap-de-stichtse-rijnlanden",
    ]),
    ("utrecht-huisstijlthema", (date(2021, 3, 1), date(2021, 12, 31)), ESTABLISHED, ["utrecht"]),
    ("den-haag-design-system", (date(2022, 4, 1), date(2022, 12, 31)), ESTABLISHED, [
        "den-haag",
    ]),
    # The Rijkshuisstijl was introduced in 2008; RvIG and RVO exist since 2014.
    ("rijkshuisstijl", (date(2008, 3, 1), date(2009, 12, 31)), ESTABLISHED, [
        "ministerie-van-algemene-zaken",
        "ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties", "logius",
        "belastingdienst",
    ]),
    ("rijkshuisstijl", (date(2014, 1, 1), date(2014, 12, 31)), ESTABLISHED, [
        "rijksdienst-voor-identiteitsgegevens", "rijksdienst-voor-ondernemend-nederland",
    ]),
    ("rijkshuisstijl", (date(2025, 5, 1), date(2025, 5, 1)), YOUNG, ["almere"]),
    ("rijkshuisstijl-community", (date(2023, 9, 1), date(2025, 12, 31)), YOUNG, [
        "ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties", "logius",
        "rijksdienst-voor-identiteitsgegevens", "rijksdienst-voor-ondernemend-nederland",
        "ministerie-van-algemene-zaken",
    ]),
    ("haal-centraal-brp-bevragen", (date(2023, 6, 1), date(2025, 6, 30)), MATURE, BRP_AFNEMERS),
    ("bag-api-individuele-bevragingen", (date(2020, 9, 1), date(2023, 6, 30)), ESTABLISHED, [
        "utrecht", "amsterdam", "rotterdam", "eindhoven", "groningen",
        "provincie-noord-holland", "hoogheemraadschap-de-stichtse-rijnlanden",
    ]),
    ("haal-centraal-brk-bevragen", (date(2023, 3, 1), date(2025, 3, 31)), MATURE, [
        "amsterdam", "utrecht", "provincie-utrecht", "hoogheemraadschap-van-rijnland",
    ]),
    # DigiD: the Belastingdienst from the start of tax returns online, the
    # municipalities from 2005 to 2011, the others once they offered services
    # to residents online.
    ("digid", (date(2005, 1, 3), date(2005, 3, 31)), ESTABLISHED, ["belastingdienst"]),
    ("digid", (date(2005, 6, 1), date(2011, 12, 31)), ESTABLISHED, [
        "utrecht", "amsterdam", "rotterdam", "den-haag", "eindhoven", "groningen", "tilburg",
        "almere", "breda",
    ]),
    ("digid", (date(2010, 1, 1), date(2014, 12, 31)), ESTABLISHED, [
        "hoogheemraadschap-de-stichtse-rijnlanden", "hoogheemraadschap-van-rijnland",
        "provincie-zuid-holland",
    ]),
    ("digid", (date(2014, 1, 1), date(2014, 1, 1)), ESTABLISHED, [
        "rijksdienst-voor-ondernemend-nederland",
    ]),
    # MijnOverheid's Berichtenbox opened in 2009; senders joined one by one.
    ("mijnoverheid-berichtenbox", (date(2011, 1, 1), date(2017, 12, 31)), ESTABLISHED, [
        "rotterdam", "utrecht", "den-haag", "belastingdienst", "rdw",
        "hoogheemraadschap-de-stichtse-rijnlanden",
    ]),
    ("mijnoverheid-berichtenbox", (date(2014, 1, 1), date(2016, 12, 31)), ESTABLISHED, [
        "rijksdienst-voor-ondernemend-nederland",
    ]),
    ("zgw-api-standaarden", (date(2019, 9, 1), date(2022, 12, 31)), MATURE, [
        "utrecht", "amsterdam", "rotterdam", "den-haag", "dimpact", "tilburg", "breda",
    ]),
    ("gemma", (date(2009, 1, 1), date(2016, 12, 31)), ESTABLISHED, [
        "utrecht", "eindhoven", "groningen", "almere", "arnhem", "leeuwarden",
    ]),
    ("stuf", (date(2008, 1, 1), date(2014, 12, 31)), ESTABLISHED, [
        "utrecht", "amsterdam", "rotterdam", "groningen", "maastricht", "leeuwarden",
    ]),
    ("fsc", (date(2024, 6, 1), date(2026, 6, 30)), YOUNG, [
        "den-haag", "utrecht", "rijksdienst-voor-identiteitsgegevens",
    ]),
    ("nlx", (date(2019, 6, 1), date(2022, 12, 31)), SUCCEEDED, [
        "den-haag", "utrecht", "rijksdienst-voor-identiteitsgegevens",
    ]),
    ("nl-api-design-rules", (date(2020, 7, 1), date(2024, 12, 31)), MATURE, [
        "kadaster", "rijksdienst-voor-identiteitsgegevens", "kamer-van-koophandel", "rdw",
        "geonovum", "vereniging-van-nederlandse-gemeenten", "amsterdam", "utrecht",
        "den-haag",
    ]),
    # Digikoppeling (the former OSB) connects the base registries since 2009.
    ("digikoppeling", (date(2009, 6, 1), date(2013, 12, 31)), ESTABLISHED, [
        "belastingdienst", "kamer-van-koophandel", "rdw", "kadaster", "rotterdam",
    ]),
    ("digikoppeling", (date(2014, 10, 1), date(2015, 6, 30)), ESTABLISHED, [
        "rijksdienst-voor-identiteitsgegevens",
    ]),
    ("logboek-dataverwerkingen", (date(2025, 9, 1), date(2026, 9, 30)), YOUNG, [
        "rijksdienst-voor-identiteitsgegevens", "den-haag", "utrecht",
    ]),
    ("openpdc", (date(2021, 3, 1), date(2023, 12, 31)), MATURE, [
        "utrecht", "den-haag", "enschede", "apeldoorn",
    ]),
    ("open-catalogi", (date(2024, 6, 1), date(2025, 12, 31)), YOUNG, [
        "vereniging-van-nederlandse-gemeenten", "provincie-zuid-holland", "dimpact",
    ]),
    ("openwebconcept", (date(2020, 3, 1), date(2023, 12, 31)), MATURE, [
        "nijmegen", "tilburg", "apeldoorn", "leeuwarden",
    ]),
    ("common-gateway", (date(2023, 6, 1), date(2025, 6, 30)), YOUNG, [
        "enschede", "provincie-gelderland",
    ]),
    ("valtimo", (date(2022, 3, 1), date(2025, 6, 30)), MATURE, [
        "den-haag", "nijmegen", "provincie-zuid-holland",
    ]),
    ("zaakafhandelcomponent", (date(2023, 9, 1), date(2025, 12, 31)), YOUNG, [
        "dimpact", "enschede", "zwolle", "apeldoorn", "leeuwarden",
    ]),
    # The publishers run their own: Amsterdam built Signalen in 2018.
    ("signalen", (date(2018, 6, 1), date(2018, 6, 1)), ESTABLISHED, ["amsterdam"]),
    ("signalen-frontend", (date(2018, 6, 1), date(2018, 6, 1)), ESTABLISHED, ["amsterdam"]),
]  # fmt: skip

# Components deployed together with another: an organisation runs the first as
# it runs the second (same status and dates), unless an override says otherwise.
COMPANIONS = {
    "open-notificaties": "open-zaak",
    "objecttypen-api": "objecten-api",
    "signalen-frontend": "signalen",
}

USED_BY = "Genoemd in de usedBy-lijst van de publiccode.yml van het project."

# Explicit choices on top of the deterministic defaults of _usage_rows().
USAGE_OVERRIDES = {
    # The usedBy list in Open Zaak's publiccode.yml: claims by the publisher.
    ("gemeente-amsterdam", "open-zaak"): {
        "assertion": Assertion.CONFIRMED,
        "status": UsageStatus.PRODUCTION,
        "notes": USED_BY,
    },
    ("gemeente-den-haag", "open-zaak"): {
        "assertion": Assertion.CONFIRMED,
        "status": UsageStatus.PRODUCTION,
        "notes": USED_BY,
    },
    ("gemeente-haarlem", "open-zaak"): {
        "assertion": Assertion.CONFIRMED,
        "status": UsageStatus.PRODUCTION,
        "notes": USED_BY,
    },
    ("gemeente-rotterdam", "open-zaak"): {
        "assertion": Assertion.CONFIRMED,
        "status": UsageStatus.PRODUCTION,
        "notes": USED_BY,
    },
    ("gemeente-utrecht", "open-zaak"): {
        "assertion": Assertion.CONFIRMED,
        "status": UsageStatus.PRODUCTION,
        "notes": USED_BY,
    },
    ("gemeente-tilburg", "open-zaak"): {
        "assertion": Assertion.CLAIMED,
        "status": UsageStatus.PRODUCTION,
        "notes": USED_BY,
    },
    ("gemeente-sudwest-fryslan", "open-zaak"): {
        "assertion": Assertion.CLAIMED,
        "status": UsageStatus.PRODUCTION,
        "notes": USED_BY,
    },
    ("gemeente-s-hertogenbosch", "signalen-frontend"): {
        "assertion": Assertion.CONFIRMED,
        "status": UsageStatus.PRODUCTION,
        "notes": USED_BY,
    },
    ("gemeente-utrecht", "openpdc"): {"assertion": Assertion.CLAIMED, "notes": USED_BY},
    ("gemeente-den-haag", "openpdc"): {
        "assertion": Assertion.REJECTED,
        "status": UsageStatus.STOPPED,
        "notes": USED_BY + " De gemeente gebruikt de catalogus niet meer.",
    },
    # StUF is on its way out: several municipalities have stopped.
    ("gemeente-utrecht", "stuf"): {
        "status": UsageStatus.STOPPED,
        "since": date(2012, 1, 1),
        "until": date(2024, 12, 31),
        "notes": "Alle StUF-koppelingen vervangen door API's.",
    },
    ("gemeente-rotterdam", "stuf"): {
        "status": UsageStatus.STOPPED,
        "since": date(2011, 6, 1),
        "until": date(2025, 6, 30),
    },
    ("gemeente-groningen", "stuf"): {
        "status": UsageStatus.STOPPED,
        "since": date(2013, 1, 1),
        "until": date(2025, 3, 31),
    },
    ("gemeente-maastricht", "stuf"): {"status": UsageStatus.PRODUCTION, "since": date(2014, 1, 1)},
    ("gemeente-leeuwarden", "stuf"): {"status": UsageStatus.PRODUCTION, "since": date(2014, 1, 1)},
    ("gemeente-amsterdam", "stuf"): {"status": UsageStatus.PRODUCTION, "since": date(2010, 1, 1)},
    # Young components are not in production anywhere yet.
    ("gemeente-den-haag", "open-producten"): {"status": UsageStatus.PLANNED},
    ("gemeente-utrecht", "open-producten"): {"status": UsageStatus.PILOT},
    ("gemeente-den-haag", "logboek-dataverwerkingen"): {"status": UsageStatus.PLANNED},
    ("gemeente-utrecht", "logboek-dataverwerkingen"): {"status": UsageStatus.PLANNED},
    ("rijksdienst-voor-identiteitsgegevens", "logboek-dataverwerkingen"): {
        "status": UsageStatus.PILOT
    },
    ("gemeente-den-haag", "fsc"): {"status": UsageStatus.PILOT},
    ("gemeente-den-haag", "nlx"): {
        "status": UsageStatus.STOPPED,
        "since": date(2020, 3, 1),
        "until": date(2025, 6, 30),
        "notes": "Vervangen door FSC.",
    },
    ("gemeente-utrecht", "fsc"): {"status": UsageStatus.PLANNED},
    ("gemeente-delft", "open-archiefbeheer"): {"status": UsageStatus.PLANNED},
    ("gemeente-utrecht", "open-archiefbeheer"): {"status": UsageStatus.PILOT},
    # The one usage that breaks a reuse restriction; Usage.save flags it.
    ("gemeente-almere", "rijkshuisstijl"): {
        "status": UsageStatus.PILOT,
        "assertion": Assertion.SELF,
        "visibility": Visibility.PUBLIC,
        "since": date(2025, 5, 1),
        "notes": "Gebruikt op een campagnesite die de gemeente samen met een ministerie maakte.",
    },
    # Owners use their own house styles, in production and in public.
    ("gemeente-utrecht", "utrecht-huisstijlthema"): {"status": UsageStatus.PRODUCTION},
    ("gemeente-den-haag", "den-haag-design-system"): {"status": UsageStatus.PRODUCTION},
    ("gemeente-amsterdam", "amsterdam-design-system"): {"status": UsageStatus.PRODUCTION},
    ("ministerie-van-algemene-zaken", "rijkshuisstijl"): {
        "status": UsageStatus.PRODUCTION,
        "visibility": Visibility.PUBLIC,
    },
}

# Names from usedBy lists that match no organisation in the registry.
UNMATCHED_USERS = [
    ("open-zaak", "Gemeente Buren"),
    ("openpdc", "Gemeente Hoorn"),
]

# publiccode.yml sources; disabled so the demo never fetches anything.
HARVEST_SOURCES = [
    ("https://raw.githubusercontent.com/open-zaak/open-zaak/main/publiccode.yaml", "open-zaak"),
    (
        "https://raw.githubusercontent.com/open-formulieren/open-forms/master/publiccode.yaml",
        "open-formulieren",
    ),
    (
        "https://raw.githubusercontent.com/Amsterdam/design-system/main/publiccode.yml",
        "amsterdam-design-system",
    ),
]
