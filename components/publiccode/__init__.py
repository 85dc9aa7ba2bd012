"""publiccode.yml: validate, import into the catalogue, export.

No Python package parses publiccode.yml, so this package does, following the
rules of the reference parser (publiccode-parser-go, v0 schema): the same
required keys, enumerations and messages, the same split between errors and
warnings (deprecated keys and old versions are warnings). Where this package
deliberately differs, it says so where it does:

- unknown keys are warnings, not errors; the Dutch ``nl`` section and the
  Italian ``IT``/``it`` section are understood;
- YAML 1.1 booleans (``yes``/``no``/``on``/``off``) are read as booleans, with a
  warning (the reference parser refuses them);
- an unquoted ``publiccodeYmlVersion: 0.2`` is read as the string "0.2", with a
  warning (the reference parser refuses it);
- checks that need the repository or the network (does the logo exist, is a
  video an oEmbed link, is an iPA code in the Italian register) are not made.

YAML is read safely (reader): node by node, with positions, only YAML's own
tags, aliases counted, files over 1 MB refused before they are parsed.

`validate()` never raises; `import_publiccode()` writes a validated file into
the catalogue in one transaction; `export_publiccode()` writes a component back
out as a publiccode.yml that `validate()` accepts without errors.

One job per module: findings (what is found), reader (YAML with line marks),
standard (versions, vocabularies, checks on single values), validate, mapping
(file to catalogue fields), importer, export. Callers import from here.
"""

from ..constants import CATEGORIES, SCOPES
from .export import export_publiccode
from .findings import ERROR, WARNING, Finding, ValidationResult
from .importer import ImportResult, OrganisationMatcher, fold_name, import_publiccode
from .mapping import normalise_repository_url, to_component_data
from .reader import MAX_ALIASED_NODES, MAX_BYTES, MAX_DEPTH
from .standard import (
    CATEGORIES_URL,
    CURRENT_VERSIONS,
    DEPRECATED_SAFE_TO_DROP,
    DEVELOPMENT_STATUSES,
    EXPORT_VERSION,
    LATEST_VERSION,
    LAYER_NAMES,
    MAINTENANCE_TYPES,
    SCOPES_URL,
    SOFTWARE_TYPES,
    SUPPORTED_VERSIONS,
    UPL_BASE_URI,
)
from .validate import validate

__all__ = [
    "CATEGORIES",
    "CATEGORIES_URL",
    "CURRENT_VERSIONS",
    "DEPRECATED_SAFE_TO_DROP",
    "DEVELOPMENT_STATUSES",
    "ERROR",
    "EXPORT_VERSION",
    "LATEST_VERSION",
    "LAYER_NAMES",
    "MAINTENANCE_TYPES",
    "MAX_ALIASED_NODES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "SCOPES",
    "SCOPES_URL",
    "SOFTWARE_TYPES",
    "SUPPORTED_VERSIONS",
    "UPL_BASE_URI",
    "WARNING",
    "Finding",
    "ImportResult",
    "OrganisationMatcher",
    "ValidationResult",
    "export_publiccode",
    "fold_name",
    "import_publiccode",
    "normalise_repository_url",
    "to_component_data",
    "validate",
]
