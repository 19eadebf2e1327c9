"""The domain actions: case codes, consent rules, approvals, closure, reassignment, audit."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.utils import timezone, translation

from conftest import make_user
from ruta.audit.models import AuditEvent
from ruta.cases import access, actions
from ruta.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalState,
    Assent,
    Case,
    CaseSequence,
    CaseStatus,
    Closure,
    ConsentGiver,
    ConsentPurpose,
    Stage,
)
from ruta.cases.tests import factories
from ruta.cases.tests.factories import (
    give_consent,
    make_assessment,
    make_case,
    make_closed_case,
    make_follow_up,
    make_incident,
    make_measure,
    make_plan,
    make_safety_plan,
    pending_closure,
)
from ruta.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """These tests match the (English) message ids of CaseError."""
    with translation.override("en"):
        yield


D2026 = dt.date(2026, 3, 2)


def _events(case: Case, action: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_uuid=case.uuid, action=action)


# --- Case codes -----------------------------------------------------------------------------
def test_case_codes_follow_agency_year_and_sequence(world: Any) -> None:
    care, hias = world.user("caseworker.care"), world.user("caseworker.hias")
    codes = [make_case(care, opened_on=D2026, consent=False).code for _i in range(3)]
    assert codes == ["CARE-2026-00001", "CARE-2026-00002", "CARE-2026-00003"]
    assert make_case(hias, opened_on=D2026, consent=False).code == "HIAS-2026-00001"
    # A case dated in another year starts that year's sequence.
    assert make_case(care, opened_on=dt.date(2025, 12, 31), consent=False).code == (
        "CARE-2025-00001"
    )
    assert make_case(care, opened_on=D2026, consent=False).code == "CARE-2026-00004"
    assert dict(
        CaseSequence.objects.filter(organization=world.care).values_list("year", "last")
    ) == {2025: 1, 2026: 4}


def test_case_code_prefix_is_the_acronym_without_spaces(world: Any) -> None:
    world.care.acronym = "Aldeas SOS"
    world.care.save()
    case = make_case(world.user("caseworker.care"), opened_on=D2026, consent=False)
    assert case.code == "ALDEASSOS-2026-00001"


def test_the_sequence_row_is_locked_when_incremented(world: Any) -> None:
    original = QuerySet.select_for_update
    with mock.patch.object(
        QuerySet, "select_for_update", autospec=True, side_effect=original
    ) as spy:
        make_case(world.user("caseworker.care"), opened_on=D2026, consent=False)
    assert any(call.args[0].model is CaseSequence for call in spy.call_args_list)
    sequence = CaseSequence.objects.get(organization=world.care, year=2026)
    assert sequence.last == 1


def test_opening_a_case_is_audited_and_needs_a_case_role(world: Any) -> None:
    case = make_case(world.user("caseworker.care"), consent=False)
    event = _events(case, "case.opened").get()
    assert event.details == {}  # neither the case type nor the risk leaves the case
    assert event.organization == world.care
    for key in ("helpline.care", "agency_admin.care", "admin", "coordinator", "analyst"):
        with pytest.raises(actions.CaseError):
            make_case(world.user(key), consent=False)


def test_a_caseworker_cannot_assign_a_new_case_to_someone_else(world: Any) -> None:
    with pytest.raises(actions.CaseError):
        make_case(
            world.user("caseworker.care"),
            caseworker=world.user("supervisor.care"),
            consent=False,
        )
    other = make_user("second.care@test.org", "caseworker", world.care)
    with pytest.raises(actions.CaseError):
        make_case(other, actor=world.user("caseworker.care"), consent=False)


def test_a_supervisor_opens_a_case_for_a_caseworker_who_is_told(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(cw, actor=sup, consent=False)
    assert case.caseworker == cw and case.supervisor == sup
    assert Notification.objects.get(recipient=cw).kind == NotificationKind.ASSIGNED
    with pytest.raises(actions.CaseError):
        make_case(world.user("caseworker.hias"), actor=sup, consent=False)


def test_an_urgent_case_tells_the_supervisors(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_case(world.user("caseworker.care"), risk_level="urgent", consent=False)
    urgent = Notification.objects.filter(kind=NotificationKind.URGENT_RISK)
    assert list(urgent.values_list("recipient", flat=True)) == [world.user("supervisor.care").pk]


# --- Consent --------------------------------------------------------------------------------
def test_under_6_only_a_caregiver_consents(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw, age=4, consent=False)
    assert case.client.age_band == "0-5"
    with pytest.raises(actions.CaseError, match="under 6"):
        actions.record_consent(cw, case, purpose="services", method="verbal", given_by="self")
    consent = actions.record_consent(
        cw, case, purpose="services", method="verbal", given_by=ConsentGiver.CAREGIVER
    )
    assert consent.child_assent == Assent.NOT_ASKED
    assert actions.has_consent(case, ConsentPurpose.SERVICES)


@pytest.mark.parametrize("age", [6, 9, 11, 12, 14])
def test_6_to_14_needs_a_caregiver_and_the_childs_assent(world: Any, age: int) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw, age=age, consent=False)
    kw = {"purpose": "services", "method": "verbal"}
    with pytest.raises(actions.CaseError, match="caregiver"):
        actions.record_consent(cw, case, given_by="self", child_assent=Assent.GIVEN, **kw)
    with pytest.raises(actions.CaseError, match="assent"):
        actions.record_consent(cw, case, given_by="caregiver", **kw)
    with pytest.raises(actions.CaseError, match="assent"):
        actions.record_consent(cw, case, given_by="caregiver", child_assent="not_asked", **kw)
    with pytest.raises(actions.CaseError, match="did not agree"):
        actions.record_consent(cw, case, given_by="caregiver", child_assent=Assent.REFUSED, **kw)
    assert not actions.has_consent(case, ConsentPurpose.SERVICES)
    assert not case.consents.exists()
    consent = actions.record_consent(
        cw, case, given_by="caregiver", child_assent=Assent.GIVEN, **kw
    )
    assert consent.child_assent == Assent.GIVEN
    assert actions.has_consent(case, ConsentPurpose.SERVICES)


@pytest.mark.parametrize("age", [15, 17, 18, 40])
def test_from_15_the_person_consents_themself(world: Any, age: int) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw, age=age, consent=False)
    actions.record_consent(cw, case, purpose="services", method="written", given_by="self")
    assert actions.has_consent(case, ConsentPurpose.SERVICES)


def test_a_refused_assent_blocks_the_case_work(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw, age=8, consent=False)
    with pytest.raises(actions.CaseError):
        actions.record_consent(
            cw,
            case,
            purpose="services",
            method="verbal",
            given_by="caregiver",
            child_assent=Assent.REFUSED,
        )
    with pytest.raises(actions.ConsentRequired):
        make_assessment(cw, case)


def test_share_consent_names_a_recipient_and_counts_per_recipient(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with pytest.raises(actions.CaseError, match="receiving organization"):
        actions.record_consent(cw, case, purpose="share", method="verbal")
    give_consent(cw, case, ConsentPurpose.SHARE, recipient=world.hias)
    assert actions.has_consent(case, ConsentPurpose.SHARE, world.hias)
    assert not actions.has_consent(case, ConsentPurpose.SHARE, world.network)
    assert not actions.has_consent(case, ConsentPurpose.SHARE)
    with pytest.raises(actions.ConsentRequired):
        actions.require_consent(case, ConsentPurpose.SHARE, world.network)
    actions.require_consent(case, ConsentPurpose.SHARE, world.hias)
    # A recipient on another purpose is dropped.
    other = give_consent(cw, case, ConsentPurpose.REPORTING, recipient=world.hias)
    assert other.recipient is None
    event = _events(case, "case.consent_recorded").filter(details__purpose="share").get()
    assert event.details["recipient"] == str(world.hias.uuid)


def test_withdrawal_stops_consent_at_once_and_is_audited(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    share = give_consent(cw, case, ConsentPurpose.SHARE, recipient=world.hias)
    services = case.consents.get(purpose="services")
    actions.withdraw_consent(cw, share, "Nota de retiro ficticia")
    assert not actions.has_consent(case, ConsentPurpose.SHARE, world.hias)
    assert actions.has_consent(case, ConsentPurpose.SERVICES)
    actions.withdraw_consent(cw, services)
    assert not actions.has_consent(case, ConsentPurpose.SERVICES)
    assert actions.active_consents(case, ConsentPurpose.SERVICES) == []
    events = _events(case, "case.consent_withdrawn")
    assert {e.details["purpose"] for e in events} == {"share", "services"}
    assert all(e.actor == cw for e in events)
    share.refresh_from_db()
    assert share.withdrawn_by == cw and share.withdrawal_note == "Nota de retiro ficticia"
    with pytest.raises(actions.CaseError, match="already withdrawn"):
        actions.withdraw_consent(cw, share)
    # Without services consent, case work stops.
    for step in (make_assessment, make_follow_up, make_safety_plan, make_measure, make_plan):
        with pytest.raises(actions.ConsentRequired):
            step(cw, case)


def test_a_new_consent_after_withdrawal_restores_it(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    actions.withdraw_consent(cw, case.consents.get())
    give_consent(cw, case)
    assert actions.has_consent(case, ConsentPurpose.SERVICES)
    make_follow_up(cw, case)


def test_only_the_team_records_consent(world: Any) -> None:
    case = make_case(world.user("caseworker.care"), consent=False)
    for key in ("caseworker.hias", "supervisor.hias", "helpline.care"):
        with pytest.raises(actions.CaseError):
            give_consent(world.user(key), case)
    give_consent(world.user("supervisor.care"), case)


# --- Approvals ------------------------------------------------------------------------------
def test_request_approval_is_pending_and_tells_the_supervisor(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(cw)
    assessment = make_assessment(cw, case)
    with django_capture_on_commit_callbacks(execute=True):
        approval = actions.request_approval(cw, case, ApprovalKind.ASSESSMENT, assessment.uuid)
    assert approval.state == ApprovalState.PENDING
    assessment.refresh_from_db()
    assert assessment.state == ApprovalState.PENDING
    note = Notification.objects.get(kind=NotificationKind.APPROVAL_REQUESTED)
    assert note.recipient == sup and note.case == case and note.details == {"kind": "assessment"}
    with pytest.raises(actions.CaseError, match="already waiting"):
        actions.request_approval(cw, case, ApprovalKind.ASSESSMENT, assessment.uuid)
    with pytest.raises(actions.CaseError, match="nothing to approve"):
        actions.request_approval(cw, case, ApprovalKind.ASSESSMENT, case.uuid)
    assert _events(case, "case.approval_requested").count() == 1


def test_a_plan_without_goals_cannot_be_sent(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    plan = actions.plan_for(case)
    with pytest.raises(actions.CaseError, match="goal"):
        actions.request_approval(cw, case, ApprovalKind.ACTION_PLAN, plan.uuid)


def test_only_a_supervisor_of_the_same_agency_decides(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    approval = actions.request_approval(
        cw, case, ApprovalKind.ASSESSMENT, make_assessment(cw, case).uuid
    )
    for key in ("supervisor.hias", "caseworker.care", "agency_admin.care", "admin"):
        with pytest.raises(actions.CaseError, match="supervisor"):
            actions.decide_approval(world.user(key), approval, approve=True)
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING
    actions.decide_approval(world.user("supervisor.care"), approval, approve=True)
    approval.refresh_from_db()
    assert approval.state == ApprovalState.APPROVED
    assert approval.decided_by == world.user("supervisor.care")
    case.refresh_from_db()
    assert case.stage == Stage.ACTION_PLAN
    with pytest.raises(actions.CaseError, match="already decided"):
        actions.decide_approval(world.user("supervisor.care"), approval, approve=False, comment="x")


def test_returning_needs_a_comment_and_tells_the_requester(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(cw)
    plan, _goal, _action = make_plan(cw, case)
    approval = actions.request_approval(cw, case, ApprovalKind.ACTION_PLAN, plan.uuid)
    for comment in ("", "   "):
        with pytest.raises(actions.CaseError, match="what needs to change"):
            actions.decide_approval(sup, approval, approve=False, comment=comment)
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_approval(sup, approval, approve=False, comment="Añadir fechas")
    approval.refresh_from_db()
    plan.refresh_from_db()
    assert approval.state == plan.state == ApprovalState.RETURNED
    assert approval.comment == "Añadir fechas"
    assert Notification.objects.get(recipient=cw).kind == NotificationKind.RETURNED
    event = _events(case, "case.approval_decided").get()
    assert event.details == {
        "approval": str(approval.uuid),
        "state": "returned",
        "own_request": False,
    }
    # A returned plan can be sent again; a new goal puts it back to draft first.
    actions.add_goal(cw, case, need="health", description="Otra meta ficticia")
    plan.refresh_from_db()
    assert plan.state == ApprovalState.DRAFT
    again = actions.request_approval(cw, case, ApprovalKind.ACTION_PLAN, plan.uuid)
    actions.decide_approval(sup, again, approve=True)
    case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION


def test_closure_approval_closes_the_case(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(cw)
    closure = pending_closure(cw, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    with pytest.raises(actions.CaseError, match="already waiting"):
        pending_closure(cw, case)
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.CLOSURE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_approval(sup, approval, approve=True)
    case.refresh_from_db()
    closure.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.stage == Stage.CLOSURE
    assert case.closed_on == timezone.localdate()
    assert closure.state == ApprovalState.APPROVED
    assert _events(case, "case.closed").get().details == {"closure": str(closure.uuid)}
    assert Notification.objects.get(recipient=cw).kind == NotificationKind.APPROVED
    # A closed case cannot be changed.
    with pytest.raises(actions.CaseError, match="not open"):
        make_follow_up(cw, case)
    with pytest.raises(actions.CaseError, match="not open"):
        actions.set_risk(cw, case, "high", "")


def test_a_returned_closure_leaves_the_case_open(world: Any) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(cw)
    pending_closure(cw, case)
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.CLOSURE)
    actions.decide_approval(sup, approval, approve=False, comment="Falta un seguimiento")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert Closure.objects.get(case=case).state == ApprovalState.RETURNED
    pending_closure(cw, case)  # may be asked again


def test_reopen_needs_a_reason(world: Any) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    open_case = make_case(cw)
    with pytest.raises(actions.CaseError, match="closed case"):
        actions.reopen_case(cw, open_case, "Motivo")
    case = make_closed_case(cw, sup)
    for reason in ("", "  "):
        with pytest.raises(actions.CaseError, match="why"):
            actions.reopen_case(cw, case, reason)
    with pytest.raises(actions.CaseError):
        actions.reopen_case(world.user("caseworker.hias"), case, "Motivo")
    actions.reopen_case(cw, case, "Nueva situación de riesgo")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closed_on is None
    assert case.stage == Stage.FOLLOW_UP
    closure = Closure.objects.get(case=case)
    assert closure.reopened_by == cw and closure.reopen_reason == "Nueva situación de riesgo"
    assert _events(case, "case.reopened").exists()
    make_follow_up(cw, case)


# --- Reassignment ---------------------------------------------------------------------------
def test_reassign_only_by_a_supervisor_to_their_own_agency(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    other = make_user("second.care@test.org", "caseworker", world.care)
    gone = make_user("gone.care@test.org", "caseworker", world.care, is_active=False)
    case = make_case(cw)
    with pytest.raises(actions.CaseError, match="supervisor"):
        actions.reassign(cw, case, other)
    with pytest.raises(actions.CaseError, match="supervisor"):
        actions.reassign(world.user("supervisor.hias"), case, other)
    for target in (
        world.user("caseworker.hias"),
        world.user("helpline.care"),
        world.user("agency_admin.care"),
        gone,
    ):
        with pytest.raises(actions.CaseError, match="caseworkers of your agency"):
            actions.reassign(sup, case, target)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reassign(sup, case, other)
    case.refresh_from_db()
    assert case.caseworker == other
    assert Notification.objects.get(recipient=other).kind == NotificationKind.ASSIGNED
    event = _events(case, "case.reassigned").get()
    assert event.details == {"previous": str(cw.uuid), "to": str(other.uuid)}
    # The previous caseworker no longer sees nor changes the case.
    assert not access.visible_cases(cw).filter(pk=case.pk).exists()
    assert access.visible_cases(other).filter(pk=case.pk).exists()
    with pytest.raises(actions.CaseError):
        make_follow_up(cw, case)


# --- Team rules for every step -----------------------------------------------------------------
def test_outsiders_cannot_change_a_case(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    outsiders = ("caseworker.hias", "supervisor.hias", "helpline.care", "outsider", "admin")
    second = make_user("second.care@test.org", "caseworker", world.care)
    for person in [world.user(k) for k in outsiders] + [second]:
        for step in (make_assessment, make_follow_up, make_measure, make_safety_plan):
            with pytest.raises(actions.CaseError, match="team"):
                step(person, case)
        with pytest.raises(actions.CaseError):
            actions.set_risk(person, case, "high", "")
    # The supervisor of the agency is on every case's team.
    make_follow_up(world.user("supervisor.care"), case)


def test_stage_and_risk_changes(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with pytest.raises(actions.CaseError):
        actions.set_stage(cw, case, Stage.CLOSURE)
    with pytest.raises(actions.CaseError):
        actions.set_stage(cw, case, "nowhere")
    actions.set_stage(cw, case, Stage.FOLLOW_UP)
    with pytest.raises(actions.CaseError):
        actions.set_risk(cw, case, "extreme", "")
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_risk(cw, case, "urgent", "Motivo ficticio")
        actions.set_risk(cw, case, "high", "Motivo ficticio")
        actions.set_risk(cw, case, "urgent", "Motivo ficticio")
    assert Notification.objects.filter(kind=NotificationKind.URGENT_RISK).count() == 2
    changes = _events(case, "case.risk_changed")
    assert changes.count() == 3 and {str(e.details) for e in changes} == {"{}"}


def test_follow_up_dates(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    today = timezone.localdate()
    with pytest.raises(actions.CaseError, match="future"):
        make_follow_up(cw, case, happened_on=today + dt.timedelta(days=1))
    with pytest.raises(actions.CaseError, match="after"):
        make_follow_up(cw, case, happened_on=today, next_contact_on=today - dt.timedelta(days=1))
    make_follow_up(cw, case, happened_on=today, next_contact_on=today)


def test_plan_action_updates(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    _plan, goal, action = make_plan(cw, case)
    with pytest.raises(actions.CaseError):
        actions.update_plan_action(cw, action, status="finished")
    with pytest.raises(actions.CaseError):
        actions.update_plan_action(cw, action, case=None)
    actions.update_plan_action(cw, action, status="done", decision="agreed")
    case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION
    other_case = make_case(cw)
    with pytest.raises(actions.CaseError, match="another case"):
        actions.add_plan_action(cw, other_case, goal, description="x", responsible="y")


# --- No personal data in the audit trail or notifications -----------------------------------------
def test_every_action_is_audited_without_personal_data(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    other = make_user("second.care@test.org", "caseworker", world.care)
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(cw, risk_level="high")
        actions.update_client(cw, case, {"phone": "+51 955 444 333", "alias": "Otro Alias"})
        share = give_consent(cw, case, ConsentPurpose.SHARE, recipient=world.hias)
        actions.withdraw_consent(cw, share, "Retiro por motivo ficticio")
        make_incident(cw, case)
        assessment = make_assessment(cw, case, risk_level="urgent", risk_reason="Razón ficticia")
        approval = actions.request_approval(cw, case, ApprovalKind.ASSESSMENT, assessment.uuid)
        actions.decide_approval(sup, approval, approve=False, comment="Comentario ficticio")
        _plan, _goal, action = make_plan(cw, case, due_on=timezone.localdate())
        actions.update_plan_action(cw, action, status="in_progress", pros="Pro ficticio")
        make_safety_plan(cw, case)
        make_follow_up(cw, case)
        make_measure(cw, case, "phq9", [1] * 8 + [2])
        actions.set_stage(cw, case, Stage.FOLLOW_UP)
        actions.reassign(sup, case, other)
        closure = pending_closure(other, case)
        closure_approval = case.approvals.get(target_uuid=closure.uuid)
        actions.decide_approval(  # the case is at urgent risk: the supervisor says why
            sup, closure_approval, approve=True, risk_override_reason="Motivo ficticio urgente"
        )
        case.refresh_from_db()
        actions.reopen_case(other, case, "Motivo ficticio de reapertura")
    expected = {
        "case.opened",
        "case.client_updated",
        "case.consent_recorded",
        "case.consent_withdrawn",
        "case.incident_recorded",
        "case.assessment_added",
        "case.risk_changed",
        "case.approval_requested",
        "case.approval_decided",
        "case.goal_added",
        "case.action_added",
        "case.action_updated",
        "case.safety_plan_saved",
        "case.follow_up_added",
        "case.measure_recorded",
        "case.stage_changed",
        "case.reassigned",
        "case.closure_requested",
        "case.closed",
        "case.reopened",
    }
    events = AuditEvent.objects.filter(object_uuid=case.uuid)
    assert {e.action for e in events} >= expected
    assert all(e.organization_id == world.care.pk for e in events)
    assert _events(case, "case.client_updated").get().details == {"fields": ["alias", "phone"]}
    personal = [
        factories.GIVEN_NAMES,
        factories.FAMILY_NAMES,
        factories.ALIAS,
        factories.PHONE,
        factories.ADDRESS,
        factories.DOCUMENT_NUMBER,
        factories.CODE_WORD,
        factories.SAFE_TIMES,
        factories.RISK_REASON,
        "955 444 333",
        "Otro Alias",
        "ficticio",
        "ficticia",
        "Añadir",
    ]
    audit_text = json.dumps([e.details for e in events], ensure_ascii=False)
    notes_text = json.dumps(
        list(Notification.objects.values_list("details", flat=True)), ensure_ascii=False
    )
    assert Notification.objects.exists()
    for text in personal:
        assert text.lower() not in audit_text.lower(), text
        assert text.lower() not in notes_text.lower(), text


def test_a_supervisor_does_not_approve_their_own_request(world: Any) -> None:
    from ruta.lib.permissions import Role

    boss = world.user("supervisor.care")
    case = make_case(world.user("caseworker.care"))
    assessment = make_assessment(boss, case)
    approval = actions.request_approval(boss, case, ApprovalKind.ASSESSMENT, assessment.uuid)
    # The agency's only supervisor may (flagged in the audit trail)...
    actions.decide_approval(boss, approval, approve=True)
    event = AuditEvent.objects.filter(action="case.approval_decided").latest("id")
    assert event.details["own_request"] is True
    # ...but with a second supervisor, four eyes are required.
    other = make_user("second.supervisor@test.org", Role.SUPERVISOR, world.care)
    second = make_assessment(boss, case)
    approval = actions.request_approval(boss, case, ApprovalKind.ASSESSMENT, second.uuid)
    with pytest.raises(actions.CaseError):
        actions.decide_approval(boss, approval, approve=True)
    actions.decide_approval(other, approval, approve=True)
    approval.refresh_from_db()
    assert approval.decided_by == other
