"""Backup and restore: the round trip with a field-key rotation, and every refusal.

These tests run on whichever database the suite runs on (SQLite, or PostgreSQL with
``DATABASE_URL``): pg_dump reads committed data from its own process, so they are
transactional. The round trip empties the test database and restores it in place;
``rebuilt_schema`` migrates it again if a failure left it without its tables.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from ruta.audit.models import AuditEvent
from ruta.cases.tests.factories import make_case
from ruta.cases.tests.test_encryption import GREPPED, full_case
from ruta.core.backup import MANIFEST, storage_files
from ruta.core.backup_stream import DecryptingReader, EncryptingWriter, new_key, parse_key
from ruta.lib.fields import encrypted_fields
from ruta.network.tests.factories import make_material, make_meeting, make_network

pytestmark = pytest.mark.django_db(transaction=True)

BACKUP_KEY = new_key()
NEW_FIELD_KEY = Fernet.generate_key().decode()


@pytest.fixture
def rebuilt_schema(transactional_db: Any) -> Iterator[None]:
    """After a test that empties the database: migrate it again if it lost its tables
    (so a failure here does not fail every later test of the run)."""
    tables = set(connection.introspection.table_names())
    yield
    if set(connection.introspection.table_names()) != tables:
        wipe_database()
        call_command("migrate", verbosity=0)


@pytest.fixture(autouse=True)
def media(tmp_path: Path) -> Iterator[Path]:
    """Uploaded files in a temporary folder, through the file-system storage."""
    root = tmp_path / "media"
    root.mkdir()
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    with override_settings(STORAGES=storages, RUTA_BACKUP_KEY=BACKUP_KEY):
        yield root


def wipe_database() -> None:
    """Drop every table (and on PostgreSQL every function and trigger) of the test database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                # IF EXISTS: dropping the finder's FTS5 table drops its shadow tables with it.
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


def wipe_storage() -> None:
    for name in list(storage_files(default_storage)):
        default_storage.delete(name)
    assert list(storage_files(default_storage)) == []


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def encrypted_values() -> dict[tuple[str, int, str], str]:
    """Every encrypted field of every row, in clear (decrypted with the current keys)."""
    values = {}
    for model in apps.get_models():
        names = encrypted_fields(model)
        for obj in model.objects.only("pk", *names).order_by("pk"):  # type: ignore[attr-defined]
            for name in names:
                values[(model._meta.label, obj.pk, name)] = getattr(obj, name)
    return values


def stored_files() -> dict[str, bytes]:
    out = {}
    for name in storage_files(default_storage):
        with default_storage.open(name, "rb") as stored:
            out[name] = stored.read()
    return out


def populate(world: Any) -> None:
    full_case(world)  # every encrypted field of the case models
    make_case(world.user("caseworker.hias"))
    make_material(make_meeting(make_network(world)))
    default_storage.save("imports/2026/12/directorio.json", ContentFile(b'{"services": []}'))


def backup(path: Path, **options: Any) -> Path:
    call_command("backup", str(path), stdout=io.StringIO(), **options)
    return path


def restore(path: Path, **options: Any) -> str:
    out = io.StringIO()
    call_command("restore", str(path), stdout=out, **options)
    return out.getvalue()


def members(path: Path, key: str = BACKUP_KEY) -> dict[str, bytes]:
    """The decrypted archive's members, in order."""
    with path.open("rb") as source:
        reader = DecryptingReader(source, parse_key(key))
        with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
            found = {}
            for info in tar:
                stream = tar.extractfile(info)
                assert stream is not None
                found[info.name] = stream.read()
        reader.read_to_end()
    return found


def reseal(path: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    """The same archive with its members edited, sealed again with the right key."""
    content = members(path)
    edit(content)
    out = path.with_name("edited-" + path.name)
    with out.open("wb") as sink:
        sealed = EncryptingWriter(sink, parse_key(BACKUP_KEY))
        with tarfile.open(fileobj=sealed, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
            for name, data in content.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        sealed.close()
    return out


def manifest_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(members(path)[MANIFEST])
    return data


# --- the round trip ----------------------------------------------------------------------
# Few tests, each doing much: on PostgreSQL every transactional test ends with a flush of
# every table, which costs seconds.


def test_backup_wipe_restore_rotate_keeps_every_record_and_file(
    world: Any, tmp_path: Path, rebuilt_schema: None
) -> None:
    old_keys = list(settings.RUTA_FIELD_KEYS)
    populate(world)
    counts, values, files = row_counts(), encrypted_values(), stored_files()
    assert len(files) == 2
    assert len([v for v in values.values() if v]) > 30

    archive = backup(tmp_path / "ruta.rutabackup")
    manifest = manifest_of(archive)
    assert manifest["database"]["tables"] == counts
    assert manifest["files"]["count"] == 2
    assert manifest["files"]["missing"] == []
    assert manifest["migrations"]["cases"]
    assert AuditEvent.objects.filter(action="backup.created").count() == 1
    assert_no_key_and_no_personal_value_in_clear(archive, tmp_path)

    # A manifest that promises one case more than the database holds fails the restore.
    wipe_database()
    wipe_storage()
    with pytest.raises(CommandError, match="Row counts do not match the manifest: cases_case"):
        restore(reseal(archive, one_case_more))
    assert stored_files() == {}  # files come after the check: none was written

    wipe_database()
    output = restore(archive)
    assert "Restored and verified" in output

    after = row_counts()
    assert after.pop("audit_auditevent") == counts.pop("audit_auditevent") + 1  # "restored"
    assert after == counts
    assert AuditEvent.objects.filter(action="backup.restored").count() == 1
    assert stored_files() == files

    # Field keys rotate on the restored data; the old key then goes.
    with override_settings(RUTA_FIELD_KEYS=[NEW_FIELD_KEY, *old_keys]):
        call_command("rotate_field_keys", stdout=io.StringIO())
    with override_settings(RUTA_FIELD_KEYS=[NEW_FIELD_KEY]):
        assert encrypted_values() == values
    assert stored_files() == files


def one_case_more(content: dict[str, bytes]) -> None:
    manifest = json.loads(content[MANIFEST])
    manifest["database"]["tables"]["cases_case"] += 1
    content[MANIFEST] = json.dumps(manifest).encode()


def assert_no_key_and_no_personal_value_in_clear(archive: Path, tmp_path: Path) -> None:
    raw = archive.read_bytes()
    content = members(archive)
    plain = [raw, *content.values()]
    dump = content.get("database/ruta.pgdump")
    if dump is not None:  # compressed: read it as the SQL it restores
        pg_restore = shutil.which("pg_restore")
        assert pg_restore
        dump_path = tmp_path / "dump"
        dump_path.write_bytes(dump)
        sql = subprocess.run(  # noqa: S603
            [pg_restore, "--file=-", str(dump_path)], capture_output=True, check=True
        ).stdout
        assert b"COPY public.cases_client" in sql
        plain.append(sql)
    else:
        assert b"cases_client" in content["database/ruta.sqlite3"]
    secrets = [*settings.RUTA_FIELD_KEYS, settings.SECRET_KEY, BACKUP_KEY, *GREPPED]
    for blob in plain:
        for secret in secrets:
            assert secret.encode() not in blob, secret
    # The uploaded files themselves are in (the archive as a whole is sealed).
    assert content["files/imports/2026/12/directorio.json"] == b'{"services": []}'


# --- refusals ------------------------------------------------------------------------------


def test_restore_refuses_what_does_not_verify_and_a_database_that_is_not_empty(
    world: Any, tmp_path: Path
) -> None:
    populate(world)
    archive = backup(tmp_path / "ruta.rutabackup")
    assert "The archive is sound" in restore(archive, verify_only=True)

    # Bytes changed, or cut short.
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.rutabackup"
    tampered.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="altered or damaged"):
        restore(tampered, verify_only=True)
    truncated = tmp_path / "truncated.rutabackup"
    truncated.write_bytes(archive.read_bytes()[:-100])
    with pytest.raises(CommandError, match="The archive is truncated"):
        restore(truncated, verify_only=True)

    # Sealed with the right key, but not what the manifest lists.
    def swap_file(content: dict[str, bytes]) -> None:
        content["files/imports/2026/12/directorio.json"] = b'{"services": [1]}'

    def extra_member(content: dict[str, bytes]) -> None:
        content["files/extra.txt"] = b"not listed"

    with pytest.raises(CommandError, match="does not match its manifest entry"):
        restore(reseal(archive, swap_file), verify_only=True)
    with pytest.raises(CommandError, match=r"unlisted \['files/extra.txt'\]"):
        restore(reseal(archive, extra_member), verify_only=True)

    # Made by newer code: a migration this code does not know.
    def future_migration(content: dict[str, bytes]) -> None:
        manifest = json.loads(content[MANIFEST])
        manifest["migrations"]["cases"].append("9999_from_the_future")
        content[MANIFEST] = json.dumps(manifest).encode()

    with pytest.raises(CommandError, match=r"newer code.*cases\.9999_from_the_future"):
        restore(reseal(archive, future_migration), verify_only=True)

    # Another key, or none.
    other = tmp_path / "other.key"
    other.write_text(new_key())
    with pytest.raises(CommandError, match="not made with this backup key"):
        restore(archive, key_file=str(other), verify_only=True)
    with override_settings(RUTA_BACKUP_KEY=""), pytest.raises(CommandError, match="No backup key"):
        restore(archive)

    # A database that holds tables, unless told to replace it.
    default_storage.delete("imports/2026/12/directorio.json")
    with pytest.raises(CommandError, match="The target database is not empty"):
        restore(archive)
    assert AuditEvent.objects.filter(action="backup.restored").count() == 0
    assert "imports/2026/12/directorio.json" not in stored_files()
    restore(archive, replace=True)
    assert AuditEvent.objects.filter(action="backup.restored").count() == 1
    assert "imports/2026/12/directorio.json" in stored_files()


@pytest.mark.django_db
def test_a_field_key_is_refused_as_backup_key(tmp_path: Path) -> None:
    with (
        override_settings(RUTA_BACKUP_KEY=settings.RUTA_FIELD_KEYS[0]),
        pytest.raises(CommandError, match="is one of the field keys"),
    ):
        backup(tmp_path / "ruta.rutabackup")
    assert not list(tmp_path.glob("ruta.rutabackup*"))


@pytest.mark.django_db
def test_a_backup_never_overwrites_an_archive(tmp_path: Path) -> None:
    existing = tmp_path / "ruta.rutabackup"
    existing.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="exists already"):
        backup(existing)
    assert existing.read_bytes() == b"an older backup"


@pytest.mark.django_db
def test_generate_backup_key_prints_a_usable_key() -> None:
    out = io.StringIO()
    call_command("generate_backup_key", stdout=out)
    key = out.getvalue().strip()
    assert len(parse_key(key)) == 32
    assert key not in settings.RUTA_FIELD_KEYS
