"""The delay bridge (cron: daily): put beneficiaries whose payment is the programme's
number of days late into the stabilisation queue, tell the psychosocial team, and close
the entries whose payment was made. Running it twice the same day changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ruta.stabilisation.actions import refresh_queue
from ruta.stabilisation.tasks import refresh_stabilisation_queue


class Command(BaseCommand):
    help = "Move cash-transfer beneficiaries with late payments into the stabilisation queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            refresh_stabilisation_queue.enqueue()
            self.stdout.write("Queued the stabilisation queue refresh.")
            return
        run = refresh_queue()
        self.stdout.write(
            f"Stabilisation queue: {run.entered} entered, {run.left} left, "
            f"{run.delayed} payments newly delayed."
        )
