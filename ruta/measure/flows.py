"""The referral network's flows: who refers to whom, how many were accepted, declined or
are still waiting, how many were accepted in time and the median days to accept, over a
period. Counts per pair of organizations only: never a case, a person or a reason.

Referrals sent on Ruta only (a printed referral has nobody on Ruta to answer it). A reader
limited to their organization sees the flows their organization sends or receives.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db.models import Count, F, Q
from django.utils import timezone

from ruta.agencies.models import Organization
from ruta.referrals.models import Channel, Referral

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Flow:
    sender: str
    receiver: str
    sent: int
    accepted: int
    declined: int
    waiting: int
    in_time: int
    median_days: Decimal | None

    @property
    def accepted_pct(self) -> int | None:
        answered = self.accepted + self.declined
        return round(100 * self.accepted / answered) if answered else None


def flows(start: dt.date, end: dt.date, scope: frozenset[int] | None) -> list[Flow]:
    """Each pair of organizations with referrals sent from ``start`` to ``end`` (local
    days), most referrals first."""
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    found = Referral.objects.filter(channel=Channel.ON_RUTA, sent_at__gte=low, sent_at__lt=high)
    if scope is not None:
        found = found.filter(Q(from_organization_id__in=scope) | Q(to_organization_id__in=scope))
    pairs = list(
        found.order_by()
        .values_list("from_organization_id", "to_organization_id")
        .annotate(
            sent=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            declined=Count("pk", filter=Q(declined_at__isnull=False)),
            waiting=Count(
                "pk",
                filter=Q(
                    accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True
                ),
            ),
            in_time=Count("pk", filter=Q(accepted_at__lte=F("respond_by"))),
        )
    )
    days: dict[tuple[int, int], list[float]] = defaultdict(list)
    for sender, receiver, sent_at, accepted_at in found.filter(
        accepted_at__isnull=False
    ).values_list("from_organization_id", "to_organization_id", "sent_at", "accepted_at"):
        if accepted_at is not None:
            days[(sender, receiver)].append((accepted_at - sent_at).total_seconds() / 86400)
    ids = {pk for pair in pairs for pk in pair[:2]}
    names = {org.pk: org.acronym or org.name for org in Organization.objects.filter(pk__in=ids)}
    result = []
    for sender, receiver, sent, accepted, declined, waiting, in_time in pairs:
        spent = days.get((sender, receiver))
        middle = None
        if spent:
            middle = Decimal(str(median(spent))).quantize(ONE_DECIMAL, ROUND_HALF_UP)
        result.append(
            Flow(
                names.get(sender, "—"),
                names.get(receiver, "—"),
                sent,
                accepted,
                declined,
                waiting,
                in_time,
                middle,
            )
        )
    return sorted(result, key=lambda flow: (-flow.sent, flow.sender, flow.receiver))
