"""What referrals do when a case is anonymised or erased (``ruta.cases.retention``),
registered in ``hooks.py``.

A referral sent from the case holds a copy of its data (the frozen snapshot) and texts
about it: anonymising the case empties all of them; erasing it deletes the referrals with
the case. A referral received into the case keeps the sender's record, but the copy the
receiving agency got (the snapshot) is emptied in both cases. A referral from the case
still waiting for an answer is revoked: there is nothing left in it to accept.
"""

from __future__ import annotations

from django.utils import timezone

from ruta.cases.models import Case
from ruta.lib.fields import empty_encrypted
from ruta.referrals.models import Referral, ReferralStatus

COVERS = ("referrals.Referral",)
RECEIVED_COPY = ["snapshot"]


def anonymise_case_referrals(case: Case) -> dict[str, int]:
    Referral.objects.filter(case=case, status=ReferralStatus.SENT).update(
        status=ReferralStatus.REVOKED, revoked_at=timezone.now()
    )
    sent = empty_encrypted(Referral.objects.filter(case=case))
    received = empty_encrypted(Referral.objects.filter(receiver_case=case), RECEIVED_COPY)
    return {"referrals": sent + received}


def erase_case_referrals(case: Case) -> dict[str, int]:
    """Before the case is deleted: its sent referrals go with it (cascade); the copies it
    received are emptied (the referral itself belongs to the sender)."""
    sent = Referral.objects.filter(case=case).count()
    received = empty_encrypted(Referral.objects.filter(receiver_case=case), RECEIVED_COPY)
    return {"referrals": sent + received}
