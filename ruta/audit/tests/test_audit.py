"""The audit trail: one way in, no way to change it, visible and exportable by admins."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from conftest import verified_login
from ruta.audit.actions import record
from ruta.audit.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db

LOG = reverse("audit:event_list")
# The CSV is a secure export (ruta.exports): asked for by POST, downloaded from My exports.
EXPORT = reverse("exports:audit_csv")


def _exported(client: Any, filters: dict[str, str]) -> Any:
    from ruta.exports.models import SecureExport

    asked = client.post(EXPORT, filters)
    assert asked.status_code == 302
    export = SecureExport.objects.filter(kind="audit_csv").latest("id")
    return client.get(reverse("exports:download", args=[export.uuid]))


def _request(user: Any = None, **meta: Any) -> Any:
    request = RequestFactory().get("/", **meta)
    request.user = user
    return request


def test_record_stores_who_what_where(world: Any) -> None:
    actor, target = world.user("agency_admin.care"), world.user("caseworker.care")
    request = _request(actor, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox/140")
    event = record("user.role_changed", request=request, obj=target, details={"to": "helpline"})
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == actor
    assert event.actor_email == actor.email
    assert event.organization == world.care
    assert event.action == "user.role_changed"
    assert event.object_type == "accounts.user"
    assert event.object_uuid == target.uuid
    assert event.ip_address == "203.0.113.7"
    assert event.user_agent == "Firefox/140"
    assert event.details == {"to": "helpline"}
    assert event.occurred_at is not None


def test_record_takes_an_explicit_actor_and_organization(world: Any) -> None:
    event = record(
        "organization.updated",
        actor=world.user("coordinator"),
        organization=world.hias,
        object_type="agencies.organization",
        object_uuid=world.hias.uuid,
    )
    assert event.actor == world.user("coordinator")
    assert event.organization == world.hias
    assert event.object_uuid == world.hias.uuid
    assert event.ip_address is None


@pytest.fixture
def event(world: Any) -> AuditEvent:
    return record("auth.login", actor=world.user("admin"), obj=world.user("admin"))


def test_an_event_cannot_be_saved_again(event: AuditEvent) -> None:
    event.action = "auth.logout"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "auth.login"


def test_an_event_cannot_be_deleted(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_updated_in_bulk(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="auth.logout")
    event.action = "auth.logout"
    # bulk_update runs in the caller's transaction: a savepoint keeps the test's usable.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_create(
            [AuditEvent(pk=event.pk, uuid=event.uuid, action="auth.logout")],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["action"],
        )
    assert AuditEvent.objects.get(pk=event.pk).action == "auth.login"


def test_deleting_an_actor_with_history_is_refused(event: AuditEvent, world: Any) -> None:
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world.user("admin").delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_database_refuses_raw_changes(event: AuditEvent, sql: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "auth.login"


def test_permission_denials_are_audited(client: Any, world: Any) -> None:
    user = world.user("caseworker.care")
    verified_login(client, user)
    assert client.get(LOG).status_code == 403
    event = AuditEvent.objects.get(action="permission.denied")
    assert event.actor == user
    assert event.organization == world.care
    assert event.details == {"path": LOG, "method": "GET", "rule": "view_audit_log"}


@pytest.fixture
def history(world: Any) -> None:
    """A few events by different people."""
    record("auth.login_failed", actor=world.user("caseworker.care"))
    record("auth.login_failed", actor=world.user("caseworker.hias"))
    record("auth.login", actor=world.user("caseworker.hias"))
    record("user.invited", actor=world.user("agency_admin.care"), details={"role": "helpline"})


def _rows_in_page(html: str) -> int:
    return html.count("<code>auth.") + html.count("<code>user.")


def test_admin_sees_and_filters_the_log(client: Any, world: Any, history: None) -> None:
    verified_login(client, world.user("admin"))
    everything = client.get(LOG)
    assert everything.status_code == 200
    assert "agency_admin.care@test.org" in everything.content.decode()

    by_action = client.get(LOG, {"action": "auth.login_failed"}).content.decode()
    assert by_action.count("<code>auth.login_failed</code>") == 2
    assert "<code>user.invited</code>" not in by_action

    by_both = client.get(LOG, {"action": "auth.", "actor": "hias"}).content.decode()
    assert _rows_in_page(by_both) == 2
    assert "caseworker.care@test.org" not in by_both


def test_csv_export_matches_the_filter_and_is_audited(
    client: Any, world: Any, history: None
) -> None:
    admin = world.user("admin")
    verified_login(client, admin)
    response = _exported(client, {"action": "auth.login_failed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "time",
        "action",
        "actor_email",
        "organization",
        "object_type",
        "object_uuid",
        "ip_address",
        "user_agent",
        "details",
        "on_behalf_of_email",
    ]
    assert len(rows) == 1 + 2
    assert {row[1] for row in rows[1:]} == {"auth.login_failed"}
    assert {row[2] for row in rows[1:]} == {"caseworker.care@test.org", "caseworker.hias@test.org"}
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor == admin
    assert exported.details == {"filters": {"action": "auth.login_failed"}}


def test_csv_export_neutralises_spreadsheet_formulas(client: Any, world: Any) -> None:
    """A user agent is typed by whoever sends the request; Excel must not run it."""
    record("auth.login_failed", request=_request(HTTP_USER_AGENT='=HYPERLINK("http://x")'))
    verified_login(client, world.user("admin"))
    response = _exported(client, {"action": "auth.login_failed"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][7] == '\'=HYPERLINK("http://x")'
    assert rows[1][1] == "auth.login_failed"  # ordinary cells are left alone


@pytest.mark.parametrize("key", ["coordinator", "agency_admin.care", "analyst"])
def test_only_admins_export(client: Any, world: Any, key: str) -> None:
    verified_login(client, world.user(key))
    assert client.post(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.exported").exists()
