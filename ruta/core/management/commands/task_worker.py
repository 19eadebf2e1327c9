"""Ruta's task worker: django-tasks-db's ``db_worker`` that waits out a database outage.

``db_worker`` exits on the first connection error: a PostgreSQL restart (an upgrade, a
fail-over) stopped the background tasks until someone restarted the worker, while the web
processes reconnected by themselves. This worker logs the outage in one line, closes its
connections, waits (1, 2, 4 ... up to 30 seconds; from 1 again after it has worked for a
while) and goes on polling the queue. With ``--batch`` (run the queue once, then exit) an
error still ends the command.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("ruta.tasks")

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        pause = FIRST_PAUSE
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # --batch or --max-tasks: the queue loop ended by itself
            except (OperationalError, InterfaceError) as error:
                if self.batch:
                    raise
                if time.monotonic() - started > LONGEST_PAUSE:
                    pause = FIRST_PAUSE  # it had been working again: a new outage
                first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
                logger.warning(
                    "Database unavailable (%s: %s); trying again in %.0f s.",
                    type(error).__name__,
                    first_line[:200],
                    pause,
                )
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)


class Command(db_worker.Command):
    help = (
        "Run the background task worker (django-tasks-db's db_worker), waiting out "
        "database outages instead of exiting."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
