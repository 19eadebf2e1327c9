"""URL arguments for the stabilisation routes (see test_route_permissions).

A CARE programme with one beneficiary whose payment is ten days late (in the queue), and
a payment recorded by hand as paid.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.utils import timezone

from ruta.stabilisation import actions
from ruta.stabilisation.tests.factories import make_beneficiary, make_programme


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_stabilisation_examples", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    programme = make_programme(world.care, delay_days=7)
    person = make_beneficiary(programme, "RUTA-EX-1", today - dt.timedelta(days=10))
    actions.refresh_queue(today, [programme])
    payment = person.payments.get()
    one = {"programme_uuid": programme.uuid}
    who = {"beneficiary_uuid": person.uuid}
    found: dict[str, dict[str, Any]] = {
        "stabilisation:programme": {"kwargs": one},
        "stabilisation:programme_edit": {"kwargs": one},
        "stabilisation:queue": {"kwargs": one},
        "stabilisation:import": {"kwargs": one},
        "stabilisation:beneficiary": {"kwargs": who},
        "stabilisation:check": {"kwargs": who},
        "stabilisation:contact": {"kwargs": who},
        "stabilisation:payment": {
            "kwargs": {"payment_uuid": payment.uuid},
            "method": "post",
            "data": {"status": "paid", "paid_on": today.isoformat()},
        },
    }
    sheet = f"id,expected\nRUTA-EX-2,{(today - dt.timedelta(days=9)).isoformat()}\n"
    found.update(
        {
            "stabilisation_api:programme-detail": {"kwargs": {"uuid": programme.uuid}},
            "stabilisation_api:beneficiary-detail": {"kwargs": {"uuid": person.uuid}},
            "stabilisation_api:payment-import": {
                "method": "post",
                "data": {
                    "programme": str(programme.uuid),
                    "file_name": "pagos.csv",
                    "content_base64": base64.b64encode(sheet.encode()).decode(),
                },
            },
        }
    )
    world._stabilisation_examples = found
    return found
