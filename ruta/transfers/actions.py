"""Every step of an in-country transfer: request, accept, decline, cancel.

Each function takes the acting user first, runs atomically, writes one audit event
(``transfer.requested/accepted/declined/cancelled``) and notifies both sides once the
transaction commits. A refused step raises ``TransferError`` (a message for the person);
a step the transfer's status does not allow raises ``IllegalTransition`` (HTTP 409), and
so does a missing consent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.cases.access import supervisors_of
from ruta.cases.actions import CaseError, require_consent
from ruta.cases.models import Case, CaseStatus, ConsentPurpose
from ruta.lib.permissions import Cap, Role, user_can
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind
from ruta.transfers.models import TRANSITIONS, SenderAccess, Transfer, TransferStatus

if TYPE_CHECKING:
    from ruta.accounts.models import User


class TransferError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


class IllegalTransition(TransferError):
    """The transfer's current status (or the case's) does not allow this step: 409."""


def sender_access_setting() -> str:
    value = getattr(settings, "RUTA_TRANSFER_SENDER_ACCESS", SenderAccess.OWN_ENTRIES)
    return SenderAccess.NONE if value == SenderAccess.NONE else SenderAccess.OWN_ENTRIES


def _is_supervisor_of(actor: User, organization_id: int) -> bool:
    return user_can(actor, Cap.SUPERVISE_CASES) and actor.organization_id == organization_id


def _audit(event: str, actor: User, transfer: Transfer, organization: Any, **details: Any) -> None:
    record(
        event,
        actor=actor,
        obj=transfer,
        organization=organization,
        details={
            "case": str(transfer.case.uuid),
            "from": str(transfer.from_organization.uuid),
            "to": str(transfer.to_organization.uuid),
            **details,
        },
    )


def _consent_gate(case: Case, organization: Any) -> None:
    try:
        require_consent(case, ConsentPurpose.SHARE, recipient=organization)
    except CaseError as error:
        raise IllegalTransition(str(error)) from error


def _lock(transfer: Transfer) -> Transfer:
    locked = (
        Transfer.objects.select_for_update()
        .select_related("case", "from_organization", "to_organization")
        .get(pk=transfer.pk)
    )
    return locked


def _move(transfer: Transfer, status: str) -> None:
    if status not in TRANSITIONS[transfer.status]:
        messages: dict[str, str] = {
            TransferStatus.ACCEPTED: _("This transfer was already accepted."),
            TransferStatus.DECLINED: _("This transfer was declined; it cannot change now."),
            TransferStatus.CANCELLED: _("This transfer was cancelled; it cannot change now."),
        }
        raise IllegalTransition(
            messages.get(transfer.status, _("This step is not possible for this transfer."))
        )
    transfer.status = status


def _notify(people: Any, transfer: Transfer, event: str, case: Any = None) -> None:
    """A transfer notice linking to the transfer page, like referrals' and conferences'."""
    notify(
        people,
        NotificationKind.TRANSFER,
        case,
        event=event,
        link="transfers:detail",
        uuid=str(transfer.uuid),
    )


@transaction.atomic
def request_transfer(actor: User, case: Case, to_organization: Any, reason: str) -> Transfer:
    """A supervisor of the case's agency asks another agency to take the case over."""
    case = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
    if not _is_supervisor_of(actor, case.organization_id):
        raise TransferError(_("Only a supervisor of the agency that holds the case can do this."))
    if to_organization is None or to_organization.pk == case.organization_id:
        raise TransferError(_("Choose another agency to transfer the case to."))
    if not reason.strip():
        raise TransferError(_("Say why the case is being transferred."))
    if case.status != CaseStatus.OPEN:
        raise IllegalTransition(_("Only an open case can be transferred."))
    if Transfer.objects.filter(case=case, status=TransferStatus.REQUESTED).exists():
        raise IllegalTransition(
            _("This case already has a transfer waiting for an answer. Cancel it first.")
        )
    receivers = list(supervisors_of(to_organization.pk))
    if not receivers:
        raise TransferError(
            _("%(org)s has no active supervisor on Ruta to accept the case.")
            % {"org": to_organization.name}
        )
    _consent_gate(case, to_organization)
    transfer = Transfer.objects.create(
        case=case,
        from_organization=case.organization,
        to_organization=to_organization,
        reason=reason.strip(),
        requested_by=actor,
        sender_access=sender_access_setting(),
    )
    _audit("transfer.requested", actor, transfer, case.organization)
    _notify(receivers, transfer, "requested")
    return transfer


@transaction.atomic
def accept_transfer(actor: User, transfer: Transfer, caseworker: Any) -> Transfer:
    """A supervisor of the receiving agency takes the case over and assigns a caseworker."""
    transfer = _lock(transfer)
    if not _is_supervisor_of(actor, transfer.to_organization_id):
        raise TransferError(_("Only a supervisor of the receiving agency can do this."))
    _move(transfer, TransferStatus.ACCEPTED)
    case = Case.objects.select_for_update().select_related("client").get(pk=transfer.case_id)
    if case.status != CaseStatus.OPEN or case.organization_id != transfer.from_organization_id:
        raise IllegalTransition(_("The case is no longer open at the sending agency."))
    if (
        caseworker is None
        or caseworker.organization_id != transfer.to_organization_id
        or caseworker.role not in (Role.CASEWORKER, Role.SUPERVISOR)
        or not caseworker.is_active
    ):
        raise TransferError(_("Choose a caseworker of your agency for the case."))
    _consent_gate(case, transfer.to_organization)
    now = timezone.now()
    transfer.previous_caseworker_id = case.caseworker_id
    transfer.previous_supervisor_id = case.supervisor_id
    transfer.decided_by = actor
    transfer.decided_at = now
    transfer.assigned_caseworker = caseworker
    transfer.sender_access = sender_access_setting()
    transfer.save()
    case.organization = transfer.to_organization
    case.caseworker = caseworker
    case.supervisor = actor
    case.save(update_fields=["organization", "caseworker", "supervisor", "updated_at"])
    client = case.client
    if not client.cases.exclude(pk=case.pk).exists():
        # The person's record travels with their only case (duplicate checks follow it).
        client.organization = transfer.to_organization
        client.save(update_fields=["organization"])
    _audit(
        "transfer.accepted",
        actor,
        transfer,
        transfer.to_organization,
        caseworker=str(caseworker.uuid),
        sender_access=transfer.sender_access,
    )
    notify([caseworker], NotificationKind.ASSIGNED, case, transfer=str(transfer.uuid))
    senders = {u.pk: u for u in supervisors_of(transfer.from_organization_id)}
    if transfer.previous_caseworker_id:
        senders[transfer.previous_caseworker_id] = transfer.previous_caseworker
    _notify(senders.values(), transfer, "accepted")
    return transfer


@transaction.atomic
def decline_transfer(actor: User, transfer: Transfer, reason: str) -> Transfer:
    """A supervisor of the receiving agency says no, with a reason the sender reads."""
    transfer = _lock(transfer)
    if not _is_supervisor_of(actor, transfer.to_organization_id):
        raise TransferError(_("Only a supervisor of the receiving agency can do this."))
    _move(transfer, TransferStatus.DECLINED)
    if not reason.strip():
        raise TransferError(_("Say why the transfer is declined."))
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.decline_reason = reason.strip()
    transfer.save()
    _audit("transfer.declined", actor, transfer, transfer.to_organization)
    recipients = {u.pk: u for u in supervisors_of(transfer.from_organization_id)}
    recipients[transfer.requested_by_id] = transfer.requested_by
    _notify(recipients.values(), transfer, "declined", transfer.case)
    return transfer


@transaction.atomic
def cancel_transfer(actor: User, transfer: Transfer) -> Transfer:
    """A supervisor of the sending agency withdraws a request not yet answered."""
    transfer = _lock(transfer)
    if not _is_supervisor_of(actor, transfer.from_organization_id):
        raise TransferError(_("Only a supervisor of the sending agency can do this."))
    _move(transfer, TransferStatus.CANCELLED)
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save()
    _audit("transfer.cancelled", actor, transfer, transfer.from_organization)
    _notify(supervisors_of(transfer.to_organization_id), transfer, "cancelled")
    return transfer
