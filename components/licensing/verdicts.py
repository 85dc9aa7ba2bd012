"""The reuse verdict: "may this organisation reuse this component?" —
allowed, conditional or not-allowed, with every reason in Dutch and English.

Restriction first (who may reuse at all), then the publisher's further terms,
then the licence, then the dependencies. The worst reason decides.

The question is whether an organisation may *use* the component: install it,
run it, offer it to its residents. The rules that follow from that:

- Allowed is the plain answer when no restriction keeps the organisation out,
  the publisher sets no further terms, the licence sets no terms on use itself
  and no code built into the component has a conflicting or unknown licence.
- A licence's obligations that arise only when the organisation shares the
  work (attribution when distributing it, copyleft when distributing it or
  offering a changed version as an online service) do not limit use: they
  are listed, as information, and leave the verdict at allowed. That holds
  for permissive and copyleft licences alike. What does limit use is a
  condition: a custom licence's own terms, a non-commercial clause, the
  publisher's further terms; an unknown or unreadable licence is a question.
- Licence compatibility is weighed only for dependencies whose code ends up
  in the component, incorporated or linked. A server it talks to (PostgreSQL,
  Redis, Keycloak: a runtime service) or a standard or API it implements is
  not part of it, so its licence does not bind the component; the reasons say
  so, as information.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from accounts.constants import OrganisationKind

from ..constants import DependencyKind, DependencyUse, ReuseRestriction
from ..models import License
from .expressions import parse_expression
from .language import Bilingual, english, join_words, lower_first
from .obligations import (
    BLOCKER,
    CONDITION,
    FAMILY_LABELS,
    INFO,
    SEVERITY_RANK,
    UNKNOWN,
    licence_obligation,
)
from .osadl import CHECK, NO, NOT_COVERED, YES, best_compatibility

ALLOWED, CONDITIONAL, NOT_ALLOWED = "allowed", "conditional", "not-allowed"
VERDICT_LABELS = {
    ALLOWED: ("Toegestaan", "Allowed"),
    CONDITIONAL: ("Toegestaan onder voorwaarden", "Allowed with conditions"),
    NOT_ALLOWED: ("Niet toegestaan", "Not allowed"),
}


@dataclass(frozen=True)
class Reason(Bilingual):
    code: str
    text_nl: str
    text_en: str
    severity: str


@dataclass(frozen=True)
class Verdict:
    verdict: str  # allowed, conditional or not-allowed
    reasons: list

    @property
    def label_nl(self) -> str:
        return VERDICT_LABELS[self.verdict][0]

    @property
    def label_en(self) -> str:
        return VERDICT_LABELS[self.verdict][1]

    @property
    def label(self) -> str:
        return self.label_en if english() else self.label_nl


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


def restriction_reason(component, organisation) -> Reason:
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
        plural_nl = join_words([KIND_WORDS[k][1] for k in kinds], "en")
        plural_en = join_words([KIND_WORDS[k][3] for k in kinds], "and")
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
            f"{lower_first(obligation.text_nl)}",
            f"Licence {term.license_id}{'+' if term.or_later else ''} ({family_en}): "
            f"{lower_first(obligation.text_en)}",
            obligation.severity,
        )
    ]
    if term.exception_id:
        exception = licence_obligation(term.exception_id)
        reasons.append(
            Reason(
                "license-exception",
                f"Met de uitzondering {term.exception_id}: {lower_first(exception.text_nl)}",
                f"With the exception {term.exception_id}: {lower_first(exception.text_en)}",
                INFO,
            )
        )
    return reasons


def _dependency_rows(component):
    cache = getattr(component, "_prefetched_objects_cache", {})
    if "dependencies" in cache:
        return list(cache["dependencies"])
    return list(component.dependencies.select_related("depends_on").order_by("pk"))


def _dependency_label(dependency):
    if dependency.depends_on is not None:
        return dependency.depends_on.name
    return dependency.name


def _parsed_dependencies(dependencies, custom_ids):
    """(label, ParsedExpression or None, the expression as written) per dependency
    whose licence binds the component: incorporated or linked code."""
    rows = []
    for dependency in dependencies:
        if dependency.how_used not in DependencyUse.licence_binding():
            continue  # a server beside it or a standard it implements: not its code
        label = _dependency_label(dependency)
        if dependency.depends_on is not None:
            expression = dependency.depends_on.license_expression
        elif dependency.kind == DependencyKind.HARDWARE:
            continue  # hardware is not code: no licence to weigh
        else:
            expression = dependency.license_expression
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
        result = best_compatibility(alternative, parsed.alternatives)
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
                why_nl = f"de OSADL-matrix kent {join_words(result.not_covered, 'en')} niet"
                why_en = f"the OSADL matrix does not cover {join_words(result.not_covered, 'and')}"
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


def _plural(items, one, several):
    return one if len(items) == 1 else several


def _beside_reasons(dependencies):
    """Information on the dependencies whose licence does not bind the component."""
    beside = {DependencyUse.RUNTIME_SERVICE: [], DependencyUse.IMPLEMENTS: []}
    for dependency in dependencies:
        if dependency.how_used in beside and dependency.kind != DependencyKind.HARDWARE:
            beside[dependency.how_used].append(_dependency_label(dependency))
    reasons = []
    services = beside[DependencyUse.RUNTIME_SERVICE]
    standards = beside[DependencyUse.IMPLEMENTS]
    if services:
        reasons.append(
            Reason(
                "dependency-runtime-service",
                f"Dit onderdeel draait naast {join_words(services, 'en')} "
                f"({_plural(services, 'een dienst', 'diensten')} waarmee het praat); "
                f"{_plural(services, 'de licentie daarvan bindt', 'hun licenties binden')} "
                "dit onderdeel niet.",
                f"This component runs beside {join_words(services, 'and')} "
                f"({_plural(services, 'a runtime service', 'runtime services')} it talks to); "
                f"{_plural(services, 'its licence does', 'their licences do')} not bind this "
                "component.",
                INFO,
            )
        )
    if standards:
        reasons.append(
            Reason(
                "dependency-implements",
                f"Dit onderdeel implementeert {join_words(standards, 'en')}; "
                f"{_plural(standards, 'de licentie daarvan bindt', 'hun licenties binden')} "
                "de code van dit onderdeel niet.",
                f"This component implements {join_words(standards, 'and')}; "
                f"{_plural(standards, 'its licence does', 'their licences do')} not bind "
                "this component's code.",
                INFO,
            )
        )
    return reasons


# Reasons that mean more to do when sharing the work: between alternatives
# that are both allowed, the registry judges the one with fewer of them.
_SHARING_CODES = {
    "license-weak-copyleft",
    "license-strong-copyleft",
    "license-network-copyleft",
    "license-creative-commons",
}


def _score(reasons):
    return (
        max((SEVERITY_RANK[r.severity] for r in reasons), default=0),
        sum(1 for r in reasons if r.severity != INFO),
        sum(1 for r in reasons if r.code in _SHARING_CODES),
    )


def _render_alternative(alternative, several):
    text = " AND ".join(str(t) for t in alternative)
    return f"({text})" if several and len(alternative) > 1 else text


def custom_licences() -> dict:
    """The custom licences by lower-case id, with their owners: what
    reuse_verdict() reads; pass it in to judge many components with one query."""
    return _custom_licences()


def licence_reasons(component, organisation, customs=None) -> list[Reason]:
    """The licence and dependency part of the verdict.

    For a choice (OR) the reuser may pick, so the alternative with the best
    outcome, obligations and dependencies together, decides; within an
    alternative (AND) every licence applies.
    """
    if customs is None:
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
    rows = _dependency_rows(component)
    dependencies = _parsed_dependencies(rows, custom_ids)
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
                f"De licentie laat de keuze: {join_words(options, 'of')}. Het register "
                f"beoordeelt de gunstigste keuze: {chosen}.",
                f"The licence offers a choice: {join_words(options, 'or')}. The registry "
                f"judges the most favourable one: {chosen}.",
                INFO,
            )
        )
    return reasons + best_reasons + _beside_reasons(rows)


def reuse_verdict(component, organisation, *, customs=None) -> Verdict:
    """May `organisation` reuse `component`? A Verdict with every reason.

    Restriction first (who may reuse at all), then the publisher's further
    terms, then the licence, then the dependencies. The worst reason decides.
    Queries: the custom licences, the dependencies (unless prefetched) and, for
    'named-organisations', the named list (unless prefetched). Judging many
    components, pass `customs=custom_licences()` to read those once.
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
    reasons += licence_reasons(component, organisation, customs)
    return Verdict(_verdict_of(reasons), reasons)
