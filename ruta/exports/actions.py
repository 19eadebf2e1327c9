"""Asking for an export and downloading it; each writes an audit event (ids only)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from ruta.audit.actions import record
from ruta.exports import production, registry, sealing
from ruta.exports.models import ExportStatus, SecureExport
from ruta.exports.tasks import produce_export

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ruta.accounts.models import User


class ExportUnavailable(Exception):
    """The file is not there (any more): expired, failed or still being made."""


def export_days() -> int:
    return max(1, int(settings.RUTA_EXPORT_DAYS))


def request_export(
    actor: User,
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    request: HttpRequest | None = None,
    language: str | None = None,
) -> SecureExport:
    """Create the row and queue the task that makes the file."""
    if registry.producer(kind) is None:
        raise ValueError(f"No producer registered for the export kind {kind!r}.")
    now = timezone.now()
    with transaction.atomic():
        export = SecureExport.objects.create(
            kind=kind,
            owner=actor,
            organization_id=actor.organization_id,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            params=json.dumps(params or {}),
            created_at=now,
            expires_at=now + timedelta(days=export_days()),
        )
        record(
            "export.requested",
            actor=actor,
            request=request,
            obj=export,
            organization=export.organization,
            details={"kind": kind, "expires_at": export.expires_at.isoformat()},
        )
    produce_export.enqueue(str(export.uuid))
    export.refresh_from_db()
    return export


def is_expired(export: SecureExport) -> bool:
    return export.status == ExportStatus.EXPIRED or export.expires_at <= timezone.now()


def download(export: SecureExport, *, request: HttpRequest | None = None) -> bytes:
    """The plain file for its owner (access checked by the caller), counted and audited."""
    if is_expired(export):
        if export.status != ExportStatus.EXPIRED:
            production.expire(export)
        raise ExportUnavailable
    if export.status != ExportStatus.READY or not export.file.name:
        raise ExportUnavailable
    with default_storage.open(export.file.name, "rb") as stored:
        sealed = stored.read()
    if hashlib.sha256(sealed).hexdigest() != export.sha256:
        raise ExportUnavailable
    plain = sealing.unseal(export.file_key, sealed, export.uuid.bytes)
    SecureExport.objects.filter(pk=export.pk).update(
        download_count=F("download_count") + 1, last_downloaded_at=timezone.now()
    )
    export.refresh_from_db(fields=["download_count", "last_downloaded_at"])
    record(
        "export.downloaded",
        request=request,
        obj=export,
        organization=export.organization,
        details={
            "kind": export.kind,
            "count": export.download_count,
            **({"cases": export.case_uuids} if export.case_uuids else {}),
        },
    )
    return plain
