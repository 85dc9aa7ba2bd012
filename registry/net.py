"""Outgoing requests to addresses that organisations give us (webhooks,
harvest sources) must not reach into our own network."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_noop

from .i18n import Message


class UnsafeURL(ValueError):
    """Why a URL is refused. str() is English, as logs and the API are; `message`
    is the Message, for a reader of the site in their own language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message if isinstance(message, Message) else Message(message)

    def __str__(self) -> str:
        return self.message.english()


NOT_HTTP = gettext_noop("only http and https URLs with a host name are allowed")
UNRESOLVED = gettext_noop("the host '%(host)s' cannot be resolved")
PRIVATE = gettext_noop(
    "the host '%(host)s' resolves to a non-public address; the registry sends nothing into "
    "its own network"
)
REFUSALS = (NOT_HTTP, UNRESOLVED, PRIVATE)


def check_public_url(url, *, allow_private=False):
    """Raise UnsafeURL unless the URL is http(s) and its host resolves only to
    public addresses (or allow_private is set)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL(Message(NOT_HTTP))
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(Message(UNRESOLVED, host=parts.hostname)) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise UnsafeURL(Message(PRIVATE, host=parts.hostname))


@deconstructible
class PublicURLValidator:
    """The validator of a URL the registry will request (a webhook's, a harvest
    source's), on the model field, so that the API's serializers and the site's
    forms both check it: check_public_url, unless the setting named by
    `allow_private_setting` is on."""

    def __init__(self, allow_private_setting):
        self.allow_private_setting = allow_private_setting

    def __call__(self, value):
        try:
            check_public_url(value, allow_private=getattr(settings, self.allow_private_setting))
        except UnsafeURL as exc:
            # In the active language: the site's reader's, or the API's English.
            raise ValidationError(capfirst(str(exc.message)), code="unsafe_url") from None

    def __eq__(self, other):
        return (
            isinstance(other, PublicURLValidator)
            and other.allow_private_setting == self.allow_private_setting
        )
