"""Who sees which referral. Deny by default; forbidden and missing both answer 404.

The sending side is the team of the referring case (``cases.access.visible_cases``).
The receiving side is the receiving organization's supervisors and the caseworker
assigned to the referral. The receiver sees the snapshot only while the referral is
live or completed *and* the consent it relied on stands; never the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ruta.audit.actions import record
from ruta.cases.access import audit_case_read, visible_cases
from ruta.lib.permissions import Cap, user_can
from ruta.referrals.models import SNAPSHOT_STATUSES, Channel, Referral

if TYPE_CHECKING:
    from ruta.accounts.models import User

SENDER = "sender"
RECEIVER = "receiver"


def _base() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "case",
        "consent",
        "from_organization",
        "to_organization",
        "service",
        "assigned_to",
        "receiver_case",
    )


def sent_referrals(user: User) -> QuerySet[Referral]:
    if not user_can(user, Cap.VIEW_CASES):
        return Referral.objects.none()
    return _base().filter(case__in=visible_cases(user).values("pk"))


def received_referrals(user: User) -> QuerySet[Referral]:
    if not user_can(user, Cap.VIEW_CASES):
        return Referral.objects.none()
    received = _base().filter(to_organization_id=user.organization_id, channel=Channel.ON_RUTA)
    if user_can(user, Cap.SUPERVISE_CASES):
        return received
    return received.filter(assigned_to_id=user.pk)


def visible_referrals(user: User) -> QuerySet[Referral]:
    if not user_can(user, Cap.VIEW_CASES):
        return Referral.objects.none()
    sent = Q(case__in=visible_cases(user).values("pk"))
    received = Q(to_organization_id=user.organization_id, channel=Channel.ON_RUTA)
    if not user_can(user, Cap.SUPERVISE_CASES):
        received &= Q(assigned_to_id=user.pk)
    return _base().filter(sent | received)


def get_referral(user: User, referral_uuid: Any) -> tuple[Referral, str]:
    """The referral and the side (SENDER or RECEIVER) ``user`` stands on; else 404."""
    referral = sent_referrals(user).filter(uuid=referral_uuid).first()
    if referral is not None:
        return referral, SENDER
    referral = received_referrals(user).filter(uuid=referral_uuid).first()
    if referral is not None:
        return referral, RECEIVER
    raise Http404


def snapshot_visible(referral: Referral) -> bool:
    return referral.status in SNAPSHOT_STATUSES and referral.consent.withdrawn_at is None


def audit_referral_read(request: Any, referral: Referral, side: str) -> None:
    """Sender reads are case reads; a receiver's read of the snapshot is its own event."""
    if side == SENDER:
        audit_case_read(request, referral.case, what="referral")
        return
    record(
        "referral.read",
        request=request,
        obj=referral,
        organization=referral.to_organization,
        details={
            "snapshot": snapshot_visible(referral),
            "path": request.path[:200],
            # The receiving agency's own case opened from the referral, when there is one.
            "cases": [str(referral.receiver_case.uuid)] if referral.receiver_case else [],
        },
    )
