"""The stabilisation queue's counts for the desk's home page: who is waiting, and how many
still need their needs check (the first step of the bridge)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from ruta.stabilisation import access
from ruta.stabilisation.models import NeedsCheck, QueueEntry


def queue_summary(user: Any) -> dict[str, Any] | None:
    """None for a desk without an active programme; otherwise the people in the queue of
    its active programmes, those without a needs check, and the one programme to open when
    there is one (else the list)."""
    programmes = list(access.visible_programmes(user).filter(active=True).only("uuid"))
    if not programmes:
        return None
    counts = (
        QueueEntry.objects.filter(beneficiary__programme__in=programmes, left_on__isnull=True)
        .annotate(
            checked=Exists(NeedsCheck.objects.filter(beneficiary_id=OuterRef("beneficiary_id")))
        )
        .aggregate(
            waiting=Count("beneficiary", distinct=True),
            unchecked=Count("beneficiary", distinct=True, filter=Q(checked=False)),
        )
    )
    return {
        "waiting": counts["waiting"],
        "unchecked": counts["unchecked"],
        "programme": programmes[0] if len(programmes) == 1 else None,
    }
