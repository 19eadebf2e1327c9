"""The desk's day: its bounds in local time and the counts the desk and home pages show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ruta.helpline import access
from ruta.helpline.models import CallbackStatus


def local_day_bounds() -> tuple[dt.datetime, dt.datetime]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def desk_summary(user: Any) -> dict[str, Any]:
    """Counts for the desk page and the home page card."""
    start, end = local_day_bounds()
    today = access.visible_contacts(user).filter(started_at__gte=start, started_at__lt=end)
    callbacks_due = access.visible_callbacks(user).filter(
        status=CallbackStatus.PENDING, due_at__lt=end
    )
    open_alerts = access.visible_alerts(user).filter(acknowledged_at__isnull=True)
    return {
        "today_count": today.count(),
        "callbacks_due": callbacks_due.count(),
        "open_alerts": open_alerts.count(),
    }
