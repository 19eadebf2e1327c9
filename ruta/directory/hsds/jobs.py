"""Import jobs: who sees them, how one starts, and how the background task runs it.

Only coordinators and platform administrators (``Cap.MANAGE_DIRECTORY``) see and start
imports. A job always checks the whole file first; a dry run stops there, an import
writes only when the check passes (see ``importer.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.models import User

import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.directory.actions import DirectoryError
from ruta.directory.hsds import importer
from ruta.directory.models import ImportJob, ImportStatus
from ruta.lib.permissions import Cap, user_can

logger = logging.getLogger(__name__)

FINISHED = (ImportStatus.VALID, ImportStatus.FAILED, ImportStatus.DONE)


# --- Access ---------------------------------------------------------------------------


def visible_jobs(user: User) -> QuerySet[ImportJob]:
    if user_can(user, Cap.MANAGE_DIRECTORY):
        return ImportJob.objects.select_related("created_by")
    return ImportJob.objects.none()


def get_visible_job(user: User, job_uuid: Any) -> ImportJob:
    return get_object_or_404(visible_jobs(user), uuid=job_uuid)


# --- Actions --------------------------------------------------------------------------


def _enqueue(job: ImportJob, language: str) -> None:
    from ruta.directory.hsds.tasks import run_import_job

    run_import_job.enqueue(str(job.uuid), language)


def start_import(
    actor: User, upload: UploadedFile, *, dry_run: bool, language: str, request: Any = None
) -> ImportJob:
    """Store the uploaded file, create the job and queue it."""
    with transaction.atomic():
        job = ImportJob(created_by=actor, original_name=(upload.name or "")[:200], dry_run=dry_run)
        job.file.save(upload.name or "import", upload, save=False)
        job.save()
        record(
            "hsds.import_started",
            actor=actor,
            request=request,
            obj=job,
            details={"dry_run": dry_run},
        )
    _enqueue(job, language)
    return job


def confirm_import(actor: User, job: ImportJob, *, language: str, request: Any = None) -> ImportJob:
    """Import for real the file of a dry run that passed: a new job, the same file."""
    if not job.dry_run or job.status != ImportStatus.VALID:
        raise DirectoryError(_("Only a dry run that passed can be imported."))
    with transaction.atomic():
        confirmed = ImportJob.objects.create(
            created_by=actor,
            file=job.file.name,
            original_name=job.original_name,
            dry_run=False,
        )
        record(
            "hsds.import_started",
            actor=actor,
            request=request,
            obj=confirmed,
            details={"dry_run": False, "after": str(job.uuid)},
        )
    _enqueue(confirmed, language)
    return confirmed


def _progress(job: ImportJob) -> importer.Progress:
    def update(percent: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)))

    return update


def run_job(job: ImportJob) -> ImportJob:
    """Run one job to the end (called by the task): status, progress and report."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, progress=1)
    name = job.original_name or job.file.name or "import"
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        result = importer.run_import(
            data, name, actor=job.created_by, dry_run=job.dry_run, progress=_progress(job)
        )
        report = result.as_report()
        if not result.valid:
            status = ImportStatus.FAILED
        else:
            status = ImportStatus.VALID if job.dry_run else ImportStatus.DONE
    except Exception:
        logger.exception("HSDS import %s failed", job.uuid)
        status = ImportStatus.FAILED
        problem = _("The import stopped because of an unexpected error; nothing was written.")
        report = {
            "valid": False,
            "dry_run": job.dry_run,
            "error_total": 1,
            "errors": [{"file": name, "line": 0, "field": "", "reason": problem}],
            "warning_total": 0,
            "warnings": [],
            "counts": {},
        }
    job.status = status
    job.report = report
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "progress", "finished_at"])
    record(
        "hsds.import_finished",
        actor=job.created_by,
        obj=job,
        details={
            "status": status,
            "dry_run": job.dry_run,
            "errors": report.get("error_total", 0),
            **report.get("counts", {}),
        },
    )
    return job
