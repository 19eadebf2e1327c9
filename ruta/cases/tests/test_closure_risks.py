"""Closing a case with open risks: what cases itself knows is open (risk level, the PHQ-9
item 9 flag, plan actions), the closure request and approval pages that list it, and the
urgent risk that only a supervisor's recorded reason lets through.

The risks of referrals, transfers and conferences are tested in their apps
(``test_closing.py``), with the whole scenario of the issue in referrals.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.cases import actions, extensions
from ruta.cases.models import (
    ActionStatus,
    ApprovalRequest,
    ApprovalState,
    Case,
    CaseStatus,
    Closure,
    RiskLevel,
)
from ruta.cases.risks import open_risks
from ruta.cases.tests.factories import (
    make_case,
    make_measure,
    make_plan,
    make_safety_plan,
    pending_closure,
)

pytestmark = pytest.mark.usefixtures("english")

FLAGGED = [1] * 8 + [2]  # PHQ-9 with item 9 above 0
NOT_FLAGGED = [1] * 8 + [0]
OVERRIDE = "Motivo de cierre con riesgo, ficticio"


@pytest.fixture
def clock() -> Iterator[Any]:
    """A clock that moves only when told: the flag and what follows it get distinct times."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def kinds(case: Case) -> list[tuple[str, bool]]:
    return [(risk.kind, risk.blocking) for risk in open_risks(case)]


def approval_of(closure: Closure) -> ApprovalRequest:
    return ApprovalRequest.objects.get(case=closure.case, target_uuid=closure.uuid)


# --- What is open ---------------------------------------------------------------------------
def test_a_case_with_nothing_open_has_no_risks(world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    assert open_risks(case) == []


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (RiskLevel.LOW, []),
        (RiskLevel.MEDIUM, []),
        (RiskLevel.HIGH, [("risk_level", False)]),
        (RiskLevel.URGENT, [("risk_level", True)]),
    ],
)
def test_high_risk_warns_and_urgent_risk_blocks(
    world: Any, level: str, expected: list[tuple[str, bool]]
) -> None:
    case = make_case(world.user("caseworker.care"), risk_level=level)
    assert kinds(case) == expected


def test_a_suicide_flag_blocks_until_a_safety_plan_follows_it(world: Any, clock: Any) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker)
    make_safety_plan(worker, case)  # a plan made BEFORE the flag does not answer it
    clock.shift(dt.timedelta(minutes=5))
    make_measure(worker, case, "phq9", FLAGGED)
    actions.set_risk(supervisor, case, RiskLevel.MEDIUM, "Revisado")  # lowering is not enough
    case.refresh_from_db()
    assert kinds(case) == [("suicide_risk", True)]
    clock.shift(dt.timedelta(minutes=5))
    make_safety_plan(worker, case)
    assert kinds(case) == []


def test_a_new_screening_without_the_flag_resolves_it(world: Any, clock: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    make_measure(worker, case, "phq9", FLAGGED)
    case.refresh_from_db()
    actions.set_risk(world.user("supervisor.care"), case, RiskLevel.LOW, "Revisado")
    assert kinds(case) == [("suicide_risk", True)]
    clock.shift(dt.timedelta(days=1))
    make_measure(worker, case, "phq9", FLAGGED)  # flagged again (and urgent again): open
    case.refresh_from_db()
    assert ("suicide_risk", True) in kinds(case)
    clock.shift(dt.timedelta(days=1))
    make_measure(worker, case, "phq9", NOT_FLAGGED)
    assert kinds(case) == [("risk_level", True)]  # the level is the team's to lower


def test_open_plan_actions_are_listed_until_done_or_cancelled(world: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    _plan, goal, first = make_plan(worker, case, due_on=timezone.localdate())
    second = actions.add_plan_action(
        worker, case, goal, description="Otra acción ficticia", responsible="Ella"
    )
    assert kinds(case) == [("plan_action", False), ("plan_action", False)]
    assert "Otra acción" not in " ".join(risk.label for risk in open_risks(case))  # no narrative
    actions.update_plan_action(worker, first, status=ActionStatus.DONE)
    assert kinds(case) == [("plan_action", False)]
    actions.update_plan_action(worker, second, status=ActionStatus.CANCELLED)
    assert kinds(case) == []


def test_an_app_above_cases_adds_its_risks_through_the_seam(world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    callback = extensions.OpenRisk(kind="callback", label="Call-back due", blocking=True)

    def source(seen: Case) -> list[extensions.OpenRisk]:
        return [callback] if seen.pk == case.pk else []

    extensions.add_open_risk_source(source)
    try:
        assert open_risks(case) == [callback]
        assert callback.severity == "blocking"
    finally:
        extensions._open_risk_sources.remove(source)


# --- Approving a closure ----------------------------------------------------------------------
def test_urgent_risk_needs_the_supervisors_reason_to_close(world: Any) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker, risk_level=RiskLevel.URGENT)
    closure = pending_closure(worker, case)  # the caseworker may ask; only approval decides
    approval = approval_of(closure)
    with pytest.raises(actions.CaseError, match="urgent risk"):
        actions.decide_approval(supervisor, approval, approve=True, risk_override_reason="  ")
    approval.refresh_from_db()
    case.refresh_from_db()
    assert approval.state == ApprovalState.PENDING and case.status == CaseStatus.OPEN
    actions.decide_approval(supervisor, approval, approve=True, risk_override_reason=OVERRIDE)
    case.refresh_from_db()
    closure.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert closure.risk_override_reason == OVERRIDE
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT risk_override_reason FROM cases_closure")
        assert OVERRIDE not in repr(cursor.fetchall())
    event = AuditEvent.objects.get(object_uuid=case.uuid, action="case.closed")
    assert event.details == {
        "closure": str(closure.uuid),
        "count": 1,
        "fields": ["risk_override_reason"],
    }


def test_returning_a_closure_at_urgent_risk_needs_no_reason(world: Any) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker, risk_level=RiskLevel.URGENT)
    approval = approval_of(pending_closure(worker, case))
    actions.decide_approval(supervisor, approval, approve=False, comment="Primero el plan")
    assert approval.state == ApprovalState.RETURNED


def test_risks_are_read_again_when_the_supervisor_approves(world: Any) -> None:
    """The request went in with nothing open; a flag raised since then stops the closure."""
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker)
    approval = approval_of(pending_closure(worker, case))
    make_measure(worker, case, "phq9", FLAGGED)
    with pytest.raises(actions.CaseError, match="urgent risk"):
        actions.decide_approval(supervisor, approval, approve=True)


def test_warnings_alone_do_not_block_and_no_reason_is_kept(world: Any) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker, risk_level=RiskLevel.HIGH)
    make_plan(worker, case)
    closure = pending_closure(worker, case)
    actions.decide_approval(
        supervisor, approval_of(closure), approve=True, risk_override_reason="no hace falta"
    )
    closure.refresh_from_db()
    assert closure.risk_override_reason == ""
    event = AuditEvent.objects.get(object_uuid=case.uuid, action="case.closed")
    assert event.details == {"closure": str(closure.uuid), "count": 2}


def test_a_closed_case_tells_the_apps_above(world: Any) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker)
    seen: list[tuple[Any, str]] = []

    def hook(actor: Any, closed: Case) -> None:
        seen.append((actor, closed.status))

    extensions.on_case_closed(hook)
    try:
        actions.decide_approval(
            supervisor, approval_of(pending_closure(worker, case)), approve=True
        )
    finally:
        extensions._case_closed.remove(hook)
    assert seen == [(supervisor, CaseStatus.CLOSED)]


# --- The pages ---------------------------------------------------------------------------------
def test_the_request_page_lists_the_risks_and_asks_to_read_them(client: Any, world: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker, risk_level=RiskLevel.URGENT)
    make_plan(worker, case)
    verified_login(client, worker)
    page = en("cases:closure_create", case.uuid)
    html = client.get(page).content.decode()
    assert 'id="open-risks"' in html
    assert "The risk level is Urgent." in html and "Blocks closure" in html
    assert "Plan action without a due date" in html and "Still open" in html
    data = {"reason": "needs_met", "satisfaction": "satisfied", "note": "Nota tecleada"}
    response = client.post(page, data)
    assert response.status_code == 200  # not in one click: the box must be ticked
    html = response.content.decode()
    assert "Read the open risks and tick the box." in html and "Nota tecleada" in html
    assert not case.closures.exists()
    response = client.post(page, {**data, "risks_read": "on"})
    assert response.status_code == 302
    assert case.closures.get().state == ApprovalState.PENDING


def test_the_request_page_of_a_case_without_risks_closes_as_before(client: Any, world: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    verified_login(client, worker)
    page = en("cases:closure_create", case.uuid)
    assert "Nothing is open on this case." in client.get(page).content.decode()
    response = client.post(page, {"reason": "needs_met", "satisfaction": "satisfied"})
    assert response.status_code == 302 and case.closures.exists()


def test_the_approval_page_asks_the_supervisor_for_a_reason(client: Any, world: Any) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker)
    make_measure(worker, case, "phq9", FLAGGED)
    approval = approval_of(pending_closure(worker, case))
    verified_login(client, supervisor)
    page = en("cases:approval_decide", approval.uuid)
    html = client.get(page).content.decode()
    assert 'data-risk="suicide_risk"' in html and 'data-risk="risk_level"' in html
    assert 'name="risk_override_reason"' in html
    response = client.post(page, {"decision": "approve", "comment": "Visto"})
    assert response.status_code == 200
    assert "Say why the case closes despite the urgent risk" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    response = client.post(
        page, {"decision": "approve", "comment": "Visto", "risk_override_reason": OVERRIDE}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    html = client.get(page).content.decode()  # the decided request shows the reason
    assert OVERRIDE in html and 'name="risk_override_reason"' not in html


def test_a_risk_raised_after_the_page_was_shown_is_caught_on_post(client: Any, world: Any) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker)
    approval = approval_of(pending_closure(worker, case))
    verified_login(client, supervisor)
    page = en("cases:approval_decide", approval.uuid)
    assert 'name="risk_override_reason"' not in client.get(page).content.decode()
    actions.set_risk(worker, case, RiskLevel.URGENT, "Amenaza nueva")
    response = client.post(page, {"decision": "approve"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="risk_override_reason"' in html and "Blocks closure" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_the_api_needs_the_reason_too(client: Any, world: Any) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker, risk_level=RiskLevel.URGENT)
    approval = approval_of(pending_closure(worker, case))
    verified_login(client, supervisor)
    url = reverse(
        "cases_api:approval-decision", kwargs={"case_uuid": case.uuid, "uuid": approval.uuid}
    )
    body: dict[str, Any] = {"approve": True}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    body["risk_override_reason"] = OVERRIDE
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    listed = client.get(reverse("cases_api:closure-list", kwargs={"case_uuid": case.uuid}))
    assert listed.json()[0]["risk_override_reason"] == OVERRIDE


def test_the_case_page_sends_the_supervisor_to_the_risks_before_a_closure(
    client: Any, world: Any
) -> None:
    """No one-click approval of a closure from the case page's approvals panel."""
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(worker)
    approval = approval_of(pending_closure(worker, case))
    verified_login(client, supervisor)
    html = client.get(en("cases:case_detail", case.uuid)).content.decode()
    panel = html.split('id="approvals"', 1)[1].split("</section>", 1)[0]
    assert "Review the open risks and decide" in panel
    assert en("cases:approval_decide", approval.uuid) in panel
    assert 'value="approve"' not in panel
