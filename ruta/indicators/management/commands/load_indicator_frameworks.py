"""``manage.py load_indicator_frameworks``: load (again) the shipped indicator frameworks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ruta.indicators.loader import load_all


class Command(BaseCommand):
    help = "Load the shipped indicator frameworks (idempotent; a coordinator's edits are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            loaded = load_all()
        for name, (created, updated) in loaded.items():
            self.stdout.write(f"{name}: {created} created, {updated} updated")
