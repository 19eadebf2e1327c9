"""Small builders for network tests: a network with CARE and HIAS as members and a meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from ruta.network.models import (
    Meeting,
    MeetingFollowUp,
    MeetingMaterial,
    Membership,
    Modality,
    Network,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_network(world: Any, slug: str = "cdp-test") -> Network:
    network, _created = Network.objects.get_or_create(
        slug=slug, defaults={"name": "Comunidad de práctica de prueba", "country": "PE"}
    )
    for org in (world.care, world.hias):
        Membership.objects.get_or_create(
            network=network, organization=org, defaults={"joined_on": dt.date(2024, 1, 1)}
        )
    return network


def make_meeting(network: Network, **extra: Any) -> Meeting:
    starts = extra.pop("starts_at", timezone.now() + dt.timedelta(days=7))
    defaults: dict[str, Any] = {
        "title": "Reunión de intercambio",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "modality": Modality.HYBRID,
        "place": "Lima",
        "public": True,
        "registration_open": True,
    }
    defaults.update(extra)
    return Meeting.objects.create(network=network, **defaults)


def make_material(meeting: Meeting) -> MeetingMaterial:
    material = MeetingMaterial(
        meeting=meeting,
        title="Presentación",
        original_name="presentacion.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    material.file.save("presentacion.pdf", ContentFile(PDF_BYTES), save=False)
    material.save()
    return material


def make_follow_up(meeting: Meeting) -> MeetingFollowUp:
    return MeetingFollowUp.objects.create(meeting=meeting, description="Enviar la presentación")
