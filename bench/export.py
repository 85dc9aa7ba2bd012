"""The catalogue export at benchmark size: streams GET /api/v1/catalogue in each
format from the benchmark database and prints time, CPU time, bytes and peak memory.

    DEBUG=True DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench \\
        .venv/bin/python bench/export.py [text/turtle application/ld+json application/rdf+xml]

CPU time is the figure to compare on a shared machine: wall time grows with the
load others put on it."""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from components.models import Component  # noqa: E402


def measure(media_type):
    client = Client()
    started, cpu = time.monotonic(), time.process_time()
    response = client.get("/api/v1/catalogue", HTTP_ACCEPT=media_type)
    size = sum(len(chunk) for chunk in response.streaming_content)
    return {
        "format": media_type,
        "status": response.status_code,
        "bytes": size,
        "seconds": round(time.monotonic() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


if __name__ == "__main__":
    print(f"{Component.objects.count()} components")
    for media_type in sys.argv[1:] or ["text/turtle"]:
        print(measure(media_type), flush=True)
