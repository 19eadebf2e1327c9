"""Build conferences for tests through ``ruta.conferences.actions``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ruta.cases.models import Case, ConsentPurpose
from ruta.cases.tests.factories import give_consent, make_case
from ruta.conferences import actions
from ruta.conferences.models import AgendaKind, Conference, Modality

MINUTES = "Acta ficticia: se acordó acompañamiento legal"
PLACE = "Sala reservada, piso 3"


def case_shared_with_hias(world: Any) -> Case:
    """A CARE case (caseworker.care) with an active consent to share with HIAS."""
    case = make_case(world.user("caseworker.care"))
    give_consent(world.user("caseworker.care"), case, ConsentPurpose.SHARE, recipient=world.hias)
    return case


def make_conference(
    world: Any,
    case: Case | None = None,
    *,
    participants: list[Any] | None = None,
    acknowledge: bool = True,
    when: dt.datetime | None = None,
) -> Conference:
    """A conference convened by supervisor.care with caseworker.care and HIAS's supervisor
    (acknowledged unless told otherwise)."""
    case = case or case_shared_with_hias(world)
    people = (
        participants
        if participants is not None
        else [world.user("caseworker.care"), world.user("supervisor.hias")]
    )
    conference = actions.convene(
        world.user("supervisor.care"),
        case,
        scheduled_at=when or timezone.now() + dt.timedelta(days=2),
        modality=Modality.ONLINE,
        place_or_link=PLACE,
        survivor_invited=True,
        participants=people,
        agenda=[(AgendaKind.PROGRESS, "Avances del plan"), (AgendaKind.BARRIERS, "Barreras")],
    )
    if acknowledge:
        for person in people:
            actions.acknowledge(person, conference)
    return conference
