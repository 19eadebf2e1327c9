"""Write an encrypted backup archive: database snapshot, uploaded files, manifest.

    manage.py backup /srv/backups/ruta-2026-12-06.rutabackup [--key-file FILE]

The backup key comes from --key-file, RUTA_BACKUP_KEY or RUTA_BACKUP_KEY_FILE. See the
README, "Backups and key custody".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.core.backup import BackupError, backup_key, make_backup


class Command(BaseCommand):
    help = "Write an encrypted backup (database, uploaded files, manifest) to OUTPUT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="archive to create (never overwritten)")
        parser.add_argument("--key-file", help="file holding the backup key")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = backup_key(options["key_file"])
            result = make_backup(
                Path(options["output"]), key, using=options["database"], say=self.stdout.write
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"{len(manifest.tables)} tables, {rows} rows, {len(manifest.files)} files."
        )
        if result.missing_files:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(result.missing_files)} file(s) named in the database are not in the "
                    "storage (listed under files.missing in the manifest)."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Backup written: {result.path}"))
