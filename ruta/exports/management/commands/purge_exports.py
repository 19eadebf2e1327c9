"""Delete the files of expired exports (the rows stay, marked expired)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.exports.tasks import purge_expired_exports


class Command(BaseCommand):
    help = (
        "Delete the stored files of exports past their expiry (RUTA_EXPORT_DAYS) and mark "
        "them expired. A cron job or systemd timer calls this at least daily, e.g. "
        "'30 * * * * manage.py purge_exports'; it enqueues a background task that the "
        "django-tasks worker runs. Use --now to run it in this process instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the task here instead of enqueueing it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            count = purge_expired_exports.call()
            self.stdout.write(f"Expired exports purged: {count}.")
            return
        result = purge_expired_exports.enqueue()
        self.stdout.write(f"Export purge enqueued (task {result.id}).")
