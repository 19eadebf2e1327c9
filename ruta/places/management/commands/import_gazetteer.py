"""manage.py import_gazetteer <file.csv> [--dry-run]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ruta.places.gazetteer import Result, count_labels, run_import


class Command(BaseCommand):
    help = "Check and import a gazetteer CSV of level-2 areas (districts, cantons) with P-codes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A gazetteer CSV file (UTF-8, comma or semicolon).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        result = run_import(path.read_bytes(), path.name, dry_run=options["dry_run"])
        self._print(result)
        if not result.valid:
            raise CommandError(
                _("Rejected: %(count)s errors. Nothing was written.")
                % {"count": len(result.errors)}
            )

    def _print(self, result: Result) -> None:
        out = self.stdout
        for issue in result.errors:
            out.write(f"{_('ERROR')} {issue.file}:{issue.line} {issue.field}: {issue.reason}")
        for label, value in count_labels(result.counts, done=not result.dry_run):
            out.write(f"{label}: {value}")
        if result.valid and result.dry_run:
            out.write(self.style.SUCCESS(_("Valid. Dry run: nothing was written.")))
        elif result.valid:
            out.write(self.style.SUCCESS(_("Imported.")))
