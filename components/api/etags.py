"""ETags and conditional requests, for every endpoint of the API.

Two kinds of strong ETag, both the first 32 hex digits of a SHA-256, quoted:

- a stored resource's (`etag_for`) comes from its stored fields, so a write that
  changes nothing keeps it, and If-Match can be checked before anything is
  rendered (a stale one gets 412 and nothing changes);
- anything else (`etag_of_content`): a list, a computed answer such as the reuse
  check or the licence report, a publiccode.yml, is a hash of what is answered.

A read answers a matching If-None-Match with 304 (`not_modified_or`). Tags are
compared without their W/ prefix, in both headers.
"""

import hashlib
import json

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from registry.api import PreconditionFailed

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("The ETag you read; a stale one gets 412 and nothing changes."),
)


def _quoted_digest(raw):
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def etag_for(instance):
    """The ETag of one stored resource, from its concrete fields."""
    fields = [
        f"{field.attname}={getattr(instance, field.attname)!r}"
        for field in instance._meta.concrete_fields
        # Derived from the other fields, and not shown.
        if field.attname != "search_document"
    ]
    return _quoted_digest("\n".join(fields).encode())


def etag_of_content(content):
    """The ETag of what is answered: the rendered bytes, a text, or data (hashed as
    JSON with sorted keys, so it does not depend on the renderer)."""
    if isinstance(content, bytes):
        return _quoted_digest(content)
    if not isinstance(content, str):
        content = json.dumps(content, sort_keys=True, default=str)
    return _quoted_digest(content.encode())


def with_etag(response, instance):
    response["ETag"] = etag_for(instance)
    return response


def with_content_etag(response, content):
    response["ETag"] = etag_of_content(content)
    return response


def _tags(header):
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def check_if_match(request, instance):
    """412 when If-Match names another version than the one stored."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return
    if etag_for(instance) not in _tags(header):
        raise PreconditionFailed()


def not_modified_or(request, response):
    """304 when the client already has this version, else the response itself."""
    etag = response.get("ETag") if response.status_code == 200 else None
    if etag and etag in _tags(request.headers.get("If-None-Match", "")):
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    return response
