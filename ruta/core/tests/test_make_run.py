"""`make run` serves the web app and the task worker side by side, so queued work is done.

The worker line is read from ``Procfile.dev`` (what ``make run`` starts through honcho) and
run here against the same task backend ``make run`` uses (the database queue), not the
immediate backend the other tests use.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from ruta.directory.models import ImportJob, ImportStatus
from ruta.directory.tests.factories import make_service
from ruta.hsds.export import export_file
from ruta.hsds.jobs import start_import

ROOT = Path(__file__).resolve().parents[3]
MAKE_RUN_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _processes(procfile: str) -> dict[str, list[str]]:
    lines = (ROOT / procfile).read_text().splitlines()
    found = {}
    for line in lines:
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            found[name.strip()] = shlex.split(command)
    return found


def test_make_run_starts_the_web_server_and_the_worker_together() -> None:
    makefile = (ROOT / "Makefile").read_text()
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "honcho -f Procfile.dev start" in run_target
    processes = _processes("Procfile.dev")
    assert processes["web"][1:3] == ["manage.py", "runserver"]
    assert processes["worker"][1:3] == ["manage.py", "task_worker"]
    production = _processes("Procfile")
    assert "gunicorn" in production["web"][0] and production["worker"][1:3] == [
        "manage.py",
        "task_worker",
    ]


# Committed for real, as between a web process and a worker: the worker closes its database
# connection between tasks, which a test wrapped in one transaction could not survive.
@pytest.mark.django_db(transaction=True)
def test_a_queued_import_completes_under_the_make_run_worker(world: Any) -> None:
    make_service(world.care, "Apoyo psicosocial")
    archive, _counts = export_file()
    worker = _processes("Procfile.dev")["worker"]
    with override_settings(TASKS=MAKE_RUN_TASKS):
        job = start_import(
            world.user("coordinator"),
            SimpleUploadedFile("directorio.zip", archive.read()),
            dry_run=True,
            language="es",
        )
        job.refresh_from_db()
        assert job.status == ImportStatus.PENDING  # queued, not run in the request
        call_command(*worker[2:], "--batch")  # the worker make run starts, until the queue is empty
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportStatus.VALID, job.status
