"""``manage.py search_index``: build (or refill) the finder's text index and say how.

The migration builds it where it can; on PostgreSQL, where the role could not create the
``pg_trgm`` extension then, run this once an administrator has made it available
(``CREATE EXTENSION pg_trgm`` in this database). On SQLite it also refills the index from
``directory_service``. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ruta.directory.search_index import install


class Command(BaseCommand):
    help = "Build or refill the finder's text index (FTS5 on SQLite, pg_trgm on PostgreSQL)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            self.stdout.write(install(connection))
