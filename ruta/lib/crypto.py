"""Field encryption with MultiFernet: the first key in RUTA_FIELD_KEYS encrypts, all decrypt."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

M = TypeVar("M", bound="Model")


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


def _hash_secret(key: str) -> bytes:
    import hashlib

    return hashlib.sha256(b"ruta.keyed_hash:" + key.encode()).digest()


def _keyed(key: str, value: str) -> str:
    import hashlib
    import hmac

    return hmac.new(_hash_secret(key), value.encode("utf-8"), hashlib.sha256).hexdigest()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of ``value`` under a key derived from the current field key.

    Lets the database answer "is this document number already here?" without holding
    the number. ``rotate_field_keys`` recomputes stored hashes whose value it holds
    (encrypted); a pseudonymous code whose value is never stored is re-keyed when next seen
    (``keyed_hashes``, ``find_keyed``).
    """
    keys = tuple(settings.RUTA_FIELD_KEYS)
    if not keys:
        raise RuntimeError("RUTA_FIELD_KEYS is empty: no key to hash identifiers with.")
    return _keyed(keys[0], value)


def keyed_hashes(value: str) -> list[str]:
    """The keyed hash of ``value`` under every key of RUTA_FIELD_KEYS, the current one first:
    what a code hashed before a key rotation may still be stored as."""
    keys = tuple(settings.RUTA_FIELD_KEYS)
    if not keys:
        raise RuntimeError("RUTA_FIELD_KEYS is empty: no key to hash identifiers with.")
    return list(dict.fromkeys(_keyed(key, value) for key in keys))


def find_keyed(queryset: QuerySet[M], field: str, value: str) -> M | None:
    """The row of ``queryset`` whose ``field`` holds the keyed hash of ``value`` under any
    field key; a row found under an older key is re-keyed to the current one on the spot.

    Codes whose value Ruta never stores (a beneficiary's or a participant's id) cannot be
    recomputed by ``rotate_field_keys``: they move to the new key as they are seen again,
    so keep an old key in RUTA_FIELD_KEYS while codes made under it should be recognised.
    """
    hashes = keyed_hashes(value)
    found = {getattr(row, field): row for row in queryset.filter(**{f"{field}__in": hashes})}
    for rank, hashed in enumerate(hashes):
        row = found.get(hashed)
        if row is None:
            continue
        if rank:
            setattr(row, field, hashes[0])
            row.save(update_fields=[field])
        return row
    return None
