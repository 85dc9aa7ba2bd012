"""Client secrets of identity providers, stored encrypted (Fernet, from the
`cryptography` package), never in plain text. The key comes from
OIDC_ENCRYPTION_KEY, else from SECRET_KEY: changing that key makes the stored
secrets unreadable, and curators enter them again."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet():
    material = (settings.OIDC_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
    key = hashlib.sha256(b"registry identity provider secrets\0" + material).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("the client secret cannot be read with this key; enter it again") from None
