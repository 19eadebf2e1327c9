"""Activities for tests, built through the actions (so they are audited like real ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruta.activities import actions
from ruta.activities.models import Activity, ActivityType, Sector, Session


def make_activity(
    user: Any, title: str = "Grupo de apoyo de prueba", *, admin1: Any = None, **extra: Any
) -> Activity:
    kind = extra.pop("activity_type", None) or ActivityType.objects.get(code="support_group")
    activity = Activity(
        title=title,
        activity_type=kind,
        layers=extra.pop("layers", [2]),
        sector=extra.pop("sector", Sector.PROTECTION_GBV),
        admin1=admin1,
        **extra,
    )
    return actions.save_activity(user, activity, created=True)


def make_session(
    user: Any, activity: Activity, date: dt.date, modality: str = "in_person"
) -> Session:
    return actions.add_session(user, activity, date, modality)
