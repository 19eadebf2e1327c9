"""Demo data: one pending transfer of a fictional CARE case to HIAS.

The case is opened through ``ruta.cases.actions`` by the demo CARE caseworker, with the
services consent and the consent to share with HIAS, one follow-up, and the transfer
requested by the demo CARE supervisor, so the demo HIAS supervisor finds it in the
transfers inbox. Everything is invented (``DEMO-TR-`` document, ``+51 900 000 199``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ruta.agencies.demo import DEMO_USERS
from ruta.cases import actions as case_actions
from ruta.cases.models import Case, CaseStatus, ConsentMethod, ConsentPurpose
from ruta.lib.demo import Removed
from ruta.lib.permissions import Role
from ruta.transfers import actions
from ruta.transfers.models import Transfer

REASON = (
    "La persona se mudó a una zona donde HIAS tiene oficina y pidió continuar allí "
    "su acompañamiento psicosocial."
)


@dataclass
class TransferDemoSummary:
    created: int = 0
    skipped: bool = False

    def describe(self) -> str:
        if self.skipped:
            return "Demo transfers: already there (or demo accounts missing), nothing created."
        return f"Demo transfers: {self.created} pending transfer from CARE to HIAS created."


def _demo_user(acronym: str, role: str) -> Any:
    from ruta.accounts.models import User

    emails = [e for e, _n, r, a in DEMO_USERS if a == acronym and r == role]
    return User.objects.filter(email__in=emails, is_demo=True, is_active=True).first()


def load_transfers_demo() -> TransferDemoSummary:
    """Create the pending CARE → HIAS transfer unless a demo transfer already exists."""
    supervisor = _demo_user("CARE", Role.SUPERVISOR)
    caseworker = _demo_user("CARE", Role.CASEWORKER)
    receiver = _demo_user("HIAS", Role.SUPERVISOR)
    if supervisor is None or caseworker is None or receiver is None:
        return TransferDemoSummary(skipped=True)
    if Transfer.objects.filter(requested_by=supervisor).exists():
        return TransferDemoSummary(skipped=True)
    # One of the CARE caseworker's open adult demo cases (the demo opens them all).
    candidates = [
        c
        for c in Case.objects.filter(caseworker=caseworker, status=CaseStatus.OPEN)
        .select_related("client")
        .order_by("-code")
        if not c.client.is_child and case_actions.has_consent(c, ConsentPurpose.SERVICES)
    ]
    if not candidates:
        return TransferDemoSummary(skipped=True)
    case = candidates[0]
    with transaction.atomic():
        if not case_actions.has_consent(case, ConsentPurpose.SHARE, receiver.organization):
            case_actions.record_consent(
                caseworker,
                case,
                purpose=ConsentPurpose.SHARE,
                method=ConsentMethod.WRITTEN,
                recipient=receiver.organization,
            )
        case_actions.add_follow_up(
            caseworker,
            case,
            kind="call",
            note="Llamada ficticia: la persona confirma que se muda y acepta el traslado.",
        )
        actions.request_transfer(supervisor, case, receiver.organization, REASON)
    return TransferDemoSummary(created=1)


def remove_transfers_demo() -> int:
    """Delete the transfers demo supervisors requested (the cases go with the case demo)."""
    with transaction.atomic():
        transfers = Transfer.objects.filter(requested_by__is_demo=True)
        count = transfers.count()
        transfers.delete()
    return count


def load_demo() -> TransferDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_transfers_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("transfers", remove_transfers_demo())
