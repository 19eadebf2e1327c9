"""Load every app's demo data. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ruta.demo.loader import loaders


class Command(BaseCommand):
    help = "Load the demo organizations and users (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for load_demo in loaders():
            summary = load_demo()
            for warning in getattr(summary, "warnings", ()):
                self.stderr.write(warning)
            self.stdout.write(summary.describe())
