"""The directory version's triggers (migration 0013), for migrations that come after it.

On SQLite, Django rebuilds a table to alter it (a new column with a default, a changed
field), and the rebuilt table has no triggers: a migration that touches one of the
version's tables must call ``install`` for it afterwards, or the finder's cached choices
go stale. ``test_every_table_still_has_its_trigger_after_all_migrations`` holds it.
For ``directory_service`` it also puts back the triggers of the finder's text index
(``search_index``, migration 0015), which such a rebuild drops the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def bumped_once(connection: Any, tables: tuple[str, ...]) -> Iterator[None]:
    """Inside a transaction, a bulk write to ``tables`` bumps the directory version once.

    On SQLite the version triggers are row triggers: each row written updates the
    version's row again, which triples the cost of an insert (an HSDS import writes
    hundreds of thousands). Here they are dropped for the bulk write, then created again
    from their own SQL and the version bumped once. SQLite's DDL is transactional (a
    rollback brings them back) and it has one writer at a time (no other write runs
    while they are away). PostgreSQL's fire once per statement: left alone."""
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bumped_once needs a transaction: the triggers must come back.")
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "  # noqa: S608
            f"AND name LIKE 'ruta_version_%%' AND tbl_name IN ({marks})",
            list(tables),
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
            cursor.execute("UPDATE directory_directoryversion SET token = random()")
