"""Import jobs: who sees them and how one starts (``runner.py`` runs them in the background).

Only coordinators and platform administrators (``Cap.MANAGE_DIRECTORY``) see and start
imports. A job always checks the whole file first; a dry run stops there, an import
writes only when the check passes (see ``importer/``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.directory.actions import DirectoryError
from ruta.directory.models import ImportJob, ImportStatus
from ruta.hsds.tasks import run_import_job
from ruta.lib.permissions import Cap, user_can

if TYPE_CHECKING:
    from ruta.accounts.models import User

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
    run_import_job.enqueue(str(job.uuid), language)


def start_import(
    actor: User, upload: UploadedFile[bytes], *, dry_run: bool, language: str, request: Any = None
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
