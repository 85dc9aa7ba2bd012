"""Where the milliseconds go: each benchmark request, uncached, in-process.

A developer's tool (`python bench/profile.py [--tree NAME]`), not part of the
run: for each request of bench/run.py it times N renders through the whole
middleware stack with Django's test client (response cache off), and splits the
time into SQL (count and milliseconds) and the rest (Python: serializers,
renderer, templates, middleware). With --tree it prints pyinstrument's call tree
for one request (pyinstrument is a dev tool: `pip install pyinstrument`).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402  (bench/run.py: the endpoints and the database)

os.environ.update(run.env())
os.environ["RESPONSE_CACHE_SECONDS"] = "0"
os.environ["FIGURES_CACHE_SECONDS"] = "0"
os.environ["DB_CONN_MAX_AGE"] = "60"
os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")


def main():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    values = run.fixtures()
    tree = sys.argv[sys.argv.index("--tree") + 1] if "--tree" in sys.argv else None
    repeat = int(os.environ.get("PROFILE_REPEAT", "15"))
    client = Client()
    print(f"{'request':<32} {'ms p50':>7} {'sql n':>6} {'sql ms':>7} {'py ms':>7}")
    for name, method, path, _target, _rps in run.ENDPOINTS:
        if tree and tree != name:
            continue
        url = path.format(**values)
        usages = values["usages"]

        def request(i, url=url, method=method, usages=usages):
            if method == "GET":
                return client.get(url)
            target = url.rsplit("/", 1)[0] + f"/{usages[i % len(usages)]}"
            return client.generic(
                method,
                target,
                '{"notes": "bench"}',
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {values['token']}",
            )

        request(0)  # warm
        if tree:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for i in range(repeat):
                request(i)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all="--all" in sys.argv))
            continue
        times, sql_ms, sql_n = [], [], []
        for i in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = request(i)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code < 400, (name, response.status_code)
            sql_n.append(len(queries))
            sql_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        p50 = statistics.median(times)
        s = statistics.median(sql_ms)
        print(f"{name:<32} {p50:7.1f} {sql_n[-1]:6d} {s:7.1f} {p50 - s:7.1f}")
        if "--sql" in sys.argv:
            slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
            for query in slow:
                print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:600]}")


if __name__ == "__main__":
    main()
