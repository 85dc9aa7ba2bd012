"""The API's JSON: the same bytes as djangorestframework-camel-case's renderer over
DRF's JSONRenderer, written in C (issue 14).

The camel-case renderer rebuilds every dict of a response to rename its keys, one
regular-expression substitution per key, and DRF then encodes it with the json
module: about a tenth of an uncached list's time. Here each distinct key is
renamed once per process (with the package's own pattern and rule, so the names
stay the same), and orjson writes the result. Anything orjson does not write
itself (lazy translations, Decimals, datetimes) goes through DRF's own encoder,
so it reads as before. tests/api/test_renderer.py holds the two to each other
on every answer of the demo catalogue.
"""

from functools import lru_cache

import orjson
from django.utils.encoding import force_str
from django.utils.functional import Promise
from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()
# Datetimes as DRF writes them (milliseconds, "Z"), not as orjson would.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


@lru_cache(maxsize=4096)
def camel(key: str) -> str:
    return camelize_re.sub(underscore_to_camel, key) if "_" in key else key


def _key(key):
    if isinstance(key, Promise):
        key = force_str(key)
    return camel(key) if isinstance(key, str) else key


def camelize(data):
    """djangorestframework_camel_case.util.camelize without options (the API uses
    none): every dict's keys renamed, all the way down."""
    if isinstance(data, dict):
        return {_key(key): camelize(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [camelize(item) for item in data]
    if isinstance(data, str | bytes | int | float | bool | None):
        return data
    if isinstance(data, Promise):
        return force_str(data)
    if hasattr(data, "__iter__"):  # sets, generators, querysets: as the package does
        return [camelize(item) for item in data]
    return data


class JSONRenderer(CamelCaseJSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            # Pretty printing on request (Accept: application/json; indent=2): rare.
            return super().render(data, accepted_media_type, renderer_context)
        body = orjson.dumps(camelize(data), default=_ENCODER.default, option=_OPTIONS)
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            # As DRF does: JSON that is also a strict JavaScript subset.
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body
