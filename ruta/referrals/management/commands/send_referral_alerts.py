"""Alert both sides of every referral not answered within its time limit, and settle the
copies of accepted referrals whose consent to share was withdrawn (cron: hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ruta.referrals.tasks import alert_overdue_referrals, settle_withdrawn_copies


class Command(BaseCommand):
    help = (
        "Notify senders and receivers of referrals past their answer time (once each); keep "
        "or erase the copies whose consent to share was withdrawn."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for a worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            alert_overdue_referrals.enqueue()
            settle_withdrawn_copies.enqueue()
            self.stdout.write("Queued the overdue referral alerts and the settling of copies.")
            return
        count = alert_overdue_referrals.call()
        self.stdout.write(f"Overdue referrals alerted: {count}.")
        settled = settle_withdrawn_copies.call()
        self.stdout.write(
            f"Copies after a withdrawn consent: {settled['kept']} kept, {settled['erased']} erased."
        )
