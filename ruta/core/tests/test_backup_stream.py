"""The sealed stream of a backup archive: what a reader of the file can and cannot get away with."""

from __future__ import annotations

import io

import pytest

from ruta.core.backup_stream import (
    CHUNK,
    HEADER_BYTES,
    BackupError,
    DecryptingReader,
    EncryptingWriter,
    new_key,
    parse_key,
)


def _sealed(data: bytes, key: bytes) -> bytes:
    sink = io.BytesIO()
    writer = EncryptingWriter(sink, key)
    writer.write(data)
    writer.close()
    return sink.getvalue()


def _chunks(sealed: bytes) -> tuple[bytes, list[bytes]]:
    header, rest, parts = sealed[:HEADER_BYTES], sealed[HEADER_BYTES:], []
    while rest:
        length = int.from_bytes(rest[:4], "big") + 4
        parts.append(rest[:length])
        rest = rest[length:]
    return header, parts


def _open(sealed: bytes, key: bytes) -> bytes:
    return DecryptingReader(io.BytesIO(sealed), key).read()


def test_the_stream_detects_reordered_dropped_and_repeated_chunks() -> None:
    key = parse_key(new_key())
    data = bytes(range(256)) * (CHUNK * 5 // 2 // 256)  # two full chunks and a half
    sealed = _sealed(data, key)
    assert _open(sealed, key) == data
    header, parts = _chunks(sealed)
    assert len(parts) == 3
    for broken in (
        header + parts[1] + parts[0] + parts[2],  # reordered
        header + parts[0] + parts[2],  # one dropped from the middle
        header + parts[0] + parts[1],  # the last dropped: truncated at a chunk boundary
        header + parts[0] + parts[1] + parts[2] + parts[2],  # bytes after the end
        _chunks(_sealed(data, key))[0] + parts[0] + parts[1] + parts[2],  # another archive's header
    ):
        with pytest.raises(BackupError):
            _open(broken, key)
    with pytest.raises(BackupError, match="not made with this backup key"):
        _open(sealed, parse_key(new_key()))
    assert _open(_sealed(b"", key), key) == b""
