"""Field encryption with MultiFernet: the first key in RUTA_FIELD_KEYS encrypts, all decrypt."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise RuntimeError("RUTA_FIELD_KEYS is empty: no key to encrypt personal fields with.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.RUTA_FIELD_KEYS))


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode("ascii")).decode("utf-8")


def rotate(token: str) -> str:
    """Re-encrypt a token under the current (first) key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of ``value`` under a key derived from the current field key.

    Lets the database answer "is this document number already here?" without holding
    the number. ``rotate_field_keys`` recomputes stored hashes after a key change.
    """
    import hashlib
    import hmac

    keys = tuple(settings.RUTA_FIELD_KEYS)
    if not keys:
        raise RuntimeError("RUTA_FIELD_KEYS is empty: no key to hash identifiers with.")
    secret = hashlib.sha256(b"ruta.keyed_hash:" + keys[0].encode()).digest()
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()
