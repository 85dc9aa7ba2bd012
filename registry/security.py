"""Response headers Django's SecurityMiddleware does not write.

The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY);
this adds the Permissions-Policy, which needs no library.
"""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


def client_address(request):
    """The address a request came from, for rate limits and sign-in throttling.

    X-Forwarded-For is believed only as far as settings.TRUSTED_PROXY_COUNT
    proxies of our own wrote it: the Nth address from the right is the one the
    outermost trusted proxy saw. Without configured proxies a client could put
    any address in that header, so it is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not count or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    return addresses[-min(count, len(addresses))]


class RejectNulMiddleware:
    """A NUL character in the path or the query string is a bad request (400).

    No address of ours has one, and PostgreSQL refuses it in text, so left
    alone it surfaced as a database error (500 or 503) deep in a view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("NUL character in the request address")
        return self.get_response(request)
