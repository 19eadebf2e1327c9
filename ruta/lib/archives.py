"""Reading uploaded zip archives (HSDS packages, XLSX workbooks) without letting a small
file unpack into gigabytes (a "zip bomb") or a broken one end in a traceback.

``open_archive`` checks the sizes the archive declares before anything is unpacked;
``read_member`` unpacks one member with a hard limit, so a member whose header lies about
its size is stopped (Python's zipfile never returns more than the declared size and fails
the CRC check on a lie). Every failure is an ``ArchiveError`` with a message to show.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO, Any

from django.utils.translation import gettext as _

# A declared ratio above this is not a spreadsheet or a CSV export: it is a bomb.
MAX_RATIO = 200
# What zipfile raises on a member it cannot unpack.
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    OSError,
    RuntimeError,
)


class ArchiveError(Exception):
    """The archive cannot be read safely; the message is translated and safe to show."""


def open_archive(data: bytes, *, max_total: int, max_member: int) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise ArchiveError(_("The file is not a valid zip archive.")) from error
    total = 0
    for info in members:
        if info.flag_bits & 0x1:  # encrypted: nothing Ruta reads is sent with a password
            archive.close()
            raise ArchiveError(
                _("A file inside the archive is protected by a password (%(name)s).")
                % {"name": info.filename}
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > max_member or total > max_total or ratio > MAX_RATIO:
            archive.close()
            raise ArchiveError(
                _("The archive is too large once unpacked (%(name)s).") % {"name": info.filename}
            )
    return archive


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> bytes:
    """The member's bytes, never more than ``limit``; a corrupt member is an ArchiveError."""
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
            if len(data) > limit:
                raise ArchiveError(
                    _("The archive is too large once unpacked (%(name)s).")
                    % {"name": info.filename}
                )
            member.read(1)  # reach the end, where zipfile checks the CRC
    except _READ_ERRORS as error:
        raise _damaged(info) from error
    # A header that lies about the size yields a cut or short member that zipfile does not
    # always notice: the size and checksum it declared must match what was unpacked.
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise _damaged(info)
    return data


class _CheckedMember(io.RawIOBase):
    """A member read as a stream with ``read_member``'s checks: never more than the
    limit, and at its end the size and checksum it declared (a lie is an ArchiveError)."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> None:
        self.info, self.limit, self.size, self.crc = info, limit, 0, 0
        try:
            self.member: IO[bytes] = archive.open(info)
        except _READ_ERRORS as error:
            raise _damaged(info) from error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.member.read(len(buffer))
        except _READ_ERRORS as error:
            raise _damaged(self.info) from error
        self.size += len(data)
        if self.size > self.limit:
            raise ArchiveError(
                _("The archive is too large once unpacked (%(name)s).")
                % {"name": self.info.filename}
            )
        if not data and (self.size != self.info.file_size or self.crc != self.info.CRC):
            raise _damaged(self.info)
        self.crc = zlib.crc32(data, self.crc)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.member.close()
        super().close()


def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> IO[bytes]:
    """The member as a stream of bytes, checked as ``read_member`` checks it but without
    holding it whole: a corrupt, cut or oversized member raises ArchiveError while read."""
    return io.BufferedReader(_CheckedMember(archive, info, limit), buffer_size=256 * 1024)


def _damaged(info: zipfile.ZipInfo) -> ArchiveError:
    return ArchiveError(
        _("A file inside the archive is damaged (%(name)s).") % {"name": info.filename}
    )


def check_workbook(data: bytes, *, max_total: int) -> None:
    """Refuse an XLSX workbook whose parts would unpack beyond ``max_total`` bytes, or any
    of whose parts is damaged, before a spreadsheet library reads it."""
    with open_archive(data, max_total=max_total, max_member=max_total) as archive:
        for info in archive.infolist():
            read_member(archive, info, limit=max_total)
