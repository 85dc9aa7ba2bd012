"""May this organisation reuse this component? A small first answer.

`reuse_verdict(component, organisation)` weighs the component's reuse
restriction and its licence expression and answers `allowed`, `conditional`
or `not-allowed` with the reasons in words. The licensing work will replace
it with a richer version (dependency conflicts, more licence families) under
the same signature.

The licence expression is read as alternatives (OR) of combinations (AND):
an organisation may pick the best alternative, and within one it must meet
every licence.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from license_expression import ExpressionError

from accounts.constants import OrganisationKind

from .constants import ReuseRestriction
from .licensing import _spdx

ALLOWED, CONDITIONAL, NOT_ALLOWED = "allowed", "conditional", "not-allowed"
_RANK = {ALLOWED: 0, CONDITIONAL: 1, NOT_ALLOWED: 2}


@dataclass
class Verdict:
    verdict: str
    reasons: list = field(default_factory=list)

    @property
    def is_allowed(self):
        return self.verdict == ALLOWED


def _copyleft_obligation(license_id):
    """The obligation of a strong or weak copyleft licence, or None."""
    upper = license_id.upper()
    if upper.startswith("AGPL-"):
        return _(
            "whoever offers it to users, also over a network, must publish the source code "
            "of changes under the same licence"
        )
    if upper.startswith("LGPL-"):
        return _(
            "changes to the component itself must be published under the same licence; "
            "software that only links to it may keep its own licence"
        )
    if upper.startswith("GPL-"):
        return _(
            "whoever distributes it, changed or not, must publish the source code under "
            "the same licence"
        )
    if upper.startswith("EUPL-"):
        return _(
            "whoever distributes it or offers it over a network must share the source code "
            "of changes under the EUPL or a compatible licence"
        )
    if upper.startswith("MPL-"):
        return _(
            "changed files must stay under the MPL, and their source code must be shared "
            "when they are distributed"
        )
    return None


def _worst(*verdicts):
    return max(verdicts, key=_RANK.__getitem__)


def _restriction(component, organisation, is_owner):
    restriction = component.reuse_restriction
    if is_owner:
        return ALLOWED, _("%(organisation)s publishes this component.") % {
            "organisation": organisation.name
        }
    if restriction == ReuseRestriction.PUBLIC_SECTOR:
        if organisation.is_public_sector:
            return ALLOWED, _(
                "Only public-sector organisations may reuse it, and %(organisation)s is one."
            ) % {"organisation": organisation.name}
        return NOT_ALLOWED, _(
            "Only public-sector organisations may reuse it; %(organisation)s is a vendor."
        ) % {"organisation": organisation.name}
    if restriction == ReuseRestriction.ORGANISATION_KINDS:
        kinds = component.reuse_organisation_kinds or []
        labels = ", ".join(str(OrganisationKind(kind).label).lower() for kind in kinds)
        if organisation.kind in kinds:
            return ALLOWED, _("Only these kinds of organisation may reuse it: %(kinds)s.") % {
                "kinds": labels
            }
        return NOT_ALLOWED, _(
            "Only these kinds of organisation may reuse it: %(kinds)s; "
            "%(organisation)s is not one of them."
        ) % {"kinds": labels, "organisation": organisation.name}
    if restriction == ReuseRestriction.OWNER_ONLY:
        return NOT_ALLOWED, _("Only its publisher, %(publisher)s, may use it.") % {
            "publisher": component.publisher.name
        }
    if restriction == ReuseRestriction.NAMED_ORGANISATIONS:
        named = {o.pk for o in component.reuse_organisations.all()}
        if organisation.pk in named:
            return ALLOWED, _(
                "Only named organisations may reuse it, and %(organisation)s is one."
            ) % {"organisation": organisation.name}
        return NOT_ALLOWED, _(
            "Only named organisations may reuse it, and %(organisation)s is not one of them."
        ) % {"organisation": organisation.name}
    return ALLOWED, _("No reuse restriction applies.")


def _licence(license_id, licences, organisation, is_owner):
    """Verdict and reason for one licence of the expression."""
    custom = licences.get(license_id.lower())
    if custom is not None and custom.is_custom:
        owns = is_owner or (custom.owner_id is not None and custom.owner_id == organisation.pk)
        if not custom.reuse_allowed and not owns:
            return NOT_ALLOWED, _(
                "The licence %(licence)s reserves reuse to its owner%(summary)s."
            ) % {
                "licence": custom.name or custom.id,
                "summary": f" ({custom.summary.rstrip('.')})" if custom.summary else "",
            }
        return ALLOWED, _("The licence %(licence)s allows this organisation to reuse it.") % {
            "licence": custom.name or custom.id
        }
    obligation = _copyleft_obligation(license_id)
    if obligation:
        return CONDITIONAL, _("%(licence)s is a copyleft licence: %(obligation)s.") % {
            "licence": license_id,
            "obligation": obligation,
        }
    return ALLOWED, _("%(licence)s is a permissive licence: keep its copyright notice.") % {
        "licence": license_id
    }


def _alternatives(expression):
    """The expression as a list of alternatives, each a list of licence ids."""
    try:
        parsed = _spdx().parse(expression, validate=False, strict=False)
    except ExpressionError:
        return [[expression]]
    if parsed is None:
        return []
    dnf = _spdx().dnf(parsed)
    terms = dnf.args if isinstance(dnf, _spdx().OR) else [dnf]
    # A licence WITH an exception stays one item: the exception only softens the licence.
    return [
        [str(symbol) for symbol in _spdx().license_symbols(term, decompose=False)] for term in terms
    ]


def reuse_verdict(component, organisation):
    """May `organisation` reuse `component`? A Verdict with translated reasons."""
    is_owner = organisation.pk == component.publisher_id
    restriction_verdict, restriction_reason = _restriction(component, organisation, is_owner)

    licences = {lic.id.lower(): lic for lic in component.licenses.all()}
    best = None
    for alternative in _alternatives(component.license_expression) or [[]]:
        judged = [_licence(lid, licences, organisation, is_owner) for lid in alternative]
        verdict = _worst(ALLOWED, *(v for v, _reason in judged))
        if best is None or _RANK[verdict] < _RANK[best[0]]:
            best = (verdict, [reason for _v, reason in judged])
    licence_verdict, licence_reasons = best

    verdict = _worst(restriction_verdict, licence_verdict)
    reasons = [restriction_reason, *licence_reasons]
    if component.reuse_terms and not is_owner:
        if verdict == ALLOWED:
            verdict = CONDITIONAL
        reasons.append(_("Further terms: %(terms)s") % {"terms": component.reuse_terms})
    return Verdict(verdict=verdict, reasons=reasons)
