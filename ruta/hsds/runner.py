"""Running one import job to the end: status, progress and the stored report."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.directory.models import ImportJob, ImportStatus
from ruta.hsds import importer

logger = logging.getLogger(__name__)


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
