"""`make bench`: the benchmark of one installation at the target size.

Generates (or reuses) the synthetic catalogue in PostgreSQL, starts the app
under gunicorn with two workers, drives it with wrk from a separate process,
and writes bench/results.json, bench/results.md and bench/latency.svg.
Queries per request are counted in-process with Django's test client against
the same database.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = os.environ.get("BENCH_DURATION", "8s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
# Its own database, never DATABASE_URL: the benchmark replaces the catalogue in it.
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/registry_bench"
)
SIZE = {"organisations": 2000, "components": 50000, "usages": 500000}

# (name, method, path, target p95 ms, group) — group decides the throughput check.
ENDPOINTS = [
    ("baseline view", "GET", "/health/live", None, "baseline"),
    ("API list, first page", "GET", "/api/v1/components", 25, "api"),
    ("API list, deep page", "GET", "/api/v1/components?page=2000", 25, "api"),
    (
        "API filtered list",
        "GET",
        "/api/v1/components?kind=software&layer=services&license=EUPL-1.2",
        25,
        "api",
    ),
    ("API full-text search", "GET", "/api/v1/components?q=afval", 50, "search"),
    ("API component detail", "GET", "/api/v1/components/{component}", 25, "api"),
    (
        "API reuse check",
        "GET",
        "/api/v1/components/{component}/reuse-check?organisation={organisation}",
        25,
        "api",
    ),
    (
        "catalogue page with facets",
        "GET",
        "/componenten?kind=software&layer=services",
        50,
        "search",
    ),
    ("component page", "GET", "/componenten/{component}", 100, "page"),
    ("organisation page", "GET", "/organisaties/{organisation}", 100, "page"),
    # The same pages with every request a cache miss: what a first visit costs.
    ("catalogue page, uncached", "GET", "/componenten?kind=software&layer=services", 50, "cold"),
    ("component page, uncached", "GET", "/componenten/{component}", 100, "cold"),
    ("organisation page, uncached", "GET", "/organisaties/{organisation}", 100, "cold"),
    # Writes have no target in the issue; they are measured spread over 50 usages of
    # the token's organisation (one row hammered by every connection measures lock
    # waits, not the API).
    ("API usage write (token)", "PATCH", "/api/v1/usages/{usage}", None, "write"),
]


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
        "DJANGO_SETTINGS_MODULE": "registry.settings",
    }


def manage(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(), check=True, **kwargs
    )


def prepare():
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    count = int(
        manage(
            "shell", "-c", "from components.models import Component; print(Component.objects.count())",
            capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
    )  # fmt: skip
    if count < SIZE["components"]:
        print(f"Generating the catalogue ({count} components found)…", flush=True)
        manage(
            "generate_catalogue",
            *[f"--{name}={value}" for name, value in SIZE.items()],
            "--seed=1",
            "--replace",
        )
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
    return {
        "component": component,
        "organisation": organisation.slug,
        "usage": usages[0],
        "usages": usages,
        "token": plaintext,
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
    for name, method, path, _target, _group in ENDPOINTS:
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


def start_server():
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "registry.wsgi", "--workers", "2",
            "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning",
        ],
        cwd=ROOT, env=env(), start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/live", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


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
    return {
        "p50": ms(percentiles["50"]),
        "p90": ms(percentiles["90"]),
        "p99": ms(percentiles["99"]),
        "rps": rps,
        "non2xx": int(errors.group(1)) if errors else 0,
    }


LUA = """
wrk.method = "{method}"
wrk.headers["Authorization"] = "Bearer {token}"
wrk.headers["Content-Type"] = "application/json"
ids = {{{ids}}}
counter = 0
request = function()
  counter = counter + 1
  local path = "{prefix}" .. ids[(counter % #ids) + 1]
  return wrk.format(nil, path)
end
done = function(summary, latency, requests)
  io.write(string.format("P95 %f\\n", latency:percentile(95)))
end
{body}
"""


COLD = """
counter = 0
request = function()
  counter = counter + 1
  local separator = string.find("{path}", "?", 1, true) and "&" or "?"
  return wrk.format(nil, "{path}" .. separator .. "uncached=" .. counter .. "-" .. math.random(1e9))
end
done = function(summary, latency, requests)
  io.write(string.format("P95 %f\\n", latency:percentile(95)))
end
"""


def run_wrk(method, url, token, ids=(), cold=False):
    script = BENCH / "data" / "wrk.lua"
    script.parent.mkdir(exist_ok=True)
    if cold:
        path = url.split(str(PORT), 1)[1]
        script.write_text(COLD.replace("{path}", path))
        return _wrk(url, script)
    body = 'wrk.body = \'{"notes": "bench"}\'' if method != "GET" else ""
    script.write_text(
        LUA.format(
            method=method,
            token=token,
            body=body,
            ids=", ".join(str(i) for i in ids),
            prefix=url.split(str(PORT), 1)[1].rsplit("/", 1)[0] + "/",
        )
        if method != "GET"
        else 'done = function(s, latency, r) io.write(string.format("P95 %f\\n", '
        "latency:percentile(95))) end\n"
    )
    return _wrk(url, script)


def _wrk(url, script):
    # Warm up, then measure.
    subprocess.run(["wrk", "-t1", "-c2", "-d2s", url], capture_output=True, check=False)
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = parse_wrk(output)
    result["p95"] = float(re.search(r"P95 ([\d.]+)", output).group(1)) / 1000.0
    return result


def svg_chart(rows):
    """Horizontal bars of p50 and p95 per endpoint, with the target marked."""
    width, left, bar, gap = 900, 260, 12, 14
    scale_max = max(max(r["p95"] for r in rows), 100) * 1.1
    height = 60 + len(rows) * (2 * bar + gap)

    def x(ms):
        return left + (width - left - 40) * ms / scale_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="t"><title id="t">Latency per endpoint (ms)</title>',
        "<style>text{font:12px sans-serif}</style>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="20">p50 (dark) and p95 (light) in ms; '
        f"the red tick is the p95 target</text>",
    ]
    for i, row in enumerate(rows):
        y = 40 + i * (2 * bar + gap)
        parts.append(
            f'<text x="{left - 8}" y="{y + bar + 4}" text-anchor="end">{row["name"]}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y}" width="{x(row["p50"]) - left:.1f}" height="{bar}" fill="#01689b"/>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + bar}" width="{x(row["p95"]) - left:.1f}" height="{bar}" fill="#8fcae7"/>'
        )
        parts.append(
            f'<text x="{x(row["p95"]) + 4:.1f}" y="{y + 2 * bar - 2}">{row["p95"]:.1f}</text>'
        )
        if row["target"]:
            tx = x(row["target"])
            parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y - 2}" y2="{y + 2 * bar + 2}" stroke="#d52b1e" stroke-width="2"/>'
            )
    parts.append("</svg>")
    return "\n".join(parts)  # fmt: skip


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


def benchmarks_md(summary, table):
    misses = [
        row for row in summary["endpoints"] if not (row["meetsLatency"] and row["meetsThroughput"])
    ]
    miss_lines = [
        f"- **{row['name']}**: p95 {row['p95']:.1f} ms (target {row['target']} ms), "
        f"{100 * row['rpsShareOfBaseline']:.0f}% of the baseline's throughput"
        for row in misses
    ] or ["- none"]
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "The latest run of `make bench` (written by `bench/run.py`; raw figures in",
            "`bench/results.json`).",
            "",
            f"- Machine: {machine()}; the app, PostgreSQL, Redis and wrk share it.",
            f"- Catalogue: {summary['size']['organisations']:,} organisations, "
            f"{summary['size']['components']:,} components, {summary['size']['usages']:,} usages "
            "(`generate_catalogue --seed 1`).",
            f"- Server: gunicorn, 2 sync workers, DEBUG off, Redis cache; load: wrk, "
            f"{summary['wrk']['threads']} threads, {summary['wrk']['connections']} connections, "
            f"{summary['wrk']['duration']} per endpoint after a 2 s warm-up.",
            "- Rows marked *uncached* add a changing query parameter to every request, so each",
            "  one misses the response cache: what a first visit after a change costs.",
            "- Queries: counted for one uncached request with Django's test client.",
            f"- The whole run took {summary['seconds']} s.",
            "",
            *table,
            "",
            "![p50 and p95 latency per endpoint, with the p95 targets](bench/latency.svg)",
            "",
            "## Targets missed in this run",
            "",
            *miss_lines,
            "",
            "## Reproduce",
            "",
            "    make bench                      # generates the catalogue the first time (about 3 minutes)",
            "    BENCH_DURATION=20s make bench   # longer runs per endpoint",
            "",
            "The catalogue lives in its own database (`BENCH_DATABASE_URL`, default",
            "`postgres://postgres@127.0.0.1:5432/registry_bench`) and is reused while it has",
            "50,000 components. Figures on a shared 2-core machine move by ±30% between runs.",
            "",
        ]
    )


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    started = time.monotonic()
    prepare()
    values = fixtures()
    queries = count_queries(values)
    server = start_server()
    rows = []
    try:
        for name, method, path, target, group in ENDPOINTS:
            url = f"http://127.0.0.1:{PORT}{path.format(**values)}"
            print(f"  {name:<30} {method} {path}", flush=True)
            result = run_wrk(method, url, values["token"], values["usages"], cold=group == "cold")
            rows.append({"name": name, "method": method, "path": path, "target": target,
                         "group": group, **result, **queries[name]})  # fmt: skip
        memory = worker_memory_mb(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    baseline = rows[0]["rps"]
    for row in rows:
        row["rpsShareOfBaseline"] = row["rps"] / baseline if baseline else None
        row["meetsLatency"] = row["target"] is None or row["p95"] <= row["target"]
        row["meetsThroughput"] = row["group"] not in ("api",) or row["rpsShareOfBaseline"] >= 0.4
    summary = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "size": SIZE,
        "wrk": {"threads": 2, "connections": CONNECTIONS, "duration": DURATION},
        "workerMemoryMB": memory,
        "meetsMemory": all(m <= 200 for m in memory),
        "seconds": round(time.monotonic() - started, 1),
        "endpoints": rows,
    }
    (BENCH / "results.json").write_text(json.dumps(summary, indent=2) + "\n")
    lines = [
        "| endpoint | p50 ms | p95 ms | p99 ms | target p95 | req/s | % of baseline | queries | status |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        verdict = "ok" if row["meetsLatency"] and row["meetsThroughput"] else "MISS"
        lines.append(
            f"| {row['name']} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | "
            f"{row['target'] or '-'} | {row['rps']:.0f} | {100 * row['rpsShareOfBaseline']:.0f}% | "
            f"{row['queries']} | {verdict} |"
        )
    lines.append("")
    lines.append(
        "Worker memory (RSS): "
        + ", ".join(f"{m:.0f} MB" for m in memory)
        + " (target ≤ 200 MB each)"
    )
    (BENCH / "results.md").write_text("\n".join(lines) + "\n")
    (ROOT / "BENCHMARKS.md").write_text(benchmarks_md(summary, lines))
    (BENCH / "latency.svg").write_text(svg_chart(rows))
    print("\n".join(lines))
    print(
        f"\nFinished in {summary['seconds']} s; wrote bench/results.json, results.md, latency.svg"
    )


if __name__ == "__main__":
    main()
