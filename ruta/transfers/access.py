"""Who sees which transfers, and what a sending agency keeps after a transfer.

Deny by default; missing and forbidden both answer 404. A transfer is seen by the
supervisors of the sending and of the receiving agency, nobody else. After acceptance
the sending agency's supervisors and the former caseworker read only the entries
their agency wrote before the transfer, never the case itself (``ruta.cases.access``
does not know about them), and not at all when the installation's setting is "none".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ruta.lib.permissions import Cap, user_can
from ruta.transfers.actions import sender_access_setting
from ruta.transfers.models import SenderAccess, Transfer, TransferStatus

if TYPE_CHECKING:
    from ruta.accounts.models import User


def visible_transfers(user: User) -> QuerySet[Transfer]:
    if not user_can(user, Cap.SUPERVISE_CASES) or not user.organization_id:
        return Transfer.objects.none()
    org = user.organization_id
    return Transfer.objects.filter(Q(from_organization_id=org) | Q(to_organization_id=org))


def with_related(transfers: QuerySet[Transfer]) -> QuerySet[Transfer]:
    return transfers.select_related(
        "case",
        "from_organization",
        "to_organization",
        "requested_by",
        "decided_by",
        "assigned_caseworker",
    )


def get_transfer(user: User, transfer_uuid: Any) -> Transfer:
    transfer = with_related(visible_transfers(user)).filter(uuid=transfer_uuid).first()
    if transfer is None:
        raise Http404
    return transfer


def reason_visible(user: User, transfer: Transfer) -> bool:
    """The reason (case narrative) is for the sender, and for the receiver only while it
    decides with the consent to share standing, or once the case is theirs."""
    if transfer.from_organization_id == user.organization_id:
        return True
    if transfer.status == TransferStatus.ACCEPTED:
        return True
    if transfer.status != TransferStatus.REQUESTED:
        return False
    from ruta.cases.actions import has_consent
    from ruta.cases.models import ConsentPurpose

    return has_consent(transfer.case, ConsentPurpose.SHARE, transfer.to_organization)


def audit_transfer_read(request: Any, transfer: Transfer) -> None:
    from ruta.audit.actions import record

    record(
        "transfer.read",
        request=request,
        obj=transfer,
        organization=request.user.organization,
        details={"case": transfer.case.code, "path": request.path[:200]},
    )


def incoming_transfers(user: User) -> QuerySet[Transfer]:
    """The receiving agency's inbox: requests waiting for its answer."""
    if not user_can(user, Cap.SUPERVISE_CASES) or not user.organization_id:
        return Transfer.objects.none()
    return with_related(
        Transfer.objects.filter(
            to_organization_id=user.organization_id, status=TransferStatus.REQUESTED
        )
    ).order_by("requested_at", "id")


# --- What the sending agency keeps ----------------------------------------------------------
def transferred_out(user: User) -> QuerySet[Transfer]:
    """Accepted transfers whose earlier entries ``user`` may still read."""
    if not user_can(user, Cap.VIEW_CASES) or sender_access_setting() == SenderAccess.NONE:
        return Transfer.objects.none()
    accepted = Transfer.objects.filter(
        status=TransferStatus.ACCEPTED, sender_access=SenderAccess.OWN_ENTRIES
    )
    mine = Q(previous_caseworker_id=user.pk)
    if user_can(user, Cap.SUPERVISE_CASES):
        mine |= Q(from_organization_id=user.organization_id)
    return accepted.filter(mine)


def get_transferred_out(user: User, transfer_uuid: Any) -> Transfer:
    transfer = with_related(transferred_out(user)).filter(uuid=transfer_uuid).first()
    if transfer is None:
        raise Http404
    return transfer


@dataclass
class Entry:
    kind: str
    date: Any
    label: str
    text: str
    author: str


def own_entries(transfer: Transfer) -> list[Entry]:
    """The records written by the sending agency's people before the transfer, newest first.

    Read straight from the case's related models, filtered by the author's agency and
    the time of acceptance; the case itself is not reachable from here.
    """
    from ruta.cases.models import Assessment, Consent, FollowUp, Incident, MeasureResult

    org = transfer.from_organization_id
    before = transfer.decided_at
    case_id = transfer.case_id
    entries: list[Entry] = []
    for follow_up in FollowUp.objects.filter(
        case_id=case_id, recorded_by__organization_id=org, recorded_at__lt=before
    ).select_related("recorded_by"):
        entries.append(
            Entry(
                "follow_up",
                follow_up.happened_on,
                str(follow_up.get_kind_display()),
                follow_up.note,
                str(follow_up.recorded_by),
            )
        )
    for assessment in Assessment.objects.filter(
        case_id=case_id, created_by__organization_id=org, created_at__lt=before
    ).select_related("created_by"):
        entries.append(
            Entry(
                "assessment",
                assessment.assessed_on,
                str(Assessment._meta.verbose_name).capitalize(),
                assessment.narrative,
                str(assessment.created_by),
            )
        )
    for incident in Incident.objects.filter(
        case_id=case_id, recorded_by__organization_id=org, recorded_at__lt=before
    ).select_related("recorded_by"):
        entries.append(
            Entry(
                "incident",
                incident.date,
                str(incident.get_gbv_type_display()),
                incident.description,
                str(incident.recorded_by),
            )
        )
    for measure in MeasureResult.objects.filter(
        case_id=case_id, administered_by__organization_id=org, created_at__lt=before
    ).select_related("administered_by"):
        entries.append(
            Entry(
                "measure",
                measure.administered_on,
                str(measure.get_instrument_display()),
                str(measure.score),
                str(measure.administered_by),
            )
        )
    for consent in Consent.objects.filter(
        case_id=case_id, recorded_by__organization_id=org, given_at__lt=before
    ).select_related("recorded_by"):
        entries.append(
            Entry(
                "consent",
                consent.given_at.date(),
                str(consent.get_purpose_display()),
                "",
                str(consent.recorded_by),
            )
        )
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries
