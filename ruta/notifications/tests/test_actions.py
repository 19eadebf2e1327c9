"""notify() and marking read: rows only once the transaction commits, e-mail only a nudge."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from ruta.cases.tests.factories import make_case
from ruta.notifications.actions import mark_notifications_read, notify
from ruta.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def test_notify_writes_on_commit_only(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    caseworker = world.user("caseworker.care")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        notify([caseworker, None], NotificationKind.ASSIGNED, None)
    assert not Notification.objects.exists()
    for callback in callbacks:
        callback()
    assert [(n.recipient, n.kind) for n in Notification.objects.all()] == [
        (caseworker, NotificationKind.ASSIGNED)
    ]


def test_email_is_a_nudge_without_case_data(
    world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RUTA_NOTIFY_BY_EMAIL = True
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        notify([caseworker], NotificationKind.ASSIGNED, case)
    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    assert "/casos/notificaciones/" in mail.outbox[0].body
    assert case.code not in mail.outbox[0].body and case.code not in mail.outbox[0].subject


def test_mark_read_touches_only_the_user_and_the_chosen(world: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    first, second = (
        Notification.objects.create(recipient=caseworker, kind=NotificationKind.REMINDER)
        for _ in range(2)
    )
    Notification.objects.create(recipient=supervisor, kind=NotificationKind.REMINDER)
    assert mark_notifications_read(caseworker, [first.uuid]) == 1
    assert mark_notifications_read(caseworker) == 1
    assert mark_notifications_read(caseworker) == 0
    unread = Notification.objects.filter(read_at__isnull=True)
    assert [n.recipient for n in unread] == [supervisor]
    second.refresh_from_db()
    assert second.read_at is not None
