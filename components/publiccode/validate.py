"""Validating a publiccode.yml: the reference parser's rules, section by section.

`validate()` never raises: whatever the file holds comes back as findings.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from registry.i18n import Message

from .. import licensing
from ..constants import CATEGORIES, SCOPES, Conformance, Layer
from .findings import ERROR, WARNING, Finding, ValidationResult, _Refused
from .reader import _BOOL_TAG, _TAG, _join, _Map, _plain, _positions, _read, _Scalar, _Seq
from .standard import (
    _EMAIL,
    _IPA_CODE,
    _MIME,
    CATEGORIES_URL,
    CURRENT_VERSIONS,
    DEPRECATED_SAFE_TO_DROP,
    DEPRECATED_USE,
    DEVELOPMENT_STATUSES,
    INVALID_URI,
    LATEST_VERSION,
    LAYER_NAMES,
    MAINTENANCE_TYPES,
    SCOPES_URL,
    SOFTWARE_TYPES,
    SUPPORTED_VERSIONS,
    WRONG_TYPE,
    _is_country,
    _is_language_tag,
    _is_url,
    _length,
    _no_items,
    _oneof,
    _parse_date,
    _required,
    _too_long,
)


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
                self.error(full, key_node or mapping, _required(key))
            return None
        if not isinstance(node, kind):
            self.error(full, key_node, WRONG_TYPE)
            return None
        return node

    def string(self, mapping, key, path, *, required=False):
        node = self.value(mapping, key, path, _Scalar, required=required)
        if node is None:
            return None
        if required and node.text == "":
            self.error(_join(path, key), self.entry(mapping, key)[0], _required(key))
            return None
        return node.text

    def boolean(self, mapping, key, path, *, required=False):
        node = self.value(mapping, key, path, _Scalar, required=required)
        if node is None:
            return None
        key_node = self.entry(mapping, key)[0]
        if node.tag != _BOOL_TAG:
            self.error(_join(path, key), key_node, WRONG_TYPE)
            if required:
                self.error(_join(path, key), key_node, _required(key))
            return None
        text = node.text.lower()
        if text not in ("true", "false"):
            self.warn(
                _join(path, key),
                node,
                Message(
                    gettext_noop(
                        "'%(value)s' is a YAML 1.1 boolean; read as %(read)s. Write true or "
                        "false: the reference parser refuses it"
                    ),
                    value=node.text,
                    read="true" if text in ("yes", "on") else "false",
                ),
            )
        return text in ("true", "yes", "on")

    def strings(self, mapping, key, path, *, required=False, non_empty=False):
        """A list of strings; returns [(value, item node, item path)]."""
        node = self.value(mapping, key, path, _Seq, required=required)
        full = _join(path, key)
        if node is None:
            if non_empty and not required:
                self.error(full, self.entry(mapping, key)[0] or mapping, _no_items(key))
            return []
        if non_empty and not node.items:
            self.error(full, self.entry(mapping, key)[0], _no_items(key))
        result = []
        for i, item in enumerate(node.items):
            item_path = f"{full}[{i}]"
            if not isinstance(item, _Scalar) or item.is_null:
                self.error(item_path, item, WRONG_TYPE)
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
                    Message(
                        gettext_noop('unknown field "%(key)s"; kept as it is, not interpreted'),
                        key=key,
                    ),
                )

    # -- checks on values ---------------------------------------------------

    def url(self, mapping, key, path, *, http=True, required=False):
        value = self.string(mapping, key, path, required=required)
        if value is not None and not _is_url(value, http=http):
            if http:
                message = Message(gettext_noop("%(key)s must be an HTTP URL"), key=key)
            else:
                message = Message(gettext_noop("%(key)s must be a valid URL"), key=key)
            self.error(_join(path, key), self.entry(mapping, key)[0], message)
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
                Message(
                    gettext_noop(
                        "%(key)s must be a date with format 'YYYY-MM-DD' (found '%(value)s')"
                    ),
                    key=key,
                    value=node.text,
                ),
            )
            return node.text
        return parsed

    def enum(self, mapping, key, path, choices, *, required=False):
        value = self.string(mapping, key, path, required=required)
        if value is not None and value not in choices:
            self.error(
                _join(path, key),
                self.entry(mapping, key)[0],
                Message(
                    gettext_noop(
                        "%(key)s must be one of the following: %(choices)s (found '%(value)s')"
                    ),
                    key=key,
                    choices=_oneof(choices),
                    value=value,
                ),
            )
        return value

    def email(self, mapping, key, path):
        value = self.string(mapping, key, path)
        if value is not None and not _EMAIL.fullmatch(value):
            self.error(
                _join(path, key),
                self.entry(mapping, key)[0],
                Message(gettext_noop("%(key)s must be a valid email address"), key=key),
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
                path,
                where,
                Message(
                    gettext_noop("is an absolute path. Only relative paths or HTTP(s) URLs allowed")
                ),
            )
        elif value.lower().startswith("file:"):
            self.error(
                path,
                where,
                Message(
                    gettext_noop("is a file:// URL. Only relative paths or HTTP(s) URLs allowed")
                ),
            )
        elif extensions:
            try:
                file_path = urlsplit(value).path
            except ValueError:
                file_path = value
            if not file_path.lower().endswith(extensions):
                self.error(
                    path,
                    where,
                    Message(gettext_noop("invalid file extension for: %(value)s"), value=value),
                )

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
                Message(DEPRECATED_USE, key="logo"),
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
                    self.error(
                        item_path,
                        node,
                        Message(gettext_noop("%(key)s is not a valid MIME type"), key=item_path),
                    )
            data[key] = [value for value, _, _ in items] or None
        platforms = self.strings(root, "platforms", p, non_empty=True)
        data["platforms"] = [value for value, _, _ in platforms]
        categories = self.strings(root, "categories", p)
        for value, node, item_path in categories:
            if value not in CATEGORIES:
                self.error(
                    item_path,
                    node,
                    Message(
                        gettext_noop(
                            "%(key)s must be a valid category, not '%(value)s' (see %(url)s)"
                        ),
                        key=item_path,
                        value=value,
                        url=CATEGORIES_URL,
                    ),
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
                self.error(
                    item_path,
                    where,
                    Message(
                        gettext_noop("%(key)s must be a valid URL (found '%(value)s')"),
                        key=item_path,
                        value=value,
                    ),
                )
        return [value for value, _, _ in items]

    def organisation(self, root):
        node = self.mapping(root, "organisation", "")
        if node is None:
            return None
        name = self.string(node, "name", "organisation", required=True)
        uri = self.string(node, "uri", "organisation")
        if uri is not None and not _is_url(uri):
            self.error("organisation.uri", self.entry(node, "uri")[0], INVALID_URI)
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
                self.error(path, item, WRONG_TYPE)
                continue
            name = self.string(item, "name", path, required=True)
            uri = self.string(item, "uri", path, required=True)
            if uri is not None and not _is_url(uri):
                self.error(f"{path}.uri", self.entry(item, "uri")[0], INVALID_URI)
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
                    Message(
                        gettext_noop(
                            "%(key)s must be a valid scope, not '%(value)s' (see %(url)s)"
                        ),
                        key=label,
                        value=value,
                        url=SCOPES_URL,
                    ),
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
                        Message(
                            gettext_noop(
                                "%(key)s must be a valid ISO 3166-1 alpha-2 two-letter country "
                                "code (found '%(value)s')"
                            ),
                            key=label,
                            value=value,
                        ),
                    )
                elif value != value.upper():
                    self.warn(
                        item_path,
                        item,
                        Message(
                            gettext_noop(
                                "Lowercase country codes are DEPRECATED. Use uppercase instead "
                                "('%(value)s')"
                            ),
                            value=value.upper(),
                        ),
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
            self.error("description", key_node, WRONG_TYPE)
            return None
        if node is None or isinstance(node, _Scalar) or not node.entries:
            self.error("description", key_node or root, _no_items("description"))
            return None
        result = {}
        for tag, (tag_node, desc) in node.entries.items():
            path = f"description.{tag}"
            if not _is_language_tag(tag):
                self.error(
                    path,
                    tag_node,
                    Message(gettext_noop("'%(tag)s' is not a valid BCP 47 language tag"), tag=tag),
                )
            if not isinstance(desc, _Map):
                self.error(path, tag_node, WRONG_TYPE)
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
                    _too_long("genericName", 35),
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
                _too_long("shortDescription", 150, _length(short)),
            )
        result["shortDescription"] = short
        long = self.string(desc, "longDescription", path, required=True)
        if long is not None:
            where = self.entry(desc, "longDescription")[0]
            if _length(long) < 150:
                self.error(
                    f"{path}.longDescription",
                    where,
                    Message(
                        gettext_noop(
                            "%(key)s must be at least %(limit)s characters in length "
                            "(it has %(length)s)"
                        ),
                        key="longDescription",
                        limit=150,
                        length=_length(long),
                    ),
                )
            elif _length(long) > 10000:
                self.error(
                    f"{path}.longDescription",
                    where,
                    _too_long("longDescription", 10000),
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
                self.error(
                    item_path, item, Message(gettext_noop("%(key)s must be an HTTP URL"), key=label)
                )
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
                    Message(
                        gettext_noop(
                            "license must be a valid license (see https://spdx.org/licenses): "
                            "%(reasons)s"
                        ),
                        reasons=Message.from_validation_error(exc),
                    ),
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
                Message(DEPRECATED_USE, key="organisation.name"),
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
                Message(gettext_noop('contractors is a required field when "type" is "contract"')),
            )
        elif kind in MAINTENANCE_TYPES and kind != "contract" and has_contractors:
            self.error(
                "maintenance.contractors",
                contractors_key,
                Message(
                    gettext_noop('contractors must not be present unless "type" is "contract"')
                ),
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
                Message(
                    gettext_noop('contacts is a required field when "type" is "%(kind)s"'),
                    kind=kind,
                ),
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
                self.error(item_path, item, WRONG_TYPE)
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
                    item_path,
                    item,
                    Message(
                        gettext_noop("%(key)s must be a valid BCP 47 language (found '%(value)s')"),
                        key=label,
                        value=value,
                    ),
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
                    self.error(path, item, WRONG_TYPE)
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
                Message(
                    gettext_noop(
                        "Lowercase country codes are DEPRECATED and will be removed in the "
                        "future. Use 'IT' instead"
                    )
                ),
            )
        if upper is not None and lower is not None:
            self.error(
                "it", lower_key, Message(gettext_noop("'IT' key already present. Remove this key"))
            )
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
                Message(
                    gettext_noop(
                        'countryExtensionVersion must be one of the following: "0.2" or "1.0"'
                    )
                ),
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
                    Message(
                        gettext_noop(
                            "codiceIPA must be a valid Italian Public Administration Code (iPA)"
                        )
                    ),
                )
            elif code:
                self.warn(
                    f"{key}.riuso.codiceIPA",
                    where,
                    Message(
                        gettext_noop(
                            "This key is DEPRECATED and will be removed in the future. Use "
                            "'organisation.uri' and set it to 'urn:x-italian-pa:%(code)s' instead"
                        ),
                        code=code,
                    ),
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
                        Message(
                            gettext_noop(
                                "unknown Common Ground layer %(layer)s; expected one of "
                                "%(layers)s. Ignored"
                            ),
                            layer=repr(text),
                            layers=", ".join(Layer.values),
                        ),
                    )
        elif commonground is not None:
            result["commonground"] = _plain(commonground)
            self.warn(
                "nl.commonground",
                self.entry(node, "commonground")[0],
                Message(gettext_noop("expected a mapping; ignored")),
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
                            Message(
                                gettext_noop("expected the name or URI of a UPL product; ignored")
                            ),
                        )
                result["upl"] = names
            else:
                self.warn(
                    "nl.upl",
                    upl_key,
                    Message(gettext_noop("expected a list of UPL product names or URIs; ignored")),
                )
        standards = self.standards(node)
        if standards is not None:
            result["standards"] = standards
        known = {
            "countryExtensionVersion",
            "apiType",
            "commonground",
            "gemma",
            "upl",
            "apm",
            "standards",
        }
        if self.entry(node, "apm")[1] is not None:
            result["apm"] = _plain(self.entry(node, "apm")[1])
        self.unknown_keys(node, "nl", known)
        for key, (_, value) in node.entries.items():
            if key not in known:
                result[key] = _plain(value)
        return result

    def standards(self, node):
        """nl.standards: the standards the software implements, each the name (or
        registry slug) of a standard, or a mapping {name, version, conformance
        (self-declared or tested), evidence (a URL)}. Malformed entries draw a
        warning and are left out; None when the key is absent."""
        key, items = self.entry(node, "standards")
        if items is None:
            return None
        if not isinstance(items, _Seq):
            self.warn("nl.standards", key, Message(gettext_noop("expected a list; ignored")))
            return None
        declared = []
        for i, item in enumerate(items.items):
            path = f"nl.standards[{i}]"
            entry = _plain(item)
            if isinstance(entry, str):
                entry = {"name": entry}
            if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
                self.warn(path, item, Message(gettext_noop("expected a standard's name; ignored")))
                continue
            conformance = str(entry.get("conformance") or "")
            evidence = str(entry.get("evidence") or "")
            if conformance not in ("", *Conformance.values) or (
                evidence and not evidence.startswith(("https://", "http://"))
            ):
                self.warn(
                    path,
                    item,
                    Message(
                        gettext_noop(
                            "conformance is self-declared or tested and evidence an "
                            "http(s) URL; ignored"
                        )
                    ),
                )
                continue
            declared.append(
                {
                    "name": str(entry["name"]).strip(),
                    "version": str(entry.get("version") or "").strip(),
                    "conformance": conformance,
                    "evidence": evidence,
                }
            )
        return declared


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
                _required("publiccodeYmlVersion"),
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
                WRONG_TYPE,
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
                Message(
                    gettext_noop(
                        'publiccodeYmlVersion should be a quoted string ("%(version)s"); read '
                        "as '%(version)s'. The reference parser refuses it unquoted"
                    ),
                    version=version,
                ),
            )
        )
    if version not in SUPPORTED_VERSIONS:
        findings.append(
            Finding(
                ERROR,
                "publiccodeYmlVersion",
                key_node.line,
                key_node.column,
                Message(
                    gettext_noop("unsupported version: '%(version)s'. Supported versions: %(all)s"),
                    version=version,
                    all=", ".join(SUPPORTED_VERSIONS),
                ),
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
                Message(
                    gettext_noop(
                        "v%(version)s is not the latest version, use '0'. Parsing this file as "
                        "v%(latest)s."
                    ),
                    version=version,
                    latest=LATEST_VERSION,
                ),
            )
        )
    return version


def validate(source, *, custom_license_ids=None) -> ValidationResult:
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
                    Message(
                        gettext_noop("the file is empty; publiccodeYmlVersion is a required field")
                    ),
                )
            )
            return result
        if not isinstance(root, _Map):
            if isinstance(root, _Seq):
                what = gettext_noop("the top level must be a mapping of keys to values, not a list")
            else:
                what = gettext_noop(
                    "the top level must be a mapping of keys to values, not a single value"
                )
            result.findings.append(Finding(ERROR, "", root.line, root.column, Message(what)))
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
            Finding(
                ERROR,
                "",
                None,
                None,
                Message(
                    gettext_noop("could not read the file (%(error)s)"),
                    error=f"{type(exc).__name__}: {exc}",
                ),
            )
        )
        result.data = None
    result.findings.sort(key=lambda f: (f.line or 0, f.column or 0))
    return result
