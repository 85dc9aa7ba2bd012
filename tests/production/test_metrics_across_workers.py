"""/metrics on a real gunicorn with two workers: the counts of both workers,
on the metrics listener only, and nothing of it on the site's port."""

import re

import httpx
import pytest

pytestmark = pytest.mark.production


def counted(metrics_url, route):
    text = httpx.get(f"{metrics_url}/metrics", timeout=10).text
    found = re.search(
        rf'registry_http_requests_total{{method="GET",route="{route}",status="200"}} ([0-9.e+]+)',
        text,
    )
    return float(found.group(1)) if found else 0.0, text


def test_metrics_sum_every_worker_of_a_server(live_site):
    server, metrics = live_site.a, live_site.metrics[0]
    before, _ = counted(metrics, "component-list")
    for _ in range(20):  # a new connection each: gunicorn hands them to either worker
        assert httpx.get(f"{server}/api/v1/components", timeout=10).status_code == 200
    after, text = counted(metrics, "component-list")
    assert after - before == 20
    assert (
        'registry_http_request_duration_seconds_bucket{le="0.5",method="GET",route="component-list"}'
        in text
    )
    assert re.search(r'registry_tasks{state="ready"} \d', text)


def test_the_site_port_has_no_metrics_and_the_metrics_port_no_site(live_site):
    assert httpx.get(f"{live_site.a}/metrics", timeout=10).status_code == 404
    assert httpx.get(f"{live_site.metrics[0]}/api/v1/components", timeout=10).status_code == 404
    assert httpx.get(f"{live_site.metrics[0]}/health/ready", timeout=10).status_code == 200
