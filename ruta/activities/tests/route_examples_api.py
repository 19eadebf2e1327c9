"""URL arguments for the activities API (see test_route_permissions).

An activity of CARE's of its own (not the HTML routes' example, whose sessions those
routes remove), with one session: CARE's caseworker and supervisor read it; the
coordinator, who records activities for the network's organization, gets 404 as for any
other organization's activity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruta.activities.models import Activity
from ruta.activities.tests.factories import make_activity, make_session

API_TITLE = "Actividad de ejemplo para la API"


def examples(world: Any) -> dict[str, dict[str, Any]]:
    activity = Activity.objects.filter(title=API_TITLE).first()
    if activity is None:
        recorder = world.user("caseworker.care")
        activity = make_activity(recorder, API_TITLE)
        make_session(recorder, activity, dt.date(2026, 3, 5))
    return {"activities_api:activity-detail": {"kwargs": {"uuid": activity.uuid}}}
