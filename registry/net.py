"""Outgoing requests to addresses that organisations give us (webhooks,
harvest sources) must not reach into our own network."""

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURL(ValueError):
    pass


def check_public_url(url, *, allow_private=False):
    """Raise UnsafeURL unless the URL is http(s) and its host resolves only to
    public addresses (or allow_private is set)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("only http and https URLs with a host name are allowed")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(f"the host {parts.hostname!r} cannot be resolved") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise UnsafeURL(f"the host {parts.hostname!r} resolves to a non-public address")
