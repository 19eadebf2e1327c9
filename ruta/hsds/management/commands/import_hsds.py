"""manage.py import_hsds <file.json|file.zip> [--dry-run] [--user email]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ruta.hsds.importer import Result, run_import


class Command(BaseCommand):
    help = "Check and import Open Referral HSDS 3.0 data (JSON or tabular zip)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="An HSDS JSON file or a zip of HSDS CSV files.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; write nothing.")
        parser.add_argument(
            "--user", default="", help="E-mail of the account recorded as the author."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor = None
        if options["user"]:
            actor = (
                get_user_model()
                .objects.filter(email__iexact=options["user"], is_active=True)
                .first()
            )
            if actor is None:
                raise CommandError(
                    _("No active account with the e-mail %(email)s.") % {"email": options["user"]}
                )
        result = run_import(path.read_bytes(), path.name, actor=actor, dry_run=options["dry_run"])
        self._print(result)
        if not result.valid:
            raise CommandError(
                _("Rejected: %(count)s errors. Nothing was written.")
                % {"count": len(result.errors)}
            )

    def _print(self, result: Result) -> None:
        out = self.stdout
        out.write(_("Format: %(format)s") % {"format": result.format})
        for issue in result.errors:
            out.write(f"{_('ERROR')} {issue.file}:{issue.line} {issue.field}: {issue.reason}")
        for issue in result.warnings:
            out.write(f"{_('WARNING')} {issue.file}:{issue.line} {issue.field}: {issue.reason}")
        for key, value in result.counts.items():
            out.write(f"{key}: {value}")
        if result.valid and result.dry_run:
            out.write(self.style.SUCCESS(_("Valid. Dry run: nothing was written.")))
        elif result.valid:
            out.write(self.style.SUCCESS(_("Imported.")))
