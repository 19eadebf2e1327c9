"""Uploads that unpack into far more than they weigh, or lie about it, are refused quickly
with a clear message: HSDS packages and XLSX attendance sheets."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook

from ruta.directory.models import Service
from ruta.hsds.importer import run_import
from ruta.lib.archives import ArchiveError, open_archive, read_member
from ruta.trainings.imports import MAX_ROWS, ImportFileError, read_table

pytestmark = pytest.mark.usefixtures("english")

BLANK_LINES = b"\n" * (190 * 1024 * 1024)  # 190 MB that deflate to about 190 KB


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The same archive, with ``name``'s uncompressed size rewritten in both headers."""
    raw = bytearray(data)
    encoded = name.encode()
    local = raw.find(b"PK\x03\x04")
    while local != -1:
        length = struct.unpack_from("<H", raw, local + 26)[0]
        if raw[local + 30 : local + 30 + length] == encoded:
            struct.pack_into("<I", raw, local + 22, size)
        local = raw.find(b"PK\x03\x04", local + 4)
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46 : central + 46 + length] == encoded:
            struct.pack_into("<I", raw, central + 24, size)
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def _corrupt(data: bytes, name: str) -> bytes:
    """The same archive with bytes in the middle of ``name``'s compressed data flipped."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(name.encode()) + len(info.extra)
    for offset in range(start + 10, start + min(info.compress_size, 200) - 10):
        raw[offset] ^= 0x5A
    return bytes(raw)


def _sheet(rows: int) -> bytes:
    book = Workbook()
    sheet: Any = book.active
    sheet.append(["name", "email", "organization", "sex", "country"])
    for index in range(rows):
        sheet.append([f"Persona {index}", f"p{index}@example.org", "CARE", "F", "PE"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- HSDS ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hsds_package_of_blank_lines_is_refused_from_its_declared_size(world: Any) -> None:
    bomb = _zip({"services.csv": BLANK_LINES})
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    result = run_import(bomb, "bomb.zip", actor=world.user("coordinator"), dry_run=True)
    assert time.monotonic() - started < 30  # bounded work, far from the 220 s it took
    assert not result.valid
    assert [error.reason for error in result.errors] == [
        "The archive is too large once unpacked (services.csv)."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("factor", [0.01, 2])  # says it is smaller, or larger, than it is
def test_hsds_member_whose_header_lies_is_a_clear_error(world: Any, factor: float) -> None:
    services = "id,name,status\n" + "\n".join(
        f"00000000-0000-4000-8000-{index:012d},Servicio {index},active" for index in range(500)
    )
    honest = _zip({"services.csv": services.encode()})
    lying = _lie_about_size(honest, "services.csv", int(len(services) * factor))
    result = run_import(lying, "lie.zip", actor=world.user("coordinator"), dry_run=False)
    assert not result.valid
    assert any("damaged (services.csv)" in error.reason for error in result.errors), [
        error.reason for error in result.errors
    ]
    assert not Service.objects.exists()


@pytest.mark.django_db
def test_hsds_damaged_member_is_a_clear_error(world: Any) -> None:
    services = "id,name,status\n" + "\n".join(
        f"00000000-0000-4000-8000-{index:012d},Servicio número {index},active"
        for index in range(2000)
    )
    damaged = _corrupt(_zip({"services.csv": services.encode()}), "services.csv")
    result = run_import(damaged, "x.zip", actor=world.user("coordinator"), dry_run=True)
    assert not result.valid
    assert any("damaged (services.csv)" in error.reason for error in result.errors)


def _encrypted(data: bytes) -> bytes:
    """The same archive with every member flagged as password-protected."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(signature)
        while at != -1:
            flags = struct.unpack_from("<H", raw, at + offset)[0]
            struct.pack_into("<H", raw, at + offset, flags | 0x1)
            at = raw.find(signature, at + 4)
    return bytes(raw)


def test_a_password_protected_member_is_a_clear_error(world: Any) -> None:
    with pytest.raises(ImportFileError, match="password"):
        read_table("asistencia.xlsx", _encrypted(_sheet(3)))


@pytest.mark.django_db
def test_a_password_protected_hsds_package_is_a_clear_error(world: Any) -> None:
    package = _encrypted(_zip({"services.csv": b"id,name,status\n"}))
    result = run_import(package, "x.zip", actor=world.user("coordinator"), dry_run=True)
    assert [error.reason for error in result.errors] == [
        "A file inside the archive is protected by a password (services.csv)."
    ]


def test_archive_reader_checks_ratio_and_limit() -> None:
    with pytest.raises(ArchiveError):
        open_archive(_zip({"a.txt": b"0" * 5_000_000}), max_total=10**9, max_member=10**9)
    archive = open_archive(_zip({"a.txt": b"hola " * 100}), max_total=10**6, max_member=10**6)
    with archive:
        info = archive.getinfo("a.txt")
        assert read_member(archive, info, limit=500) == b"hola " * 100
        with pytest.raises(ArchiveError):
            read_member(archive, info, limit=499)
    with pytest.raises(ArchiveError, match="not a valid zip"):
        open_archive(b"PK\x03\x04 not really", max_total=10, max_member=10)


# --- XLSX attendance sheets ------------------------------------------------------------


def test_xlsx_bomb_is_refused_before_it_is_parsed() -> None:
    workbook = _sheet(3)
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["xl/worksheets/sheet1.xml"] += b" " * (100 * 1024 * 1024)
    bomb = _zip(parts)
    assert len(bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="too large once unpacked"):
        read_table("asistencia.xlsx", bomb)
    assert time.monotonic() - started < 30


def test_damaged_xlsx_is_a_clear_error() -> None:
    workbook = _sheet(400)
    with pytest.raises(ImportFileError):
        read_table("asistencia.xlsx", _corrupt(workbook, "xl/worksheets/sheet1.xml"))


def test_xlsx_reading_stops_past_the_row_limit() -> None:
    lines = read_table("asistencia.xlsx", _sheet(MAX_ROWS + 50))
    assert len(lines) == MAX_ROWS + 2  # header, the limit, one more: enough to refuse it
