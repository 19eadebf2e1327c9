"""Trust another installation: read the JSON its ``export_installation_key`` printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.transfers.exchange import add_peer
from ruta.transfers.packages import PackageError


class Command(BaseCommand):
    help = "Add (or update) a peer installation from its public key JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON file from export_installation_key.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        if not isinstance(data, dict):
            raise CommandError("The file must hold one JSON object.")
        try:
            peer = add_peer(data)
        except PackageError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Peer installation {peer.name} ({peer.country}) trusted. "
            f"Fingerprint: {peer.fingerprint} — check it with the other installation."
        )
