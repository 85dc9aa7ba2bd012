"""The production-shape tier: real gunicorn servers and background workers with
DEBUG off, sharing PostgreSQL and Redis, driven over HTTP on 127.0.0.1.

It catches what one process cannot: a cache that one server fills and another
must see invalidated, a conditional write that crosses servers, a webhook that
two workers could both send. Skipped, with the reason, without PostgreSQL
(DATABASE_URL), Redis at 127.0.0.1:6379 or gunicorn.
"""

import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from .servers import LiveSite, unavailable

_site = None  # the running site, for the server logs of a failed test


# Once per run, and stopped as soon as the tier is done rather than idling
# through the rest of the suite.
@pytest.fixture(scope="package")
def live_site():
    global _site
    reason = unavailable()
    if reason:
        # Under CI the tier must run wherever the database is PostgreSQL: a
        # missing Redis or gunicorn there is a broken CI, not a reason to skip.
        if os.environ.get("CI") and "need PostgreSQL" not in reason:
            pytest.fail(f"The production-shape tests cannot run under CI: {reason}")
        pytest.skip(reason)
    with tempfile.TemporaryDirectory(prefix="registry-live-") as workdir:
        site = LiveSite(workdir=Path(workdir))
        try:
            site.start()
            _site = site
            yield site
        finally:
            _site = None
            site.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test shows what the servers and workers said."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _site is not None:
        report.sections.append(("server and worker logs", _site.logs()))


class Caller:
    """Requests to one server as one viewer: a token, or nobody (no credentials,
    no cookies: every request is a first visit)."""

    def __init__(self, server, token=None):
        self.server = server
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def request(self, method, path, headers=None, **kwargs):
        return httpx.request(
            method,
            self.server + path,
            headers={**self.headers, **(headers or {})},
            timeout=15,
            **kwargs,
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)


@pytest.fixture(scope="package")
def seed(live_site):
    return live_site.seed


@pytest.fixture(scope="package")
def on_a(live_site):
    """Callers through server A: anonymous, the vendor, the municipality."""
    return _callers(live_site.a, live_site.seed)


@pytest.fixture(scope="package")
def on_b(live_site):
    """The same callers through server B."""
    return _callers(live_site.b, live_site.seed)


def _callers(server, seed):
    return SimpleNamespace(
        anonymous=Caller(server),
        vendor=Caller(server, seed["vendor_token"]),
        municipality=Caller(server, seed["municipality_token"]),
    )
