"""URL arguments for the activities routes (see test_route_permissions).

One activity of CARE (recorded by CARE's caseworker) with one session: CARE's caseworker
and supervisor reach it; everyone else who may record activities gets 404 (another
agency's activity), the others 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruta.activities.models import Activity
from ruta.activities.tests.factories import make_activity, make_session

TITLE = "Actividad de ejemplo para las rutas"


def examples(world: Any) -> dict[str, dict[str, Any]]:
    activity = Activity.objects.filter(title=TITLE).first()
    if activity is None:
        recorder = world.user("caseworker.care")
        activity = make_activity(recorder, TITLE)
        make_session(recorder, activity, dt.date(2026, 3, 5))
        make_session(recorder, activity, dt.date(2026, 3, 12))
    sessions = list(activity.sessions.order_by("date"))
    target = {"activity_uuid": activity.uuid}
    session = {"session_uuid": sessions[0].uuid}
    return {
        "activities:detail": {"kwargs": target},
        "activities:edit": {"kwargs": target},
        "activities:import": {"kwargs": target},
        "activities:session_add": {"kwargs": target, "method": "post", "data": {}},
        "activities:session_remove": {
            "kwargs": {"session_uuid": sessions[-1].uuid},
            "method": "post",
        },
        "activities:counts": {"kwargs": session},
        "activities:attendance": {"kwargs": session},
    }
