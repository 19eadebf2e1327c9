"""URL arguments for the helpline routes (see test_route_permissions).

A contact taken by helpline.care, screened with a "yes" and the action taken (so it can be
closed), its alert not yet acknowledged, a call-back in the desk's queue, and a shift
handover left by the desk's supervisor for the next operator.
"""

from __future__ import annotations

from typing import Any

from ruta.helpline import actions
from ruta.helpline.tests.factories import make_callback, make_risk_contact


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_helpline_examples", None)
    if cached is not None:
        return cached
    contact = make_risk_contact(world.user("helpline.care"))
    callback = make_callback(world.user("helpline.care"), contact)
    handover = actions.hand_over(world.user("supervisor.care"), notes="Nada pendiente")
    one = {"contact_uuid": contact.uuid}
    shift = {"handover_uuid": handover.uuid}
    found: dict[str, dict[str, Any]] = {
        "helpline:contact_detail": {"kwargs": one},
        "helpline:contact_edit": {"kwargs": one},
        "helpline:contact_first_aid": {"kwargs": one},
        "helpline:contact_risk": {"kwargs": one},
        "helpline:contact_close": {"kwargs": one, "method": "post"},
        "helpline:contact_debrief": {"kwargs": one, "method": "post"},
        "helpline:contact_review": {"kwargs": one, "method": "post"},
        "helpline:callback_create": {"kwargs": one},
        "helpline:alert_acknowledge": {
            "kwargs": {"alert_uuid": contact.alert.uuid},
            "method": "post",
        },
        "helpline:contact_handoff": {"kwargs": one},
        "helpline:handover_detail": {"kwargs": shift},
        "helpline:handover_acknowledge": {"kwargs": shift, "method": "post"},
        "helpline:callback_detail": {"kwargs": {"callback_uuid": callback.uuid}},
        "helpline_api:contact-detail": {"kwargs": {"uuid": contact.uuid}},
        "helpline_api:callback-detail": {"kwargs": {"uuid": callback.uuid}},
        "helpline_api:contact-close": {"kwargs": {"uuid": contact.uuid}, "method": "post"},
        "helpline_api:callback-finish": {
            "kwargs": {"uuid": callback.uuid},
            "method": "post",
            "data": {"done": "true"},
        },
        "helpline:callback_finish": {
            "kwargs": {"callback_uuid": callback.uuid},
            "method": "post",
            "data": {"outcome": "done"},
        },
    }
    world._helpline_examples = found
    return found
