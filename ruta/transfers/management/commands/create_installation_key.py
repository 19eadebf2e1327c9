"""Create this installation's signing and encryption keys (``--rotate`` to replace them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.transfers.actions import TransferError
from ruta.transfers.exchange import create_installation_key


class Command(BaseCommand):
    help = "Create this installation's Ed25519 and X25519 keys for transfer packages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Name of this installation.")
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-2 country code.")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the current key (the old one is kept to open packages sent to it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        country = str(options["country"]).upper()
        if len(country) != 2 or not country.isalpha():
            raise CommandError("--country must be a two-letter ISO code, e.g. PE.")
        try:
            row = create_installation_key(options["name"], country, rotate=options["rotate"])
        except TransferError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Installation key created. Fingerprint: {row.fingerprint}")
