"""Exporting a component as a publiccode.yml that `validate()` accepts without errors.

The catalogue has no field for some keys the standard requires; export
fills them so that the file validates, and says how:
- platforms: ["web"];
- maintenance contacts (internal, community): the publisher, by name;
  a contract: the publisher as contractor until the end of the current year;
- localisation: not declared ready, the languages of the descriptions;
- features, when none were imported: the short description;
- a long description under 150 characters is completed with a sentence
  saying so; one over 10,000 is cut;
- url, for a component without a repository: its page in this registry;
- softwareType from kind: software -> standalone/other, api ->
  standalone/backend in the services layer, house-style -> library with the
  design-system category, standard -> configurationFiles.

dependsOn carries only what the standard means by it: the runtime services
(and hardware) needed to run the component. Code built into it and the
standards it implements are not dependsOn material, so they stay out; the
API gives every dependency with how it is used.
"""

import datetime
from urllib.parse import urlsplit

import yaml
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from registry.links import absolute

from .. import standards
from ..constants import (
    CATEGORIES,
    Assertion,
    ComponentKind,
    DependencyKind,
    DependencyUse,
    Layer,
    MaintenanceType,
    UsageStatus,
    Visibility,
)
from ..models import UnmatchedUser, Usage
from .mapping import _version_keys
from .standard import EXPORT_VERSION, _is_language_tag, _is_url, _length

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
    runs_beside = Q(how_used=DependencyUse.RUNTIME_SERVICE) | Q(kind=DependencyKind.HARDWARE)
    dependencies = component.dependencies.filter(runs_beside).select_related("depends_on")
    for dependency in dependencies.order_by("pk"):
        name = dependency.depends_on.name if dependency.depends_on_id else dependency.name
        entry = {"name": name, **_version_keys(dependency.version)}
        result.setdefault(str(dependency.kind), []).append(entry)
    return {kind: result[kind] for kind in DependencyKind.values if kind in result}


def _component_page(component):
    # The canonical (Dutch) page, whatever language the request that exports speaks.
    with translation.override(settings.LANGUAGE_CODE):
        return absolute(reverse("component-detail", args=[component.slug]))


def _export_standards(component):
    """nl.standards, as the importer reads it: the name alone, or a mapping
    when there is a version, conformance or evidence to say."""
    declared = []
    for d in standards.standards_of(component):
        extra = {
            key: value
            for key, value in (
                ("version", d.version),
                ("conformance", d.conformance),
                ("evidence", d.evidence_url),
            )
            if value
        }
        declared.append({"name": d.depends_on.name, **extra} if extra else d.depends_on.name)
    return declared


def export_publiccode(component) -> str:
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
    declared = _export_standards(component)
    if declared:
        nl["standards"] = declared
    if nl:
        document["nl"] = nl
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
