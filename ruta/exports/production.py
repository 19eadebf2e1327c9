"""Making an export's file (run by the background task) and removing expired ones.

The producer's bytes are encrypted before they reach the storage; the parameters (which
may hold a one-time PDF password) are wiped once the file is made or has failed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from ruta.audit.actions import record
from ruta.exports import registry, sealing
from ruta.exports.models import ExportStatus, SecureExport

logger = logging.getLogger(__name__)


def _claim(export_uuid: str) -> SecureExport | None:
    with transaction.atomic():
        export = (
            SecureExport.objects.select_for_update(of=("self",))
            .select_related("owner", "organization")
            .filter(uuid=export_uuid, status=ExportStatus.WAITING)
            .first()
        )
    return export


def _fail(export: SecureExport, why: str) -> str:
    logger.warning("Export %s (%s) failed: %s", export.uuid, export.kind, why)
    export.status = ExportStatus.FAILED
    export.params = ""
    export.save(update_fields=["status", "params"])
    record(
        "export.failed",
        actor=export.owner,
        obj=export,
        organization=export.organization,
        details={"kind": export.kind},
    )
    return str(export.status)


def produce(export_uuid: str) -> str:
    """Make the file of a waiting export; the resulting status (or "skipped")."""
    export = _claim(export_uuid)
    if export is None:
        return "skipped"
    producer = registry.producer(export.kind)
    if producer is None:
        return _fail(export, "no producer for this kind")
    try:
        params = json.loads(export.params or "{}")
        with translation.override(export.language):
            made = producer.produce(export, params)
    except registry.ExportRefused as refused:
        return _fail(export, f"refused: {refused}")
    except Exception:  # the row must not stay "being prepared" forever
        logger.exception("Export %s (%s) raised", export.uuid, export.kind)
        return _fail(export, "error")
    key = sealing.new_key()
    sealed = sealing.seal(key, made.content, export.uuid.bytes)
    name = default_storage.save(f"exports/{export.uuid}.bin", ContentFile(sealed))
    export.file.name = name
    export.file_key = key
    export.filename = made.filename[:200]
    export.content_type = made.content_type[:100]
    export.size = len(made.content)
    export.sha256 = hashlib.sha256(sealed).hexdigest()
    export.case_uuids = sorted(made.cases)
    export.status = ExportStatus.READY
    export.ready_at = timezone.now()
    export.params = ""
    export.save()
    record(
        "export.produced",
        actor=export.owner,
        obj=export,
        organization=export.organization,
        details={"kind": export.kind, "size": export.size},
    )
    return str(export.status)


def expire(export: SecureExport) -> None:
    """Delete the stored file; keep the row (who asked for what, when) as expired."""
    if export.file.name:
        default_storage.delete(export.file.name)
    export.file.name = ""
    export.file_key = ""
    export.params = ""
    export.status = ExportStatus.EXPIRED
    export.save(update_fields=["file", "file_key", "params", "status"])


def delete_stored_file(sender: Any, instance: SecureExport, **kwargs: Any) -> None:
    """A row deleted with its owner or organization takes its encrypted file with it."""
    if instance.file.name:
        default_storage.delete(instance.file.name)


def purge_expired(now: datetime | None = None) -> int:
    """Expire every export past its date; one audit event with the count."""
    moment = now or timezone.now()
    due = SecureExport.objects.filter(expires_at__lte=moment).exclude(status=ExportStatus.EXPIRED)
    count = 0
    for export in due.iterator():
        expire(export)
        count += 1
    if count:
        record("export.purged", details={"count": count})
    return count
