"""One JSON line per request, W3C trace context, and the request metrics.

RequestContextMiddleware, near the top of the chain:
- takes the trace id from an incoming `traceparent` header (W3C Trace
  Context) or makes one, and a span id of its own for this request; both are
  bound (with a request id) to every log line written while the request runs,
  and outgoing calls made meanwhile carry them on (`outgoing_headers()`);
- answers with `X-Request-ID` and `traceparent` (our span as the parent);
- with OpenTelemetry tracing on (registry/tracing.py), takes the ids of the
  span OpenTelemetry starts for the request instead (`adopt()`), so the log
  lines, the answer and the exported span name one trace, not two;
- writes one line per request to the `registry.requests` logger: method,
  path, route, status, duration, the user or API token and the organisation;
- counts the request and its duration for Prometheus, by route (the URL
  pattern's name, the same in Dutch and English) and status.

structlog renders the lines (JSON with LOG_FORMAT=json, the production
setting; readable text on a laptop); logs of Django and the libraries go
through the same renderer (settings.LOGGING).
"""

import contextvars
import re
import secrets
import time
import uuid

import structlog
from prometheus_client import Counter, Histogram

requests_total = Counter(
    "registry_http_requests",
    "HTTP requests answered, by method, route and status.",
    ["method", "route", "status"],
)
request_seconds = Histogram(
    "registry_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
logger = structlog.get_logger("registry.requests")
# W3C trace-flags of the trace bound now: "01" (sampled) unless OpenTelemetry
# decided not to record it; kept out of the log lines.
_trace_flags = contextvars.ContextVar("trace_flags", default="01")


def parse_traceparent(value):
    """(trace id, parent span id, flags) of a valid version-00 header, else None."""
    found = TRACEPARENT.match((value or "").strip().lower())
    if not found:
        return None
    trace_id, parent_id, flags = found.groups()
    if trace_id == "0" * 32 or parent_id == "0" * 16:
        return None  # all-zero ids are invalid (W3C Trace Context, 3.2.2)
    return trace_id, parent_id, flags


def outgoing_headers():
    """The trace context for a call this process makes (webhooks, harvests)."""
    context = structlog.contextvars.get_contextvars()
    if "trace_id" not in context:
        return {}
    return {"traceparent": f"00-{context['trace_id']}-{context['span_id']}-{_trace_flags.get()}"}


def adopt(trace_id, span_id, sampled=True, request=None, parent_span_id=None):
    """Bind an OpenTelemetry span's ids to the log lines (and the request's
    answer and log line, when there is a request) in place of our own."""
    structlog.contextvars.bind_contextvars(trace_id=trace_id, span_id=span_id)
    _trace_flags.set("01" if sampled else "00")
    if request is not None:
        request.trace_id, request.span_id = trace_id, span_id
        if parent_span_id:
            request.parent_span_id = parent_span_id


def route_of(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


def actor_of(request):
    """(user, token, organisation) as they appear in the logs and the audit log."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return None, f"{token.key_prefix}… ({token.name})", token.organisation.slug
    user = getattr(request, "user", None)
    organisation = None
    match = getattr(request, "resolver_match", None)
    if match is not None:
        organisation = match.kwargs.get("organisation")
    if user is not None and user.is_authenticated:
        return user.get_username(), None, organisation
    return None, None, organisation


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = parse_traceparent(request.headers.get("traceparent"))
        trace_id = incoming[0] if incoming else secrets.token_hex(16)
        span_id = secrets.token_hex(8)
        request.request_id = uuid.uuid4().hex
        request.trace_id, request.span_id = trace_id, span_id
        request.parent_span_id = incoming[1] if incoming else None
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            request_id=request.request_id, trace_id=trace_id, span_id=span_id
        )
        flags = _trace_flags.set("01")
        try:
            # With tracing on, OpenTelemetry's middleware (next in the chain)
            # starts the request's span and adopt()s its ids.
            response = self.get_response(request)
            trace_flags = _trace_flags.get()
        finally:
            structlog.contextvars.clear_contextvars()
            _trace_flags.reset(flags)
        trace_id, span_id = request.trace_id, request.span_id
        duration = time.perf_counter() - started
        response["X-Request-ID"] = request.request_id
        response["traceparent"] = f"00-{trace_id}-{span_id}-{trace_flags}"
        route = route_of(request)
        requests_total.labels(request.method, route, str(response.status_code)).inc()
        request_seconds.labels(request.method, route).observe(duration)
        user, token, organisation = actor_of(request)
        logger.info(
            "request",
            request_id=request.request_id,
            trace_id=trace_id,
            span_id=span_id,
            parent_span_id=request.parent_span_id,
            method=request.method,
            path=request.path,
            route=route,
            status=response.status_code,
            duration_ms=round(duration * 1000, 2),
            user=user,
            token=token,
            organisation=organisation,
        )
        return response
