"""Secrets at rest (TOTP keys), encrypted with Fernet under BIPRO_DATA_KEY.

Without ``BIPRO_DATA_KEY`` (development) the key is derived from
``BIPRO_SECRET_KEY``, so the demo works out of the box; changing the secret
key then makes the stored secrets unreadable (every second factor must be
reset). A copy of the database alone never gives a secret away.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from bipro.core.identity.policy import IdentityPolicy


class SecretUnreadable(Exception):
    """Stored under another key (BIPRO_DATA_KEY changed) or damaged."""


def _fernet(policy: IdentityPolicy) -> Fernet:
    if policy.data_key:
        return Fernet(policy.data_key.encode("ascii"))
    digest = hashlib.sha256(b"bipro-data-key:" + policy.secret_key.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(policy: IdentityPolicy, secret: str) -> str:
    return _fernet(policy).encrypt(secret.encode("utf-8")).decode("ascii")


def open_sealed(policy: IdentityPolicy, sealed: str) -> str:
    try:
        return _fernet(policy).decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable("stored secret cannot be decrypted with BIPRO_DATA_KEY") from exc


def valid_key(key: str) -> bool:
    """True for a usable BIPRO_DATA_KEY (``Fernet.generate_key()``: 32 bytes, URL-safe base64)."""
    try:
        Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False
    return True
