"""Remind caseworkers of overdue plan actions and contacts that are due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.cases.tasks import send_case_reminders


class Command(BaseCommand):
    help = (
        "Create the daily in-app reminder for each caseworker with overdue plan actions or "
        "contacts due today or earlier (one notification each, counts only, no case data). "
        "A cron job or systemd timer calls this once a day, e.g. "
        "'0 7 * * * manage.py send_case_reminders'; it enqueues a background task that the "
        "django-tasks worker (manage.py task_worker) runs. Use --now to run it in this process "
        "instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the task here instead of enqueueing it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            count = send_case_reminders.call()
            self.stdout.write(f"Case reminders: {count} caseworkers notified.")
            return
        result = send_case_reminders.enqueue()
        self.stdout.write(f"Case reminders enqueued (task {result.id}).")
