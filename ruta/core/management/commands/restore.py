"""Restore an archive made by ``manage.py backup`` into an empty database.

    manage.py restore ARCHIVE [--key-file FILE] [--verify-only] [--replace]

Every member is checked against the manifest before anything is written; after loading,
every table's row count and every file's bytes are checked again. Any mismatch ends with
a non-zero exit. See the README, "Backups and key custody".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.core.backup import BackupError, backup_key, restore


class Command(BaseCommand):
    help = "Restore an encrypted backup archive into an empty database and storage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="archive written by manage.py backup")
        parser.add_argument("--key-file", help="file holding the backup key")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="decrypt and check the archive against its manifest; change nothing",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database that holds tables, and stored files that differ",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = backup_key(options["key_file"])
            result = restore(
                Path(options["archive"]),
                key,
                using=options["database"],
                replace=options["replace"],
                verify_only=options["verify_only"],
                say=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        summary = (
            f"{len(manifest.tables)} tables, {sum(manifest.tables.values())} rows, "
            f"{len(manifest.files)} files; made {manifest.data['created_at']} "
            f"by Ruta {manifest.data['ruta']['version']}"
        )
        if options["verify_only"]:
            self.stdout.write(self.style.SUCCESS(f"The archive is sound: {summary}."))
            return
        self.stdout.write(
            f"Files: {result.files_restored} written, {result.files_already_there} already there."
        )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"This code has {len(result.pending_migrations)} migration(s) the backup "
                    "predates: run `manage.py migrate` next. This restore is not in the "
                    "audit trail (the backup's audit table predates this code)."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Restored and verified: {summary}."))
