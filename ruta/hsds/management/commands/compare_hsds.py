"""manage.py compare_hsds <source> <other> [--limit N]

Every filled cell of an HSDS file (the tabular zip or JSON in any nested shape) looked
up in another, field by field: what the other kept, altered or lost, path by path
(``ruta.hsds.roundtrip``). Exits with status 1 when anything was altered or lost, so a
script can check a round trip: import, export, compare.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.hsds.roundtrip import Tables, compare, read_json, read_zip


def _read(path: Path) -> Tables:
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        return read_zip(data)
    return read_json(data)


class Command(BaseCommand):
    help = "Compare two HSDS files cell by cell: what the second kept, altered or lost."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The file as published (zip or JSON).")
        parser.add_argument("other", help="The file to check against it (zip or JSON).")
        parser.add_argument("--limit", type=int, default=200, help="Differences shown.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = compare(_read(Path(options["source"])), _read(Path(options["other"])))
        for difference in result.differences[: options["limit"]]:
            self.stdout.write(str(difference))
        self.stdout.write(result.summary())
        if result.differences:
            raise CommandError(result.summary(), returncode=1)
