"""Case conferences facing the closure of their case (registered in ``hooks.register()``).

A conference scheduled or held but not closed is listed before the closure. When the case
closes, every participant (other agencies included) is told, and each such conference is
settled explicitly: a scheduled one is **cancelled**, a held one is **closed** (its minutes
and decisions stay as recorded). The status note says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ruta.cases.extensions import OpenRisk
from ruta.cases.models import Case
from ruta.conferences.actions import audit_event
from ruta.conferences.models import Conference, ConferenceStatus
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind

if TYPE_CHECKING:
    from ruta.accounts.models import User

OPEN_STATUSES = (ConferenceStatus.SCHEDULED, ConferenceStatus.HELD)


def _open(case: Case) -> list[Conference]:
    return list(
        Conference.objects.filter(case=case, status__in=OPEN_STATUSES).order_by(
            "scheduled_at", "id"
        )
    )


def _day(conference: Conference) -> str:
    return formats.date_format(timezone.localtime(conference.scheduled_at).date(), "DATE_FORMAT")


def open_risks(case: Case) -> list[OpenRisk]:
    return [
        OpenRisk(
            kind="conference",
            label=_("Case conference of %(date)s: %(status)s, not closed.")
            % {"date": _day(conference), "status": conference.get_status_display()},
            url=reverse("conferences:conference_detail", args=[conference.uuid]),
        )
        for conference in _open(case)
    ]


def settle_for_closed_case(actor: User, case: Case) -> None:
    """Cancel the scheduled conferences, close the held ones, tell every participant."""
    for conference in _open(case):
        previous = conference.status
        if previous == ConferenceStatus.SCHEDULED:
            conference.status = ConferenceStatus.CANCELLED
        else:
            conference.status = ConferenceStatus.CLOSED
        conference.status_note = _("The case was closed.")
        conference.save(update_fields=["status", "status_note", "updated_at"])
        audit_event(f"conference.{conference.status}", actor, conference, previous=previous)
        people = [
            participant.user
            for participant in conference.participants.select_related("user")
            if participant.user_id != actor.pk and participant.user.is_active
        ]
        notify(
            people,
            NotificationKind.CONFERENCE,
            None,  # participants of other agencies must not be pointed at the case
            event="case_closed",
            reference=case.code,
            link="conferences:conference_detail",
            uuid=str(conference.uuid),
            conference_on=timezone.localtime(conference.scheduled_at).date().isoformat(),
        )
