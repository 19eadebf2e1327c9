"""manage.py export_hsds <path.zip> [--lang es|en] [--base-url https://…]

The organizations' ``uri`` is this installation's address of each in the HSDS API: the
command has no request to read it from, so it takes RUTA_BASE_URL (or ``--base-url``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from ruta.hsds.export import write_export
from ruta.hsds.mapping import Context


class Command(BaseCommand):
    help = "Write the published directory as an HSDS 3.0 tabular zip (CSV + datapackage.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Where to write the zip.")
        parser.add_argument("--lang", choices=["es", "en"], default="es")
        parser.add_argument(
            "--base-url",
            default="",
            help="This installation's public address (default: RUTA_BASE_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        with path.open("wb") as target:
            base = (options["base_url"] or settings.RUTA_BASE_URL).rstrip("/")
            counts = write_export(target, Context(language=options["lang"], base_url=base))
        for name, rows in counts.items():
            self.stdout.write(f"{name}: {rows}")
        self.stdout.write(self.style.SUCCESS(_("Written: %(path)s") % {"path": path}))
