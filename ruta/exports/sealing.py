"""Encryption of stored export files: AES-256-GCM, one random key per file.

The key never touches the storage: it lives in the row, in an encrypted field. The
export's uuid is the associated data, so a file moved under another row does not open.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


def new_key() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")


def seal(key: str, plain: bytes, bound_to: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(base64.urlsafe_b64decode(key)).encrypt(nonce, plain, bound_to)


def unseal(key: str, sealed: bytes, bound_to: bytes) -> bytes:
    """The plain bytes; ``cryptography.exceptions.InvalidTag`` when the file was changed."""
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    return AESGCM(base64.urlsafe_b64decode(key)).decrypt(nonce, body, bound_to)
