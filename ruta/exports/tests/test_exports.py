"""Secure exports: encrypted at rest, the owner's only, expiring, every download audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import verified_login
from ruta.audit.actions import record
from ruta.audit.models import AuditEvent
from ruta.exports import actions, registry
from ruta.exports.models import ExportStatus, SecureExport
from ruta.exports.registry import Produced, Producer
from ruta.lib.permissions import Cap

pytestmark = pytest.mark.django_db

SECRET = "Contenido-personal-de-prueba-7731"
KIND = "test_secret"
START = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def _produce(export: SecureExport, params: dict[str, Any]) -> Produced:
    return Produced(f"{SECRET}:{params.get('n', 0)}".encode(), "secret.txt", "text/plain")


@pytest.fixture(autouse=True)
def _test_producer() -> Iterator[None]:
    registry.register(Producer(KIND, "Test", _produce, capability=Cap.VIEW_CASES))
    yield
    registry._producers.pop(KIND, None)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _download(export: SecureExport) -> str:
    return reverse("exports:download", args=[export.uuid])


def _ask(user: Any, **params: Any) -> SecureExport:
    return actions.request_export(user, KIND, params)


def test_the_file_is_made_in_the_background_and_encrypted_at_rest(world: Any, clock: Any) -> None:
    export = _ask(world.user("supervisor.care"), n=1)
    assert export.status == ExportStatus.READY
    with default_storage.open(export.file.name, "rb") as stored:
        raw = stored.read()
    assert SECRET.encode() not in raw
    assert export.size == len(f"{SECRET}:1")
    assert export.expires_at == START + dt.timedelta(days=7)
    assert export.params == ""  # what the producer needed is wiped once the file is made
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_key FROM exports_secureexport WHERE id = %s", [export.pk])
        (stored_key,) = cursor.fetchone()
    assert stored_key.startswith("f1:") and export.file_key not in stored_key  # encrypted


@override_settings(RUTA_EXPORT_DAYS=2)
def test_expiry_follows_the_setting(world: Any, clock: Any) -> None:
    export = _ask(world.user("supervisor.care"))
    assert export.expires_at == START + dt.timedelta(days=2)


def test_the_owner_downloads_it_audited_and_not_cached(client: Any, world: Any, clock: Any) -> None:
    owner = world.user("supervisor.care")
    export = _ask(owner, n=2)
    verified_login(client, owner)
    answer = client.get(_download(export))
    assert answer.status_code == 200
    assert answer.content == f"{SECRET}:2".encode()
    assert "no-store" in answer["Cache-Control"]
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["Content-Type"] == "text/plain"
    event = AuditEvent.objects.get(action="export.downloaded")
    assert event.actor == owner and event.object_uuid == export.uuid
    assert event.details == {"kind": KIND, "count": 1}
    trail = json.dumps(list(AuditEvent.objects.values("action", "details")))
    assert SECRET not in trail
    export.refresh_from_db()
    assert export.download_count == 1 and export.last_downloaded_at == START


@pytest.mark.parametrize("key", ["caseworker.care", "supervisor.hias", "agency_admin.care"])
def test_nobody_else_gets_it(client: Any, world: Any, key: str) -> None:
    export = _ask(world.user("supervisor.care"))
    verified_login(client, world.user(key))
    assert client.get(_download(export)).status_code == 404
    assert SECRET not in client.get(reverse("exports:list")).content.decode()
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_anonymous_goes_to_the_login(client: Any, world: Any) -> None:
    export = _ask(world.user("supervisor.care"))
    answer = client.get(_download(export))
    assert answer.status_code == 302 and reverse("accounts:login") in answer["Location"]


def test_an_owner_who_lost_the_role_or_the_agency_gets_nothing(client: Any, world: Any) -> None:
    owner = world.user("supervisor.care")
    export = _ask(owner)
    owner.role = "analyst"
    owner.save()
    verified_login(client, owner)
    assert client.get(_download(export)).status_code == 404
    owner.role, owner.organization = "supervisor", world.hias
    owner.save()
    assert client.get(_download(export)).status_code == 404


def test_after_the_expiry_it_is_refused_and_purged(client: Any, world: Any, clock: Any) -> None:
    owner = world.user("supervisor.care")
    export, other = _ask(owner), _ask(owner)
    clock.move_to(START + dt.timedelta(days=7, seconds=1))
    verified_login(client, owner)
    answer = client.get(_download(export))
    assert answer.status_code == 302 and answer["Location"].endswith(reverse("exports:list"))
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file.name
    assert export.file_key == ""
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()
    # The scheduled purge removes what nobody came back for.
    stored = other.file.name
    assert default_storage.exists(stored)
    from django.core.management import call_command

    call_command("purge_exports", "--now", stdout=io.StringIO())
    other.refresh_from_db()
    assert other.status == ExportStatus.EXPIRED and not default_storage.exists(stored)
    assert AuditEvent.objects.get(action="export.purged").details == {"count": 1}


def test_not_purged_before_the_expiry(world: Any, clock: Any) -> None:
    export = _ask(world.user("supervisor.care"))
    clock.move_to(START + dt.timedelta(days=6, hours=23))
    from ruta.exports.production import purge_expired

    assert purge_expired() == 0
    assert default_storage.exists(export.file.name)


def test_a_changed_file_is_not_served(client: Any, world: Any) -> None:
    owner = world.user("supervisor.care")
    export = _ask(owner)
    default_storage.delete(export.file.name)
    default_storage.save(export.file.name, io.BytesIO(b"x" * 64))
    verified_login(client, owner)
    assert client.get(_download(export)).status_code == 302


def test_a_failing_producer_leaves_a_failed_row(world: Any) -> None:
    def broken(export: SecureExport, params: dict[str, Any]) -> Produced:
        raise RuntimeError("boom")

    registry.register(Producer("test_broken", "Broken", broken))
    try:
        export = actions.request_export(world.user("supervisor.care"), "test_broken", {"x": 1})
    finally:
        registry._producers.pop("test_broken", None)
    assert export.status == ExportStatus.FAILED and export.params == ""


def test_my_exports_lists_my_files_only(client: Any, world: Any) -> None:
    mine = _ask(world.user("supervisor.care"))
    theirs = _ask(world.user("supervisor.hias"))
    verified_login(client, world.user("supervisor.care"))
    page = client.get(reverse("exports:list"))
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert _download(mine) in text and _download(theirs) not in text


# --- The audit log's CSV -------------------------------------------------------------------
def _audit_csv(client: Any, **filters: str) -> list[list[str]]:
    answer = client.post(reverse("exports:audit_csv"), filters)
    assert answer.status_code == 302 and answer["Location"].endswith(reverse("exports:list"))
    export = SecureExport.objects.filter(kind="audit_csv").latest("id")
    assert export.status == ExportStatus.READY
    download = client.get(_download(export))
    assert download["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(download.content.decode())))


def test_the_audit_csv_is_an_export_with_the_filters_and_escaping(client: Any, world: Any) -> None:
    request = RequestFactory().get("/", HTTP_USER_AGENT='=HYPERLINK("http://x")')
    request.user = None
    record("auth.login_failed", request=request)
    record("auth.login_failed", actor=world.user("caseworker.care"))
    record("case.read", actor=world.user("caseworker.care"))
    admin = world.user("admin")
    verified_login(client, admin)
    rows = _audit_csv(client, action="auth.login_failed")
    assert rows[0][:3] == ["time", "action", "actor_email"]
    assert {row[1] for row in rows[1:]} == {"auth.login_failed"}
    assert len(rows) == 3
    assert '\'=HYPERLINK("http://x")' in [row[7] for row in rows]
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor == admin
    assert exported.details == {"filters": {"action": "auth.login_failed"}}


@pytest.mark.parametrize("key", ["coordinator", "agency_admin.care", "supervisor.care"])
def test_only_platform_admins_ask_for_the_audit_csv(client: Any, world: Any, key: str) -> None:
    verified_login(client, world.user(key))
    assert client.post(reverse("exports:audit_csv")).status_code == 403
    assert not SecureExport.objects.exists()


def test_the_old_audit_download_is_gone(client: Any, world: Any) -> None:
    verified_login(client, world.user("admin"))
    answer = client.get("/auditoria/exportar.csv")
    assert answer.status_code == 404
    assert client.get(reverse("exports:audit_csv")).status_code == 405


def test_expired_rows_keep_their_history(world: Any, clock: Any) -> None:
    export = _ask(world.user("supervisor.care"))
    clock.move_to(timezone.now() + dt.timedelta(days=30))
    from ruta.exports.production import purge_expired

    assert purge_expired() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and export.kind == KIND


def test_files_still_open_after_the_field_keys_rotate(client: Any, world: Any) -> None:
    """The file's key lives in an encrypted field: rotate_field_keys re-encrypts it."""
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    owner = world.user("supervisor.care")
    with override_settings(RUTA_FIELD_KEYS=[old]):
        export = _ask(owner, n=3)
    with override_settings(RUTA_FIELD_KEYS=[new, old]):
        call_command("rotate_field_keys", stdout=io.StringIO())
    with override_settings(RUTA_FIELD_KEYS=[new]):
        verified_login(client, owner)
        assert client.get(_download(export)).content == f"{SECRET}:3".encode()


def test_another_supervisor_of_the_same_agency_gets_nothing(client: Any, world: Any) -> None:
    from conftest import make_user

    export = _ask(world.user("supervisor.care"))
    colleague = make_user("supervisor2.care@test.org", "supervisor", world.care)
    verified_login(client, colleague)
    assert client.get(_download(export)).status_code == 404


def test_a_deleted_row_takes_its_file_along(world: Any) -> None:
    export = _ask(world.user("supervisor.care"))
    stored = export.file.name
    assert default_storage.exists(stored)
    export.delete()
    assert not default_storage.exists(stored)
