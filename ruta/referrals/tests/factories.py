"""Builders for referral tests: a CARE case referred to a HIAS service, through actions."""

from __future__ import annotations

from typing import Any

from ruta.cases import actions as case_actions
from ruta.cases.models import Case, ConsentMethod, ConsentPurpose
from ruta.cases.tests.factories import make_case
from ruta.directory.tests.factories import make_service
from ruta.referrals import actions
from ruta.referrals.models import Referral, Urgency


def share_consent(actor: Any, case: Case, organization: Any) -> Any:
    return case_actions.record_consent(
        actor,
        case,
        purpose=ConsentPurpose.SHARE,
        method=ConsentMethod.VERBAL,
        recipient=organization,
    )


def hias_service(world: Any, name: str = "Acompañamiento psicosocial HIAS") -> Any:
    return make_service(world.hias, name, terms=("psychosocial_support", "women"))


def make_referral(
    world: Any,
    *,
    case: Case | None = None,
    service: Any = None,
    urgency: str = Urgency.NORMAL,
    fields: tuple[str, ...] = ("name", "age_band", "sex", "languages", "needs", "safe_contact"),
) -> Referral:
    """caseworker.care refers a case of theirs to a HIAS service (consent recorded)."""
    sender = world.user("caseworker.care")
    case = case or make_case(sender)
    service = service or hias_service(world)
    share_consent(sender, case, service.organization)
    return actions.send_referral(
        sender, case, service=service, fields=fields, urgency=urgency, reason="Necesita apoyo"
    )
