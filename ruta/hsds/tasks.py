"""Background work of the HSDS exchange (django-tasks)."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from ruta.directory.models import ImportJob, ImportStatus
from ruta.hsds.runner import run_job


@task()
def run_import_job(job_uuid: str, language: str = "es") -> str:
    """Check (and, unless a dry run, write) the file of one ImportJob."""
    job = ImportJob.objects.select_related("created_by").filter(uuid=job_uuid).first()
    if job is None or job.status != ImportStatus.PENDING:
        return "skipped"
    with translation.override(language):
        return str(run_job(job).status)
