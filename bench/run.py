"""`make bench`: the benchmark of one installation (issue 14).

Generates (or reuses) a synthetic catalogue in PostgreSQL, starts the app under
gunicorn twice — once with the response cache on (Redis), once with every cache
off (RESPONSE_CACHE_SECONDS=0, FIGURES_CACHE_SECONDS=0) — drives both with wrk
from a separate process, and writes bench/results.json, bench/results.md,
bench/latency.svg and BENCHMARKS.md.

- ``BENCH_SIZE=target`` (the default): 50,000 components, 500,000 usages, two
  workers, four connections; every row of issue 14's table cached and uncached,
  the usage write, and the mixed scenario (16 readers over the API and pages
  while 10 usage writes a second go in, for 60 s: hit rate and read p95).
- ``BENCH_SIZE=small``: 109 components, four workers, 16 connections, cache
  off and on: the setting in which developer.overheid.nl's first API was
  measured (issue 14); its figures are the reference, the target twice its
  throughput.

Queries per request are counted in-process with Django's test client against
the same database, caches off.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
UNCACHED_PORT = PORT + 1
DURATION = os.environ.get("BENCH_DURATION", "8s")
MIXED_SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "60"))
SIZE_NAME = os.environ.get("BENCH_SIZE", "target")
SIZES = {
    "target": {
        "catalogue": {"organisations": 2000, "components": 50000, "usages": 500000},
        "database": "registry_bench",
        "workers": 2,
        "connections": 4,
    },
    "small": {
        "catalogue": {"organisations": 40, "components": 109, "usages": 1090},
        "database": "registry_bench_small",
        "workers": 4,
        "connections": 16,
    },
}
if SIZE_NAME not in SIZES:
    raise SystemExit(f"BENCH_SIZE is one of {', '.join(SIZES)}, not {SIZE_NAME!r}")
SETTING = SIZES[SIZE_NAME]
SIZE = SETTING["catalogue"]
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", SETTING["connections"]))
WORKERS = SETTING["workers"]
# What production runs (registry/gunicorn_conf.py), as the issue's figures were taken.
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
# Its own database, never DATABASE_URL: the benchmark replaces the catalogue in it.
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL" if SIZE_NAME == "target" else "BENCH_SMALL_DATABASE_URL",
    f"postgres://postgres@127.0.0.1:5432/{SETTING['database']}",
)

# (name, method, path, target p95 ms, target req/s) — issue 14's table, cache off.
TARGET_ENDPOINTS = [
    ("baseline view", "GET", "/health/live", None, None),
    ("API component detail", "GET", "/api/v1/components/{component}", 6, None),
    ("API list, first page", "GET", "/api/v1/components", 12, None),
    ("API list, page 2,000", "GET", "/api/v1/components?page=2000", 12, None),
    (
        "API filtered list",
        "GET",
        "/api/v1/components?kind=software&layer=services&license=EUPL-1.2",
        15,
        None,
    ),
    ("API full-text search", "GET", "/api/v1/components?q=afval", 20, None),
    (
        "API reuse check",
        "GET",
        "/api/v1/components/{component}/reuse-check?organisation={organisation}",
        10,
        None,
    ),
    ("catalogue page with facets", "GET", "/componenten?kind=software&layer=services", 35, None),
    ("component page", "GET", "/componenten/{component}", 25, None),
    ("organisation page", "GET", "/organisaties/{organisation}", 25, None),
    # Spread over 50 usages of the token's organisation (one row hammered by
    # every connection measures lock waits, not the API).
    ("API usage write (token)", "PATCH", "/api/v1/usages/{usage}", 15, 250),
]

# developer.overheid.nl's first API (Django 3.2 + DRF), 109 APIs, on this
# machine with 4 workers and 16 connections, cache off (issue 14): the
# reference, and the target twice its throughput.
PEER = {
    "API list, 10 per page": {"rps": 113, "p50": 14.7, "before": (82, 20.0)},
    "API list, 50 per page": {"rps": 37, "p50": 43.5, "before": (44, 43.7)},
    "API full-text search": {"rps": 129, "p50": 15.3, "before": (95, 17.2)},
    "API component detail": {"rps": 294, "p50": 6.0, "before": (132, 14.0)},
}
SMALL_ENDPOINTS = [
    ("baseline view", "GET", "/health/live", None, None),
    ("API list, 10 per page", "GET", "/api/v1/components?pageSize=10", None, 230),
    ("API list, 50 per page", "GET", "/api/v1/components?pageSize=50", None, 75),
    ("API full-text search", "GET", "/api/v1/components?q=afval", None, 260),
    ("API component detail", "GET", "/api/v1/components/{component}", None, 600),
]
ENDPOINTS = TARGET_ENDPOINTS if SIZE_NAME == "target" else SMALL_ENDPOINTS

# The mixed scenario's readers: the API and the pages, round robin.
MIXED_READS = [
    "/api/v1/components/{component}",
    "/api/v1/components",
    "/api/v1/components?page=2",
    "/api/v1/components?kind=software&layer=services&license=EUPL-1.2",
    "/api/v1/components?q=afval",
    "/componenten?kind=software&layer=services",
    "/componenten/{component}",
    "/organisaties/{organisation}",
]
MIXED_READERS = 16
MIXED_WRITES_PER_SECOND = 10
# Two kinds of writes: "one organisation" is the worst case for the pages read
# (every write by the organisation whose page is read, notes only); "spread" is
# the day-to-day shape: MIXED_WRITERS municipalities with their own tokens, one
# write in ten a status change (stopped, then back), which moves the use tally.
MIXED_WRITERS = 20

# What every API read misses by, in common (measured with bench/profile.py).
_API_READ = (
    "the usage counts now come from the tally kept by triggers (no GROUP BY over a "
    "popular component's usages), reads' statements are prepared by PostgreSQL and a "
    "component's row query is compiled once (in-process a detail 7.2 -> 1.9 ms, a list "
    "of 20 11.8 -> 8.4 ms); what is left of a list is executing its COUNT and its page's "
    "ids (2-7 ms of index scans at 50,000 rows) and 4-6 ms of Python (DRF, the "
    "representation, the renderer); with more connections than workers every request "
    "waits for another (at 4 connections on 2 workers p95 is at least twice the "
    "service time), on two cores shared with PostgreSQL, Redis and wrk"
)
_API_NEXT = (
    "a count kept with the catalogue (one row, for unfiltered lists) or estimated past "
    "the first pages; then measure on dedicated cores"
)
# Why a row misses and what comes next, shown only while it misses.
MISS_NOTES = {
    "API component detail": (_API_READ, _API_NEXT),
    "API list, first page": (_API_READ + "; the exact count of 50,000 rows 2 ms", _API_NEXT),
    "API list, page 2,000": (
        _API_READ + "; the id walk OFFSET 39,980 over the (name, id) index 3-6 ms",
        "keyset pagination (after=name,id) for deep pages; " + _API_NEXT,
    ),
    "API filtered list": (_API_READ, _API_NEXT),
    "API full-text search": (_API_READ + "; the ranked match 4 ms", _API_NEXT),
    "API reuse check": (
        "the verdict's model instances (component, licences, dependencies, the "
        "organisation): five queries, prepared since this run, and 5-6 ms of Python "
        "in-process",
        "read the verdict's inputs as rows, as the representations do",
    ),
    "API list, 10 per page": (_API_READ, _API_NEXT),
    "API list, 50 per page": (_API_READ, _API_NEXT),
    "organisation page": (
        "“organisations like yours use” reads a tally kept by triggers (migration 0026; "
        "before: 114,000 usages grouped, 110-140 ms of SQL, 402 ms p95 served); what is "
        "left is the page itself: 14 queries (its usages sorted by component name for "
        "the page of 25, 7 ms; the customer-question coverage, counted once since this "
        "run), the template (about half the time) and the candidates' reuse checks, "
        "40-60 ms in-process, doubled by queueing at 4 connections on 2 workers",
        "fewer, wider queries (the page's usages and their count in one), and measured on "
        "dedicated cores",
    ),
    "catalogue page with facets": (
        "eight facet counts, one grouped query each: the column facets now read the "
        "(layer, kind) index alone, but licence and customer question still join their "
        "link tables (5-6 ms each) and the template takes 15-20 ms; the counts are cached "
        "(figures) but the uncached row switches that cache off too",
        "counts for all facets that share their filters in one pass, and a lighter facet template",
    ),
    "component page": (
        "the template (users, releases, dependencies, history) and the model "
        "instances behind it: most of the time is Python, not SQL",
        "build the page's rows from .values() as the API's representations do, and "
        "cache the per-kind hidden counts in the usage tally",
    ),
    "API usage write (token)": (
        "a write is a token lookup, a locked read, validation (DRF builds the "
        "serializer's fields for every request), the save with its history row, then "
        "the audit entry in a transaction of its own: two COMMITs (fsync on this shared "
        "disk), 9 queries and 12-15 ms in-process; two workers on two shared cores",
        "the audit entry in the write's own transaction (one COMMIT), the serializer's "
        "fields built once per process, and measure with four workers",
    ),
}


def redis_url():
    """Redis for the shared response cache, when it answers (it does in production)."""
    import socket

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return ""
    return url


def env():
    return {
        "REDIS_URL": redis_url(),
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "False",
        "SECRET_KEY": "bench-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "False",
        "API_RATE_ANONYMOUS": "",
        "API_RATE_TOKEN": "",
        # As production keeps them (Dockerfile, the Kubernetes config map, make run):
        # without it every request opened a connection (5.5 ms here).
        "DB_CONN_MAX_AGE": "60",
        "REQUEST_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "registry.settings",
    }


def manage(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(), check=True, **kwargs
    )


def create_database():
    name = DATABASE_URL.rsplit("/", 1)[1]
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"unexpected database name {name!r}")
    exists = subprocess.run(
        ["psql", server, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],  # noqa: S608
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if exists != "1":
        subprocess.run(["psql", server, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def prepare():
    create_database()
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    count = int(
        manage(
            "shell", "-c", "from components.models import Component; print(Component.objects.count())",
            capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
    )  # fmt: skip
    if count != SIZE["components"]:
        print(f"Generating the catalogue ({count} components found)…", flush=True)
        started = time.monotonic()
        manage(
            "generate_catalogue",
            *[f"--{name}={value}" for name, value in SIZE.items()],
            "--seed=1",
            "--replace",
        )
        print(f"Generated in {time.monotonic() - started:.0f} s.", flush=True)
        subprocess.run(["psql", DATABASE_URL, "-qc", "VACUUM ANALYZE"], check=True)
    else:
        print(f"Reusing the catalogue in the database ({count} components).", flush=True)


def fixtures():
    """Pick the objects the URLs name and make a token; returns a dict for the paths."""
    import django

    os.environ.update(env())
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db.models import Count

    from accounts.models import ApiToken, Organisation
    from components.models import Component, Usage

    component = (
        Component.objects.annotate(n=Count("usages")).order_by("-n").values_list("slug", flat=True)
    ).first()
    organisation = (
        Organisation.objects.filter(kind="municipality")
        .annotate(n=Count("usages"))
        .order_by("-n")
        .first()
    )
    usages = list(
        Usage.objects.filter(organisation=organisation)
        .order_by("id")
        .values_list("pk", flat=True)[:50]
    )
    ApiToken.objects.filter(organisation=organisation, name="bench").delete()
    _token, plaintext = ApiToken.issue(organisation, "bench")
    # The mixed scenario's spread writers: MIXED_WRITERS municipalities (the one
    # whose page is read among them), each writing its own usages in use.
    writers = list(Organisation.objects.filter(kind="municipality").order_by("pk")[:MIXED_WRITERS])
    if organisation not in writers:
        writers[-1] = organisation
    spread = []
    for writer in writers:
        ApiToken.objects.filter(organisation=writer, name="bench-mixed").delete()
        _token, key = ApiToken.issue(writer, "bench-mixed")
        own = list(
            Usage.objects.filter(organisation=writer, status__in=["pilot", "production"])
            .order_by("id")
            .values_list("pk", "status")[:5]
        )
        spread.append({"token": key, "usages": own})
    return {
        "component": component,
        "organisation": organisation.slug,
        "usage": usages[0],
        "usages": usages,
        "token": plaintext,
        "spread": spread,
    }


def count_queries(values):
    """Queries of an uncached request (the cache would hide them)."""
    from django.conf import settings
    from django.db import connection

    settings.RESPONSE_CACHE_SECONDS = 0
    settings.FIGURES_CACHE_SECONDS = 0
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for name, method, path, _target, _rps in ENDPOINTS:
        url = path.format(**values)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {values['token']}"} if method != "GET" else {}
        with CaptureQueriesContext(connection) as queries:
            if method == "GET":
                response = client.get(url)
            else:
                response = client.generic(
                    method, url, '{"notes": "bench"}', content_type="application/json", **headers
                )
        counts[name] = {"queries": len(queries), "status": response.status_code}
        if response.status_code >= 400:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
    return counts


def start_server(port, cached):
    extra = {} if cached else {"RESPONSE_CACHE_SECONDS": "0", "FIGURES_CACHE_SECONDS": "0"}
    # As the image and `make run` start it: registry/gunicorn_conf.py.
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "--config", "python:registry.gunicorn_conf",
            "registry.wsgi", "--log-level", "warning",
        ],
        cwd=ROOT, start_new_session=True,
        env={
            **{
                name: value for name, value in env().items()
                # Set at all (even empty), it puts prometheus_client's files in the cwd.
                if name not in ("METRICS_PORT", "PROMETHEUS_MULTIPROC_DIR")
            },
            **extra, "HOST": "127.0.0.1", "PORT": str(port),
            "GUNICORN_WORKERS": str(WORKERS), "GUNICORN_WORKER_CLASS": WORKER_CLASS,
        },
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)


def worker_memory_mb(server):
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(output):
    def ms(text):
        number, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(number) * UNITS[unit]

    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    hits = re.search(r"HITS (\d+) MISSES (\d+)", output)
    return {
        "p50": ms(percentiles["50"]),
        "p90": ms(percentiles["90"]),
        "p95": float(re.search(r"P95 ([\d.]+)", output).group(1)) / 1000.0,
        "p99": ms(percentiles["99"]),
        "rps": rps,
        "non2xx": int(errors.group(1)) if errors else 0,
        **({"hits": int(hits.group(1)), "misses": int(hits.group(2))} if hits else {}),
    }


# Every script reports p95 and counts the cache's answers (the X-Cache header).
COMMON_LUA = """
threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) hits = 0; misses = 0 end
response = function(status, headers, body)
  if headers["X-Cache"] == "hit" then hits = hits + 1 else misses = misses + 1 end
end
done = function(summary, latency, requests)
  local h, m = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); m = m + t:get("misses") end
  io.write(string.format("HITS %d MISSES %d\\n", h, m))
  io.write(string.format("P95 %f\\n", latency:percentile(95)))
end
"""

WRITE_LUA = """
wrk.method = "{method}"
wrk.headers["Authorization"] = "Bearer {token}"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{{"notes": "bench"}}'
ids = {{{ids}}}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, "{prefix}" .. ids[(counter % #ids) + 1])
end
"""

ROUND_ROBIN_LUA = """
paths = {{{paths}}}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end
"""


def run_wrk(url, script_body, duration=DURATION, connections=CONNECTIONS, warm=True):
    script = BENCH / "data" / "wrk.lua"
    script.parent.mkdir(exist_ok=True)
    script.write_text(script_body + COMMON_LUA)
    if warm:
        subprocess.run(
            ["wrk", "-t1", "-c2", "-d2s", "-s", str(script), url], capture_output=True, check=False
        )
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(output)


def measure(port, method, path, values):
    url = f"http://127.0.0.1:{port}{path.format(**values)}"
    if method == "GET":
        return run_wrk(url, "")
    prefix = path.format(**values).rsplit("/", 1)[0] + "/"
    body = WRITE_LUA.format(
        method=method, token=values["token"], prefix=prefix,
        ids=", ".join(str(i) for i in values["usages"]),
    )  # fmt: skip
    return run_wrk(url, body)


class Writer(threading.Thread):
    """Usage writes at a steady rate over one kept connection, timed.

    ``spread``: round robin over the spread writers, every tenth write a status
    change (stopped, and back to what it was the next time); otherwise notes by
    the one organisation."""

    def __init__(self, port, values, per_second, seconds, spread=False):
        super().__init__(daemon=True)
        self.port, self.values, self.spread = port, values, spread
        self.per_second, self.seconds = per_second, seconds
        self.latencies, self.statuses = [], {}

    def write(self, n):
        """(token, usage id, body) of the n-th write."""
        if not self.spread:
            usages = self.values["usages"]
            return self.values["token"], usages[n % len(usages)], f'{{"notes": "mixed {n}"}}'
        writers = self.values["spread"]
        writer = writers[n % len(writers)]
        usage, status = writer["usages"][(n // len(writers)) % len(writer["usages"])]
        if n % 10 == 0:
            flip = n // 10
            writer = writers[(flip // 2) % len(writers)]
            usage, status = writer["usages"][0]
            return (
                writer["token"],
                usage,
                ('{"status": "stopped"}' if flip % 2 == 0 else f'{{"status": "{status}"}}'),
            )
        return writer["token"], usage, f'{{"notes": "mixed {n}"}}'

    def run(self):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=10)
        started = time.monotonic()
        n = 0
        while (now := time.monotonic()) - started < self.seconds:
            due = started + n / self.per_second
            if now < due:
                time.sleep(due - now)
            token, usage, body = self.write(n)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            sent = time.perf_counter()
            connection.request("PATCH", f"/api/v1/usages/{usage}", body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
            self.latencies.append((time.perf_counter() - sent) * 1000)
            self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1
            n += 1
        # A stopped usage not yet back: put it back, so the next run starts alike.
        if self.spread and (n - 1) // 10 % 2 == 0:
            token, usage, body = self.write(((n - 1) // 10 + 1) * 10)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            connection.request("PATCH", f"/api/v1/usages/{usage}", body=body, headers=headers)
            connection.getresponse().read()
        connection.close()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def mixed(port, values):
    """16 readers over the API and pages, without writes and with 10 usage writes a
    second of each kind (spread over many organisations, and by one)."""
    paths = ", ".join(f'"{path.format(**values)}"' for path in MIXED_READS)
    url = f"http://127.0.0.1:{port}/"
    reads_only = run_wrk(
        url, ROUND_ROBIN_LUA.format(paths=paths), duration="20s", connections=MIXED_READERS
    )
    result = {
        "seconds": MIXED_SECONDS,
        "readers": MIXED_READERS,
        "writesPerSecond": MIXED_WRITES_PER_SECOND,
        "writers": MIXED_WRITERS,
        "readsOnly": reads_only,
    }
    for name, spread in (("spread", True), ("oneOrganisation", False)):
        writer = Writer(port, values, MIXED_WRITES_PER_SECOND, MIXED_SECONDS, spread=spread)
        writer.start()
        with_writes = run_wrk(
            url, ROUND_ROBIN_LUA.format(paths=paths), duration=f"{MIXED_SECONDS}s",
            connections=MIXED_READERS, warm=False,
        )  # fmt: skip
        writer.join()
        total = with_writes["hits"] + with_writes["misses"]
        result[name] = {
            "withWrites": with_writes,
            "hitRate": with_writes["hits"] / total if total else 0.0,
            "writes": {
                "count": len(writer.latencies),
                "p50": percentile(writer.latencies, 0.50),
                "p95": percentile(writer.latencies, 0.95),
                "statuses": writer.statuses,
            },
            "meetsHitRate": total > 0 and with_writes["hits"] / total >= 0.9,
            "meetsLatency": with_writes["p95"] <= 2 * reads_only["p95"],
        }
    return result


def svg_chart(rows):
    """Horizontal bars of the p95 per endpoint, uncached and cached, the target marked."""
    width, left, bar, gap = 900, 260, 12, 14
    scale_max = max(max(r["uncached"]["p95"] for r in rows), 50) * 1.1
    height = 60 + len(rows) * (2 * bar + gap)

    def x(ms):
        return left + (width - left - 60) * min(ms, scale_max) / scale_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="t"><title id="t">p95 latency per endpoint (ms), '
        f"uncached and cached</title>",
        "<style>text{font:12px sans-serif}</style>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="20">p95 in ms: uncached (dark), cached (light); '
        f"the red tick is the p95 target</text>",
    ]
    for i, row in enumerate(rows):
        y = 40 + i * (2 * bar + gap)
        parts.append(
            f'<text x="{left - 8}" y="{y + bar + 4}" text-anchor="end">{row["name"]}</text>'
        )
        for offset, which, colour in ((0, "uncached", "#01689b"), (bar, "cached", "#8fcae7")):
            value = row[which]["p95"]
            parts.append(
                f'<rect x="{left}" y="{y + offset}" width="{x(value) - left:.1f}" '
                f'height="{bar}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x(value) + 4:.1f}" y="{y + offset + bar - 2}">{value:.1f}</text>'
            )
        if row["target"]:
            tx = x(row["target"])
            parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y - 2}" y2="{y + 2 * bar + 2}" '
                f'stroke="#d52b1e" stroke-width="2"/>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    postgres = subprocess.run(
        ["psql", DATABASE_URL, "-tAc", "SHOW server_version"], capture_output=True, text=True,
        check=False,
    ).stdout.strip()  # fmt: skip
    return f"{os.cpu_count()} x {cpu}, {int(memory) // 1024 // 1024} GiB RAM, PostgreSQL {postgres}"


def verdict(row):
    return "ok" if row["meets"] else "MISS"


def table(rows):
    lines = [
        "| request | target | uncached p50 | uncached p95 | uncached req/s | cached p50 "
        "| cached p95 | cached req/s | queries | status |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        target = []
        if row["target"]:
            target.append(f"p95 ≤ {row['target']} ms")
        if row["targetRps"]:
            target.append(f"≥ {row['targetRps']} req/s")
        u, c = row["uncached"], row["cached"]
        cached = f"{c['p50']:.1f} | {c['p95']:.1f} | {c['rps']:.0f}" if c is not u else "= | = | ="
        lines.append(
            f"| {row['name']} | {', '.join(target) or '-'} | {u['p50']:.1f} | {u['p95']:.1f} | "
            f"{u['rps']:.0f} | {cached} | {row['queries']} | {verdict(row)} |"
        )
    return lines


def peer_table(rows):
    lines = [
        "| request | developer.overheid.nl, 109 APIs (reference) | before issue 14, 109 "
        "components | now, uncached | now, cached | target (twice the peer) | status |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        peer = PEER.get(row["name"])
        if peer is None:
            continue
        u, c = row["uncached"], row["cached"]
        before_rps, before_p50 = peer["before"]
        lines.append(
            f"| {row['name']} | {peer['rps']} req/s, p50 {peer['p50']} ms | {before_rps} req/s, "
            f"p50 {before_p50} ms | {u['rps']:.0f} req/s, p50 {u['p50']:.1f} ms | "
            f"{c['rps']:.0f} req/s | ≥ {row['targetRps']} req/s | {verdict(row)} |"
        )
    return lines


def results_section(summary):
    lines = [
        f"### {SIZE_NAME} size: {summary['size']['components']:,} components",
        "",
        f"- Catalogue: {summary['size']['organisations']:,} organisations, "
        f"{summary['size']['components']:,} components, {summary['size']['usages']:,} usages "
        "(`generate_catalogue --seed 1`).",
        f"- Server: gunicorn, {WORKERS} {WORKER_CLASS} workers (registry/gunicorn_conf.py), "
        "DEBUG off, database connections kept 60 s; "
        f"load: wrk, 2 threads, {CONNECTIONS} connections, {DURATION} per request after "
        "a 2 s warm-up.",
        "- *Uncached*: a server with every cache off (`RESPONSE_CACHE_SECONDS=0`, "
        "`FIGURES_CACHE_SECONDS=0`): what every read costs when it renders afresh. "
        "*Cached*: the same requests to a server with the Redis response cache on. "
        "A write is measured once, against the cached server (its invalidation included).",
        f"- Queries: counted for one uncached request. The run took {summary['seconds']} s; "
        f"load average {summary['loadAverage']['start']:.1f} at its start, "
        f"{summary['loadAverage']['end']:.1f} at its end ({os.cpu_count()} cores, shared).",
        "",
        *([*peer_table(summary["endpoints"]), ""] if SIZE_NAME == "small" else []),
        *table(summary["endpoints"]),
        "",
        "Worker memory (RSS) after the run: "
        + ", ".join(f"{m:.0f} MB" for m in summary["workerMemoryMB"])
        + " (target ≤ 150 MB each)",
        "",
    ]
    mix = summary.get("mixed")
    if mix:
        lines += [
            f"**Mixed scenario** ({mix['readers']} readers round robin over "
            f"{len(MIXED_READS)} API and page reads, cache on, while "
            f"{mix['writesPerSecond']} usage writes a second go in, {mix['seconds']} s each; "
            f"read p95 with no writes {mix['readsOnly']['p95']:.1f} ms, "
            f"{mix['readsOnly']['rps']:.0f} reads/s):",
            "",
            "| writes | hit rate (target ≥ 90 %) | read p95 (target ≤ "
            f"{2 * mix['readsOnly']['p95']:.1f} ms) | reads/s | writes | write p50 | write p95 "
            "| answers |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for name, label in MIXED_KINDS.items():
            one = mix.get(name)
            if not one:
                continue
            w = one["writes"]
            lines.append(
                f"| {label.format(writers=mix.get('writers', MIXED_WRITERS))} "
                f"| {100 * one['hitRate']:.1f} % {'ok' if one['meetsHitRate'] else 'MISS'} "
                f"| {one['withWrites']['p95']:.1f} ms {'ok' if one['meetsLatency'] else 'MISS'} "
                f"| {one['withWrites']['rps']:.0f} | {w['count']} | {w['p50']:.1f} ms "
                f"| {w['p95']:.1f} ms | {w['statuses']} |"
            )
        lines.append("")
    return lines


MIXED_NOTES = {
    "spread": (
        "hits are 99 % of reads, so the p95 is not a miss but a wait: the few reads that "
        "miss render afresh (90-130 ms each under this load) and the writes take 28 ms at "
        "p50, and on two sync workers every read that arrives meanwhile queues behind "
        "them (about 6 misses and 10 writes a second hold a worker for about 0.9 s of every "
        "second). Next: render faster without the cache (the rows above) and a faster "
        "write; more workers where there are more cores."
    ),
    "oneOrganisation": (
        "every write is a usage of the organisation whose page an eighth of the readers "
        "read, so that page renders afresh after each write (about 50-60 ms in-process, "
        "90-130 ms under this load): about 20 such renders a second keep both workers "
        "busy, and reads queue (half the reads a second of the spread shape). Next: "
        "render it faster (the organisation page row above); a finer key (a note is "
        "not on the page) would be kept per field, more to keep right than it saves."
    ),
}
MIXED_KINDS = {
    "spread": "spread: {writers} municipalities, one in ten a status change",
    "oneOrganisation": "one organisation, the one whose page is read, notes only",
}


def misses(summary, name=None):
    name = name or summary.get("setting", SIZE_NAME)
    lines = []
    for row in summary["endpoints"]:
        if row["meets"]:
            continue
        u = row["uncached"]
        reason, step = MISS_NOTES.get(row["name"], ("not analysed yet", "profile it"))
        lines.append(
            f"- **{row['name']}** ({name}): uncached p95 {u['p95']:.1f} ms, "
            f"{u['rps']:.0f} req/s against {', '.join(row['targetText'])}. Why: {reason}. "
            f"Next: {step}."
        )
    mix = summary.get("mixed") or {}
    for name in MIXED_KINDS:
        one = mix.get(name)
        if not one or (one["meetsHitRate"] and one["meetsLatency"]):
            continue
        lines.append(
            f"- **mixed scenario, {name}**: hit rate {100 * one['hitRate']:.1f} %, read p95 "
            f"{one['withWrites']['p95']:.1f} ms (no writes: {mix['readsOnly']['p95']:.1f} ms). "
            f"Why: {MIXED_NOTES[name]}"
        )
    if any(m > 150 for m in summary["workerMemoryMB"]):
        lines.append("- **worker memory** over 150 MB: see the sizes above.")
    return lines


def benchmarks_md():
    """BENCHMARKS.md from the latest results of every size that has been run."""
    sections, missed = [], []
    for name in SIZES:
        path = BENCH / ("results.json" if name == "target" else f"results-{name}.json")
        if not path.exists():
            continue
        summary = json.loads(path.read_text())
        if "setting" not in summary:
            continue  # an older format
        sections += summary["section"]
        missed += misses(summary)
    notes = (BENCH / "where-the-time-went.md").read_text()
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "The latest runs of `make bench` (50,000 components) and "
            "`make bench BENCH_SIZE=small` (109 components), written by `bench/run.py`; raw "
            "figures in `bench/results.json` and `bench/results-small.json`.",
            "",
            f"- Machine: {machine()}; the app, PostgreSQL, Redis and wrk share it. "
            "Figures on a shared 2-core machine move by ±30 % between runs.",
            "- Targets: issue 14 (cache off). The small size's reference is "
            "developer.overheid.nl's first API as measured in the issue.",
            "",
            *sections,
            "![p95 latency per request, uncached and cached, with the targets](bench/latency.svg)",
            "",
            "## Targets missed",
            "",
            *(missed or ["- none"]),
            "",
            notes.rstrip(),
            "",
            "## Reproduce",
            "",
            "    make bench                        # 50,000 components (generated the first time, under 3 minutes)",
            "    make bench BENCH_SIZE=small       # 109 components, 4 workers, 16 connections",
            "    BENCH_DURATION=20s make bench     # longer runs per request",
            "    .venv/bin/python bench/profile.py [--sql] [--tree NAME]   # where a request's time goes",
            "",
            "The catalogues live in their own databases (`BENCH_DATABASE_URL`, default "
            "`registry_bench`; `BENCH_SMALL_DATABASE_URL`, default `registry_bench_small`) "
            "and are reused while they have the right number of components.",
            "",
        ]
    )


def main():
    if "--report-only" in sys.argv:
        # BENCHMARKS.md again from the saved results (after editing the notes).
        (ROOT / "BENCHMARKS.md").write_text(benchmarks_md())
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    prepare()
    values = fixtures()
    queries = count_queries(values)
    cached_server = start_server(PORT, cached=True)
    uncached_server = start_server(UNCACHED_PORT, cached=False)
    rows = []
    try:
        for name, method, path, target, target_rps in ENDPOINTS:
            print(f"  {name:<30} {method} {path}", flush=True)
            if method == "GET":
                uncached = measure(UNCACHED_PORT, method, path, values)
                cached = measure(PORT, method, path, values)
            else:
                uncached = cached = measure(PORT, method, path, values)
            rows.append({"name": name, "method": method, "path": path, "target": target,
                         "targetRps": target_rps, "uncached": uncached, "cached": cached,
                         **queries[name]})  # fmt: skip
        mix = None
        if SIZE_NAME == "target":
            print(f"  mixed scenario ({MIXED_SECONDS} s)", flush=True)
            mix = mixed(PORT, values)
        memory = worker_memory_mb(cached_server) + worker_memory_mb(uncached_server)
    finally:
        stop_server(cached_server)
        stop_server(uncached_server)
    for row in rows:
        u = row["uncached"]
        row["targetText"] = [
            *([f"p95 ≤ {row['target']} ms"] if row["target"] else []),
            *([f"≥ {row['targetRps']} req/s"] if row["targetRps"] else []),
        ]
        row["meets"] = (row["target"] is None or u["p95"] <= row["target"]) and (
            row["targetRps"] is None or u["rps"] >= row["targetRps"]
        )
    summary = {
        "setting": SIZE_NAME,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "size": SIZE,
        "workers": WORKERS,
        "wrk": {"threads": 2, "connections": CONNECTIONS, "duration": DURATION},
        "workerMemoryMB": memory,
        "meetsMemory": all(m <= 150 for m in memory),
        "seconds": round(time.monotonic() - started, 1),
        # The machine is shared: a load well over its cores slows every figure.
        "loadAverage": {"start": load_before, "end": os.getloadavg()[0]},
        "endpoints": rows,
        "mixed": mix,
    }
    summary["section"] = results_section(summary)
    summary["misses"] = misses(summary)
    name = "results.json" if SIZE_NAME == "target" else f"results-{SIZE_NAME}.json"
    (BENCH / name).write_text(json.dumps(summary, indent=2) + "\n")
    (BENCH / ("results.md" if SIZE_NAME == "target" else f"results-{SIZE_NAME}.md")).write_text(
        "\n".join(summary["section"]) + "\n"
    )
    if SIZE_NAME == "target":
        (BENCH / "latency.svg").write_text(svg_chart(rows))
    (ROOT / "BENCHMARKS.md").write_text(benchmarks_md())
    print("\n".join(summary["section"]))
    print("\n".join(summary["misses"]))
    print(f"\nFinished in {summary['seconds']} s.")


if __name__ == "__main__":
    main()
