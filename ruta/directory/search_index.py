"""An index of the services' search text, for the finder's selective words.

The finder keeps a service when its folded ``search_text`` contains every word typed
(``LIKE '%word%'``). On its own, LIKE reads every row's text: 36 to 58 ms at 20,000
services when a word is rare, for only a handful of rows. An index of three-letter pieces
(trigrams) finds the rows that contain a piece of text without reading the others; it
answers the same question as LIKE (is this text a substring?), so the results are the same
rows, in the same order.

- **SQLite**: an FTS5 table with the ``trigram`` tokenizer (SQLite 3.34 or later) holds a
  copy of each service's text under the service's id. Triggers keep it in step with every
  write to ``directory_service`` (editors, imports, bulk writes, raw SQL, deletes). A
  phrase query (``"word"``) is a substring match; the text is folded already (lower case,
  no accents), as the typed words are. Its own copy rather than an external-content
  table: deleting a row from it by id is right even if it ever drifted, where an
  external-content index corrupts when told the wrong old text.
- **PostgreSQL**: a GIN index with ``pg_trgm``'s ``gin_trgm_ops`` on ``search_text``. The
  finder's LIKE stays as it is; the planner uses the index for rare words and reads the
  table in order for common ones.

Where neither is available (SQLite without FTS5, PostgreSQL without ``pg_trgm``, or a role
that may not create the extension), the migration leaves the database as it was and the
finder keeps using LIKE alone: slower for rare words, the same results.
``manage.py search_index`` says which way a database is, and builds the index there once
the extension has been made available.

The index is not always faster. For a word most services contain ("apoyo": 14,879 of
20,000), LIKE finds the first page of names in order after reading a few hundred rows,
while the index hands over every matching id to be sorted (29 ms against 2 ms). So on
SQLite the finder first asks the index whether fewer than ``SELECTIVE`` services match
(reading at most that many of its entries: 0.02 to 2 ms), and uses it only then.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)

SQLITE_TABLE = "directory_service_text"
# Built from the constant table name only: no value from outside reaches this SQL.
SQLITE_TRIGGERS = {
    "ruta_search_text_insert": (
        "AFTER INSERT ON directory_service BEGIN "  # noqa: S608  (constants)
        f"INSERT INTO {SQLITE_TABLE} (rowid, search_text) VALUES (new.id, new.search_text); "
        "END"
    ),
    "ruta_search_text_update": (
        "AFTER UPDATE OF id, search_text ON directory_service BEGIN "  # noqa: S608
        f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id; "
        f"INSERT INTO {SQLITE_TABLE} (rowid, search_text) VALUES (new.id, new.search_text); "
        "END"
    ),
    "ruta_search_text_delete": (
        "AFTER DELETE ON directory_service BEGIN "  # noqa: S608  (constants)
        f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id; END"
    ),
}
POSTGRES_INDEX = "directory_service_search_trgm"

# Below this many matching services (at 20,000 services, where both cost about 10 ms) the
# index finds a word's services faster than LIKE reading the table in name order.
SELECTIVE = 2000
# The trigram tokenizer finds pieces of three characters or more; shorter words use LIKE.
SHORTEST = 3


# --- Building it (the migration, ``manage.py search_index``) --------------------------


def _sqlite_has_fts5(cursor: Any) -> bool:
    """FTS5 compiled in, and a SQLite recent enough for its trigram tokenizer (3.34)."""
    if sqlite3.sqlite_version_info < (3, 34):
        return False
    cursor.execute("PRAGMA compile_options")
    options = {row[0] for row in cursor.fetchall()}
    return "ENABLE_FTS5" in options


def install(database: Any) -> str:
    """Create the index where ``database`` (a connection) allows it, fill it, and say what
    was done. Idempotent: what is already there is kept (on SQLite, the triggers are put
    back after a migration rebuilt ``directory_service``, and the index refilled)."""
    if database.vendor == "sqlite":
        return _install_sqlite(database)
    if database.vendor == "postgresql":
        return _install_postgres(database)
    return f"no text index on {database.vendor}: the finder uses LIKE"


def _install_sqlite(database: Any) -> str:
    with database.cursor() as cursor:
        if not _sqlite_has_fts5(cursor):
            return "no text index: this SQLite has no FTS5 trigram tokenizer, the finder uses LIKE"
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} "
            "USING fts5(search_text, tokenize = 'trigram')"
        )
    install_sqlite_triggers(database)
    with database.cursor() as cursor:
        # Refilled from the table: right whatever happened while the triggers were missing.
        cursor.execute(f"DELETE FROM {SQLITE_TABLE}")  # noqa: S608  (a constant)
        cursor.execute(
            f"INSERT INTO {SQLITE_TABLE} (rowid, search_text) "  # noqa: S608  (a constant)
            "SELECT id, search_text FROM directory_service"
        )
    return "text index: FTS5 trigram table, filled"


def install_sqlite_triggers(database: Any) -> None:
    """(Re)create the triggers that keep the index in step; those there are kept. A
    migration that rebuilds ``directory_service`` on SQLite drops them: it calls this
    through ``version_triggers.install``."""
    if database.vendor != "sqlite":
        return
    with database.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [SQLITE_TABLE])
        if cursor.fetchone() is None:
            return
        for name, body in SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def _install_postgres(database: Any) -> str:
    """``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database's owner may create
    it without being a superuser. Where it is not installed on the server, or this role may
    not create it, nothing changes and the migration goes on."""
    with database.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                with transaction.atomic(using=database.alias):  # a savepoint
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError as error:
                message = (
                    "no text index: the pg_trgm extension could not be created "
                    f"({str(error).strip().splitlines()[0]}); the finder uses LIKE. "
                    "Once it is available, run manage.py search_index."
                )
                logger.warning(message)
                return message
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON directory_service "
            "USING gin (search_text gin_trgm_ops)"
        )
    return "text index: pg_trgm GIN index on directory_service.search_text"


def uninstall(database: Any) -> None:
    with database.cursor() as cursor:
        if database.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")
        elif database.vendor == "postgresql":
            # The extension stays: other tables may use it, and dropping it needs its owner.
            cursor.execute(f"DROP INDEX IF EXISTS {POSTGRES_INDEX}")


def expected_triggers(vendor: str) -> set[str]:
    return set(SQLITE_TRIGGERS) if vendor == "sqlite" else set()


# --- Using it (the finder) --------------------------------------------------------------


def _sqlite_index_present() -> bool:
    """Whether this SQLite database has the index, asked once per connection."""
    name = connection.settings_dict["NAME"]
    known = getattr(connection, "_ruta_text_index", None)
    if known is None or known[0] != name:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [SQLITE_TABLE])
            known = (name, cursor.fetchone() is not None)
        # Kept on the connection's wrapper, for the database it names.
        connection._ruta_text_index = known  # type: ignore[attr-defined]
    return bool(known[1])


def probes() -> bool:
    """Whether a search with words asks the index first (one query, ``indexed_texts``)."""
    return connection.vendor == "sqlite" and _sqlite_index_present()


def _phrase(text: str) -> str:
    """An FTS5 phrase matching ``text`` as a substring (double quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


_MATCH = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"  # noqa: S608


def indexed_texts(texts: list[str]) -> set[str]:
    """Those of ``texts`` the index finds faster than LIKE: on SQLite with the index, texts
    of at least ``SHORTEST`` characters that fewer than ``SELECTIVE`` services contain.
    One query for all of them (none when there is nothing to ask)."""
    candidates = sorted({text for text in texts if len(text) >= SHORTEST})
    if not candidates or not probes():
        return set()
    probe = (
        f"(SELECT count(*) FROM (SELECT 1 FROM {SQLITE_TABLE} "  # noqa: S608  (a constant)
        f"WHERE {SQLITE_TABLE} MATCH %s LIMIT {SELECTIVE}))"
    )
    params = [_phrase(text) for text in candidates]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([probe] * len(candidates)), params)
        counts = cursor.fetchone()
    return {text for text, count in zip(candidates, counts, strict=True) if count < SELECTIVE}


def contains(text: str, indexed: set[str], prefix: str = "") -> Q:
    """Services whose search text contains ``text``: through the index when ``text`` is
    in ``indexed`` (from ``indexed_texts``), else with LIKE. ``prefix`` ("service__")
    applies it to the rows of a model that points at a service."""
    if text in indexed:
        match = RawSQL(_MATCH, [_phrase(text)])  # noqa: S611  (text is a parameter)
        return Q(**{f"{prefix}pk__in": match})
    return Q(**{f"{prefix}search_text__contains": text})
