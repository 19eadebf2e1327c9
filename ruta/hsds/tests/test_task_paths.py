"""Jobs queued before the HSDS code moved out of the directory app still find their task."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from ruta.hsds.tasks import run_import_job

migration = import_module("ruta.hsds.migrations.0001_task_paths")

OLD = "ruta.directory.hsds.tasks.run_import_job"
NEW = "ruta.hsds.tasks.run_import_job"
OTHER = "ruta.directory.tasks.send_stale_reminders"


def queued(task_path: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=task_path, args_kwargs={}, backend_name="default", run_after=timezone.now()
    )


@pytest.mark.django_db
def test_queued_jobs_follow_the_task_to_the_hsds_app_and_back() -> None:
    job, other = queued(OLD), queued(OTHER)

    migration.forwards(apps, None)
    job.refresh_from_db()
    other.refresh_from_db()
    assert job.task_path == NEW
    assert other.task_path == OTHER
    assert import_string(job.task_path) is run_import_job

    migration.backwards(apps, None)
    job.refresh_from_db()
    other.refresh_from_db()
    assert job.task_path == OLD
    assert other.task_path == OTHER
