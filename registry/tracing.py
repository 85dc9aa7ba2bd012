"""OpenTelemetry tracing: off unless the environment switches it on.

Off (the default), nothing of OpenTelemetry is imported, no thread is started
and nothing is sent; the W3C trace context of the log lines and answers
(registry/observability.py) works all the same.

On, with the standard variables of the OpenTelemetry SDK:
- OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): where
  the collector listens (OTLP over HTTP, protobuf: `http://collector:4318`);
  setting it switches tracing on;
- OTEL_TRACES_EXPORTER: `otlp`, `console` (spans printed to standard output,
  for a laptop) or `none`; setting it to `otlp` or `console` switches tracing
  on (the endpoint then defaults to http://localhost:4318), `none` keeps it off;
- OTEL_SDK_DISABLED=true keeps it off whatever else is set;
- OTEL_SERVICE_NAME (default `component-registry`), OTEL_RESOURCE_ATTRIBUTES,
  OTEL_TRACES_SAMPLER(_ARG), OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_* and
  OTEL_PYTHON_DJANGO_EXCLUDED_URLS are read by the SDK as documented there.
Only OTLP over HTTP is installed: OTEL_EXPORTER_OTLP_PROTOCOL=grpc is refused
at start with a clear error, as is an exporter we do not have.

What is traced:
- web: a span per request (OpenTelemetry's Django middleware, right after
  RequestContextMiddleware), named after the route (`GET api/v1/components/
  <slug:slug>`, also in `http.route`), continuing an incoming `traceparent`;
  its trace and span ids are the ones in the log lines and the answer's
  `traceparent` (observability.adopt). The probes and /metrics, answered
  before, are not traced; neither are static files, unless
  OTEL_PYTHON_DJANGO_EXCLUDED_URLS says otherwise.
- worker (`manage.py db_worker`): a span per task run.
- both: a span per PostgreSQL query (psycopg) and Redis command, as children
  of the request's or task's span. Queries made outside a request or task
  (the queue's polling every second, the readiness probe's SELECT 1) are not
  recorded: they would be a root span each, all day long.

The SDK starts a thread (BatchSpanProcessor) that does not survive fork(), so
gunicorn's config calls setup() in each worker after the fork (post_fork) and
shutdown() as it exits; registry/wsgi.py calls it too for other servers (once
per process: a second call does nothing).
"""

import os

SERVICE_NAME = "component-registry"
EXPORTERS = ("otlp", "console")
_provider = None
_task_span = None  # (span, context token) of the task the worker is running


def exporters(environ=None):
    """The span exporters the environment asks for: [] when tracing is off.

    Raises ValueError, in the operator's words, for a setting we cannot honour.
    Imports nothing of OpenTelemetry."""
    environ = os.environ if environ is None else environ
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    names = [
        name.strip().lower()
        for name in environ.get("OTEL_TRACES_EXPORTER", "").split(",")
        if name.strip()
    ]
    if not names and (
        environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    ):
        names = ["otlp"]
    names = [name for name in names if name != "none"]
    unknown = [name for name in names if name not in EXPORTERS]
    if unknown:
        raise ValueError(
            f"OTEL_TRACES_EXPORTER: {', '.join(unknown)} is not available here;"
            " use otlp (OTLP over HTTP), console or none"
        )
    protocol = (
        environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    ).strip()
    if "otlp" in names and protocol != "http/protobuf":
        raise ValueError(
            f"OTEL_EXPORTER_OTLP_PROTOCOL: {protocol} is not available here;"
            " the registry sends OTLP over HTTP (http/protobuf, port 4318)"
        )
    return names


def enabled():
    return _provider is not None


def setup(role="web"):
    """Start tracing in this process if the environment asks for it.

    role: "web" (requests, via Django's middleware chain: call this before the
    WSGI application is loaded) or "worker" (task runs). Returns whether
    tracing is on."""
    global _provider
    if _provider is not None:
        return True
    names = exporters()
    if not names:
        return False
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"registry.process": role})
    if resource.attributes.get("service.name", "").startswith("unknown_service"):
        resource = resource.merge(Resource({"service.name": SERVICE_NAME}))
    # The sampler the environment names (OTEL_TRACES_SAMPLER), as the SDK reads it.
    configured = TracerProvider(shutdown_on_exit=False).sampler
    provider = TracerProvider(resource=resource, sampler=_within_work(configured))
    for name in names:
        provider.add_span_processor(BatchSpanProcessor(_exporter(name)))
    trace.set_tracer_provider(provider)
    _provider = provider

    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    PsycopgInstrumentor().instrument()
    RedisInstrumentor().instrument()
    if role == "web":
        _instrument_django()
    else:
        _trace_tasks()
    return True


def shutdown():
    """Send the spans still queued (gunicorn's worker_exit, the worker's end)."""
    if _provider is not None:
        _provider.shutdown()


def _exporter(name):
    if name == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def _within_work(configured):
    """The configured sampler, except that a database or Redis call made
    outside a request or task (no parent span) is dropped."""
    from opentelemetry import trace
    from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult

    class WithinWork(Sampler):
        def should_sample(self, parent_context, trace_id, name, kind=None, *args, **kwargs):
            parent = trace.get_current_span(parent_context).get_span_context()
            if kind == trace.SpanKind.CLIENT and not parent.is_valid:
                return SamplingResult(Decision.DROP)
            return configured.should_sample(parent_context, trace_id, name, kind, *args, **kwargs)

        def get_description(self):
            return f"WithinWork{{{configured.get_description()}}}"

    return WithinWork()


def _instrument_django():
    from django.conf import settings
    from opentelemetry.instrumentation.django import DjangoInstrumentor

    # Right after RequestContextMiddleware: the probes and /metrics (answered
    # before it) stay untraced, a request with a host we refuse still gets its
    # log line, and the request's span is started before anything else runs.
    position = list(settings.MIDDLEWARE).index("registry.observability.RequestContextMiddleware")
    excluded = None  # OTEL_PYTHON_DJANGO_EXCLUDED_URLS / OTEL_PYTHON_EXCLUDED_URLS
    if not (
        os.environ.get("OTEL_PYTHON_DJANGO_EXCLUDED_URLS")
        or os.environ.get("OTEL_PYTHON_EXCLUDED_URLS")
    ):
        excluded = f"{settings.STATIC_URL}"
    DjangoInstrumentor().instrument(
        middleware_position=position + 1,
        excluded_urls=excluded,
        request_hook=_on_request,
        response_hook=_on_response,
    )


def _ids(span):
    context = span.get_span_context()
    return format(context.trace_id, "032x"), format(context.span_id, "016x"), context.trace_flags


def _on_request(span, request):
    """OpenTelemetry's request span is the request's trace: its ids go into the
    log lines and the answer in place of the ones RequestContextMiddleware made."""
    from registry.observability import adopt

    trace_id, span_id, flags = _ids(span)
    parent = getattr(span, "parent", None)  # an SDK span; None for a new trace
    adopt(
        trace_id,
        span_id,
        sampled=flags.sampled,
        request=request,
        parent_span_id=format(parent.span_id, "016x") if parent else None,
    )


def _on_response(span, request, response):
    """The route's name too, as the logs and metrics call it (`component-detail`)."""
    from registry.observability import route_of

    if span.is_recording():
        span.set_attribute("registry.route", route_of(request))


def _trace_tasks():
    from django_tasks.signals import task_finished, task_started

    task_started.connect(_task_started, dispatch_uid="registry.tracing.task_started")
    task_finished.connect(_task_finished, dispatch_uid="registry.tracing.task_finished")


def _task_started(sender, task_result, **kwargs):
    global _task_span
    from opentelemetry import context, trace

    from registry.observability import adopt

    _task_finished(sender, None)  # one left open by a task that never finished
    task = task_result.task
    span = trace.get_tracer(__name__).start_span(
        f"task {task.module_path}",
        attributes={
            "registry.task.id": str(task_result.id),
            "registry.task.queue": task.queue_name,
            "registry.task.backend": task.backend,
        },
    )
    token = context.attach(trace.set_span_in_context(span))
    trace_id, span_id, flags = _ids(span)
    adopt(trace_id, span_id, sampled=flags.sampled)
    _task_span = (span, token)


def _task_finished(sender, task_result, **kwargs):
    global _task_span
    if _task_span is None:
        return
    import structlog
    from opentelemetry import context
    from opentelemetry.trace import Status, StatusCode

    span, token = _task_span
    _task_span = None
    if task_result is not None:
        status = str(getattr(task_result.status, "value", task_result.status))
        span.set_attribute("registry.task.status", status)
        if status == "FAILED":
            span.set_status(Status(StatusCode.ERROR))
    span.end()
    context.detach(token)
    structlog.contextvars.unbind_contextvars("trace_id", "span_id")
