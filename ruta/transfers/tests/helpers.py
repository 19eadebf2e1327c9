"""Shared builders for transfer tests: cases with consent to share, transfers in each state."""

from __future__ import annotations

from typing import Any

from ruta.cases.models import Case, ConsentPurpose
from ruta.cases.tests.factories import give_consent, make_case
from ruta.transfers import actions
from ruta.transfers.models import Transfer

REASON = "Motivo ficticio del traslado"


def shareable_case(world: Any, to: Any = None, caseworker: str = "caseworker.care") -> Case:
    """An open case of ``caseworker`` with consent to share with ``to`` (default HIAS)."""
    case = make_case(world.user(caseworker))
    give_consent(world.user(caseworker), case, ConsentPurpose.SHARE, recipient=to or world.hias)
    return case


def requested(world: Any, case: Case | None = None) -> Transfer:
    """A transfer CARE → HIAS waiting for HIAS's answer."""
    case = case or shareable_case(world)
    return actions.request_transfer(world.user("supervisor.care"), case, world.hias, REASON)


def accepted(world: Any, case: Case | None = None) -> Transfer:
    transfer = requested(world, case)
    return actions.accept_transfer(
        world.user("supervisor.hias"), transfer, world.user("caseworker.hias")
    )
