"""Case conferences when their case closes: listed before; after, a scheduled one is
cancelled, a held one closed, and every participant (other agencies too) is told."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ruta.audit.models import AuditEvent
from ruta.cases import actions as case_actions
from ruta.cases.models import ApprovalRequest, Case
from ruta.cases.risks import open_risks
from ruta.cases.tests.factories import pending_closure
from ruta.conferences import actions
from ruta.conferences.hooks import conference_text
from ruta.conferences.models import ConferenceStatus
from ruta.conferences.tests.factories import case_shared_with_hias, make_conference
from ruta.notifications.models import Notification, NotificationKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def close(world: Any, case: Case) -> None:
    closure = pending_closure(world.user("caseworker.care"), case)
    approval = ApprovalRequest.objects.get(case=case, target_uuid=closure.uuid)
    case_actions.decide_approval(world.user("supervisor.care"), approval, approve=True)


def closed_notices(user: Any) -> list[Notification]:
    return [
        n
        for n in Notification.objects.filter(recipient=user, kind=NotificationKind.CONFERENCE)
        if n.details.get("event") == "case_closed"
    ]


def test_open_conferences_are_risks_then_settled_and_told(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supervisor = world.user("supervisor.care")
    case = case_shared_with_hias(world)
    people = [world.user("caseworker.care"), world.user("supervisor.hias"), supervisor]
    scheduled = make_conference(world, case, participants=people)
    held = make_conference(world, case, participants=people)
    actions.mark_held(supervisor, held)
    finished = make_conference(world, case, participants=people)
    actions.cancel(supervisor, finished)
    risks = open_risks(case)
    assert [(risk.kind, risk.blocking) for risk in risks] == [("conference", False)] * 2
    assert {risk.url for risk in risks} == {
        reverse("conferences:conference_detail", args=[c.uuid]) for c in (scheduled, held)
    }
    with django_capture_on_commit_callbacks(execute=True):
        close(world, case)
    for conference in (scheduled, held, finished):
        conference.refresh_from_db()
    assert scheduled.status == ConferenceStatus.CANCELLED
    assert held.status == ConferenceStatus.CLOSED
    assert scheduled.status_note == "The case was closed."
    assert AuditEvent.objects.filter(object_uuid=held.uuid, action="conference.closed").exists()
    assert open_risks(case) == []
    # Each participant but the approving supervisor hears of both, never of the finished one.
    other_agency = closed_notices(world.user("supervisor.hias"))
    assert sorted(n.details["uuid"] for n in other_agency) == sorted(
        [str(scheduled.uuid), str(held.uuid)]
    )
    assert all(n.case_id is None for n in other_agency)  # not pointed at the case
    assert "was closed" in conference_text(other_agency[0].details)
    assert len(closed_notices(world.user("caseworker.care"))) == 2
    assert closed_notices(supervisor) == []
