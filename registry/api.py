"""What every endpoint of the API shares: problem+json errors (RFC 9457), the
API-Version header, bearer-token authentication, pagination, body limits,
rate limits, and the 412 answer to a stale If-Match (conditional requests
themselves: components/api/etags.py)."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import DatabaseError, IntegrityError
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken
from registry.security import client_address

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


def to_camel(name):
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), str(name))


# --- errors ---------------------------------------------------------------


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The resource changed since you read it; fetch it again and retry.")
    default_code = "precondition_failed"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(
            _("The request body is larger than %(n)d bytes.") % {"n": settings.API_MAX_BODY_BYTES}
        )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the resource.")
    default_code = "conflict"


TITLES = {
    400: _("Invalid request"),
    401: _("Authentication required"),
    403: _("Forbidden"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    412: _("Precondition failed"),
    413: _("Payload too large"),
    415: _("Unsupported media type"),
    429: _("Too many requests"),
    500: _("Internal server error"),
    503: _("Service unavailable"),
}


def flatten_errors(detail, prefix=""):
    """Serializer errors → [{name, reason}] with camelCase dotted paths."""
    params = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = to_camel(key) if key != "non_field_errors" else "nonFieldErrors"
            params += flatten_errors(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            params += [{"name": prefix or "body", "reason": str(item)} for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    params += flatten_errors(item, f"{prefix}.{index}")
    else:
        params.append({"name": prefix or "body", "reason": str(detail)})
    return params


def problem(status_code, detail, *, invalid_params=None, title=None, request=None):
    body = {
        "type": f"https://httpstatuses.io/{status_code}",
        "title": str(title or TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": str(detail),
    }
    if request is not None:
        body["instance"] = request.get_full_path()
    if invalid_params:
        body["invalidParams"] = invalid_params
    return body


def exception_handler(exc, context):
    """Every error the API gives is application/problem+json."""
    # Imported here: rest_framework.views imports the authentication classes of
    # this module through the settings, so a top-level import would be circular.
    from rest_framework.views import exception_handler as drf_exception_handler

    request = context.get("request")
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("No such resource."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    invalid_params = None
    if isinstance(exc, exceptions.ValidationError):
        invalid_params = flatten_errors(exc.detail)
        detail = _("The request has %(n)d invalid parameter(s); see invalidParams.") % {
            "n": len(invalid_params)
        }
    elif isinstance(exc.detail, (list, dict)):
        detail = "; ".join(p["reason"] for p in flatten_errors(exc.detail))
    else:
        detail = exc.detail
    body = problem(response.status_code, detail, invalid_params=invalid_params, request=request)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(request, status_code, detail):
    """A problem+json answer outside DRF (404 for unknown API paths, 500)."""
    body = problem(status_code, detail, request=request)
    return JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


# --- middleware -----------------------------------------------------------


class ApiMiddleware:
    """API-Version on every API response; oversized bodies refused before parsing;
    database trouble answered as 503 problem+json instead of a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.API_MAX_BODY_BYTES:
            response = problem_response(request, 413, PayloadTooLarge().detail)
        else:
            response = self.get_response(request)
        response["API-Version"] = settings.API_VERSION
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, IntegrityError):
            # Two writers raced for the same unique thing; the loser is told so.
            return problem_response(
                request, 409, _("The request conflicts with a change made at the same time.")
            )
        if isinstance(exception, DatabaseError) and _lost_a_race(exception):
            # Concurrent writers on the same rows: PostgreSQL broke a deadlock or
            # refused a serialization by failing one of them. Retrying is the
            # client's call, as after a 412; the service itself is fine.
            logger.warning("%s on %s %s", exception, request.method, request.path)
            return problem_response(
                request, 409, _("The request conflicts with a change made at the same time.")
            )
        if isinstance(exception, DatabaseError):
            logger.error("database error on %s %s", request.method, request.path, exc_info=True)
            return problem_response(request, 503, _("The database is not available; try again."))
        return None


# SQLSTATE of a transaction that lost to a concurrent one: serialization_failure,
# deadlock_detected.
RACE_SQLSTATES = frozenset({"40001", "40P01"})


def _lost_a_race(exception):
    cause = exception.__cause__ or exception
    return getattr(cause, "sqlstate", None) in RACE_SQLSTATES


# --- authentication and permissions ---------------------------------------


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _sep, key = header.partition(" ")
        if scheme.lower() != self.keyword.lower() or not key.strip():
            raise exceptions.AuthenticationFailed(_("Use 'Authorization: Bearer <token>'."))
        token = ApiToken.find_active(key.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        now = timezone.now()
        # Record use at most once a minute: a write per request would cost more than it tells.
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # simple-history reads this from the Django request to credit the change.
        request._request.api_token = token
        # No user: the token (request.auth) is the credential, its organisation the actor.
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class TokenRequired(BasePermission):
    """Writes need an organisation's token. Reads are public, except in a view that
    sets `public_reads = False` (what only its organisation may see: webhooks,
    harvest sources)."""

    message = _("An organisation token is needed.")

    def has_permission(self, request, view):
        if isinstance(request.auth, ApiToken):
            return True
        return getattr(view, "public_reads", True) and request.method in SAFE_METHODS


def token_organisation(request):
    return request.auth.organisation if isinstance(request.auth, ApiToken) else None


# --- pagination -----------------------------------------------------------


class Pagination(PageNumberPagination):
    page_size = settings.API_PAGE_SIZE
    max_page_size = settings.API_MAX_PAGE_SIZE
    page_query_param = "page"
    page_size_query_param = "pageSize"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    "pageSize": [
                        _("Must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1})
        return parameters


# --- rate limits ----------------------------------------------------------


class WindowRateThrottle(SimpleRateThrottle):
    """A fixed window per client, counted with one atomic increment.

    DRF's own throttle reads a list of timestamps, appends and writes it back:
    eight clients at once all read the same list, so 660 of 660 requests got
    through a 600/minute limit. An increment in the shared cache (Redis INCR)
    cannot lose a count. Should the cache be down, requests are let through
    rather than refused: the limit protects the service, it must not stop it.
    """

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.wait_seconds = self.duration - (now % self.duration)
        key = f"{self.key}:{window}"
        try:
            self.cache.add(key, 0, timeout=int(self.duration) + 1)
            count = self.cache.incr(key)
        except Exception:  # the cache is unreachable: degrade, do not fail
            logger.warning("rate limit not counted: the cache is unavailable", exc_info=True)
            return True
        return count <= self.num_requests

    def wait(self):
        return self.wait_seconds


class AnonymousRateThrottle(WindowRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRateThrottle(WindowRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


# --- parsing --------------------------------------------------------------


class LimitedJSONParser(CamelCaseJSONParser):
    """camelCase JSON in, snake_case inside; a body over the limit is refused."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise PayloadTooLarge() from None
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None
