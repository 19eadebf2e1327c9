"""Erase the number, name and instructions of helpline call-backs that are over or older
than RUTA_HELPLINE_CALLBACK_DAYS (cron: daily, or hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ruta.helpline.tasks import erase_callback_data


class Command(BaseCommand):
    help = "Erase the personal data of helpline call-backs that are done or too old."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            erase_callback_data.enqueue()
            self.stdout.write("Queued the erasure of helpline call-back data.")
            return
        count = erase_callback_data.call()
        self.stdout.write(f"Helpline call-backs erased: {count}.")
