"""Network figures on referrals: per service and per organization.

Received, accepted, declined (by reason), completed, the acceptance rate and the median
hours to acceptance and to completion. Counts only, never who: they feed the directory's
service page (track record), the referral picker and the M&E work.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ruta.referrals.models import Channel, Referral, ReferralStatus

ANSWERED = (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED, ReferralStatus.DECLINED)


@dataclass
class TrackRecord:
    received: int = 0
    accepted: int = 0
    declined: int = 0
    completed: int = 0
    revoked: int = 0
    pending: int = 0
    declined_by_reason: dict[str, int] = field(default_factory=dict)
    median_hours_to_accept: float | None = None
    median_hours_to_complete: float | None = None

    @property
    def answered(self) -> int:
        return self.accepted + self.declined

    @property
    def acceptance_rate(self) -> float | None:
        """Share of answered referrals that were accepted (completed ones were accepted)."""
        return round(100 * self.accepted / self.answered) if self.answered else None


def _hours(start: Any, end: Any) -> float:
    return float((end - start).total_seconds()) / 3600


def _records(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, TrackRecord]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    found: dict[Any, TrackRecord] = {}
    for group, items in grouped.items():
        record = TrackRecord(received=len(items))
        to_accept, to_complete = [], []
        reasons: Counter[str] = Counter()
        for row in items:
            status = row["status"]
            if row["accepted_at"] is not None:
                record.accepted += 1
                to_accept.append(_hours(row["sent_at"], row["accepted_at"]))
            if status == ReferralStatus.DECLINED:
                record.declined += 1
                reasons[row["decline_reason"]] += 1
            elif status == ReferralStatus.COMPLETED:
                record.completed += 1
                to_complete.append(_hours(row["sent_at"], row["completed_at"]))
            elif status == ReferralStatus.REVOKED:
                record.revoked += 1
            elif status == ReferralStatus.SENT:
                record.pending += 1
        record.declined_by_reason = dict(reasons)
        record.median_hours_to_accept = (
            round(statistics.median(to_accept), 1) if to_accept else None
        )
        record.median_hours_to_complete = (
            round(statistics.median(to_complete), 1) if to_complete else None
        )
        found[group] = record
    return found


FIELDS = ("status", "sent_at", "accepted_at", "completed_at", "decline_reason")


def service_records(service_ids: Iterable[int]) -> dict[int, TrackRecord]:
    """Track records of several services in one query (for result lists)."""
    ids = list(service_ids)
    if not ids:
        return {}
    rows = Referral.objects.filter(service_id__in=ids, channel=Channel.ON_RUTA).values(
        "service_id", *FIELDS
    )
    return _records(rows, "service_id")


def service_record(service: Any) -> TrackRecord:
    return service_records([service.pk]).get(service.pk, TrackRecord())


def organization_records(organization_ids: Iterable[int] | None = None) -> dict[int, TrackRecord]:
    """Referrals received, per receiving organization."""
    rows = Referral.objects.filter(channel=Channel.ON_RUTA)
    if organization_ids is not None:
        rows = rows.filter(to_organization_id__in=list(organization_ids))
    return _records(rows.values("to_organization_id", *FIELDS), "to_organization_id")
