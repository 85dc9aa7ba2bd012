"""Rate limits hold against a forged X-Forwarded-For and against concurrency."""

import secrets
import threading

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from registry.api import AnonymousRateThrottle

from .test_errors import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute():
    original = AnonymousRateThrottle.THROTTLE_RATES
    AnonymousRateThrottle.THROTTLE_RATES = {**original, "anonymous": "3/minute"}
    yield
    AnonymousRateThrottle.THROTTLE_RATES = original


def test_a_forged_forwarded_for_header_does_not_buy_more_requests(api, three_a_minute):
    codes = [
        api.get("/api/v1/licenses?pageSize=1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_a_configured_proxy_passes_on_the_client_address(api, settings, three_a_minute):
    settings.TRUSTED_PROXY_COUNT = 1
    first = [
        api.get("/api/v1/licenses?pageSize=1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        for _ in range(4)
    ]
    other = api.get("/api/v1/licenses?pageSize=1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert first == [200, 200, 200, 429]
    assert other.status_code == 200


def _redis(location):
    from django.core.cache.backends.redis import RedisCache

    return RedisCache(location, {})


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request):
    # No clear(): another test run may share this Redis database.
    return _redis("redis://127.0.0.1:6379/13") if request.param == "redis" else caches["default"]


def test_eight_clients_at_once_get_no_more_than_the_limit(
    shared_cache, three_a_minute, monkeypatch
):
    """DRF's read-append-write throttle let 660 of 660 through a 600/minute limit."""
    monkeypatch.setattr(AnonymousRateThrottle, "cache", shared_cache)
    # An address of this run's own: parallel runs on one Redis must not share a count.
    address = f"192.0.2.{secrets.randbelow(250) + 1}:{secrets.token_hex(4)}"
    request = RequestFactory().get("/api/v1/licenses", REMOTE_ADDR=address)
    request.auth = None
    allowed = []
    start = threading.Barrier(8)

    def client():
        start.wait()
        for _ in range(10):
            if AnonymousRateThrottle().allow_request(request, None):
                allowed.append(1)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 3


def test_an_unreachable_cache_lets_requests_through(three_a_minute, monkeypatch):
    monkeypatch.setattr(AnonymousRateThrottle, "cache", _redis("redis://127.0.0.1:1/0"))
    request = RequestFactory().get("/api/v1/licenses", REMOTE_ADDR="192.0.2.51")
    request.auth = None
    assert all(AnonymousRateThrottle().allow_request(request, None) for _ in range(5))


def test_the_limit_answers_problem_json(api, three_a_minute):
    for _ in range(3):
        api.get("/api/v1/licenses?pageSize=1")
    assert_problem(api.get("/api/v1/licenses?pageSize=1"), 429)
