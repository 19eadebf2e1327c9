"""Print a new backup key for RUTA_BACKUP_KEY (kept apart from the field keys)."""

from typing import Any

from django.core.management.base import BaseCommand

from ruta.core.backup_stream import new_key


class Command(BaseCommand):
    help = "Print a new key for sealing backup archives (RUTA_BACKUP_KEY)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
