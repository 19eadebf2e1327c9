"""Load the illustrative directory services (idempotent); pathways: ``load_demo``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ruta.directory.demo import load_directory_demo


class Command(BaseCommand):
    help = "Load the illustrative services (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(load_directory_demo().describe())
