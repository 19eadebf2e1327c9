"""Reminders about stale directory entries (django-tasks, ImmediateBackend in tests)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from conftest import make_user
from ruta.audit.models import AuditEvent
from ruta.directory.models import Service
from ruta.directory.tasks import send_stale_reminders
from ruta.directory.tests.factories import make_service

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

BASE = "https://ruta.example.org"


@pytest.fixture
def directory(world: Any, settings: Any) -> dict[str, Service]:
    settings.RUTA_VERIFY_DAYS = 90
    now = timezone.now()
    return {
        "never": make_service(world.care, "CARE nunca verificado"),
        "old": make_service(
            world.care, "CARE verificado hace mucho", last_verified_at=now - timedelta(days=91)
        ),
        "fresh": make_service(
            world.care, "CARE verificado hace poco", last_verified_at=now - timedelta(days=10)
        ),
        "draft": make_service(world.care, "CARE borrador", status="draft"),
        "closed": make_service(world.care, "CARE cerrado", status="closed"),
        "hias": make_service(world.hias, "HIAS nunca verificado"),
    }


def by_recipient() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        assert message.to[0] not in found, "one e-mail per recipient"
        found[message.to[0]] = message
    return found


def test_digests_go_to_agency_admins_and_coordinators(
    world: Any, directory: dict[str, Service]
) -> None:
    result = send_stale_reminders.enqueue(base_url=BASE)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"services": 3, "organizations": 2, "emails": 3}

    sent = by_recipient()
    care_admin = world.user("agency_admin.care").email
    hias_admin = world.user("agency_admin.hias").email
    coordinator = world.user("coordinator").email
    assert set(sent) == {care_admin, hias_admin, coordinator}

    care = sent[care_admin].body
    assert "CARE nunca verificado" in care and "CARE verificado hace mucho" in care
    assert "HIAS" not in care
    for excluded in ("hace poco", "borrador", "cerrado"):
        assert excluded not in care
    never = directory["never"]
    assert f"{BASE}/directorio/servicios/{never.uuid}/" in care

    assert "HIAS nunca verificado" in sent[hias_admin].body
    assert "CARE" not in sent[hias_admin].body

    digest = sent[coordinator].body
    for name in ("CARE nunca verificado", "CARE verificado hace mucho", "HIAS nunca verificado"):
        assert name in digest
    assert "hace poco" not in digest

    for key in ("never", "old", "hias"):
        directory[key].refresh_from_db()
        assert directory[key].stale_reminded_at is not None
    for key in ("fresh", "draft", "closed"):
        directory[key].refresh_from_db()
        assert directory[key].stale_reminded_at is None

    events = AuditEvent.objects.filter(action="directory.stale_reminder").order_by("id")
    assert {event.organization: event.details for event in events} == {
        world.care: {"services": 2, "recipients": 2},
        world.hias: {"services": 1, "recipients": 2},
    }


def test_each_recipient_reads_it_in_their_language(
    world: Any, directory: dict[str, Service]
) -> None:
    admin = world.user("agency_admin.care")
    admin.language = "en"
    admin.save(update_fields=["language"])
    send_stale_reminders.enqueue(base_url=BASE)
    sent = by_recipient()
    english = sent[admin.email]
    assert english.subject == "Ruta: 2 directory entries need verification"
    assert "2 services of your organization have not been confirmed for 90 days or more." in (
        english.body
    )
    assert f"{BASE}/en/directorio/servicios/{directory['never'].uuid}/" in english.body
    spanish = sent[world.user("agency_admin.hias").email]
    assert f"{BASE}/directorio/servicios/{directory['hias'].uuid}/" in spanish.body
    assert "/en/" not in spanish.body


def test_no_second_reminder_within_a_week(world: Any, directory: dict[str, Service]) -> None:
    send_stale_reminders.enqueue(base_url=BASE)
    assert len(mail.outbox) == 3
    mail.outbox.clear()

    second = send_stale_reminders.enqueue(base_url=BASE)
    assert second.return_value == {"services": 0, "organizations": 0, "emails": 0}
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action="directory.stale_reminder").count() == 2

    six_days_ago = timezone.now() - timedelta(days=6)
    Service.objects.filter(pk=directory["old"].pk).update(stale_reminded_at=six_days_ago)
    send_stale_reminders.enqueue(base_url=BASE)
    assert mail.outbox == []

    eight_days_ago = timezone.now() - timedelta(days=8)
    Service.objects.filter(pk=directory["old"].pk).update(stale_reminded_at=eight_days_ago)
    send_stale_reminders.enqueue(base_url=BASE)
    assert {message.to[0] for message in mail.outbox} == {
        world.user("agency_admin.care").email,
        world.user("coordinator").email,
    }
    assert all("CARE verificado hace mucho" in m.body for m in mail.outbox)
    assert all("CARE nunca verificado" not in m.body for m in mail.outbox)


def test_verified_services_are_not_reminded(world: Any, directory: dict[str, Service]) -> None:
    from ruta.directory import actions

    for key in ("never", "old", "hias"):
        actions.verify_service(world.user("coordinator"), directory[key])
    result = send_stale_reminders.enqueue(base_url=BASE)
    assert result.return_value["services"] == 0
    assert mail.outbox == []


def test_inactive_people_get_nothing(world: Any, directory: dict[str, Service]) -> None:
    for key in ("agency_admin.care", "coordinator"):
        user = world.user(key)
        user.is_active = False
        user.save(update_fields=["is_active"])
    second_admin = make_user("admin2.care@test.org", "agency_admin", world.care)
    send_stale_reminders.enqueue(base_url=BASE)
    assert set(by_recipient()) == {second_admin.email, world.user("agency_admin.hias").email}


def test_command_enqueues_or_runs_now(world: Any, directory: dict[str, Service]) -> None:
    out = StringIO()
    call_command("send_stale_reminders", "--base-url", BASE, stdout=out)
    assert "enqueued" in out.getvalue()
    assert len(mail.outbox) == 3  # the ImmediateBackend ran it
    Service.objects.update(stale_reminded_at=None)
    mail.outbox.clear()
    out = StringIO()
    call_command("send_stale_reminders", "--now", stdout=out)
    assert "3 services of 2 organizations, 3 e-mails sent" in out.getvalue()
    assert "/directorio/servicios/" in mail.outbox[0].body


def test_command_help_says_it_runs_daily() -> None:
    from ruta.directory.management.commands.send_stale_reminders import Command

    assert "once a day" in Command.help and "cron" in Command.help
