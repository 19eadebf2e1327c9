"""URL arguments for the transfer routes (see ruta/core/tests/test_route_permissions.py).

A pending transfer CARE → HIAS (supervisor.care cancels it), one HIAS → CARE
(supervisor.care answers it) and an accepted one whose former caseworker is
caseworker.care (both read the transferred-out view).
"""

from __future__ import annotations

from typing import Any

from ruta.transfers import actions
from ruta.transfers.tests.helpers import REASON, accepted, requested, shareable_case


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_transfer_examples", None)
    if cached is not None:
        return cached
    case = shareable_case(world)
    pending = requested(world)
    done = accepted(world)
    incoming = actions.request_transfer(
        world.user("supervisor.hias"),
        shareable_case(world, to=world.care, caseworker="caseworker.hias"),
        world.care,
        REASON,
    )
    one = {"transfer_uuid": pending.uuid}
    answer = {"transfer_uuid": incoming.uuid}
    api = {"uuid": pending.uuid}
    found: dict[str, dict[str, Any]] = {
        "transfers:request": {"kwargs": {"case_uuid": case.uuid}},
        "transfers:package_export": {"kwargs": {"case_uuid": case.uuid}},
        "transfers:detail": {"kwargs": one},
        "transfers:accept": {"kwargs": answer},
        "transfers:decline": {"kwargs": answer},
        "transfers:cancel": {"kwargs": one},
        "transfers:transferred_out": {"kwargs": {"transfer_uuid": done.uuid}},
        "transfers_api:transfer-detail": {"kwargs": api},
        "transfers_api:transfer-accept": {
            "kwargs": api,
            "method": "post",
            "data": {"caseworker": str(world.user("caseworker.care").uuid)},
        },
        "transfers_api:transfer-decline": {
            "kwargs": api,
            "method": "post",
            "data": {"reason": "No"},
        },
        "transfers_api:transfer-cancel": {"kwargs": api, "method": "post"},
    }
    world._transfer_examples = found
    return found
