"""URL arguments for the helpline routes (see test_route_permissions).

A contact taken by helpline.care, screened with a "yes" and the action taken (so it can be
closed), its alert not yet acknowledged, and a call-back in the desk's queue.
"""

from __future__ import annotations

from typing import Any

from ruta.helpline.tests.factories import make_callback, make_risk_contact


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_helpline_examples", None)
    if cached is not None:
        return cached
    contact = make_risk_contact(world.user("helpline.care"))
    callback = make_callback(world.user("helpline.care"), contact)
    one = {"contact_uuid": contact.uuid}
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
        "helpline:callback_detail": {"kwargs": {"callback_uuid": callback.uuid}},
        "helpline:callback_finish": {
            "kwargs": {"callback_uuid": callback.uuid},
            "method": "post",
            "data": {"outcome": "done"},
        },
    }
    world._helpline_examples = found
    return found
