"""The directory version's triggers (migration 0013), for migrations that come after it.

On SQLite, Django rebuilds a table to alter it (a new column with a default, a changed
field), and the rebuilt table has no triggers: a migration that touches one of the
version's tables must call ``install`` for it afterwards, or the finder's cached choices
go stale. ``test_every_table_still_has_its_trigger_after_all_migrations`` holds it.
For ``directory_service`` it also puts back the triggers of the finder's text index
(``search_index``, migration 0015), which such a rebuild drops the same way.
"""

from __future__ import annotations

from typing import Any

from ruta.directory.search_index import install_sqlite_triggers

OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def sqlite_trigger(table: str, operation: str) -> str:
    return f"ruta_version_{table}_{operation.lower()}"


def expected_triggers(vendor: str, tables: tuple[str, ...]) -> set[str]:
    if vendor == "sqlite":
        return {sqlite_trigger(table, op) for table in tables for op in OPERATIONS}
    if vendor == "postgresql":
        return {f"ruta_version_{table}" for table in tables}
    return set()


def install(schema_editor: Any, tables: tuple[str, ...]) -> None:
    """(Re)create the version triggers of ``tables``; those already there are kept.
    PostgreSQL keeps triggers through ALTER TABLE, so only SQLite needs this."""
    if schema_editor.connection.vendor != "sqlite":
        return
    if "directory_service" in tables:
        install_sqlite_triggers(schema_editor.connection)
    for table in tables:
        for operation in OPERATIONS:
            # Table names from the migrations' own constants, never from input.
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {sqlite_trigger(table, operation)} "  # noqa: S608
                f"AFTER {operation} ON {table} "
                "BEGIN UPDATE directory_directoryversion SET token = random(); END"
            )
