"""OpenAPI generation tuned to the NL API Design Rules: every answer carries
API-Version, every error is documented as application/problem+json, and every
operation documents the errors it can give.

The document must tell the truth about the served API: tests/api/test_schemathesis.py
sends it generated requests, anonymous and with a token, and fails on any answer
(status, content type, body) the document does not promise. So a public read says
a token is optional, and every status the API really gives is listed."""

import copy

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework.permissions import SAFE_METHODS

from components.api.serializers import StrictSerializerMixin
from registry.api import TokenRequired

PROBLEM = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "What kind of problem."},
        "title": {"type": "string", "description": "Short summary of the problem."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, for this request."},
        "instance": {"type": "string", "description": "The path of the request."},
        "findings": {
            "type": "array",
            "description": (
                "For a refused publiccode.yml: every error and warning in the file, with "
                "severity, key path, line, column and message."
            ),
            "items": {"$ref": "#/components/schemas/Finding"},
        },
        "invalidParams": {
            "type": "array",
            "description": "For validation errors: each invalid field or parameter.",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {
                    "name": {
                        "type": "string",
                        "description": "camelCase path of the field, e.g. 'dependencies.0.name'.",
                    },
                    "reason": {"type": "string", "description": "Why it is invalid."},
                },
            },
        },
    },
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: see invalidParams.",
    "401": "A write without a valid, unexpired, unrevoked token.",
    "403": "The token's organisation may not do this.",
    "404": "No such resource (or not visible to you).",
    "406": "The requested representation is not available.",
    "409": (
        "Conflicts with the current state: the thing exists already, or a write made "
        "at the same time took it first."
    ),
    "412": "The If-Match ETag is stale; nothing changed.",
    "413": "The body is larger than 1 MB.",
    "415": "The body is not in an accepted media type (JSON; YAML for a publiccode.yml).",
    "429": "Rate limit exceeded; see Retry-After.",
    "500": "Something failed on our side.",
    "503": "Temporarily unavailable.",
}

API_VERSION_HEADER = {
    "description": "The full semver version of the API that answered.",
    "schema": {"type": "string", "example": settings.API_VERSION},
}
ETAG_HEADER = {
    "description": "Version of the resource; send it back in If-Match to change it.",
    "schema": {"type": "string"},
}
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer"},
}


class AutoSchema(BaseAutoSchema):
    def get_operation_id(self):
        return super().get_operation_id().replace("_", "-")

    def get_auth(self):
        """A read that TokenRequired lets through without a token has an empty
        security requirement beside the token: the token is optional there."""
        auths = super().get_auth()
        public = self.method in SAFE_METHODS and any(
            isinstance(permission, TokenRequired)
            and permission.has_permission(_Anonymous(self.method), self.view)
            for permission in self.view.get_permissions()
        )
        if public and {} not in auths:
            auths.append({})
        return auths

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        serializer = force_instance(serializer)
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(serializer, StrictSerializerMixin)
            and "properties" in schema
        ):
            # A write body with a field the serializer does not know is a 400.
            schema["additionalProperties"] = False
        return schema


class _Anonymous:
    """Just enough of a request for TokenRequired: no token, this method."""

    auth = None

    def __init__(self, method):
        self.method = method


def errors_for(method, path, operation):
    codes = {"404", "406", "429", "500", "503"}
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    if method in ("post", "put", "patch", "delete"):
        codes |= {"400", "401", "403"}
    if method in ("put", "patch", "delete") or path.endswith(("/confirm", "/reject")):
        codes |= {"412"}
    if method in ("post", "put", "patch"):
        codes |= {"413", "415"}
    if method in ("post", "put", "patch"):
        # Some writes check for a clash themselves (a second usage, a webhook URL you
        # already have, a claim already answered); for any other, the database's
        # unique constraints answer a clash, also between two writes at once, with
        # 409 (registry.api.ApiMiddleware).
        codes |= {"409"}
    if method == "get" and (has_query or "{" in path):
        codes |= {"400"}
    if method == "get":
        # A read with a bad token is refused too, rather than silently anonymous.
        codes |= {"401"}
    return codes


# A PUT creates what is not there yet (ComponentViewSet.update and
# ReleaseViewSet.update in components/api/views.py) and then answers 201.
PUT_CREATES = {"/components/{slug}", "/components/{component_slug}/releases/{version}"}

NUMBERED = {
    "usages": "usage",
    "webhooks": "webhook subscription",
    "harvest-sources": "harvest source",
}


def _numeric_ids_are_integers(path, operation):
    """The API's router matches numeric ids with [0-9]+ (components/api/urls.py);
    drf-spectacular would call such a parameter a string with a pattern. It is
    the resource's integer id."""
    resource = NUMBERED.get(path.strip("/").split("/")[0], "resource")
    parameters = operation.get("parameters", [])
    for index, parameter in enumerate(parameters):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "path" and schema.get("pattern") == "^[0-9]+$":
            parameters[index] = {
                "in": "path",
                "name": parameter["name"],
                "schema": {"type": "integer"},
                "description": f"A unique integer value identifying this {resource}.",
                "required": True,
            }


def add_problems_and_headers(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            _numeric_ids_are_integers(path, operation)
            responses = operation.setdefault("responses", {})
            if method == "put" and path in PUT_CREATES and "200" in responses:
                created = copy.deepcopy(responses["200"])
                created["description"] = "Created: there was none at this address yet."
                responses.setdefault("201", created)
            for code in sorted(errors_for(method, path, operation)):
                responses.setdefault(code, {})
            operation["responses"] = responses = dict(sorted(responses.items()))
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    response["description"] = ERROR_DESCRIPTIONS.get(code, "Error.")
                    response["content"] = {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    }
                    headers = {"API-Version": API_VERSION_HEADER}
                    if code == "429":
                        headers["Retry-After"] = RETRY_AFTER_HEADER
                    response["headers"] = headers
                else:
                    headers = response.setdefault("headers", {})
                    headers["API-Version"] = API_VERSION_HEADER
                    if "{" in path and method != "delete" and code.startswith("2"):
                        headers["ETag"] = ETAG_HEADER
    return result


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "registry.api.BearerTokenAuthentication"
    name = "organisationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An organisation's API token (manage.py create_token, or the site). "
                "Needed for writes and to read your own webhooks and harvest sources; "
                "other reads are public, and show more of what your organisation may see "
                "with a token."
            ),
        }
