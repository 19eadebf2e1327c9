"""The desk's figures for its supervisors: counts and means, never a person.

Every count between 1 and the small-cell threshold (``RUTA_HELPLINE_SMALL_CELL``, 5 by
default) is shown as "<5", and a mean over fewer contacts than the threshold is not shown:
a small desk's figures must not single out a caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import mean
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from ruta.helpline.models import Channel, Contact, Handoff, HandoffKind, Reason, RiskAlert
from ruta.referrals.models import ReferralStatus

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30


def threshold() -> int:
    return int(getattr(settings, "RUTA_HELPLINE_SMALL_CELL", 5))


def shown(count: int) -> str:
    """A count as the page shows it: suppressed below the threshold (zero is zero)."""
    limit = threshold()
    return f"<{limit}" if 0 < count < limit else str(count)


def shown_mean(values: list[float]) -> str | None:
    """The mean, rounded to one decimal, or None over too few values to show."""
    if len(values) < threshold():
        return None
    return f"{mean(values):.1f}"


@dataclass(frozen=True)
class Row:
    label: str
    count: str


def _rows(pairs: list[tuple[str, int]]) -> list[Row]:
    return [Row(label, shown(count)) for label, count in pairs if count]


@dataclass(frozen=True)
class MonthVolume:
    month: dt.date
    contacts: str  # shown: "<N" below the small-cell threshold
    risk: str  # contacts that raised a risk alert, shown the same way


def monthly_volume(
    organization_id: int | None, first_month: dt.date, last_month: dt.date
) -> list[MonthVolume]:
    """Contacts, and those that raised a risk alert, in each calendar month (local time)
    from ``first_month`` to ``last_month``: one agency's desk, or every desk (``None``)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first_month.replace(day=1), dt.time.min, zone)
    following = (last_month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    end = dt.datetime.combine(following, dt.time.min, zone)
    contacts = Contact.objects.filter(started_at__gte=start, started_at__lt=end)
    if organization_id is not None:
        contacts = contacts.filter(organization_id=organization_id)
    counted = {
        row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]: row
        for row in contacts.annotate(month=TruncMonth("started_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("id", distinct=True), risk=Count("alert", distinct=True))
    }
    found = []
    month = first_month.replace(day=1)
    while month < following:
        row = counted.get(month, {"n": 0, "risk": 0})
        found.append(MonthVolume(month, shown(row["n"]), shown(row["risk"])))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return found


def desk_figures(
    organization_id: int | None, days: int, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The figures of one agency's desk, or of every desk of the network (``None``)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    contacts = Contact.objects.filter(started_at__gte=since, started_at__lte=now)
    if organization_id is not None:
        contacts = contacts.filter(organization_id=organization_id)
    total = contacts.count()
    by_day = (
        contacts.annotate(day=TruncDate("started_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    channel_counts = dict(contacts.values_list("channel").annotate(n=Count("id")))
    reason_counts = dict(
        contacts.filter(reasons__isnull=False).values_list("reasons").annotate(n=Count("id"))
    )
    reasons = Reason.objects.filter(pk__in=reason_counts)
    durations = [
        (ended - started).total_seconds() / 60
        for started, ended in contacts.filter(ended_at__isnull=False).values_list(
            "started_at", "ended_at"
        )
        if ended is not None
    ]
    alerts = RiskAlert.objects.filter(contact__in=contacts)
    waits = [
        (acknowledged - raised).total_seconds() / 60
        for raised, acknowledged in alerts.filter(acknowledged_at__isnull=False).values_list(
            "raised_at", "acknowledged_at"
        )
        if acknowledged is not None
    ]
    pairs = [
        (before, after)
        for before, after in contacts.filter(
            distress_before__isnull=False, distress_after__isnull=False
        ).values_list("distress_before", "distress_after")
        if before is not None and after is not None
    ]
    before = [float(b) for b, _a in pairs]
    after = [float(a) for _b, a in pairs]
    change = [float(a - b) for b, a in pairs]
    handoffs = Handoff.objects.filter(contact__in=contacts)
    referral_counts = dict(
        handoffs.filter(kind=HandoffKind.REFERRAL)
        .values_list("referral__status")
        .annotate(n=Count("id"))
    )
    return {
        "days": days,
        "cases_here": shown(handoffs.filter(kind=HandoffKind.CASE).count()),
        "referrals": _rows(
            [(str(label), referral_counts.get(value, 0)) for value, label in ReferralStatus.choices]
        ),
        "threshold": threshold(),
        "total": shown(total),
        "by_day": [Row(str(row["day"]), shown(row["n"])) for row in by_day],
        "by_channel": _rows(
            [(str(label), channel_counts.get(value, 0)) for value, label in Channel.choices]
        ),
        "by_reason": _rows([(reason.name, reason_counts.get(reason.pk, 0)) for reason in reasons]),
        "repeat": shown(contacts.filter(is_repeat=True).count()),
        "mean_duration": shown_mean(durations),
        "risk": shown(alerts.count()),
        "mean_wait": shown_mean(waits),
        "unacknowledged": shown(alerts.filter(acknowledged_at__isnull=True).count()),
        "distress_n": shown(len(pairs)),
        "distress_before": shown_mean(before),
        "distress_after": shown_mean(after),
        "distress_change": shown_mean(change),
    }
