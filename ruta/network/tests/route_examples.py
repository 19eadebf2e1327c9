"""URL arguments for the network routes (see ruta/core/tests/test_route_permissions.py).

A public meeting with registration open, a material, a follow-up, and CARE's membership,
so every role the matrix allows gets a real answer.
"""

from __future__ import annotations

from typing import Any

from ruta.network.models import Membership, PersonSex
from ruta.network.tests.factories import (
    make_follow_up,
    make_material,
    make_meeting,
    make_network,
)


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_network_examples", None)
    if cached is not None:
        return cached
    network = make_network(world)
    meeting = make_meeting(network)
    material = make_material(meeting)
    follow_up = make_follow_up(meeting)
    membership = Membership.objects.get(network=network, organization=world.care)
    slug = {"kwargs": {"slug": network.slug}}
    by_meeting = {"kwargs": {"uuid": meeting.uuid}}
    found: dict[str, dict[str, Any]] = {
        "network:network_detail": slug,
        "network:network_edit": slug,
        "network:membership_create": slug,
        "network:own_membership": slug,
        "network:meeting_create": slug,
        "network:network_feed": slug,
        "network:report": slug,
        "network:report_pdf": slug,
        "network:meeting_detail": by_meeting,
        "network:meeting_ics": by_meeting,
        "network:meeting_edit": by_meeting,
        "network:checkin": by_meeting,
        "network:attendance_import": by_meeting,
        "network:materials": by_meeting,
        "network:follow_ups": by_meeting,
        "network:register": {**by_meeting, "method": "post"},
        "network:walk_in": {
            **by_meeting,
            "method": "post",
            "data": {
                "full_name": "Persona Sin Inscripción",
                "sex": PersonSex.FEMALE,
                "country": "PE",
            },
        },
        "network:public_registration": {"kwargs": {"token": meeting.registration_token}},
        "network:material_download": {"kwargs": {"uuid": material.uuid}},
        "network:material_remove": {"kwargs": {"uuid": material.uuid}, "method": "post"},
        "network:follow_up_edit": {"kwargs": {"uuid": follow_up.uuid}},
        "network:membership_edit": {"kwargs": {"uuid": membership.uuid}},
        "network_api:network-detail": slug,
        "network_api:network-figures": slug,
        "network_api:meeting-detail": by_meeting,
    }
    world._network_examples = found
    return found
