"""What the publiccode.yml standard says: the versions read, the vocabularies,
and the checks on single values (URLs, language tags, dates) that the
validator and the export share."""

import datetime
import re
import unicodedata
from urllib.parse import urlsplit

import langcodes
import pycountry
from django.utils.translation import gettext_noop

from registry.i18n import Message

from ..constants import Layer

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

# The reference parser's words, each a Message (registry.i18n): English in the
# API, the reader's language on the site. Key paths and values are parameters.
WRONG_TYPE = Message(gettext_noop("wrong type for this field"))
DEPRECATED_USE = gettext_noop(
    "This key is DEPRECATED and will be removed in the future. Use '%(key)s' instead"
)


def _required(key):
    return Message(gettext_noop("%(key)s is a required field"), key=key)


def _no_items(key):
    return Message(gettext_noop("%(key)s must contain more than 0 items"), key=key)


def _too_long(key, limit, length=None):
    if length is None:
        return Message(
            gettext_noop("%(key)s must be a maximum of %(limit)s characters in length"),
            key=key,
            limit=limit,
        )
    return Message(
        gettext_noop(
            "%(key)s must be a maximum of %(limit)s characters in length (it has %(length)s)"
        ),
        key=key,
        limit=limit,
        length=length,
    )


INVALID_URI = Message(gettext_noop("uri is not a valid URI"))
DEPRECATED_SAFE_TO_DROP = Message(
    gettext_noop("This key is DEPRECATED and will be removed in the future. It's safe to drop it")
)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_MIME = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_IPA_CODE = re.compile(r"[A-Za-z0-9_]+")


def _length(text) -> int:
    """Characters as a reader counts them: combining marks do not count.

    The reference parser counts grapheme clusters; leaving out combining marks
    is the same for every text but some emoji sequences.
    """
    return sum(1 for char in unicodedata.normalize("NFC", text) if not unicodedata.combining(char))


def _is_url(value, http=False) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if not parts.scheme or not _SCHEME.fullmatch(parts.scheme) or " " in value.strip():
        return False
    if http:
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    return bool(parts.netloc) or parts.scheme.lower() in ("urn", "mailto")


def _is_language_tag(tag) -> bool:
    # langcodes also accepts "en_US"; BCP 47 has only hyphens.
    return bool(re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", tag)) and langcodes.tag_is_valid(tag)


def _is_country(code) -> bool:
    return len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code) is not None


def _parse_date(text) -> datetime.date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _oneof(values) -> Message:
    """'"a", "b" or "c"', with "or" in the reader's language."""
    quoted = [f'"{v}"' for v in values]
    return Message(
        gettext_noop("%(some)s or %(last)s"), some=", ".join(quoted[:-1]), last=quoted[-1]
    )
