"""URL arguments for the conference routes (see test_route_permissions).

One CARE case shared with HIAS and a conference convened by supervisor.care with
caseworker.care (both acknowledged), an open action owned by caseworker.care.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ruta.conferences import actions
from ruta.conferences.tests.factories import make_conference


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_conference_examples", None)
    if cached is not None:
        return cached
    conference = make_conference(world)
    action = actions.record_action(
        world.user("supervisor.care"),
        conference,
        description="Acción de ejemplo",
        owner=world.user("caseworker.care"),
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    conf = {"conference_uuid": conference.uuid}
    found: dict[str, dict[str, Any]] = {
        "conferences:case_conferences": {"kwargs": {"case_uuid": conference.case.uuid}},
        "conferences:convene": {"kwargs": {"case_uuid": conference.case.uuid}},
        "conferences:conference_detail": {"kwargs": conf},
        "conferences:acknowledge": {"kwargs": conf, "method": "post", "data": {"confirm": "on"}},
        "conferences:participants_add": {"kwargs": conf, "method": "post", "data": {}},
        "conferences:minutes": {
            "kwargs": conf,
            "method": "post",
            "data": {"minutes": "Acta de ejemplo"},
        },
        "conferences:decision_create": {
            "kwargs": conf,
            "method": "post",
            "data": {"text": "Decisión de ejemplo"},
        },
        "conferences:action_create": {"kwargs": conf, "method": "post", "data": {}},
        "conferences:action_done": {
            "kwargs": {**conf, "action_uuid": action.uuid},
            "method": "post",
        },
        "conferences:status": {
            "kwargs": {**conf, "transition": "cancelled"},
            "method": "post",
            "data": {"note": ""},
        },
        "conferences_api:conference-detail": {"kwargs": {"uuid": conference.uuid}},
        "conferences_api:conference-acknowledge": {
            "kwargs": {"uuid": conference.uuid},
            "method": "post",
            "data": {"confirm": True},
        },
    }
    world._conference_examples = found
    return found
