"""Which language speaks where.

The website is Dutch at / and English under /en/ (i18n_patterns without a
prefix for the default language). That setting makes LocaleMiddleware use
LANGUAGE_CODE for every path without a prefix, also for the API and the feeds,
which are no site pages. The API is documented in English and speaks English
throughout, whatever the client's Accept-Language (a Dutch title over an
English detail confused its users). The feeds choose by Accept-Language (Dutch
when the client states nothing). The OpenAPI document is generated in English,
so the committed openapi.yaml does not change with the Dutch catalogue.
"""

import functools
import re

from django.utils import formats, translation
from django.utils.functional import Promise

NEGOTIATED = ("/feeds/",)
ENGLISH_ONLY = ("/api/",)


class NegotiatedLanguageMiddleware:
    """Put after LocaleMiddleware: the API in English, feeds by Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if request.path.startswith(ENGLISH_ONLY):
            language = "en"
        elif request.path.startswith(NEGOTIATED):
            language = translation.get_language_from_request(request, check_path=False)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def english_schema(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: generate the schema in English, also from
    `manage.py spectacular`, which would otherwise use LANGUAGE_CODE (Dutch)."""
    translation.activate("en")
    return endpoints


class Message:
    """A message that is put into words when it is read, not when it is made: its
    English template (the msgid in the catalogue) and its parameters.

    For what the registry finds while nobody is reading (a harvest in the
    worker, a publiccode.yml checked for the API) and shows later, to a Dutch or
    an English reader: str() speaks the active language, english() the API's,
    and as_data()/from_data() keep it in a JSON field as msgid and parameters
    rather than as words in one language. Parameters are kept as they are (key
    paths, values from the file); a parameter that is itself a Message, or a list
    of them, is put into words too. Mark each template with gettext_noop so that
    makemessages finds it.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid, /, **params):
        self.msgid = str(msgid)
        self.params = {name: _param(value) for name, value in params.items()}

    def __str__(self) -> str:
        text = translation.gettext(self.msgid)
        if not self.params:
            return text
        return text % {
            # A number for %(n)d stays a number; for %(n)s it is written the
            # reader's way (1,048,576 or 1.048.576).
            name: value if f"%({name})d" in text else _words(value)
            for name, value in self.params.items()
        }

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"

    def __eq__(self, other) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.msgid, self.params) == (other.msgid, other.params)

    def __hash__(self) -> int:
        return hash(self.msgid)

    def english(self) -> str:
        with translation.override("en"):
            return str(self)

    def as_data(self) -> dict:
        return {"msgid": self.msgid, "params": {k: _data(v) for k, v in self.params.items()}}

    @classmethod
    def from_data(cls, data) -> "Message":
        return cls(data["msgid"], **{k: _from_data(v) for k, v in data.get("params", {}).items()})

    @classmethod
    def recognise(cls, text, templates) -> "Message | None":
        """The Message among `templates` (msgids) whose English words `text` is,
        with its parameters read back; None when none fits. For text that was
        stored as English words (a webhook delivery's error), to show it in the
        reader's language after all."""
        for msgid in templates:
            pattern = _pattern(msgid)
            match = pattern.fullmatch(text or "")
            if match:
                return cls(msgid, **match.groupdict())
        return None

    @classmethod
    def from_validation_error(cls, error) -> list["Message"]:
        """The messages of a Django ValidationError (a validator's, a model
        field's): each by its English template and parameters, so that Django's
        own catalogue puts it into the reader's language later."""
        found = []
        for item in error.error_list:
            params = dict(item.params or {})
            with translation.override("en"):
                msgid = str(item.message)
                if not msgid:  # a plural, counted by one of the parameters: kept in English
                    msgid, params = str(item.message % params), {}
            found.append(cls(msgid, **params))
        return found


@functools.cache
def _pattern(msgid):
    """A msgid as a regular expression: each %(name)s a named group."""
    parts = re.split(r"%\((\w+)\)[sd]", msgid)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(regex.replace("%%", "%"), re.S)


def _param(value):
    """A parameter as it can be kept in JSON; a lazy translation stays one."""
    if isinstance(value, Promise):
        with translation.override("en"):
            return Message(str(value))
    if isinstance(value, list | tuple):
        return [_param(v) for v in value]
    if value is None or isinstance(value, Message | str | int | float):
        return value
    return str(value)


def _words(value):
    if isinstance(value, Message):
        return str(value)
    if isinstance(value, list | tuple):
        return " ".join(str(_words(v)) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number_format(value, force_grouping=True)
    return value


def _data(value):
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, list | tuple):
        return [_data(v) for v in value]
    return value


def _from_data(value):
    if isinstance(value, dict) and "msgid" in value:
        return Message.from_data(value)
    if isinstance(value, list):
        return [_from_data(v) for v in value]
    return value
