"""Print this installation's public identity as JSON, to give to a peer installation."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ruta.transfers.actions import TransferError
from ruta.transfers.exchange import current_keys


class Command(BaseCommand):
    help = "Print the public keys and fingerprint of this installation (no private key)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            keys = current_keys()
        except TransferError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(keys.public.as_public_json(), indent=2))
