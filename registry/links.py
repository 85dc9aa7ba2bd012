"""Absolute links in what we send out (feeds, exports, publiccode.yml, webhook
payloads).

SITE_URL names this installation when it is set. When it is not, a link made
while answering a request takes that request's scheme and host (so `PORT=8080
make run` links to port 8080); work outside a request (the worker) falls back
to SITE_URL's development default.
"""

from contextvars import ContextVar

from django.conf import settings

_request_base: ContextVar[str | None] = ContextVar("request_base", default=None)
FALLBACK = "http://127.0.0.1:8000"


def base_url() -> str:
    return settings.SITE_URL or _request_base.get() or FALLBACK


def absolute(path: str) -> str:
    return base_url() + path


class RequestBaseMiddleware:
    """Remember the scheme and host of the request being answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)


def keeping_base(iterable):
    """An iterable for a streaming response, whose body is produced after the view
    has returned (and the middleware has forgotten the request): links made while it
    is read keep this request's base."""
    return _with_base(_request_base.get(), iter(iterable))


def _with_base(base, iterator):
    while True:
        token = _request_base.set(base)
        try:
            item = next(iterator)
        except StopIteration:
            return
        finally:
            _request_base.reset(token)
        yield item
