"""The key figures of a network, computed from its records (never typed).

Definitions (as the community-of-practice reports of seeds 000/001 use them):

- member organizations: organizations whose membership overlaps the period
  (joined on or before its end, not left before its start);
- meetings: meetings that start within the period;
- total attendances: attendance records of those meetings; unique attendees: distinct people;
- regular participants: people who attended at least ``RUTA_REGULAR_MIN_MEETINGS``
  (default 2) of those meetings;
- meetings by modality and organizations per meeting (distinct organizations among the
  attendees of each meeting, Ruta organizations or typed names).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ruta.network.models import Attendance, Meeting, Membership, Modality

if TYPE_CHECKING:
    from ruta.network.models import Network


def regular_min_meetings() -> int:
    return int(getattr(settings, "RUTA_REGULAR_MIN_MEETINGS", 2))


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware datetimes in the current time zone: [start 00:00, end+1 00:00)."""
    tz = timezone.get_current_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lower, upper


def memberships_in_period(network: Network, start: dt.date, end: dt.date) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(network=network, joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .select_related("organization")
    )


def meetings_in_period(network: Network, start: dt.date, end: dt.date) -> QuerySet[Meeting]:
    lower, upper = _bounds(start, end)
    return Meeting.objects.filter(network=network, starts_at__gte=lower, starts_at__lt=upper)


@dataclass
class MeetingRow:
    meeting: Meeting
    attendees: int
    organizations: int


@dataclass
class NetworkFigures:
    start: dt.date
    end: dt.date
    member_organizations: int
    meetings: int
    total_attendances: int
    unique_attendees: int
    regular_participants: int
    regular_min_meetings: int
    by_modality: list[tuple[str, str, int]] = field(default_factory=list)  # code, label, n
    per_meeting: list[MeetingRow] = field(default_factory=list)

    @property
    def average_organizations_per_meeting(self) -> float:
        if not self.per_meeting:
            return 0.0
        return round(sum(r.organizations for r in self.per_meeting) / len(self.per_meeting), 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "member_organizations": self.member_organizations,
            "meetings": self.meetings,
            "total_attendances": self.total_attendances,
            "unique_attendees": self.unique_attendees,
            "regular_participants": self.regular_participants,
            "regular_min_meetings": self.regular_min_meetings,
            "meetings_by_modality": {code: n for code, _label, n in self.by_modality},
            "average_organizations_per_meeting": self.average_organizations_per_meeting,
            "organizations_per_meeting": [
                {
                    "meeting": str(row.meeting.uuid),
                    "title": row.meeting.title,
                    "starts_at": row.meeting.starts_at.isoformat(),
                    "attendees": row.attendees,
                    "organizations": row.organizations,
                }
                for row in self.per_meeting
            ],
        }


def network_figures(network: Network, start: dt.date, end: dt.date) -> NetworkFigures:
    """Every key figure of ``network`` for the period, in a fixed number of queries."""
    minimum = regular_min_meetings()
    meetings = list(meetings_in_period(network, start, end).order_by("starts_at"))
    meeting_ids = [m.pk for m in meetings]
    attendances = Attendance.objects.filter(meeting_id__in=meeting_ids)
    per_person = attendances.values("person_id").annotate(n=Count("meeting_id", distinct=True))
    counts = [row["n"] for row in per_person]

    # Distinct organizations per meeting: a Ruta organization, else the typed name.
    orgs: dict[int, set[str]] = {pk: set() for pk in meeting_ids}
    people: dict[int, int] = dict.fromkeys(meeting_ids, 0)
    for meeting_id, org_id, org_name in attendances.values_list(
        "meeting_id", "organization_id", "organization_name"
    ):
        people[meeting_id] += 1
        key = f"id:{org_id}" if org_id else f"name:{org_name.strip().casefold()}"
        if org_id or org_name.strip():
            orgs[meeting_id].add(key)

    modality_counts = {code: 0 for code in Modality.values}
    for meeting in meetings:
        modality_counts[meeting.modality] += 1

    return NetworkFigures(
        start=start,
        end=end,
        member_organizations=memberships_in_period(network, start, end)
        .values("organization_id")
        .distinct()
        .count(),
        meetings=len(meetings),
        total_attendances=sum(people.values()),
        unique_attendees=len(counts),
        regular_participants=sum(1 for n in counts if n >= minimum),
        regular_min_meetings=minimum,
        by_modality=[(code, str(label), modality_counts[code]) for code, label in Modality.choices],
        per_meeting=[MeetingRow(m, people[m.pk], len(orgs[m.pk])) for m in meetings],
    )


def default_period(network: Network) -> tuple[dt.date, dt.date]:
    """From the first meeting (or the network's creation) to the end of the current year."""
    first = Meeting.objects.filter(network=network).order_by("starts_at").first()
    today = timezone.localdate()
    if first is not None:
        start = timezone.localtime(first.starts_at).date().replace(month=1, day=1)
    else:
        start = today.replace(month=1, day=1)
    return start, today.replace(month=12, day=31)
