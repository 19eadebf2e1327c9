"""The task worker waits out a database outage instead of exiting (``manage.py task_worker``).

The outage is the first thing the worker meets: its first check of the connection fails
as it does while PostgreSQL restarts. ``task_worker`` logs it, waits, and then runs the
queued task; django-tasks-db's own ``db_worker`` dies on the same error (the load test
saw it die on a real restart: loadtest/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.test import override_settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from ruta.referrals.tasks import alert_overdue_referrals

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SHUTTING_DOWN = "connection failed: FATAL:  the database system is shutting down"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def restarting_database() -> Iterator[list[float]]:
    """The worker's first connection check fails; the time.sleep calls are recorded."""
    real_check = db_worker.close_old_connections
    calls = {"n": 0}

    def check() -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError(SHUTTING_DOWN)
        real_check()

    pauses: list[float] = []
    with (
        mock.patch.object(db_worker, "close_old_connections", check),
        mock.patch("time.sleep", pauses.append),  # both workers' pauses, and only theirs
        override_settings(TASKS=DATABASE_TASKS),
    ):
        yield pauses


def _queued() -> Any:
    result = alert_overdue_referrals.enqueue()
    return DBTaskResult.objects.get(id=result.id)


def test_the_worker_waits_out_the_outage_then_runs_the_queue(
    restarting_database: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    queued = _queued()
    call_command("task_worker", "--max-tasks", "1", "--no-startup-delay", "--no-reload")
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert restarting_database == [1.0]
    warning = next(r for r in caplog.records if r.name == "ruta.tasks")
    assert "Database unavailable" in warning.getMessage()
    assert "shutting down" in warning.getMessage()


def test_the_plain_db_worker_dies_on_the_same_outage(restarting_database: list[float]) -> None:
    queued = _queued()
    with pytest.raises(OperationalError):
        call_command("db_worker", "--max-tasks", "1", "--no-startup-delay", "--no-reload")
    queued.refresh_from_db()
    assert queued.status == "READY"


def test_batch_mode_still_stops_on_an_error(restarting_database: list[float]) -> None:
    _queued()
    with pytest.raises(OperationalError):
        call_command("task_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert restarting_database == []


def test_the_pause_grows_during_an_outage_and_starts_again_after_one() -> None:
    from ruta.core.management.commands.task_worker import ResilientWorker

    worker = ResilientWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="probe",
        excluded_queue_names=[],
    )
    clock = {"now": 0.0}
    # Three failures in a row, a long stretch of work (100 s), another failure, then done.
    script = iter([0.0, 0.0, 0.0, 100.0, None])

    def parent_run(self: Any) -> None:
        step = next(script)
        if step is None:
            return
        clock["now"] += step
        raise OperationalError(SHUTTING_DOWN)

    pauses: list[float] = []
    with (
        mock.patch.object(db_worker.Worker, "run", parent_run),
        mock.patch("time.sleep", pauses.append),
        mock.patch("time.monotonic", lambda: clock["now"]),
    ):
        worker.run()
    assert pauses == [1.0, 2.0, 4.0, 1.0]
