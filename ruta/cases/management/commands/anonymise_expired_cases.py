"""Anonymise the closed cases whose organization's retention period has ended."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ruta.cases import retention
from ruta.cases.tasks import anonymise_expired_cases


class Command(BaseCommand):
    help = (
        "Anonymise the closed cases kept longer than their organization's retention period "
        "(RUTA_CASE_RETENTION_YEARS unless the organization set its own): identity and "
        "narratives are erased, coded fields stay for the figures, one audit event per case "
        "with counts only. Run it daily (cron or systemd timer). --dry-run lists, per "
        "organization, the case codes and closure dates that would be anonymised and changes "
        "nothing; --enqueue hands the work to the django-tasks worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be anonymised; change nothing."
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Run it in the background task worker."
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=retention.BATCH,
            help="Cases anonymised per transaction (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["dry_run"]:
            total = 0
            for expired in retention.expired_by_organization(today):
                self.stdout.write(
                    f"{expired.organization} (kept {expired.years} years after closure): "
                    f"{len(expired.cases)} cases"
                )
                for case in expired.cases:
                    self.stdout.write(f"  {case.code}  closed {case.closed_on}")
                total += len(expired.cases)
            self.stdout.write(f"Dry run: {total} cases would be anonymised. Nothing changed.")
            return
        if options["enqueue"]:
            result = anonymise_expired_cases.enqueue()
            self.stdout.write(f"Anonymisation of expired cases enqueued (task {result.id}).")
            return
        count = retention.anonymise_expired(today, batch=max(options["batch"], 1))
        self.stdout.write(f"Expired cases anonymised: {count}.")
