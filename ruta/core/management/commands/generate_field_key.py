"""Print a new Fernet key for RUTA_FIELD_KEYS (put it first to make it current)."""

from typing import Any

from django.core.management.base import BaseCommand

from ruta.lib.crypto import new_key


class Command(BaseCommand):
    help = "Print a new field-encryption key."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
