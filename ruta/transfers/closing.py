"""Transfers facing the closure of a case (registered in ``hooks.register()``).

A transfer still waiting for the receiving agency's answer is listed before the closure;
when the case closes it is **cancelled** and the receiving agency's supervisors are told
(a closed case is not handed over: to hand it over, cancel the closure and let the
transfer be answered instead).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ruta.cases.extensions import OpenRisk
from ruta.cases.models import Case
from ruta.transfers.actions import cancel_transfer
from ruta.transfers.models import Transfer, TransferStatus

if TYPE_CHECKING:
    from ruta.accounts.models import User


def _pending(case: Case) -> list[Transfer]:
    return list(
        Transfer.objects.filter(case=case, status=TransferStatus.REQUESTED)
        .select_related("to_organization", "from_organization")
        .order_by("requested_at", "id")
    )


def open_risks(case: Case) -> list[OpenRisk]:
    return [
        OpenRisk(
            kind="transfer",
            label=_("Transfer to %(org)s requested on %(date)s, waiting for an answer.")
            % {
                "org": transfer.to_organization.name,
                "date": formats.date_format(
                    timezone.localtime(transfer.requested_at).date(), "DATE_FORMAT"
                ),
            },
            url=reverse("transfers:detail", args=[transfer.uuid]),
        )
        for transfer in _pending(case)
    ]


def cancel_for_closed_case(actor: User, case: Case) -> None:
    """Cancel each transfer of the closed case still waiting for an answer; the receiving
    agency is told by the cancellation itself."""
    for transfer in _pending(case):
        cancel_transfer(actor, transfer)
