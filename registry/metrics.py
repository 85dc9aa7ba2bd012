"""Prometheus metrics at /metrics, for the cluster's monitoring only.

Where it answers (anywhere else /metrics is a 404, as if it did not exist):
- METRICS_PORT set (the manifests: 9100): only on that port, a listener of
  its own (registry/gunicorn_conf.py) that no Service the ingress uses
  exposes, and that the NetworkPolicy opens to the monitoring namespace only.
  That port answers nothing but /metrics and the probes.
- unset (a laptop, `make run`): only to a client on this machine (loopback),
  and not through a proxy.

What it tells:
- registry_http_requests_total and registry_http_request_duration_seconds,
  by route and status (registry/observability.py), summed over every gunicorn
  worker (prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR);
- read from the database at each scrape, so the same from every pod (take
  max(), not sum(), across pods): the task queue (registry_tasks by state:
  ready = the queue's depth, running, failed), harvest sources by their last
  result, and webhook deliveries by status.
"""

import ipaddress
import os

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotFound
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector


def allowed(request):
    port = settings.METRICS_PORT
    if port:
        return request.META.get("SERVER_PORT") == str(port)
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def on_metrics_port(request):
    port = settings.METRICS_PORT
    return bool(port) and request.META.get("SERVER_PORT") == str(port)


class StateCollector:
    """Gauges counted in the database at scrape time (a few grouped counts)."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from components.models import HarvestSource, WebhookDelivery

        tasks = GaugeMetricFamily(
            "registry_tasks",
            "Background tasks in the queue by state (ready: waiting to run).",
            labels=["state"],
        )
        counts = dict.fromkeys(("ready", "running", "failed"), 0)
        if settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):
            rows = (
                DBTaskResult.objects.filter(status__in=["READY", "RUNNING", "FAILED"])
                .values_list("status")
                .annotate(n=Count("id"))
            )
            counts.update({status.lower(): n for status, n in rows})
        else:
            counts.update(rq_counts())
        for state, n in sorted(counts.items()):
            tasks.add_metric([state], n)
        yield tasks

        harvests = GaugeMetricFamily(
            "registry_harvest_sources",
            "Harvest sources by the result of their last harvest.",
            labels=["result"],
        )
        rows = HarvestSource.objects.values_list("last_status").annotate(n=Count("id"))
        for status, n in sorted(rows):
            harvests.add_metric([status], n)
        yield harvests

        deliveries = GaugeMetricFamily(
            "registry_webhook_deliveries",
            "Webhook deliveries by status (delivered, pending, retrying, failed).",
            labels=["status"],
        )
        rows = WebhookDelivery.objects.values_list("status").annotate(n=Count("id"))
        for status, n in sorted(rows):
            deliveries.add_metric([status], n)
        yield deliveries


def rq_counts():
    """Queue depth and failures of the RQ queue (TASKS_BACKEND=rq)."""
    import django_rq

    queue = django_rq.get_queue("default")
    return {
        "ready": queue.count,
        "running": queue.started_job_registry.count,
        "failed": queue.failed_job_registry.count,
    }


class _ThisProcess:
    """The metrics of this process alone (no PROMETHEUS_MULTIPROC_DIR)."""

    def collect(self):
        yield from REGISTRY.collect()


def metrics(request):
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(StateCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def not_found(request):
    return HttpResponseNotFound(b"Not found", content_type="text/plain")
