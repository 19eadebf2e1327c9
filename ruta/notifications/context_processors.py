"""The unread-notification count for the badge in the header (one query, case roles only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ruta.lib.permissions import Cap, user_can
from ruta.notifications.models import Notification


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user_can(user, Cap.VIEW_CASES):
        return {"show_notifications": False, "unread_notifications": 0}
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"show_notifications": True, "unread_notifications": unread}
