"""Alert both sides of every referral not answered within its time limit (cron: hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ruta.referrals.tasks import alert_overdue_referrals


class Command(BaseCommand):
    help = "Notify senders and receivers of referrals past their answer time (once each)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            alert_overdue_referrals.enqueue()
            self.stdout.write("Queued the overdue referral alerts.")
            return
        count = alert_overdue_referrals.call()
        self.stdout.write(f"Overdue referrals alerted: {count}.")
