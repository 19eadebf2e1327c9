"""Checking an uploaded meeting material: size, and type sniffed from the file's header.

The extension must agree with what the first bytes say; Office files are ZIP packages
recognised by the part that names their kind (``word/``, ``ppt/``, ``xl/``).
"""

from __future__ import annotations

import zipfile
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_MATERIAL_BYTES = 10 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OFFICE_PARTS = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}


def sniff(upload: IO[bytes]) -> str | None:
    """The kind of file (a key of ``CONTENT_TYPES``) its content says, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as package:
                names = package.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        for kind, prefix in OFFICE_PARTS.items():
            if any(name.startswith(prefix) for name in names):
                return kind
    return None


def check_material(upload: Any) -> str:
    """The content type of an acceptable upload; ``ValidationError`` otherwise."""
    if upload.size > MAX_MATERIAL_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    extension = "jpg" if extension == "jpeg" else extension
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("Only PDF, PPTX, DOCX, XLSX, PNG and JPG files are accepted."), code="type"
        )
    kind = sniff(upload)
    if kind is None or kind != extension:
        raise ValidationError(
            _("The file's content is not a %(kind)s file.") % {"kind": extension.upper()},
            code="content",
        )
    return CONTENT_TYPES[kind]
