"""Remind agency admins and coordinators of directory entries that need verification."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.directory.tasks import send_stale_reminders


class Command(BaseCommand):
    help = (
        "Send the daily digest of stale directory entries (services not verified for "
        "RUTA_VERIFY_DAYS days) to each organization's agency admins and to the coordinators. "
        "A cron job or systemd timer calls this once a day, e.g. "
        "'15 7 * * * manage.py send_stale_reminders'; it enqueues a background task that "
        "the django-tasks worker (manage.py task_worker) runs. A service is reminded at most "
        "once every 7 days. Use --now to run it in this process instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the task here instead of enqueueing it."
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Site address for the links in the e-mails, e.g. https://ruta.example.org "
            "(default: the RUTA_BASE_URL setting).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = options["base_url"]
        if options["now"]:
            summary = send_stale_reminders.call(base_url=base_url)
            self.stdout.write(
                f"Stale reminders: {summary['services']} services of "
                f"{summary['organizations']} organizations, {summary['emails']} e-mails sent."
            )
            return
        result = send_stale_reminders.enqueue(base_url=base_url)
        self.stdout.write(f"Stale reminders enqueued (task {result.id}).")
