"""Mapping a valid publiccode.yml onto the catalogue's fields. No database access.

The rules, where the file and the catalogue do not line up one to one:

- kind: a "design-system" category makes a house style; softwareType
  "library" a library; "standalone/backend" in the Common Ground services
  layer (nl.commonground.layerType: services, where the Common Ground model
  puts its APIs) an API. Everything else is software: an "API" in the name,
  an apiDocumentation link or nl.apiType do not make a component an API.
- descriptions: Dutch (nl, or the first nl-* tag) fills the Dutch fields and
  English (en, en-*) the English ones. Without Dutch, the English texts fill
  the Dutch fields too, as the Dutch short description is required; without
  either, the language whose tag sorts first does. other_descriptions keeps every
  other language whole, and for Dutch and English what is left besides the
  two texts (features, documentation, ...), so an export loses nothing.
  Where several tags qualify (nl-BE, nl-NL), the one that sorts first.
- documentation_url and api_specification_url come from the first
  documentation and apiDocumentation links, Dutch first.
- dependsOn: versionMin/versionMax become one range (">=1.2", "<=3",
  ">=1.2, <=3"); an exact version is kept as it is. Every entry is a runtime
  service: the standard defines dependsOn as the system-level dependencies
  needed to install and run the software, which must be installed and
  maintained separately (a database, say), and tells authors not to list the
  libraries built into the code.
"""

import datetime
import re
import unicodedata
from urllib.parse import urlsplit

from ..constants import ComponentKind, DependencyKind, DependencyUse, Layer
from .findings import ValidationResult
from .standard import LAYER_NAMES


def normalise_repository_url(url) -> str:
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


def to_component_data(result: ValidationResult) -> dict:
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
                {
                    "name": dependency["name"],
                    "kind": kind,
                    "how_used": DependencyUse.RUNTIME_SERVICE,
                    "version": _version_range(dependency),
                }
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
        # None: the file says nothing about standards (those recorded are kept).
        "standards": (data.get("nl") or {}).get("standards"),
        "used_by": list(dict.fromkeys(n.strip() for n in data.get("usedBy", []) if n.strip())),
    }
