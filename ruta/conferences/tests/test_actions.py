"""Recording a conference: encryption at rest, actions flowing into the case plan,
the status machine (409 for illegal steps), who may record, notifications."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.cases.models import ActionStatus, Goal, NeedDomain, PlanAction
from ruta.cases.tests.factories import ALIAS, FAMILY_NAMES, make_plan
from ruta.conferences import actions
from ruta.conferences.models import (
    Conference,
    ConferenceAction,
    ConferenceDecision,
    ConferenceStatus,
)
from ruta.conferences.tests.factories import MINUTES, PLACE, make_conference
from ruta.conferences.work import open_actions_for
from ruta.notifications.models import Notification, NotificationKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english"), pytest.mark.dates]

DUE = timezone.localdate() + dt.timedelta(days=5)


def _raw(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


def test_minutes_decisions_and_place_are_encrypted_at_rest(world: Any) -> None:
    conference = make_conference(world)
    supervisor = world.user("supervisor.care")
    actions.save_minutes(supervisor, conference, MINUTES)
    actions.record_decision(supervisor, conference, "Decisión secreta ficticia")
    actions.record_action(
        supervisor,
        conference,
        description="Acción secreta ficticia",
        owner=world.user("supervisor.hias"),
        due_on=DUE,
    )
    raw = _raw(Conference._meta.db_table)
    assert MINUTES not in raw and PLACE not in raw
    assert "Decisión secreta" not in _raw(ConferenceDecision._meta.db_table)
    assert "Acción secreta" not in _raw(ConferenceAction._meta.db_table)
    conference.refresh_from_db()
    assert conference.minutes == MINUTES


def test_an_action_for_the_case_team_joins_the_case_plan(world: Any) -> None:
    conference = make_conference(world)
    supervisor, caseworker = world.user("supervisor.care"), world.user("caseworker.care")
    action = actions.record_action(
        supervisor,
        conference,
        description="Acompañar a la cita legal",
        owner=caseworker,
        due_on=DUE,
        need=NeedDomain.LEGAL,
    )
    plan_action = PlanAction.objects.get(pk=action.plan_action_id)
    assert plan_action.case == conference.case
    assert plan_action.description == "Acompañar a la cita legal"
    assert plan_action.due_on == DUE
    assert plan_action.responsible == caseworker.full_name
    goal = plan_action.goal
    assert goal.need == NeedDomain.LEGAL
    # A second action with the same need reuses that goal.
    second = actions.record_action(
        supervisor, conference, description="Otra", owner=caseworker, due_on=DUE, need="legal"
    )
    assert second.plan_action is not None and second.plan_action.goal == goal
    assert Goal.objects.filter(plan__case=conference.case).count() == 1
    # The owner marks it done: the plan action is done too.
    actions.complete_action(caseworker, action)
    plan_action.refresh_from_db()
    assert plan_action.status == ActionStatus.DONE


def test_an_existing_goal_of_the_need_is_used(world: Any) -> None:
    conference = make_conference(world)
    _plan, goal, _action = make_plan(
        world.user("caseworker.care"), conference.case, need=NeedDomain.SAFETY
    )
    action = actions.record_action(
        world.user("supervisor.care"),
        conference,
        description="Revisar el plan de seguridad",
        owner=world.user("supervisor.care"),
        due_on=DUE,
        need=NeedDomain.SAFETY,
    )
    assert action.plan_action is not None and action.plan_action.goal == goal


def test_an_action_for_another_organization_stays_in_the_conference(world: Any) -> None:
    conference = make_conference(world)
    hias = world.user("supervisor.hias")
    action = actions.record_action(
        world.user("supervisor.care"), conference, description="Cita", owner=hias, due_on=DUE
    )
    assert action.plan_action is None
    assert not PlanAction.objects.filter(case=conference.case).exists()
    assert list(open_actions_for(hias)) == [action]
    assert list(open_actions_for(world.user("caseworker.care"))) == []
    actions.complete_action(hias, action)
    assert list(open_actions_for(hias)) == []
    with pytest.raises(actions.IllegalTransition):
        actions.complete_action(hias, action)


def test_action_owners_must_be_participants_on_the_case_team(world: Any) -> None:
    conference = make_conference(world, participants=[world.user("supervisor.hias")])
    with pytest.raises(actions.ConferenceError, match="participant"):
        actions.record_action(
            world.user("supervisor.care"),
            conference,
            description="x",
            owner=world.user("caseworker.care"),
            due_on=DUE,
        )


def test_only_a_participating_supervisor_of_the_case_organization_records(world: Any) -> None:
    conference = make_conference(world)
    for key in ("caseworker.care", "supervisor.hias"):
        with pytest.raises(actions.Forbidden):
            actions.save_minutes(world.user(key), conference, "x")
        with pytest.raises(actions.Forbidden):
            actions.close(world.user(key), conference)
    with pytest.raises(actions.Forbidden):
        actions.complete_action(
            world.user("caseworker.care"),
            actions.record_action(
                world.user("supervisor.care"),
                conference,
                description="x",
                owner=world.user("supervisor.hias"),
                due_on=DUE,
            ),
        )


def test_only_a_supervisor_convenes(world: Any) -> None:
    from ruta.conferences.tests.factories import case_shared_with_hias

    case = case_shared_with_hias(world)
    with pytest.raises(actions.Forbidden):
        actions.convene(
            world.user("caseworker.care"),
            case,
            scheduled_at=timezone.now(),
            modality="online",
            participants=[world.user("supervisor.care")],
            agenda=[("progress", "x")],
        )
    with pytest.raises(actions.Forbidden):
        actions.convene(
            world.user("supervisor.hias"),
            case,
            scheduled_at=timezone.now(),
            modality="online",
            participants=[world.user("supervisor.care")],
            agenda=[("progress", "x")],
        )


@pytest.mark.parametrize(
    ("path", "final"),
    [
        (["held", "closed"], ConferenceStatus.CLOSED),
        (["cancelled"], ConferenceStatus.CANCELLED),
    ],
)
def test_legal_transitions(world: Any, path: list[str], final: str) -> None:
    conference = make_conference(world)
    supervisor = world.user("supervisor.care")
    steps = {
        "held": lambda: actions.mark_held(
            supervisor,
            conference,
            survivor_attended=True,
            attended=[supervisor, world.user("caseworker.care")],
        ),
        "closed": lambda: actions.close(supervisor, conference, "Cierre"),
        "cancelled": lambda: actions.cancel(supervisor, conference, "No se pudo"),
    }
    for step in path:
        steps[step]()
    conference.refresh_from_db()
    assert conference.status == final
    for step in path:
        assert AuditEvent.objects.filter(
            action=f"conference.{step}", object_uuid=conference.uuid
        ).exists()
    if "held" in path:
        assert conference.survivor_attended is True
        attended = dict(conference.participants.values_list("user__email", "attended"))
        assert attended[world.user("supervisor.hias").email] is False
        assert attended[supervisor.email] is True


@pytest.mark.parametrize(
    ("before", "attempt"),
    [
        ([], "closed"),
        (["held"], "held"),
        (["held"], "cancelled"),
        (["cancelled"], "held"),
        (["cancelled"], "closed"),
        (["held", "closed"], "held"),
        (["held", "closed"], "cancelled"),
    ],
)
def test_illegal_transitions_answer_409(
    client: Any, login: Any, world: Any, before: list[str], attempt: str
) -> None:
    conference = make_conference(world)
    supervisor = world.user("supervisor.care")
    run = {
        "held": lambda: actions.mark_held(supervisor, conference),
        "closed": lambda: actions.close(supervisor, conference),
        "cancelled": lambda: actions.cancel(supervisor, conference),
    }
    for step in before:
        run[step]()
    login(supervisor)
    url = reverse("conferences:status", args=[conference.uuid, attempt])
    response = client.post(url, {"note": "Nota escrita"})
    assert response.status_code == 409
    assert "no puede" in response.content.decode() or "cannot" in response.content.decode()
    conference.refresh_from_db()
    assert conference.status == (before[-1] if before else "scheduled")


def test_closed_conference_cannot_be_changed(client: Any, login: Any, world: Any) -> None:
    conference = make_conference(world)
    supervisor = world.user("supervisor.care")
    actions.mark_held(supervisor, conference)
    actions.close(supervisor, conference)
    with pytest.raises(actions.IllegalTransition):
        actions.save_minutes(supervisor, conference, "tarde")
    login(supervisor)
    response = client.post(
        reverse("conferences:decision_create", args=[conference.uuid]), {"text": "Tarde"}
    )
    assert response.status_code == 409
    assert not conference.decisions.exists()


def test_invitation_notifications_carry_no_personal_data(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        conference = make_conference(world)
    notes = Notification.objects.filter(case=None, details__uuid=str(conference.uuid))
    recipients = {n.recipient for n in notes}
    assert recipients == {world.user("caseworker.care"), world.user("supervisor.hias")}
    for note in notes:
        text = json.dumps(note.details)
        assert note.kind == NotificationKind.CONFERENCE
        assert set(note.details) == {"event", "reference", "link", "uuid", "conference_on"}
        assert note.details["reference"] == conference.case.code
        for secret in (ALIAS, FAMILY_NAMES, PLACE):
            assert secret not in text
