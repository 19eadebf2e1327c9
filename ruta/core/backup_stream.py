"""The encrypted envelope of a backup archive: AES-256-GCM over 1 MiB chunks, streamed.

Layout::

    header   MAGIC (8 bytes) | salt (16 random bytes) | key check (16 bytes)
    chunk*   length of the sealed chunk (4 bytes, big-endian) | sealed chunk

Each archive gets its own keys, derived from the backup key and the salt with HKDF-SHA256:
one for AES-GCM, one for the key check (an HMAC over the header, so a wrong key is told
apart from a damaged file before anything is decrypted). Chunk ``n`` is sealed with the
nonce ``n`` (11 bytes) followed by a last-chunk flag (1 byte), the header as associated
data: a chunk moved, dropped, repeated, altered or taken from another archive fails to
open, and a file cut short is missing its flagged last chunk. Nothing is written after
the last chunk. Memory stays at a chunk or two whatever the size of the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"RUTABK\x00\x01"
SALT_BYTES = 16
CHECK_BYTES = 16
HEADER_BYTES = len(MAGIC) + SALT_BYTES + CHECK_BYTES
CHUNK = 1024 * 1024
TAG_BYTES = 16
KEY_BYTES = 32


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, for the operator."""


def new_key() -> str:
    """A new backup key: 32 random bytes, URL-safe base64 (the same shape as a field key)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def parse_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        key = b""
    if len(key) != KEY_BYTES:
        raise BackupError(
            "The backup key is not a key made by `manage.py generate_backup_key` "
            "(32 bytes in URL-safe base64)."
        )
    return key


def _derive(key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    material = HKDF(
        algorithm=hashes.SHA256(), length=2 * KEY_BYTES, salt=salt, info=b"ruta backup v1"
    ).derive(key)
    return material[:KEY_BYTES], material[KEY_BYTES:]


def _key_check(check_key: bytes, salt: bytes) -> bytes:
    return hmac.new(check_key, MAGIC + salt, hashlib.sha256).digest()[:CHECK_BYTES]


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object that seals what it is given into ``sink``.

    ``close()`` writes the last chunk (flagged) and must be called for the archive to be
    complete; it does not close ``sink``.
    """

    def __init__(self, sink: BinaryIO, key: bytes) -> None:
        salt = os.urandom(SALT_BYTES)
        aead_key, check_key = _derive(key, salt)
        self._aead = AESGCM(aead_key)
        self._header = MAGIC + salt
        self._sink = sink
        self._buffer = bytearray()
        self._counter = 0
        self.closed = False
        sink.write(self._header + _key_check(check_key, salt))

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self.closed:
            raise ValueError("write to a closed backup archive")
        self._buffer += data
        # Keep at least one byte back: the last chunk is only known at close().
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, last), plain, self._header)
        self._sink.write(struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def flush(self) -> None:
        """Nothing to do: chunks go out as they fill (tarfile calls this)."""

    def close(self) -> None:
        if self.closed:
            return
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()
        self.closed = True


class DecryptingReader:
    """A read-only file object giving back what ``EncryptingWriter`` sealed.

    Raises ``BackupError`` on a wrong key, a damaged, reordered or truncated file, or
    bytes after the last chunk. ``read_to_end()`` checks the whole file was sound even
    when the reader of the plain text stopped early.
    """

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        header = source.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupError("This file is not a Ruta backup archive (or its header is damaged).")
        salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
        aead_key, check_key = _derive(key, salt)
        if not hmac.compare_digest(header[len(MAGIC) + SALT_BYTES :], _key_check(check_key, salt)):
            raise BackupError(
                "This archive was not made with this backup key (or its header was altered)."
            )
        self._aead = AESGCM(aead_key)
        self._header = MAGIC + salt
        self._source = source
        self._counter = 0
        self._plain = b""
        self._offset = 0
        self._finished = False

    def _next_chunk(self) -> bool:
        if self._finished:
            return False
        prefix = self._source.read(4)
        if len(prefix) < 4:
            raise BackupError("The archive is truncated: its last part is missing.")
        (length,) = struct.unpack(">I", prefix)
        if length < TAG_BYTES or length > CHUNK + TAG_BYTES:
            raise BackupError(f"The archive is damaged (part {self._counter + 1}).")
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise BackupError("The archive is truncated: its last part is missing.")
        for last in (False, True):
            try:
                plain = self._aead.decrypt(_nonce(self._counter, last), sealed, self._header)
            except InvalidTag:
                continue
            self._counter += 1
            self._plain, self._offset = plain, 0
            if last:
                self._finished = True
                if self._source.read(1):
                    raise BackupError("The archive has bytes after its end: it was altered.")
            return True
        raise BackupError(
            f"The archive was altered or damaged (part {self._counter + 1} does not verify)."
        )

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while size < 0 or len(out) < size:
            if self._offset >= len(self._plain) and not self._next_chunk():
                break
            want = len(self._plain) - self._offset
            if size >= 0:
                want = min(want, size - len(out))
            out += self._plain[self._offset : self._offset + want]
            self._offset += want
        return bytes(out)

    def read_to_end(self) -> int:
        """Read (and verify) what is left; the number of plain bytes that were left."""
        left = len(self._plain) - self._offset
        self._offset = len(self._plain)
        while self._next_chunk():
            left += len(self._plain)
            self._offset = len(self._plain)
        return left
