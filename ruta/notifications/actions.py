"""Creating notifications and marking them read: the one way every app notifies someone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ruta.notifications.models import Notification
from ruta.notifications.tasks import send_notification_emails

if TYPE_CHECKING:
    from ruta.accounts.models import User


def notify(recipients: Iterable[Any], kind: str, case: Any | None, /, **details: Any) -> None:
    """Create in-app notifications once the transaction commits; email only a nudge."""
    people = [r for r in recipients if r is not None]

    def _send() -> None:
        Notification.objects.bulk_create(
            [Notification(recipient=p, kind=kind, case=case, details=details) for p in people]
        )
        if settings.RUTA_NOTIFY_BY_EMAIL:
            send_notification_emails.enqueue([p.pk for p in people])

    transaction.on_commit(_send)


def mark_notifications_read(user: User, uuids: Iterable[Any] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if uuids is not None:
        unread = unread.filter(uuid__in=list(uuids))
    return unread.update(read_at=timezone.now())
