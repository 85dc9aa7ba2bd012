"""publiccode.yml: validate, import into the catalogue, export.

No Python package parses publiccode.yml, so this module does, following the
rules of the reference parser (publiccode-parser-go, v0 schema): the same
required keys, enumerations and messages, the same split between errors and
warnings (deprecated keys and old versions are warnings). Where this module
deliberately differs, it says so where it does:

- unknown keys are warnings, not errors; the Dutch ``nl`` section and the
  Italian ``IT``/``it`` section are understood;
- YAML 1.1 booleans (``yes``/``no``/``on``/``off``) are read as booleans, with a
  warning (the reference parser refuses them);
- an unquoted ``publiccodeYmlVersion: 0.2`` is read as the string "0.2", with a
  warning (the reference parser refuses it);
- checks that need the repository or the network (does the logo exist, is a
  video an oEmbed link, is an iPA code in the Italian register) are not made.

YAML is read safely: the file is composed into nodes (which keep their line
and column), every node's tag must be one of YAML's own scalar and collection
tags, and the tree is expanded by hand with a limit on the number of nodes, so
an alias bomb is refused instead of eating the memory. Files over 1 MB are
refused before they are parsed.

`validate()` never raises; `import_publiccode()` writes a validated file into
the catalogue in one transaction; `export_publiccode()` writes a component back
out as a publiccode.yml that `validate()` accepts without errors.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import langcodes
import pycountry
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from . import licensing
from .constants import (
    CATEGORIES,
    SCOPES,
    Assertion,
    ComponentKind,
    DependencyKind,
    Layer,
    MaintenanceType,
    UsageStatus,
    Visibility,
)

ERROR = "error"
WARNING = "warning"

MAX_BYTES = 1024 * 1024
# Nodes an alias may stand for, counted each time the alias is used. A real
# publiccode.yml has a few hundred nodes in all and rarely an alias; 100,000
# still stops an alias bomb (a billion laughs) at once. Without aliases the
# 1 MB limit bounds the number of nodes.
MAX_ALIASED_NODES = 100_000
MAX_DEPTH = 50

# The version the reference parser treats as the latest; "0" means "the latest 0.x".
LATEST_VERSION = "0.7"
SUPPORTED_VERSIONS = (
    "0",
    "0.2",
    "0.2.0",
    "0.2.1",
    "0.2.2",
    "0.3",
    "0.3.0",
    "0.4",
    "0.4.0",
    "0.5",
    "0.5.0",
    # The reference parser skips 0.6; files in the wild do not, and 0.6 adds
    # nothing to 0.5 that this module would have to check differently.
    "0.6",
    "0.6.0",
    "0.7",
    "0.7.0",
)
CURRENT_VERSIONS = ("0", "0.7", "0.7.0")
# What export_publiccode() writes: "0" is the major-version form the standard
# now recommends, and it draws no "not the latest version" warning.
EXPORT_VERSION = "0"

DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
CATEGORIES_URL = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/categories-list.rst"
)
SCOPES_URL = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/scope-list.rst"
)
UPL_BASE_URI = "http://standaarden.overheid.nl/owms/terms/"

# nl.commonground.layerType: the five Common Ground layers, in English and
# Dutch, and "interface", which the old componentencatalogus used for the
# interaction layer.
LAYER_NAMES = {
    "interaction": Layer.INTERACTION,
    "interactie": Layer.INTERACTION,
    "interface": Layer.INTERACTION,
    "process": Layer.PROCESS,
    "proces": Layer.PROCESS,
    "integration": Layer.INTEGRATION,
    "integratie": Layer.INTEGRATION,
    "services": Layer.SERVICES,
    "service": Layer.SERVICES,
    "diensten": Layer.SERVICES,
    "data": Layer.DATA,
    "gegevens": Layer.DATA,
}

DEPRECATED_SAFE_TO_DROP = (
    "This key is DEPRECATED and will be removed in the future. It's safe to drop it"
)

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_MERGE_TAG = _TAG + "merge"
_NULL_TAG = _TAG + "null"
_BOOL_TAG = _TAG + "bool"

# PyYAML's LibYAML binding composes much faster and keeps the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    path: str  # key path, e.g. "description.nl.shortDescription" or "categories[0]"
    line: int | None
    column: int | None
    message: str

    def __str__(self):
        where = f"{self.line or 0}:{self.column or 0}"
        key = f"{self.path}: " if self.path else ""
        return f"{where}: {self.severity}: {key}{self.message}"

    def as_dict(self):
        return {
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    data: dict | None = None
    version: str | None = None
    # Where each key is in the file, by key path: (line, column).
    positions: dict = field(default_factory=dict, repr=False)

    def position(self, path):
        """(line, column) of a key path, or of its nearest ancestor in the file."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path.rpartition(".")[0] if "." in path else path.partition("[")[0]
            if path in self.positions:
                return self.positions[path]
            if "." not in path and "[" not in path:
                break
        return None, None

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self):
        return self.data is not None and not self.errors


# ---------------------------------------------------------------------------
# Reading YAML safely, keeping positions


class _Refused(Exception):
    def __init__(self, finding):
        super().__init__(finding.message)
        self.finding = finding


@dataclass(eq=False)
class _Scalar:
    tag: str
    text: str
    line: int
    column: int
    plain: bool  # unquoted in the file

    @property
    def is_null(self):
        return self.tag == _NULL_TAG


@dataclass(eq=False)
class _Map:
    entries: dict  # key -> (_Scalar key node, value node)
    line: int
    column: int


@dataclass(eq=False)
class _Seq:
    items: list
    line: int
    column: int


def _position(node):
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def _join(path, key):
    return f"{path}.{key}" if path else str(key)


class _Builder:
    """Turns composed YAML nodes into _Map/_Seq/_Scalar, counting the nodes
    that aliases expand to (the composer shares them; this tree copies them)."""

    def __init__(self, findings):
        self.findings = findings
        self.seen = set()
        self.aliased = 0
        self.open = set()

    def refuse(self, node, path, message):
        line, column = _position(node)
        raise _Refused(Finding(ERROR, path, line, column, message))

    def build(self, node, path="", depth=0, aliased=False):
        aliased = aliased or id(node) in self.seen
        self.seen.add(id(node))
        if aliased:
            self.aliased += 1
            if self.aliased > MAX_ALIASED_NODES:
                self.refuse(
                    node,
                    path,
                    f"aliases expand to more than {MAX_ALIASED_NODES:,} nodes "
                    "(an alias bomb?); refused",
                )
        if depth > MAX_DEPTH:
            self.refuse(node, path, f"nested deeper than {MAX_DEPTH} levels; refused")
        if node.tag not in _ALLOWED_TAGS:
            self.refuse(
                node,
                path,
                f"YAML tag '{node.tag.replace(_TAG, '!!')}' is not allowed: "
                "only plain strings, numbers, booleans, dates, lists and mappings",
            )
        line, column = _position(node)
        if isinstance(node, yaml.ScalarNode):
            return _Scalar(node.tag, node.value, line, column, node.style is None)
        if id(node) in self.open:
            self.refuse(node, path, "an alias refers to a node that contains it; refused")
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                items = [
                    self.build(child, f"{path}[{i}]", depth + 1, aliased)
                    for i, child in enumerate(node.value)
                ]
                return _Seq(items, line, column)
            return self.build_mapping(node, path, depth, line, column, aliased)
        finally:
            self.open.discard(id(node))

    def build_mapping(self, node, path, depth, line, column, aliased):
        entries, merges = {}, []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.refuse(key_node, path, "a mapping key must be a plain string")
            key = self.build(key_node, path, depth + 1, aliased)
            child_path = _join(path, key.text)
            if key.text in entries:
                self.findings.append(
                    Finding(
                        ERROR,
                        child_path,
                        key.line,
                        key.column,
                        f'mapping key "{key.text}" already defined at line '
                        f"{entries[key.text][0].line}",
                    )
                )
                continue
            entries[key.text] = (key, self.build(value_node, child_path, depth + 1, aliased))
        for merge_node in merges:
            sources = (
                merge_node.value if isinstance(merge_node, yaml.SequenceNode) else [merge_node]
            )
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.refuse(source, path, "a merge key (<<) must refer to a mapping")
                merged = self.build(source, path, depth + 1, aliased)
                for key, entry in merged.entries.items():
                    entries.setdefault(key, entry)
        return _Map(entries, line, column)


def _read(source):
    """Decode and compose the YAML; return (root node or None, findings)."""
    findings = []
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        if len(raw) > MAX_BYTES:
            raise _Refused(
                Finding(ERROR, "", None, None, f"the file is larger than 1 MB ({len(raw):,} bytes)")
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise _Refused(
                Finding(ERROR, "", line, None, f"Invalid UTF-8 (byte {exc.start + 1})")
            ) from None
    elif isinstance(source, str):
        text = source
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            raise _Refused(
                Finding(ERROR, "", None, None, f"the file is larger than 1 MB ({size:,} bytes)")
            )
    else:
        raise _Refused(Finding(ERROR, "", None, None, "expected the text of a publiccode.yml"))
    text = text.removeprefix("\ufeff")
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        raise _Refused(
            Finding(
                ERROR,
                "",
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
                f"invalid YAML: {message}",
            )
        ) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        raise _Refused(Finding(ERROR, "", line, None, f"invalid YAML: {exc}")) from None
    except RecursionError:
        raise _Refused(Finding(ERROR, "", None, None, "nested too deeply; refused")) from None
    except (UnicodeError, ValueError) as exc:
        raise _Refused(Finding(ERROR, "", None, None, f"unreadable text: {exc}")) from None
    if len(documents) > 1:
        line, column = _position(documents[1])
        raise _Refused(
            Finding(
                ERROR, "", line, column, "multiple YAML documents in one file are not supported"
            )
        )
    if not documents:
        return None, findings
    try:
        return _Builder(findings).build(documents[0]), findings
    except RecursionError:
        raise _Refused(Finding(ERROR, "", None, None, "nested too deeply; refused")) from None


# ---------------------------------------------------------------------------
# Validation


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_MIME = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_IPA_CODE = re.compile(r"[A-Za-z0-9_]+")


def _length(text):
    """Characters as a reader counts them: combining marks do not count.

    The reference parser counts grapheme clusters; leaving out combining marks
    is the same for every text but some emoji sequences.
    """
    return sum(1 for char in unicodedata.normalize("NFC", text) if not unicodedata.combining(char))


def _is_url(value, http=False):
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if not parts.scheme or not _SCHEME.fullmatch(parts.scheme) or " " in value.strip():
        return False
    if http:
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    return bool(parts.netloc) or parts.scheme.lower() in ("urn", "mailto")


def _is_language_tag(tag):
    # langcodes also accepts "en_US"; BCP 47 has only hyphens.
    return bool(re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", tag)) and langcodes.tag_is_valid(tag)


def _is_country(code):
    return len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code) is not None


def _parse_date(text):
    if not _DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _oneof(values):
    quoted = [f'"{v}"' for v in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _positions(node, path="", into=None):
    into = {} if into is None else into
    if isinstance(node, _Map):
        for key, (key_node, value) in node.entries.items():
            child = _join(path, key)
            into.setdefault(child, (key_node.line, key_node.column))
            _positions(value, child, into)
    elif isinstance(node, _Seq):
        for i, item in enumerate(node.items):
            child = f"{path}[{i}]"
            into.setdefault(child, (item.line, item.column))
            _positions(item, child, into)
    return into


def _plain(node):
    """A node as plain Python data, for keys this module does not interpret."""
    if isinstance(node, _Map):
        return {key: _plain(value) for key, (_, value) in node.entries.items()}
    if isinstance(node, _Seq):
        return [_plain(item) for item in node.items]
    if node.is_null:
        return None
    if node.tag == _BOOL_TAG:
        return node.text.lower() in ("true", "yes", "on")
    if node.tag == _TAG + "int":
        try:
            return int(node.text.replace("_", ""), 0)
        except ValueError:
            return node.text
    return node.text


class _Validator:
    def __init__(self, findings, custom_license_ids):
        self.findings = findings
        self.custom_license_ids = custom_license_ids

    # -- findings -----------------------------------------------------------

    def add(self, severity, path, where, message):
        line = column = None
        if where is not None:
            line, column = where.line, where.column
        self.findings.append(Finding(severity, path, line, column, message))

    def error(self, path, where, message):
        self.add(ERROR, path, where, message)

    def warn(self, path, where, message):
        self.add(WARNING, path, where, message)

    # -- typed access -------------------------------------------------------

    def entry(self, mapping, key):
        if mapping is None:
            return None, None
        return mapping.entries.get(key, (None, None))

    def value(self, mapping, key, path, kind, *, required=False):
        """The node under key if it is of the kind wanted (None if absent or null)."""
        key_node, node = self.entry(mapping, key)
        full = _join(path, key)
        if node is None or (isinstance(node, _Scalar) and node.is_null):
            if required:
                self.error(full, key_node or mapping, f"{key} is a required field")
            return None
        if not isinstance(node, kind):
            self.error(full, key_node, "wrong type for this field")
            return None
        return node

    def string(self, mapping, key, path, *, required=False):
        node = self.value(mapping, key, path, _Scalar, required=required)
        if node is None:
            return None
        if required and node.text == "":
            self.error(_join(path, key), self.entry(mapping, key)[0], f"{key} is a required field")
            return None
        return node.text

    def boolean(self, mapping, key, path, *, required=False):
        node = self.value(mapping, key, path, _Scalar, required=required)
        if node is None:
            return None
        key_node = self.entry(mapping, key)[0]
        if node.tag != _BOOL_TAG:
            self.error(_join(path, key), key_node, "wrong type for this field")
            if required:
                self.error(_join(path, key), key_node, f"{key} is a required field")
            return None
        text = node.text.lower()
        if text not in ("true", "false"):
            self.warn(
                _join(path, key),
                node,
                f"'{node.text}' is a YAML 1.1 boolean; read as "
                f"{'true' if text in ('yes', 'on') else 'false'}. Write true or false: "
                "the reference parser refuses it",
            )
        return text in ("true", "yes", "on")

    def strings(self, mapping, key, path, *, required=False, non_empty=False):
        """A list of strings; returns [(value, item node, item path)]."""
        node = self.value(mapping, key, path, _Seq, required=required)
        full = _join(path, key)
        if node is None:
            if non_empty and not required:
                self.error(
                    full,
                    self.entry(mapping, key)[0] or mapping,
                    f"{key} must contain more than 0 items",
                )
            return []
        if non_empty and not node.items:
            self.error(full, self.entry(mapping, key)[0], f"{key} must contain more than 0 items")
        result = []
        for i, item in enumerate(node.items):
            item_path = f"{full}[{i}]"
            if not isinstance(item, _Scalar) or item.is_null:
                self.error(item_path, item, "wrong type for this field")
                continue
            result.append((item.text, item, item_path))
        return result

    def mapping(self, mapping, key, path, *, required=False):
        return self.value(mapping, key, path, _Map, required=required)

    def unknown_keys(self, mapping, path, known):
        if mapping is None:
            return
        for key, (key_node, _) in mapping.entries.items():
            if key not in known:
                self.warn(
                    _join(path, key),
                    key_node,
                    f'unknown field "{key}"; kept as it is, not interpreted',
                )

    # -- checks on values ---------------------------------------------------

    def url(self, mapping, key, path, *, http=True, required=False):
        value = self.string(mapping, key, path, required=required)
        if value is not None and not _is_url(value, http=http):
            requirement = "an HTTP URL" if http else "a valid URL"
            self.error(
                _join(path, key), self.entry(mapping, key)[0], f"{key} must be {requirement}"
            )
        return value

    def date(self, mapping, key, path, *, required=False):
        node = self.value(mapping, key, path, _Scalar, required=required)
        if node is None:
            return None
        parsed = _parse_date(node.text)
        if parsed is None:
            self.error(
                _join(path, key),
                self.entry(mapping, key)[0],
                f"{key} must be a date with format 'YYYY-MM-DD' (found '{node.text}')",
            )
            return node.text
        return parsed

    def enum(self, mapping, key, path, choices, *, required=False):
        value = self.string(mapping, key, path, required=required)
        if value is not None and value not in choices:
            self.error(
                _join(path, key),
                self.entry(mapping, key)[0],
                f"{key} must be one of the following: {_oneof(choices)} (found '{value}')",
            )
        return value

    def email(self, mapping, key, path):
        value = self.string(mapping, key, path)
        if value is not None and not _EMAIL.fullmatch(value):
            self.error(
                _join(path, key),
                self.entry(mapping, key)[0],
                f"{key} must be a valid email address",
            )
        return value

    def file_reference(self, mapping, key, path, extensions=None):
        """logo, monochromeLogo, authorsFile: a relative path or an HTTP(S) URL."""
        value = self.string(mapping, key, path)
        where = self.entry(mapping, key)[0]
        if value:
            self.check_file_reference(value, _join(path, key), where, extensions)
        return value

    def check_file_reference(self, value, path, where, extensions):
        if value.startswith("/"):
            self.error(
                path, where, "is an absolute path. Only relative paths or HTTP(s) URLs allowed"
            )
        elif value.lower().startswith("file:"):
            self.error(path, where, "is a file:// URL. Only relative paths or HTTP(s) URLs allowed")
        elif extensions:
            try:
                file_path = urlsplit(value).path
            except ValueError:
                file_path = value
            if not file_path.lower().endswith(extensions):
                self.error(path, where, f"invalid file extension for: {value}")

    # -- the document -------------------------------------------------------

    def document(self, root, version):
        data = {"publiccodeYmlVersion": version}
        p = ""
        data["name"] = self.string(root, "name", p, required=True)
        data["applicationSuite"] = self.string(root, "applicationSuite", p)
        data["url"] = self.url(root, "url", p, http=False, required=True)
        data["landingURL"] = self.url(root, "landingURL", p)
        data["isBasedOn"] = self.is_based_on(root)
        data["softwareVersion"] = self.string(root, "softwareVersion", p)
        data["releaseDate"] = self.date(root, "releaseDate", p)
        data["logo"] = self.file_reference(root, "logo", p, (".svg", ".svgz", ".png"))
        if self.entry(root, "monochromeLogo")[1] is not None:
            self.warn(
                "monochromeLogo",
                self.entry(root, "monochromeLogo")[0],
                "This key is DEPRECATED and will be removed in the future. Use 'logo' instead",
            )
        data["monochromeLogo"] = self.file_reference(
            root, "monochromeLogo", p, (".svg", ".svgz", ".png")
        )
        data["organisation"] = self.organisation(root)
        for key in ("inputTypes", "outputTypes"):
            if self.entry(root, key)[1] is not None:
                self.warn(
                    key,
                    self.entry(root, key)[0],
                    DEPRECATED_SAFE_TO_DROP,
                )
            items = self.strings(root, key, p)
            for value, node, item_path in items:
                if not _MIME.fullmatch(value):
                    self.error(item_path, node, f"{item_path} is not a valid MIME type")
            data[key] = [value for value, _, _ in items] or None
        platforms = self.strings(root, "platforms", p, non_empty=True)
        data["platforms"] = [value for value, _, _ in platforms]
        categories = self.strings(root, "categories", p)
        for value, node, item_path in categories:
            if value not in CATEGORIES:
                self.error(
                    item_path,
                    node,
                    f"{item_path} must be a valid category, not '{value}' (see {CATEGORIES_URL})",
                )
        if self.entry(root, "categories")[1] is not None:
            data["categories"] = [value for value, _, _ in categories]
        used_by = self.strings(root, "usedBy", p)
        if self.entry(root, "usedBy")[1] is not None:
            data["usedBy"] = [value for value, _, _ in used_by]
        data["fundedBy"] = self.funded_by(root)
        data["roadmap"] = self.url(root, "roadmap", p)
        data["developmentStatus"] = self.enum(
            root, "developmentStatus", p, DEVELOPMENT_STATUSES, required=True
        )
        data["softwareType"] = self.enum(root, "softwareType", p, SOFTWARE_TYPES, required=True)
        data["intendedAudience"] = self.intended_audience(root)
        data["description"] = self.description(root)
        data["legal"] = self.legal(root)
        data["maintenance"] = self.maintenance(root)
        data["localisation"] = self.localisation(root)
        data["dependsOn"] = self.depends_on(root)
        data["IT"] = self.italy(root)
        data["nl"] = self.netherlands(root)
        known = set(data) | {"it", "publiccodeYmlVersion"}
        self.unknown_keys(root, "", known)
        for key, (_, node) in root.entries.items():
            if key not in known:
                data[key] = _plain(node)
        return {key: value for key, value in data.items() if value is not None}

    def is_based_on(self, root):
        key_node, node = self.entry(root, "isBasedOn")
        if node is None or (isinstance(node, _Scalar) and node.is_null):
            return None
        if isinstance(node, _Scalar):
            items = [(node.text, key_node, "isBasedOn[0]")]
        else:
            items = self.strings(root, "isBasedOn", "")
        for value, where, item_path in items:
            if not _is_url(value):
                self.error(item_path, where, f"{item_path} must be a valid URL (found '{value}')")
        return [value for value, _, _ in items]

    def organisation(self, root):
        node = self.mapping(root, "organisation", "")
        if node is None:
            return None
        name = self.string(node, "name", "organisation", required=True)
        uri = self.string(node, "uri", "organisation")
        if uri is not None and not _is_url(uri):
            self.error("organisation.uri", self.entry(node, "uri")[0], "uri is not a valid URI")
        self.unknown_keys(node, "organisation", {"name", "uri"})
        return {key: value for key, value in (("name", name), ("uri", uri)) if value is not None}

    def funded_by(self, root):
        node = self.value(root, "fundedBy", "", _Seq)
        if node is None:
            return None
        result = []
        for i, item in enumerate(node.items):
            path = f"fundedBy[{i}]"
            if not isinstance(item, _Map):
                self.error(path, item, "wrong type for this field")
                continue
            name = self.string(item, "name", path, required=True)
            uri = self.string(item, "uri", path, required=True)
            if uri is not None and not _is_url(uri):
                self.error(f"{path}.uri", self.entry(item, "uri")[0], "uri is not a valid URI")
            self.unknown_keys(item, path, {"name", "uri"})
            result.append({"name": name, "uri": uri})
        return result

    def intended_audience(self, root):
        node = self.mapping(root, "intendedAudience", "")
        if node is None:
            return None
        path = "intendedAudience"
        result = {}
        scope = self.strings(node, "scope", path)
        for value, item, item_path in scope:
            if value not in SCOPES:
                label = item_path.rsplit(".", 1)[-1]
                self.error(
                    item_path,
                    item,
                    f"{label} must be a valid scope, not '{value}' (see {SCOPES_URL})",
                )
        if self.entry(node, "scope")[1] is not None:
            result["scope"] = [value for value, _, _ in scope]
        for key in ("countries", "unsupportedCountries"):
            codes = self.strings(node, key, path)
            for value, item, item_path in codes:
                label = item_path.rsplit(".", 1)[-1]
                if not _is_country(value):
                    self.error(
                        item_path,
                        item,
                        f"{label} must be a valid ISO 3166-1 alpha-2 two-letter country code "
                        f"(found '{value}')",
                    )
                elif value != value.upper():
                    self.warn(
                        item_path,
                        item,
                        "Lowercase country codes are DEPRECATED. Use uppercase instead "
                        f"('{value.upper()}')",
                    )
            if self.entry(node, key)[1] is not None:
                result[key] = [value for value, _, _ in codes]
        self.unknown_keys(node, path, {"scope", "countries", "unsupportedCountries"})
        return result

    def description(self, root):
        key_node, node = self.entry(root, "description")
        if (
            node is not None
            and not isinstance(node, _Map)
            and not (isinstance(node, _Scalar) and node.is_null)
        ):
            self.error("description", key_node, "wrong type for this field")
            return None
        if node is None or isinstance(node, _Scalar) or not node.entries:
            self.error(
                "description", key_node or root, "description must contain more than 0 items"
            )
            return None
        result = {}
        for tag, (tag_node, desc) in node.entries.items():
            path = f"description.{tag}"
            if not _is_language_tag(tag):
                self.error(path, tag_node, f"'{tag}' is not a valid BCP 47 language tag")
            if not isinstance(desc, _Map):
                self.error(path, tag_node, "wrong type for this field")
                continue
            result[tag] = self.language_description(desc, path)
        return result

    def language_description(self, desc, path):
        result = {}
        result["localisedName"] = self.string(desc, "localisedName", path)
        generic = self.string(desc, "genericName", path)
        if generic:
            where = self.entry(desc, "genericName")[0]
            if _length(generic) > 35:
                self.error(
                    f"{path}.genericName",
                    where,
                    "genericName must be a maximum of 35 characters in length",
                )
            self.warn(
                f"{path}.genericName",
                where,
                DEPRECATED_SAFE_TO_DROP,
            )
        result["genericName"] = generic
        short = self.string(desc, "shortDescription", path, required=True)
        if short is not None and _length(short) > 150:
            self.error(
                f"{path}.shortDescription",
                self.entry(desc, "shortDescription")[0],
                f"shortDescription must be a maximum of 150 characters in length "
                f"(it has {_length(short)})",
            )
        result["shortDescription"] = short
        long = self.string(desc, "longDescription", path, required=True)
        if long is not None:
            where = self.entry(desc, "longDescription")[0]
            if _length(long) < 150:
                self.error(
                    f"{path}.longDescription",
                    where,
                    f"longDescription must be at least 150 characters in length "
                    f"(it has {_length(long)})",
                )
            elif _length(long) > 10000:
                self.error(
                    f"{path}.longDescription",
                    where,
                    "longDescription must be a maximum of 10000 characters in length",
                )
        result["longDescription"] = long
        result["documentation"] = self.url(desc, "documentation", path)
        result["apiDocumentation"] = self.url(desc, "apiDocumentation", path)
        features = self.strings(desc, "features", path, non_empty=True)
        result["features"] = [value for value, _, _ in features]
        screenshots = self.strings(desc, "screenshots", path)
        for value, item, item_path in screenshots:
            self.check_file_reference(value, item_path, item, (".jpg", ".png"))
        result["screenshots"] = [value for value, _, _ in screenshots] or None
        videos = self.strings(desc, "videos", path)
        for value, item, item_path in videos:
            if not _is_url(value, http=True):
                label = item_path.rsplit(".", 1)[-1]
                self.error(item_path, item, f"{label} must be an HTTP URL")
        result["videos"] = [value for value, _, _ in videos] or None
        result["awards"] = [value for value, _, _ in self.strings(desc, "awards", path)] or None
        self.unknown_keys(desc, path, set(result))
        return {key: value for key, value in result.items() if value is not None}

    def legal(self, root):
        node = self.mapping(root, "legal", "")
        path = "legal"
        license_text = self.string(node, "license", path, required=True)
        if node is None:
            return None
        result = {}
        if license_text is not None:
            try:
                parsed = licensing.parse_expression(
                    license_text, custom_ids=self.custom_license_ids
                )
            except ValidationError as exc:
                self.error(
                    "legal.license",
                    self.entry(node, "license")[0],
                    "license must be a valid license (see https://spdx.org/licenses): "
                    + " ".join(exc.messages),
                )
                result["license"] = license_text
            else:
                result["license"] = parsed.normalised
        for key in ("mainCopyrightOwner", "repoOwner", "authorsFile"):
            value = self.string(node, key, path)
            if value is not None:
                result[key] = value
        if "repoOwner" in result:
            self.warn(
                "legal.repoOwner",
                self.entry(node, "repoOwner")[0],
                "This key is DEPRECATED and will be removed in the future. "
                "Use 'organisation.name' instead",
            )
        if "authorsFile" in result:
            self.warn(
                "legal.authorsFile",
                self.entry(node, "authorsFile")[0],
                DEPRECATED_SAFE_TO_DROP,
            )
            if result["authorsFile"]:
                self.check_file_reference(
                    result["authorsFile"],
                    "legal.authorsFile",
                    self.entry(node, "authorsFile")[0],
                    None,
                )
        self.unknown_keys(node, path, {"license", "mainCopyrightOwner", "repoOwner", "authorsFile"})
        return result

    def maintenance(self, root):
        node = self.mapping(root, "maintenance", "")
        path = "maintenance"
        kind = self.enum(node, "type", path, MAINTENANCE_TYPES, required=True)
        if node is None:
            return None
        result = {"type": kind}
        contractors_key, contractors = self.entry(node, "contractors")
        has_contractors = contractors is not None and not (
            isinstance(contractors, _Scalar) and contractors.is_null
        )
        if kind == "contract" and not has_contractors:
            self.error(
                "maintenance.contractors",
                node,
                'contractors is a required field when "type" is "contract"',
            )
        elif kind in MAINTENANCE_TYPES and kind != "contract" and has_contractors:
            self.error(
                "maintenance.contractors",
                contractors_key,
                'contractors must not be present unless "type" is "contract"',
            )
        result["contractors"] = self.people(node, "contractors", path, contractor=True)
        contacts = self.entry(node, "contacts")[1]
        has_contacts = contacts is not None and not (
            isinstance(contacts, _Scalar) and contacts.is_null
        )
        if kind in ("internal", "community") and not has_contacts:
            self.error(
                "maintenance.contacts",
                node,
                f'contacts is a required field when "type" is "{kind}"',
            )
        result["contacts"] = self.people(node, "contacts", path, contractor=False)
        self.unknown_keys(node, path, {"type", "contractors", "contacts"})
        return {key: value for key, value in result.items() if value is not None}

    def people(self, node, key, path, *, contractor):
        seq = self.value(node, key, path, _Seq)
        if seq is None:
            return None
        result = []
        for i, item in enumerate(seq.items):
            item_path = f"{path}.{key}[{i}]"
            if not isinstance(item, _Map):
                self.error(item_path, item, "wrong type for this field")
                continue
            person = {"name": self.string(item, "name", item_path, required=True)}
            person["email"] = self.email(item, "email", item_path)
            if contractor:
                person["website"] = self.url(item, "website", item_path)
                person["until"] = self.date(item, "until", item_path, required=True)
                known = {"name", "email", "website", "until"}
            else:
                person["affiliation"] = self.string(item, "affiliation", item_path)
                person["phone"] = self.string(item, "phone", item_path)
                known = {"name", "email", "affiliation", "phone"}
            self.unknown_keys(item, item_path, known)
            result.append({k: v for k, v in person.items() if v is not None})
        return result

    def localisation(self, root):
        node = self.mapping(root, "localisation", "")
        path = "localisation"
        ready = self.boolean(node, "localisationReady", path, required=True)
        languages = self.strings(node, "availableLanguages", path, required=True, non_empty=True)
        for value, item, item_path in languages:
            if not _is_language_tag(value):
                label = item_path.rsplit(".", 1)[-1]
                self.error(
                    item_path, item, f"{label} must be a valid BCP 47 language (found '{value}')"
                )
        if node is None:
            return None
        self.unknown_keys(node, path, {"localisationReady", "availableLanguages"})
        return {"localisationReady": ready, "availableLanguages": [v for v, _, _ in languages]}

    def depends_on(self, root):
        node = self.mapping(root, "dependsOn", "")
        if node is None:
            return None
        result = {}
        for kind in ("open", "proprietary", "hardware"):
            seq = self.value(node, kind, "dependsOn", _Seq)
            if seq is None:
                continue
            items = []
            for i, item in enumerate(seq.items):
                path = f"dependsOn.{kind}[{i}]"
                if not isinstance(item, _Map):
                    self.error(path, item, "wrong type for this field")
                    continue
                dependency = {"name": self.string(item, "name", path, required=True)}
                for key in ("versionMin", "versionMax", "version"):
                    dependency[key] = self.string(item, key, path)
                dependency["optional"] = self.boolean(item, "optional", path)
                self.unknown_keys(
                    item, path, {"name", "versionMin", "versionMax", "version", "optional"}
                )
                items.append({k: v for k, v in dependency.items() if v is not None})
            result[kind] = items
        self.unknown_keys(node, "dependsOn", {"open", "proprietary", "hardware"})
        return result

    def italy(self, root):
        upper = self.entry(root, "IT")[1]
        lower_key, lower = self.entry(root, "it")
        if lower is not None:
            self.warn(
                "it",
                lower_key,
                "Lowercase country codes are DEPRECATED and will be removed in the future. "
                "Use 'IT' instead",
            )
        if upper is not None and lower is not None:
            self.error("it", lower_key, "'IT' key already present. Remove this key")
        key = "IT" if upper is not None else "it"
        node = self.mapping(root, key, "")
        if node is None:
            return None
        result = {}
        version = self.string(node, "countryExtensionVersion", key)
        if version is not None and version not in ("0.2", "1.0"):
            self.error(
                f"{key}.countryExtensionVersion",
                self.entry(node, "countryExtensionVersion")[0],
                'countryExtensionVersion must be one of the following: "0.2" or "1.0"',
            )
        if version is not None:
            result["countryExtensionVersion"] = version
        sections = {
            "conforme": (
                "lineeGuidaDesign",
                "modelloInteroperabilita",
                "misureMinimeSicurezza",
                "gdpr",
            ),
            "piattaforme": ("spid", "pagopa", "cie", "anpr", "io"),
        }
        for section, flags in sections.items():
            sub = self.mapping(node, section, key)
            if sub is None:
                continue
            path = f"{key}.{section}"
            result[section] = {
                flag: value
                for flag in flags
                if (value := self.boolean(sub, flag, path)) is not None
            }
            self.unknown_keys(sub, path, set(flags))
        if "conforme" in result:
            self.warn(
                f"{key}.conforme",
                self.entry(node, "conforme")[0],
                DEPRECATED_SAFE_TO_DROP,
            )
        riuso = self.mapping(node, "riuso", key)
        if riuso is not None:
            code = self.string(riuso, "codiceIPA", f"{key}.riuso")
            where = self.entry(riuso, "codiceIPA")[0]
            if code is not None and not _IPA_CODE.fullmatch(code):
                self.error(
                    f"{key}.riuso.codiceIPA",
                    where,
                    "codiceIPA must be a valid Italian Public Administration Code (iPA)",
                )
            elif code:
                self.warn(
                    f"{key}.riuso.codiceIPA",
                    where,
                    "This key is DEPRECATED and will be removed in the future. Use "
                    f"'organisation.uri' and set it to 'urn:x-italian-pa:{code}' instead",
                )
            result["riuso"] = {"codiceIPA": code} if code is not None else {}
            self.unknown_keys(riuso, f"{key}.riuso", {"codiceIPA"})
        self.unknown_keys(
            node, key, {"countryExtensionVersion", "conforme", "piattaforme", "riuso"}
        )
        return result

    def netherlands(self, root):
        """The Dutch extension. Nothing in it refuses a file: what is not
        understood draws a warning and is kept as it is."""
        node = self.mapping(root, "nl", "")
        if node is None:
            return None
        result = {}
        for key in ("countryExtensionVersion", "apiType"):
            value = self.string(node, key, "nl")
            if value is not None:
                result[key] = value
        commonground = self.entry(node, "commonground")[1]
        if isinstance(commonground, _Map):
            result["commonground"] = _plain(commonground)
            layer_key, layer_node = self.entry(commonground, "layerType")
            if layer_node is not None:
                text = layer_node.text if isinstance(layer_node, _Scalar) else None
                if text is None or text.strip().lower() not in LAYER_NAMES:
                    self.warn(
                        "nl.commonground.layerType",
                        layer_key,
                        f"unknown Common Ground layer {text!r}; expected one of "
                        f"{', '.join(Layer.values)}. Ignored",
                    )
        elif commonground is not None:
            result["commonground"] = _plain(commonground)
            self.warn(
                "nl.commonground",
                self.entry(node, "commonground")[0],
                "expected a mapping; ignored",
            )
        gemma = self.entry(node, "gemma")[1]
        if gemma is not None:
            result["gemma"] = _plain(gemma)
        upl_key, upl = self.entry(node, "upl")
        if upl is not None:
            if isinstance(upl, _Seq):
                names = []
                for i, item in enumerate(upl.items):
                    if isinstance(item, _Scalar) and not item.is_null and item.text.strip():
                        names.append(item.text.strip())
                    else:
                        self.warn(
                            f"nl.upl[{i}]",
                            item,
                            "expected the name or URI of a UPL product; ignored",
                        )
                result["upl"] = names
            else:
                self.warn(
                    "nl.upl", upl_key, "expected a list of UPL product names or URIs; ignored"
                )
        known = {"countryExtensionVersion", "apiType", "commonground", "gemma", "upl", "apm"}
        if self.entry(node, "apm")[1] is not None:
            result["apm"] = _plain(self.entry(node, "apm")[1])
        self.unknown_keys(node, "nl", known)
        for key, (_, value) in node.entries.items():
            if key not in known:
                result[key] = _plain(value)
        return result


def _version(root, findings):
    """publiccodeYmlVersion as a string, or None if the file must stop here."""
    key_node, node = root.entries.get("publiccodeYmlVersion", (None, None))
    if node is None or (isinstance(node, _Scalar) and node.is_null):
        findings.append(
            Finding(
                ERROR,
                "publiccodeYmlVersion",
                root.line,
                root.column,
                "publiccodeYmlVersion is a required field",
            )
        )
        return None
    if not isinstance(node, _Scalar):
        findings.append(
            Finding(
                ERROR,
                "publiccodeYmlVersion",
                key_node.line,
                key_node.column,
                "wrong type for this field",
            )
        )
        return None
    version = node.text
    if node.tag != _TAG + "str":
        findings.append(
            Finding(
                WARNING,
                "publiccodeYmlVersion",
                node.line,
                node.column,
                f'publiccodeYmlVersion should be a quoted string ("{version}"); read as '
                f"'{version}'. The reference parser refuses it unquoted",
            )
        )
    if version not in SUPPORTED_VERSIONS:
        findings.append(
            Finding(
                ERROR,
                "publiccodeYmlVersion",
                key_node.line,
                key_node.column,
                f"unsupported version: '{version}'. Supported versions: "
                + ", ".join(SUPPORTED_VERSIONS),
            )
        )
        return None
    if version not in CURRENT_VERSIONS:
        findings.append(
            Finding(
                WARNING,
                "publiccodeYmlVersion",
                key_node.line,
                key_node.column,
                f"v{version} is not the latest version, use '0'. "
                f"Parsing this file as v{LATEST_VERSION}.",
            )
        )
    return version


def validate(source, *, custom_license_ids=None):
    """Validate a publiccode.yml (text or bytes). Never raises.

    custom_license_ids: the custom LicenseRef ids that count as known, as
    licensing.custom_license_ids() returns them; None means none (no database
    needed).
    """
    result = ValidationResult()
    try:
        root, result.findings = _read(source)
        if root is None or (isinstance(root, _Scalar) and root.is_null):
            result.findings.append(
                Finding(
                    ERROR,
                    "publiccodeYmlVersion",
                    None,
                    None,
                    "the file is empty; publiccodeYmlVersion is a required field",
                )
            )
            return result
        if not isinstance(root, _Map):
            what = "a list" if isinstance(root, _Seq) else "a single value"
            result.findings.append(
                Finding(
                    ERROR,
                    "",
                    root.line,
                    root.column,
                    f"the top level must be a mapping of keys to values, not {what}",
                )
            )
            return result
        result.positions = _positions(root)
        result.version = _version(root, result.findings)
        if result.version is None:
            return result
        validator = _Validator(result.findings, custom_license_ids or {})
        result.data = validator.document(root, result.version)
    except _Refused as refusal:
        result.findings.append(refusal.finding)
        result.data = None
    except Exception as exc:  # the promise is a finding, never a crash
        result.findings.append(
            Finding(ERROR, "", None, None, f"could not read the file ({type(exc).__name__}: {exc})")
        )
        result.data = None
    result.findings.sort(key=lambda f: (f.line or 0, f.column or 0))
    return result


# ---------------------------------------------------------------------------
# Mapping onto the catalogue
#
# The rules, where the file and the catalogue do not line up one to one:
#
# - kind: a "design-system" category makes a house style; softwareType
#   "library" a library; "standalone/backend" in the Common Ground services
#   layer (nl.commonground.layerType: services, where the Common Ground model
#   puts its APIs) an API. Everything else is software: an "API" in the name,
#   an apiDocumentation link or nl.apiType do not make a component an API.
# - descriptions: Dutch (nl, or the first nl-* tag) fills the Dutch fields and
#   English (en, en-*) the English ones. Without Dutch, the English texts fill
#   the Dutch fields too, as the Dutch short description is required; without
#   either, the language whose tag sorts first does. other_descriptions keeps every
#   other language whole, and for Dutch and English what is left besides the
#   two texts (features, documentation, ...), so an export loses nothing.
#   Where several tags qualify (nl-BE, nl-NL), the one that sorts first.
# - documentation_url and api_specification_url come from the first
#   documentation and apiDocumentation links, Dutch first.
# - dependsOn: versionMin/versionMax become one range (">=1.2", "<=3",
#   ">=1.2, <=3"); an exact version is kept as it is.


def normalise_repository_url(url):
    """The natural key of a publiccode.yml: no trailing slash or .git, host in lower case."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme and parts.netloc:
        url = parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()
    return url.rstrip("/").removesuffix(".git").rstrip("/")


def _language_tag(descriptions, primary):
    # Sorted, not in file order: other_descriptions is stored as jsonb, which
    # does not keep the order of keys, and an export must import back the same.
    if primary in descriptions:
        return primary
    return next((t for t in sorted(descriptions) if t.split("-")[0].lower() == primary), None)


def _version_range(dependency):
    if dependency.get("version"):
        return dependency["version"]
    low, high = dependency.get("versionMin"), dependency.get("versionMax")
    if low and high:
        return f">={low}, <={high}"
    if low:
        return f">={low}"
    if high:
        return f"<={high}"
    return ""


_RANGE = re.compile(r">=(?P<low>\S+?)(,\s*<=(?P<high>\S+))?|<=(?P<only_high>\S+)")


def _version_keys(version):
    match = _RANGE.fullmatch(version or "")
    if not version:
        return {}
    if match is None:
        return {"version": version}
    if match["only_high"]:
        return {"versionMax": match["only_high"]}
    keys = {"versionMin": match["low"]}
    if match["high"]:
        keys["versionMax"] = match["high"]
    return keys


def _kind(data, layer):
    software_type = data.get("softwareType")
    if "design-system" in data.get("categories", []):
        return ComponentKind.HOUSE_STYLE
    if software_type == "library":
        return ComponentKind.LIBRARY
    if software_type == "standalone/backend" and layer == Layer.SERVICES:
        return ComponentKind.API
    return ComponentKind.SOFTWARE


def _layer(data):
    commonground = (data.get("nl") or {}).get("commonground")
    if isinstance(commonground, dict) and isinstance(commonground.get("layerType"), str):
        return LAYER_NAMES.get(commonground["layerType"].strip().lower(), "")
    return ""


def _text(value):
    # Composed (NFC), so that "e" + a combining diaeresis counts as the one
    # character it is against the model's 150-character limit.
    return unicodedata.normalize("NFC", value).strip()


def to_component_data(result):
    """What a valid publiccode.yml says, in the catalogue's terms. No database access."""
    if not result.ok:
        raise ValueError("only a publiccode.yml without errors can be mapped")
    data = result.data
    descriptions = data["description"]
    nl_tag = _language_tag(descriptions, "nl")
    en_tag = _language_tag(descriptions, "en")
    dutch = descriptions[nl_tag or en_tag or sorted(descriptions)[0]]
    english = descriptions[en_tag] if en_tag else {}
    texts = ("shortDescription", "longDescription")
    other = {}
    for tag, description in descriptions.items():
        if tag in (nl_tag, en_tag):
            extras = {k: v for k, v in description.items() if k not in texts}
            if extras:
                other[tag] = extras
        else:
            other[tag] = {
                key: _text(value) if key in texts else value for key, value in description.items()
            }
    ordered = [descriptions[t] for t in (nl_tag, en_tag) if t]
    ordered += [descriptions[t] for t in sorted(descriptions)]

    def first(key):
        return next((d[key] for d in ordered if d.get(key)), "")

    dependencies, seen = [], set()
    for kind in DependencyKind.values:
        for dependency in (data.get("dependsOn") or {}).get(kind, []):
            if dependency["name"].casefold() in seen:
                continue
            seen.add(dependency["name"].casefold())
            dependencies.append(
                {"name": dependency["name"], "kind": kind, "version": _version_range(dependency)}
            )
    release = None
    if data.get("softwareVersion") and isinstance(data.get("releaseDate"), datetime.date):
        release = {"version": data["softwareVersion"], "release_date": data["releaseDate"]}
    layer = _layer(data)
    return {
        "repository_url": normalise_repository_url(data["url"]),
        "name": _text(data["name"]),
        "kind": _kind(data, layer),
        "short_description": _text(dutch["shortDescription"]),
        "long_description": _text(dutch["longDescription"]),
        "short_description_en": _text(english.get("shortDescription", "")),
        "long_description_en": _text(english.get("longDescription", "")),
        "other_descriptions": other,
        "homepage_url": data.get("landingURL", ""),
        "documentation_url": first("documentation"),
        "api_specification_url": first("apiDocumentation"),
        "development_status": data["developmentStatus"],
        "maintenance_type": data["maintenance"]["type"],
        "layer": layer,
        "categories": list(dict.fromkeys(data.get("categories", []))),
        "license_expression": data["legal"]["license"],
        "release": release,
        "dependencies": dependencies,
        "upl": list(dict.fromkeys((data.get("nl") or {}).get("upl", []))),
        "used_by": list(dict.fromkeys(n.strip() for n in data.get("usedBy", []) if n.strip())),
    }


# ---------------------------------------------------------------------------
# Matching usedBy names to organisations


def fold_name(name):
    """Compare names without case, accents or typographic apostrophes."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(text.casefold().split())


_NAME_PREFIXES = ("gemeente ", "municipality of ")


def _without_prefix(folded):
    for prefix in _NAME_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


class OrganisationMatcher:
    """Finds the organisation a usedBy name means.

    A name matches an organisation's name or one of its aliases, ignoring case
    and accents ("gemeente sudwest-fryslan" is "Gemeente Súdwest-Fryslân"). If
    nothing matches, a leading "Gemeente " or "Municipality of " is left out on
    both sides ("Utrecht" is "Gemeente Utrecht"), but only a single candidate
    counts as a match. A name that fits several organisations matches none.
    """

    def __init__(self, organisations=None):
        from accounts.models import Organisation

        if organisations is None:
            organisations = Organisation.objects.only("pk", "name", "aliases")
        self.exact, self.loose = {}, {}
        for organisation in organisations:
            names = [
                organisation.name,
                *(a for a in organisation.aliases or [] if isinstance(a, str)),
            ]
            for name in names:
                folded = fold_name(name)
                self.exact.setdefault(folded, {})[organisation.pk] = organisation
                self.loose.setdefault(_without_prefix(folded), {})[organisation.pk] = organisation

    def match(self, name):
        """(organisation or None, candidates found)."""
        folded = fold_name(name)
        candidates = self.exact.get(folded) or self.loose.get(_without_prefix(folded)) or {}
        if len(candidates) == 1:
            return next(iter(candidates.values())), 1
        return None, len(candidates)


# ---------------------------------------------------------------------------
# Import


@dataclass
class ImportResult:
    findings: list = field(default_factory=list)
    component: object = None  # the Component; unsaved after a dry run
    created: bool = False
    release: object = None
    claims: list = field(default_factory=list)  # Usage rows created for usedBy names
    matched: list = field(default_factory=list)  # (usedBy name, Organisation)
    unmatched: list = field(default_factory=list)  # usedBy names kept as UnmatchedUser
    dry_run: bool = False
    # Refused because another organisation publishes the repository URL: that one.
    other_publisher: object = None

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ok(self):
        return self.component is not None and not self.errors


_IMPORTED_FIELDS = (
    "repository_url", "name", "kind", "short_description", "long_description",
    "short_description_en", "long_description_en", "other_descriptions", "homepage_url",
    "documentation_url", "api_specification_url", "development_status",
    "maintenance_type", "layer", "categories", "license_expression",
)  # fmt: skip

# Model fields and the key path they come from, to place model validation errors.
_FIELD_PATHS = {
    "name": "name",
    "repository_url": "url",
    "homepage_url": "landingURL",
    "documentation_url": "description",
    "api_specification_url": "description",
    "short_description": "description",
    "short_description_en": "description",
    "license_expression": "legal.license",
    "categories": "categories",
    "development_status": "developmentStatus",
    "maintenance_type": "maintenance.type",
    "layer": "nl.commonground.layerType",
}


class _Importer:
    def __init__(self, validation, data, publisher, actor, result):
        self.validation = validation
        self.data = data
        self.publisher = publisher
        self.actor = actor
        self.result = result

    def finding(self, severity, path, message):
        line, column = self.validation.position(path)
        return Finding(severity, path, line, column, message)

    def refuse(self, path, message):
        raise _Refused(self.finding(ERROR, path, message))

    def warn(self, path, message):
        self.result.findings.append(self.finding(WARNING, path, message))

    def run(self):
        from .models import Component

        data = self.data
        url = data["repository_url"]
        variants = {url, url + "/", url + ".git", url + ".git/"}
        component = (
            Component.objects.select_for_update()
            .select_related("publisher")
            .filter(repository_url__in=variants)
            .first()
        )
        if component is not None and component.publisher_id != self.publisher.pk:
            self.result.other_publisher = component.publisher
            self.refuse(
                "url",
                f"{url} is already registered by {component.publisher.name}; a publiccode.yml "
                "cannot move a component to another publisher",
            )
        created = component is None
        if created:
            component = Component(publisher=self.publisher, slug=self.unique_slug(data["name"]))
        changed = [name for name in _IMPORTED_FIELDS if getattr(component, name) != data[name]]
        for name in changed:
            setattr(component, name, data[name])
        if created or changed:
            try:
                component.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    path = _FIELD_PATHS.get(name, "")
                    for message in messages:
                        self.result.findings.append(self.finding(ERROR, path, message))
                raise _Refused(self.result.findings.pop()) from None
            # Saved only when something changed: importing the same file again
            # (a harvest, say) writes no history.
            self.set_actor(component)
            component.save()
        if created or "license_expression" in changed:
            component.sync_licenses()
        self.result.component, self.result.created = component, created
        self.release(component)
        self.dependencies(component)
        self.upl(component)
        self.used_by(component)

    def set_actor(self, instance):
        from accounts.models import ApiToken

        if isinstance(self.actor, ApiToken):
            instance._history_token = self.actor
        elif isinstance(self.actor, str):
            instance._history_actor = self.actor  # the registry itself, e.g. a harvest
        elif self.actor is not None:
            instance._history_user = self.actor

    def unique_slug(self, name):
        from .models import Component

        base = slugify(name)[:90].strip("-") or "component"
        slug, n = base, 1
        while Component.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def release(self, component):
        from .models import Release

        release = self.data["release"]
        raw = self.validation.data
        if release is None:
            if raw.get("softwareVersion") and not raw.get("releaseDate"):
                self.warn(
                    "softwareVersion",
                    "no release recorded: softwareVersion has no releaseDate to go with it",
                )
            elif raw.get("releaseDate") and not raw.get("softwareVersion"):
                self.warn(
                    "releaseDate",
                    "no release recorded: releaseDate has no softwareVersion to go with it",
                )
            return
        if len(release["version"]) > 100:
            self.refuse("softwareVersion", "softwareVersion is longer than 100 characters")
        existing = Release.objects.filter(component=component, version=release["version"]).first()
        if existing is None:
            existing = Release(component=component, version=release["version"])
        if existing.pk is None or existing.release_date != release["release_date"]:
            existing.release_date = release["release_date"]
            self.set_actor(existing)
            existing.save()
        self.result.release = existing

    def dependencies(self, component):
        from .models import Component, Dependency

        wanted = self.data["dependencies"]
        for dependency in wanted:
            if len(dependency["name"]) > 200 or len(dependency["version"]) > 100:
                self.refuse(
                    f"dependsOn.{dependency['kind']}",
                    f"dependency {dependency['name'][:50]!r}: name over 200 or version over "
                    "100 characters",
                )
        registered = {}
        if wanted:
            folded = {d["name"].lower() for d in wanted}
            for pk, name in (
                Component.objects.annotate(lower_name=Lower("name"))
                .filter(lower_name__in=folded)
                .exclude(pk=component.pk)
                .values_list("pk", "lower_name")
            ):
                registered.setdefault(name, []).append(pk)
        rows, targets = [], set()
        for dependency in wanted:
            candidates = registered.get(dependency["name"].lower(), [])
            target = candidates[0] if len(candidates) == 1 else None
            if target is not None and target in targets:
                continue  # two names for one registered component: keep the first
            targets.add(target)
            rows.append(
                (
                    target,
                    "" if target else dependency["name"],
                    dependency["kind"],
                    dependency["version"],
                )
            )
        existing = list(
            component.dependencies.order_by("pk").values_list(
                "depends_on_id", "name", "kind", "version"
            )
        )
        if existing == rows:
            return
        component.dependencies.all().delete()
        Dependency.objects.bulk_create(
            [
                Dependency(component=component, depends_on_id=t, name=n, kind=k, version=v)
                for t, n, k, v in rows
            ]
        )

    def upl(self, component):
        from .models import CustomerQuestion, UplProduct

        products = []
        for i, value in enumerate(self.data["upl"]):
            if value.startswith(("http://", "https://")):
                product = UplProduct.objects.filter(uri=value).first()
                if product is None:
                    name = value.rstrip("/").rsplit("/", 1)[-1].replace("_", " ")
                    product = UplProduct.objects.create(uri=value, name=name[:200])
            else:
                uri = UPL_BASE_URI + quote(value.replace(" ", "_"), safe="()_-.,'")
                product = (
                    UplProduct.objects.filter(name__iexact=value).first()
                    or UplProduct.objects.filter(uri=uri).first()
                )
                if product is None:
                    if len(value) > 200 or len(uri) > 300:
                        self.refuse(f"nl.upl[{i}]", "UPL product name too long")
                    product = UplProduct.objects.create(uri=uri, name=value)
            products.append(product)
        component.upl_products.set(products)
        if products:
            component.customer_questions.add(
                *CustomerQuestion.objects.filter(upl_products__in=products).distinct()
            )

    def used_by(self, component):
        from .models import UnmatchedUser, Usage

        names = self.data["used_by"]
        matcher = OrganisationMatcher() if names else None
        matched, unmatched = {}, []
        for i, name in enumerate(names):
            organisation, candidates = matcher.match(name)
            if organisation is None:
                if candidates > 1:
                    self.warn(
                        f"usedBy[{i}]",
                        f"'{name}' fits {candidates} organisations; kept as an unmatched name",
                    )
                if len(name) > 300:
                    self.refuse(f"usedBy[{i}]", "a usedBy name is longer than 300 characters")
                unmatched.append(name)
                continue
            self.result.matched.append((name, organisation))
            matched.setdefault(organisation.pk, organisation)
        existing = set(
            Usage.objects.filter(component=component, organisation__in=list(matched)).values_list(
                "organisation_id", flat=True
            )
        )
        now = timezone.now()
        for organisation in matched.values():
            # Never touch a statement that is already there: the organisation's
            # own word (self, confirmed, rejected) outranks a usedBy list.
            if organisation.pk in existing:
                continue
            own = organisation.pk == self.publisher.pk
            usage = Usage(
                organisation=organisation,
                component=component,
                status=UsageStatus.PRODUCTION,
                visibility=Visibility.PUBLIC,
                assertion=Assertion.SELF if own else Assertion.CLAIMED,
                claimed_by=None if own else self.publisher,
                claimed_at=None if own else now,
            )
            self.set_actor(usage)
            usage.save()
            self.result.claims.append(usage)
        UnmatchedUser.objects.filter(component=component).exclude(name__in=unmatched).delete()
        known = set(
            UnmatchedUser.objects.filter(component=component).values_list("name", flat=True)
        )
        UnmatchedUser.objects.bulk_create(
            [UnmatchedUser(component=component, name=n) for n in unmatched if n not in known]
        )
        self.result.unmatched = unmatched


def import_publiccode(text, publisher, *, dry_run=False, actor=None):
    """Validate a publiccode.yml and write it into the catalogue for publisher.

    The repository URL is the natural key: importing the same file again
    updates the component. One transaction; with dry_run everything is rolled
    back and the component returned is unsaved. actor (a user, an API token, or
    a description such as "harvest of <url>") is recorded in the history.
    """
    validation = validate(text, custom_license_ids=licensing.custom_license_ids())
    result = ImportResult(findings=list(validation.findings), dry_run=dry_run)
    if not validation.ok:
        return result
    data = to_component_data(validation)
    importer = _Importer(validation, data, publisher, actor, result)
    try:
        with transaction.atomic():
            importer.run()
            if dry_run:
                transaction.set_rollback(True)
    except _Refused as refusal:
        result.findings.append(refusal.finding)
        result.component, result.created, result.release = None, False, None
        result.claims, result.matched, result.unmatched = [], [], []
        return result
    except IntegrityError as exc:
        result.findings.append(
            importer.finding(ERROR, "url", f"could not be saved, try again ({exc})")
        )
        result.component = None
        return result
    if dry_run:
        _forget_saved(result)
    return result


def _forget_saved(result):
    """After a rolled-back dry run: nothing the result holds exists."""
    if result.created:
        result.component.pk = None
        result.component._state.adding = True
    for usage in result.claims:
        usage.pk = None
        usage._state.adding = True
    if result.release is not None and result.release.pk is not None:
        result.release.pk = None
        result.release._state.adding = True


# ---------------------------------------------------------------------------
# Export
#
# The catalogue has no field for some keys the standard requires; export
# fills them so that the file validates, and says how:
# - platforms: ["web"];
# - maintenance contacts (internal, community): the publisher, by name;
#   a contract: the publisher as contractor until the end of the current year;
# - localisation: not declared ready, the languages of the descriptions;
# - features, when none were imported: the short description;
# - a long description under 150 characters is completed with a sentence
#   saying so; one over 10,000 is cut;
# - url, for a component without a repository: its page in this registry;
# - softwareType from kind: software -> standalone/other, api ->
#   standalone/backend in the services layer, house-style -> library with the
#   design-system category, standard -> configurationFiles.

_SOFTWARE_TYPES = {
    ComponentKind.SOFTWARE: "standalone/other",
    ComponentKind.API: "standalone/backend",
    ComponentKind.LIBRARY: "library",
    ComponentKind.HOUSE_STYLE: "library",
    ComponentKind.STANDARD: "configurationFiles",
}
_COMPLETION = {
    "nl": (
        "Deze beschrijving is door de Componentencatalogus automatisch aangevuld, omdat er "
        "voor dit component nog geen langere beschrijving van minstens 150 tekens is vastgelegd."
    ),
    "en": (
        "This description was completed automatically by the Component Registry, because no "
        "longer description of at least 150 characters has been recorded for this component."
    ),
}


def _complete_long(text, short, language):
    text = text if isinstance(text, str) else ""
    if 150 <= _length(text.strip()) <= 10000:
        return text
    if _length(text.strip()) > 10000:
        return text.strip()[:9990].rstrip() + " …"
    lead = text.strip() or short
    return f"{lead}\n\n{_COMPLETION[language]}" if lead else _COMPLETION[language]


def _is_string_list(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _image_path(value):
    path = urlsplit(value).path if "://" in value else value
    return not value.startswith(("/", "file:")) and path.lower().endswith((".jpg", ".png"))


def _clean_extras(extras):
    """What was kept besides the texts, as far as it is still valid (an edit
    through the API could have put anything there)."""
    checks = {
        "localisedName": lambda v: isinstance(v, str),
        "genericName": lambda v: isinstance(v, str) and _length(v) <= 35,
        "documentation": lambda v: isinstance(v, str) and _is_url(v, http=True),
        "apiDocumentation": lambda v: isinstance(v, str) and _is_url(v, http=True),
        "features": lambda v: _is_string_list(v) and bool(v),
        "screenshots": lambda v: _is_string_list(v) and all(_image_path(i) for i in v),
        "videos": lambda v: _is_string_list(v) and all(_is_url(i, http=True) for i in v),
        "awards": _is_string_list,
    }
    return {key: value for key, value in extras.items() if key in checks and checks[key](value)}


def _description_block(short, long, extras, language, fallback_short):
    if not isinstance(short, str) or not short.strip():
        short = fallback_short
    if _length(short) > 150:
        short = short.strip()[:149] + "…"
    block = {"shortDescription": short}
    block["longDescription"] = _complete_long(long, short.strip(), language)
    block.update(_clean_extras(extras))
    if not block.get("features"):
        block["features"] = [short.strip()]
    return block


def _export_descriptions(component):
    stored = component.other_descriptions if isinstance(component.other_descriptions, dict) else {}
    stored = {tag: d for tag, d in stored.items() if isinstance(d, dict) and _is_language_tag(tag)}
    extras = {tag: d for tag, d in stored.items() if "shortDescription" not in d}
    full = {tag: d for tag, d in stored.items() if "shortDescription" in d}

    def extras_tag(primary):
        return next((t for t in extras if t.split("-")[0].lower() == primary), None)

    blocks = {}
    if component.short_description_en:
        tag = extras_tag("en") or "en"
        blocks[tag] = _description_block(
            component.short_description_en,
            component.long_description_en,
            extras.get(tag, {}),
            "en",
            component.name or component.slug,
        )
    for tag, description in full.items():
        if tag not in blocks:
            blocks[tag] = _description_block(
                description.get("shortDescription"),
                description.get("longDescription"),
                description,
                "nl" if tag.split("-")[0].lower() == "nl" else "en",
                component.name,
            )
    dutch = (
        (component.short_description or "").strip(),
        (component.long_description or "").strip(),
    )
    copy_of_another = any(
        (b.get("shortDescription", "").strip(), b.get("longDescription", "").strip()) == dutch
        for b in blocks.values()
    )
    nl_tag = extras_tag("nl")
    if nl_tag or not copy_of_another or not blocks:
        tag = nl_tag or "nl"
        block = _description_block(
            *dutch, extras.get(tag, {}), "nl", component.name or component.slug
        )
        blocks = {tag: block, **{t: b for t, b in blocks.items() if t != tag}}
    first = next(iter(blocks.values()))
    for field_name, key in (
        ("documentation_url", "documentation"),
        ("api_specification_url", "apiDocumentation"),
    ):
        url = getattr(component, field_name)
        if url and _is_url(url, http=True) and not any(b.get(key) for b in blocks.values()):
            first[key] = url
    return blocks


def _export_used_by(component):
    from .models import UnmatchedUser, Usage

    # Only what everyone may see: a government-only usage stays out of the file.
    names = list(
        Usage.objects.filter(
            component=component,
            visibility=Visibility.PUBLIC,
            assertion__in=[Assertion.SELF, Assertion.CLAIMED, Assertion.CONFIRMED],
            status__in=[UsageStatus.PRODUCTION, UsageStatus.PILOT],
        )
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )
    names += UnmatchedUser.objects.filter(component=component).values_list("name", flat=True)
    return list(dict.fromkeys(names))


def _export_maintenance(component):
    kind = component.maintenance_type
    if kind in (MaintenanceType.INTERNAL, MaintenanceType.COMMUNITY):
        return {"type": str(kind), "contacts": [{"name": component.publisher.name}]}
    if kind == MaintenanceType.CONTRACT:
        until = datetime.date(timezone.localdate().year, 12, 31).isoformat()
        return {
            "type": str(kind),
            "contractors": [{"name": component.publisher.name, "until": until}],
        }
    return {"type": str(MaintenanceType.NONE)}


def _export_dependencies(component):
    result = {}
    for dependency in component.dependencies.select_related("depends_on").order_by("pk"):
        name = dependency.depends_on.name if dependency.depends_on_id else dependency.name
        entry = {"name": name, **_version_keys(dependency.version)}
        result.setdefault(str(dependency.kind), []).append(entry)
    return {kind: result[kind] for kind in DependencyKind.values if kind in result}


def _component_page(component):
    # The canonical (Dutch) page, whatever language the request that exports speaks.
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("component-detail", args=[component.slug])


def export_publiccode(component):
    """The component as a publiccode.yml (text) that validate() accepts without errors."""
    document = {"publiccodeYmlVersion": EXPORT_VERSION, "name": component.name or component.slug}
    document["url"] = component.repository_url or _component_page(component)
    if component.homepage_url and _is_url(component.homepage_url, http=True):
        document["landingURL"] = component.homepage_url
    release = component.releases.order_by("-release_date", "-id").first()
    if release is not None:
        document["softwareVersion"] = release.version
        document["releaseDate"] = release.release_date.isoformat()
    document["platforms"] = ["web"]
    categories = [c for c in component.categories or [] if c in CATEGORIES]
    if component.kind == ComponentKind.HOUSE_STYLE and "design-system" not in categories:
        categories.append("design-system")
    if categories:
        document["categories"] = categories
    used_by = _export_used_by(component)
    if used_by:
        document["usedBy"] = used_by
    document["developmentStatus"] = str(component.development_status)
    document["softwareType"] = _SOFTWARE_TYPES[component.kind]
    document["description"] = _export_descriptions(component)
    document["legal"] = {"license": component.license_expression}
    document["maintenance"] = _export_maintenance(component)
    document["localisation"] = {
        "localisationReady": False,
        "availableLanguages": list(document["description"]),
    }
    depends_on = _export_dependencies(component)
    if depends_on:
        document["dependsOn"] = depends_on
    nl = {}
    layer = component.layer or (Layer.SERVICES if component.kind == ComponentKind.API else "")
    if layer:
        nl["commonground"] = {"layerType": str(layer)}
    upl = list(component.upl_products.order_by("name").values_list("name", flat=True))
    if upl:
        nl["upl"] = upl
    if nl:
        document["nl"] = nl
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
