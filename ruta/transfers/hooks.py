"""What transfers plug into the apps below them (registered in ``TransfersConfig.ready()``):
the transfer notification text, the today line and the transfer buttons on the case page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ruta.cases import extensions
from ruta.notifications import registry
from ruta.notifications.models import NotificationKind
from ruta.transfers import closing, retention
from ruta.transfers.access import incoming_transfers
from ruta.transfers.models import TransferStatus

if TYPE_CHECKING:
    from ruta.accounts.models import User


def transfer_text(details: dict[str, Any]) -> str:
    texts = {
        "requested": _("An agency asks yours to take a case over."),
        "accepted": _("A case your agency sent was accepted."),
        "declined": _("A transfer your agency requested was declined."),
        "cancelled": _("A transfer request to your agency was cancelled."),
    }
    return texts.get(details.get("event", ""), str(NotificationKind.TRANSFER.label))


def waiting_for_decision(user: User) -> int:
    return incoming_transfers(user).filter(status=TransferStatus.REQUESTED).count()


def register() -> None:
    registry.register_text(NotificationKind.TRANSFER, transfer_text)
    extensions.add_today_line(
        extensions.TodayLine("transfers/_today_line.html", waiting_for_decision, order=20)
    )
    extensions.add_case_buttons("transfers/_case_buttons.html")
    extensions.on_case_anonymised(retention.anonymise_case_transfers, retention.COVERS)
    extensions.on_case_erased(retention.erase_case_transfers)
    extensions.add_open_risk_source(closing.open_risks)
    extensions.on_case_closed(closing.cancel_for_closed_case)
