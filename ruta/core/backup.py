"""Backup and restore of a whole installation: database, uploaded files, a manifest.

The archive is a tar stream sealed with the backup key (``backup_stream``)::

    database/ruta.pgdump  or  database/ruta.sqlite3    pg_dump --format=custom, or a SQLite copy
    files/<storage name>                                 every file in the default storage
    manifest.json                                        written last: what is above, checked on restore

The database part is one consistent snapshot: PostgreSQL's is exported from a read-only
repeatable-read transaction that pg_dump then shares, and the row counts and migration
state in the manifest are read in that same transaction; SQLite's is made with the
online backup API and counted in the copy. Uploaded files are read through Django's
storage API after the snapshot (a file removed in between is reported, one added in
between is kept). Personal fields stay as the database holds them, encrypted with the
field keys; the field keys, the secret key and the backup key are never in the archive.

Restore takes an archive apart into a private temporary folder, checks every member
against the manifest, refuses a target database that holds tables (unless told to
replace them), loads the database, checks every table's row count, then puts the files
back through the storage API and reads each one back. Any mismatch is an error.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from ruta.audit.actions import record
from ruta.core.backup_stream import (
    BackupError,
    DecryptingReader,
    EncryptingWriter,
    parse_key,
)

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBERS = {"postgresql": "database/ruta.pgdump", "sqlite": "database/ruta.sqlite3"}
FILES_PREFIX = "files/"
READ_BYTES = 1024 * 1024

__all__ = ["BackupError", "Manifest", "RestoreResult", "backup_key", "make_backup", "restore"]

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    """The default ``say``: tell nobody."""


# --- keys --------------------------------------------------------------------------------


def backup_key(key_file: str | None = None) -> bytes:
    """The backup key from ``key_file``, or RUTA_BACKUP_KEY / RUTA_BACKUP_KEY_FILE.

    A field key is refused as a backup key: the two are kept by different people, so that
    a stolen archive and a stolen backup key still do not open a survivor's record.
    """
    if key_file:
        try:
            text = Path(key_file).read_text(encoding="utf-8")
        except OSError as error:
            raise BackupError(f"Cannot read the backup key file {key_file}: {error}.") from error
    else:
        text = getattr(settings, "RUTA_BACKUP_KEY", "") or ""
    if not text.strip():
        raise BackupError(
            "No backup key: set RUTA_BACKUP_KEY or RUTA_BACKUP_KEY_FILE, or pass --key-file "
            "(make one with `manage.py generate_backup_key`)."
        )
    if text.strip() in {k.strip() for k in settings.RUTA_FIELD_KEYS}:
        raise BackupError(
            "The backup key is one of the field keys (RUTA_FIELD_KEYS). Use a separate key, "
            "kept by someone else: `manage.py generate_backup_key`."
        )
    return parse_key(text)


# --- the database snapshot ------------------------------------------------------------------


@dataclass
class Snapshot:
    vendor: str
    path: Path
    tables: dict[str, int]
    migrations: dict[str, list[str]]
    referenced_files: set[str]
    server: str = ""


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DB_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_rows(cursor: Any, tables: Sequence[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any, tables: Sequence[str]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    if "django_migrations" not in tables:
        return state
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    for app, name in cursor.fetchall():
        state.setdefault(str(app), []).append(str(name))
    return state


def _file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of every installed model."""
    columns = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField) and model_field.column:
                columns.append((model._meta.db_table, model_field.column))
    return columns


def _referenced_files(cursor: Any, tables: Sequence[str]) -> set[str]:
    names: set[str] = set()
    for table, column in _file_columns():
        if table not in tables:
            continue
        cursor.execute(
            f"SELECT {_quote(column)} FROM {_quote(table)} WHERE {_quote(column)} <> ''"  # noqa: S608
        )
        names.update(str(row[0]) for row in cursor.fetchall() if row[0])
    return names


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq environment for pg_dump / pg_restore: the password never on a command line."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS", {}) or {}
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGPASSFILE": options.get("passfile"),
        "PGSERVICE": options.get("service"),
    }
    for name, value in pairs.items():
        if value:
            env[name] = str(value)
    return env


def _program(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"`{name}` is not installed or not on PATH (Debian: apt-get install postgresql-client)."
        )
    return path


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(
            f"{what} failed: " + (" / ".join(detail[-5:]) or f"exit {done.returncode}")
        )


def _not_in_transaction(connection: BaseDatabaseWrapper) -> None:
    if connection.in_atomic_block:
        raise BackupError("Backup and restore cannot run inside a database transaction.")


def _snapshot_postgresql(connection: BaseDatabaseWrapper, dest: Path) -> Snapshot:
    pg_dump = _program("pg_dump")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, server = cursor.fetchone()
        tables = connection.introspection.table_names(cursor)
        counts = _count_rows(cursor, tables)
        migrations = _migrations(cursor, tables)
        referenced = _referenced_files(cursor, tables)
        # pg_dump joins the exported snapshot: it sees exactly what was counted above.
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--no-password",
                f"--file={dest}",
            ],
            _pg_env(connection.settings_dict),
            "pg_dump",
        )
    return Snapshot("postgresql", dest, counts, migrations, referenced, f"PostgreSQL {server}")


def _snapshot_sqlite(connection: BaseDatabaseWrapper, dest: Path) -> Snapshot:
    connection.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        # The online backup API copies one consistent state, restarting if a writer interferes.
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
        tables = [str(row[0]) for row in cursor.fetchall()]
        counts = _count_rows(cursor, tables)
        migrations = _migrations(cursor, tables)
        referenced = _referenced_files(cursor, tables)
        server = f"SQLite {sqlite3.sqlite_version}"
    finally:
        copy.close()
    return Snapshot("sqlite", dest, counts, migrations, referenced, server)


# --- uploaded files ---------------------------------------------------------------------------


def storage_files(storage: Storage) -> Iterator[str]:
    """Every file name in ``storage``, walking its folders through the storage API."""
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in sorted(files):
            yield f"{folder}/{name}" if folder else name
        pending.extend(sorted((f"{folder}/{d}" if folder else d for d in folders), reverse=True))


class _HashingReader:
    """Wraps a file: counts and hashes what tarfile reads from it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


# --- the manifest ------------------------------------------------------------------------------


@dataclass
class Manifest:
    data: dict[str, Any]

    @property
    def members(self) -> dict[str, dict[str, Any]]:
        members: dict[str, dict[str, Any]] = self.data["members"]
        return members

    @property
    def tables(self) -> dict[str, int]:
        tables: dict[str, int] = self.data["database"]["tables"]
        return tables

    @property
    def vendor(self) -> str:
        return str(self.data["database"]["vendor"])

    @property
    def migrations(self) -> dict[str, list[str]]:
        state: dict[str, list[str]] = self.data["migrations"]
        return state

    @property
    def files(self) -> list[str]:
        return [n[len(FILES_PREFIX) :] for n in self.members if n.startswith(FILES_PREFIX)]


def _commit() -> str:
    """The git commit of the running code, when it runs from a checkout."""
    commit = os.environ.get("RUTA_COMMIT", "")
    if commit:
        return commit
    git = shutil.which("git")
    if not git or not (Path(settings.BASE_DIR) / ".git").exists():
        return ""
    try:
        done = subprocess.run(  # noqa: S603
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


# --- backup ----------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    missing_files: list[str] = field(default_factory=list)


def _add(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = 0
    reader = _HashingReader(source)
    tar.addfile(info, reader)
    if reader.size != size:
        raise BackupError(f"{name} changed size while it was being read.")
    return {"size": size, "sha256": reader.sha256.hexdigest()}


def make_backup(
    output: Path,
    key: bytes,
    *,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
    say: Say = _quiet,
) -> BackupResult:
    """Write the encrypted archive to ``output`` (through ``output.partial``, renamed at the end)."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists already; backups never overwrite one another.")
    connection = connections[using]
    vendor = _vendor(connection)
    _not_in_transaction(connection)
    storage = storage or default_storage
    partial = output.with_name(output.name + ".partial")
    created_at = timezone.now()
    with tempfile.TemporaryDirectory(prefix="ruta-backup-") as work:
        dump_path = Path(work) / "database"
        say("Taking the database snapshot…")
        snapshot = (
            _snapshot_postgresql(connection, dump_path)
            if vendor == "postgresql"
            else _snapshot_sqlite(connection, dump_path)
        )
        members: dict[str, dict[str, Any]] = {}
        missing: list[str] = []
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as error:
            raise BackupError(
                f"{partial} exists: another backup is running, or one failed."
            ) from error
        try:
            with os.fdopen(fd, "wb") as sink:
                sealed = EncryptingWriter(sink, key)
                with tarfile.open(fileobj=sealed, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
                    db_member = DB_MEMBERS[vendor]
                    with dump_path.open("rb") as dump:
                        members[db_member] = _add(tar, db_member, dump, dump_path.stat().st_size)
                    say("Adding uploaded files…")
                    present = set()
                    for name in storage_files(storage):
                        present.add(name)
                        with storage.open(name, "rb") as upload:
                            members[FILES_PREFIX + name] = _add(
                                tar, FILES_PREFIX + name, upload, storage.size(name)
                            )
                    missing = sorted(snapshot.referenced_files - present)
                    manifest = Manifest(
                        {
                            "format": FORMAT,
                            "created_at": created_at.isoformat(),
                            "ruta": {"version": settings.VERSION, "commit": _commit()},
                            "database": {
                                "vendor": vendor,
                                "server": snapshot.server,
                                "member": db_member,
                                "tables": snapshot.tables,
                            },
                            "migrations": snapshot.migrations,
                            "files": {
                                "count": len(present),
                                "bytes": sum(
                                    m["size"]
                                    for n, m in members.items()
                                    if n.startswith(FILES_PREFIX)
                                ),
                                "missing": missing,
                            },
                            "members": members,
                        }
                    )
                    body = json.dumps(manifest.data, indent=2, sort_keys=True).encode("utf-8")
                    _add(tar, MANIFEST, io.BytesIO(body), len(body))
                sealed.close()
                sink.flush()
                os.fsync(sink.fileno())
            partial.rename(output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    record(
        "backup.created",
        details={
            "rows": sum(snapshot.tables.values()),
            "count": len(manifest.files),
            "size": output.stat().st_size,
        },
    )
    return BackupResult(output, manifest, missing)


# --- restore ---------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: Manifest
    pending_migrations: list[str] = field(default_factory=list)
    files_restored: int = 0
    files_already_there: int = 0


def _safe_member(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and "" not in parts


def _unpack(archive: Path, key: bytes, work: Path) -> tuple[Manifest, dict[str, Path]]:
    """Decrypt and untar ``archive`` into ``work``; check it against its manifest."""
    extracted: dict[str, Path] = {}
    hashes: dict[str, dict[str, Any]] = {}
    manifest_bytes = b""
    try:
        source = archive.open("rb")
    except OSError as error:
        raise BackupError(f"Cannot open {archive}: {error}.") from error
    with source:
        reader = DecryptingReader(source, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                for index, info in enumerate(tar):
                    if not info.isfile() or not _safe_member(info.name) or info.name in hashes:
                        raise BackupError(f"The archive holds an unexpected member: {info.name!r}.")
                    stream = tar.extractfile(info)
                    assert stream is not None  # a regular file always has a stream
                    digest = hashlib.sha256()
                    size = 0
                    if info.name == MANIFEST:
                        manifest_bytes = stream.read()
                        digest.update(manifest_bytes)
                        size = len(manifest_bytes)
                    else:
                        target = work / f"{index:08d}"
                        with target.open("wb") as out:
                            while chunk := stream.read(READ_BYTES):
                                digest.update(chunk)
                                size += len(chunk)
                                out.write(chunk)
                        extracted[info.name] = target
                    hashes[info.name] = {"size": size, "sha256": digest.hexdigest()}
        except tarfile.TarError as error:
            raise BackupError(f"The archive's contents are not readable: {error}.") from error
        reader.read_to_end()
    if not manifest_bytes:
        raise BackupError("The archive has no manifest.")
    try:
        manifest = Manifest(json.loads(manifest_bytes))
        if manifest.data.get("format") != FORMAT:
            raise BackupError(
                f"Archive format {manifest.data.get('format')!r} is not one this Ruta reads ({FORMAT})."
            )
        expected = manifest.members
        vendor = manifest.vendor
        _ = manifest.tables, manifest.migrations
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"The manifest is not readable: {error}.") from error
    hashes.pop(MANIFEST)
    if set(expected) != set(hashes):
        missing = sorted(set(expected) - set(hashes))
        extra = sorted(set(hashes) - set(expected))
        raise BackupError(
            f"The archive does not match its manifest: missing {missing}, unlisted {extra}."
        )
    for name, found in hashes.items():
        if found != expected[name]:
            raise BackupError(f"{name} does not match its manifest entry (size or SHA-256).")
    if DB_MEMBERS.get(vendor) not in extracted:
        raise BackupError("The archive holds no database.")
    return manifest, extracted


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def _check_code_matches(manifest: Manifest) -> list[str]:
    """Refuse a backup from newer code; return the migrations this code has that it lacks."""
    known = _known_migrations()
    saved = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(saved - known)
    if unknown:
        shown = ", ".join(f"{a}.{n}" for a, n in unknown[:5])
        raise BackupError(
            f"The backup comes from newer code: this Ruta does not know the migrations {shown}. "
            "Restore with the version that made it (see ruta.version and ruta.commit in the manifest)."
        )
    return sorted(f"{a}.{n}" for a, n in known - saved)


def _table_names(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def _refuse_tables(connection: BaseDatabaseWrapper, replace: bool) -> list[str]:
    existing = _table_names(connection)
    if existing and not replace:
        raise BackupError(
            f"The target database is not empty ({len(existing)} tables, e.g. {sorted(existing)[0]}). "
            "Restore into an empty database, or pass --replace to overwrite it."
        )
    return existing


def _storage_plan(
    storage: Storage, manifest: Manifest, replace: bool
) -> tuple[list[str], list[str]]:
    """Files to write, files already there with the same bytes; refuse different ones."""
    to_write, same, different = [], [], []
    for name in manifest.files:
        if not storage.exists(name):
            to_write.append(name)
        elif _storage_hash(storage, name) == manifest.members[FILES_PREFIX + name]["sha256"]:
            same.append(name)
        else:
            different.append(name)
    if different and not replace:
        raise BackupError(
            f"{len(different)} file(s) in the storage differ from the backup's (e.g. {different[0]}); "
            "restore into an empty storage, or pass --replace."
        )
    return to_write + different, same


def _storage_hash(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        while chunk := stored.read(READ_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _load_postgresql(connection: BaseDatabaseWrapper, dump: Path, replace: bool) -> None:
    pg_restore = _program("pg_restore")
    connection.close()  # pg_restore works alone; Django reconnects afterwards
    args = [
        pg_restore,
        "--exit-on-error",
        "--single-transaction",  # all or nothing
        "--no-owner",
        "--no-privileges",
        "--no-password",
        f"--dbname={connection.settings_dict['NAME']}",
    ]
    if replace:
        args += ["--clean", "--if-exists"]
    _run([*args, str(dump)], _pg_env(connection.settings_dict), "pg_restore")


def _load_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # Replaces the target database's whole content with the copy's, in one step.
        source.backup(connection.connection)
    finally:
        source.close()


def restore(
    archive: Path,
    key: bytes,
    *,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
    replace: bool = False,
    verify_only: bool = False,
    say: Say = _quiet,
) -> RestoreResult:
    """Restore ``archive`` into the database ``using`` and ``storage``; raise on any mismatch."""
    connection = connections[using]
    vendor = _vendor(connection)
    storage = storage or default_storage
    if not verify_only:
        _not_in_transaction(connection)
        _refuse_tables(connection, replace)
    with tempfile.TemporaryDirectory(prefix="ruta-restore-") as work:
        say("Decrypting and checking the archive…")
        manifest, extracted = _unpack(Path(archive), key, Path(work))
        pending = _check_code_matches(manifest)
        result = RestoreResult(manifest, pending)
        if verify_only:
            return result
        if manifest.vendor != vendor:
            raise BackupError(
                f"The backup holds a {manifest.vendor} database; the target is {vendor}. "
                "Restore into the same kind of database (then move data with dumpdata/loaddata if needed)."
            )
        existing = _refuse_tables(connection, replace)
        strangers = sorted(set(existing) - set(manifest.tables))
        if strangers and vendor == "postgresql":
            raise BackupError(
                f"The target holds tables the backup does not ({', '.join(strangers[:5])}): "
                "--replace would leave them behind. Restore into an empty database."
            )
        to_write, same = _storage_plan(storage, manifest, replace)

        say("Loading the database…")
        dump = extracted[DB_MEMBERS[vendor]]
        if vendor == "postgresql":
            _load_postgresql(connection, dump, replace)
        else:
            _load_sqlite(connection, dump)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()

        say("Checking row counts…")
        tables = _table_names(connection)
        if set(tables) != set(manifest.tables):
            raise BackupError(
                "The restored database does not have the backup's tables: missing "
                f"{sorted(set(manifest.tables) - set(tables))}, extra {sorted(set(tables) - set(manifest.tables))}."
            )
        with connection.cursor() as cursor:
            counts = _count_rows(cursor, tables)
        wrong = {t: (manifest.tables[t], n) for t, n in counts.items() if manifest.tables[t] != n}
        if wrong:
            shown = ", ".join(
                f"{t}: {want} expected, {got} found" for t, (want, got) in sorted(wrong.items())[:5]
            )
            raise BackupError(f"Row counts do not match the manifest: {shown}.")

        say("Restoring uploaded files…")
        for name in to_write:
            if storage.exists(name):
                storage.delete(name)
            with extracted[FILES_PREFIX + name].open("rb") as content:
                saved = storage.save(name, File(content, name=name))
            if saved != name:
                raise BackupError(f"The storage saved {name} as {saved}.")
            if _storage_hash(storage, name) != manifest.members[FILES_PREFIX + name]["sha256"]:
                raise BackupError(f"{name} does not read back identical from the storage.")
        result.files_restored = len(to_write)
        result.files_already_there = len(same)
    # After the checks: the restored trail then says when it was restored. Not before the
    # database is migrated to this code, whose audit table may differ from the backup's.
    if not pending:
        record(
            "backup.restored",
            details={"rows": sum(manifest.tables.values()), "count": len(manifest.files)},
        )
    return result
