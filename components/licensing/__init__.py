"""Licensing: SPDX expressions and the questions people ask of the registry
about them, answered by plain functions (tested without HTTP; the API and the
site call them). One module per question:

- `expressions`: parse, validate and normalise an SPDX expression
  (`parse_expression`), and load the SPDX list (`sync_spdx_licenses`);
- `obligations`: `licence_obligation(license)`, what a licence asks of a
  reuser, in one plain sentence in Dutch and English, by licence family;
- `osadl`: `compatibility(leading, other)`, may a work under one
  licence incorporate code under another, read from the OSADL matrix;
- `verdicts`: `reuse_verdict(component, organisation)`, "may we reuse
  this?" — allowed, conditional or not-allowed, with the reasons;
- `flags`: `restriction_flag(usage)`, why a usage breaks the component's
  reuse restriction ('' when it does not), and keeping the stored flags in step;
- `report`: `licence_report(organisation, viewer)`, the licences an
  organisation uses, their obligations and its flagged usages (and as CSV).

`language` holds what they share: every sentence exists in Dutch and English.

The names below are importable from `components.licensing` itself, so callers
need not know which module answers. They are loaded on first use, not when
the package is imported: components.models imports `expressions` while it is
itself being imported, and `verdicts`, `flags` and `report` import the models.
No module may be named like one of the names: importing a module sets it as
an attribute of the package, which would hide the name (hence `osadl`, not
`compatibility`).
"""

from importlib import import_module

_EXPORTS = {
    "expressions": [
        "MAX_ALTERNATIVES",
        "ParsedExpression",
        "Term",
        "custom_license_ids",
        "parse_expression",
        "spdx_ids",
        "successor_of",
        "sync_spdx_licenses",
    ],
    "obligations": [
        "BLOCKER",
        "CONDITION",
        "FAMILIES",
        "FAMILY_LABELS",
        "INFO",
        "SEVERITY_RANK",
        "UNKNOWN",
        "Obligation",
        "licence_obligation",
    ],
    "osadl": ["OSADL_ATTRIBUTION", "Compatibility", "compatibility"],
    "verdicts": [
        "ALLOWED",
        "CONDITIONAL",
        "NOT_ALLOWED",
        "VERDICT_LABELS",
        "Reason",
        "custom_licences",
        "Verdict",
        "licence_reasons",
        "restriction_reason",
        "reuse_verdict",
    ],
    "flags": [
        "recompute_all_flags",
        "recompute_component_flags",
        "recompute_flags",
        "restriction_flag",
    ],
    "report": ["CSV_COLUMNS", "LicenceReport", "licence_report", "licence_report_rows"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
