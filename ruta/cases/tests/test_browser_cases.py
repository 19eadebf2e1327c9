"""A GBV case from intake to closure in Chromium, on a phone: caseworker and supervisor."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ruta.cases.models import (
    ApprovalKind,
    ApprovalState,
    Case,
    CaseStatus,
    CaseType,
    ClosureReason,
    ConsentMethod,
    ConsentPurpose,
    Decision,
    FollowUpKind,
    GBVType,
    NeedDomain,
    Satisfaction,
)
from ruta.core.tests.browser_helpers import es, field, signed_in_page

pytestmark = pytest.mark.browser

SHOTS = Path("test-results")


def labelled(visible: str, hidden: str) -> re.Pattern[str]:
    """The name of a button whose visually hidden part (``: <hidden>``) says what it is for."""
    return re.compile(rf"^{re.escape(es(visible))}\s*: {re.escape(hidden)}$")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"cases-{name}.png"), full_page=True)


def test_caseworker_and_supervisor_take_a_gbv_case_to_closure_on_a_phone(
    live: Any, world: Any, new_context: Any
) -> None:
    worker = signed_in_page(new_context, live, world.user("caseworker.care"))
    today = timezone.localdate()

    # Intake: the person and their case.
    worker.goto(live.url + "/casos/nuevo/")
    worker.get_by_role("radio", name=es(CaseType.GBV.label)).check()
    field(worker, "Risk level").select_option("high")
    field(worker, "Reason for the risk level").fill("Amenazas recientes de la expareja")
    field(worker, "Given names").fill("Persona")
    field(worker, "Family names").fill("Ejemplo Navegador")
    field(worker, "Age (years)").fill("29")
    shot(worker, "1-intake")
    worker.get_by_role("button", name=es("Open the case")).click()
    expect(worker).to_have_url(re.compile(r"/casos/[0-9a-f-]{36}/$"))
    case = Case.objects.get(caseworker=world.user("caseworker.care"))
    case_url = f"{live.url}/casos/{case.uuid}/"
    assert case.case_type == CaseType.GBV
    assert case.risk_level == "high"
    expect(worker.get_by_role("heading", level=1)).to_contain_text(case.code)

    # The services consent.
    worker.locator('#consent a[href$="?purpose=services"]').click()
    worker.get_by_role("radio", name=es(ConsentPurpose.SERVICES.label)).check()
    worker.get_by_role("radio", name=es(ConsentMethod.VERBAL.label)).check()
    worker.get_by_role("button", name=es("Record the consent")).click()
    expect(worker).to_have_url(re.compile(re.escape(case_url)))
    assert case.consents.filter(purpose=ConsentPurpose.SERVICES).exists()

    # The guided classifier: no, no, yes proposes a physical assault.
    worker.goto(case_url)
    worker.get_by_role("link", name=es("Add an incident")).click()
    worker.get_by_role("button", name=es("No"), exact=True).click()
    expect(worker.get_by_role("heading", level=2, name=re.compile("2"))).to_be_visible()
    worker.get_by_role("button", name=es("No"), exact=True).click()
    expect(worker.get_by_role("heading", level=2, name=re.compile("3"))).to_be_visible()
    worker.get_by_role("button", name=es("Yes"), exact=True).click()
    proposal = worker.locator("#proposal-title")
    expect(proposal).to_contain_text(es(GBVType.PHYSICAL_ASSAULT.label))
    field(worker, "Date of the incident").fill((today - dt.timedelta(days=3)).isoformat())
    field(worker, "Where it happened").select_option("home")
    field(worker, "Relationship of the perpetrator to the person").select_option("partner")
    field(worker, "I confirm this type with the answers above").check()
    shot(worker, "2-incident")
    worker.get_by_role("button", name=es("Record the incident")).click()
    expect(worker).to_have_url(re.compile(re.escape(case_url)))
    incident = case.incidents.get()
    assert incident.gbv_type == GBVType.PHYSICAL_ASSAULT

    # The assessment.
    worker.goto(case_url)
    worker.get_by_role("link", name=es("Write the assessment")).click()
    worker.locator("input[name=risk_level][value=high]").check()
    for domain in NeedDomain.values:
        worker.locator(f"input[name=need_{domain}][value=medium]").check()
    field(worker, "Assessment narrative").fill("Necesita protección y apoyo psicosocial.")
    worker.get_by_role("button", name=es("Save the assessment")).click()
    expect(worker.locator(".error-summary, .errorlist")).to_have_count(0)
    assert case.assessments.count() == 1

    # The action plan: one goal, one action weighed with the survivor.
    worker.goto(case_url)
    worker.get_by_role("link", name=es("Add a goal")).click()
    field(worker, "Need it answers").select_option(NeedDomain.SAFETY)
    field(worker, "Goal").fill("Que la persona esté a salvo en casa")
    worker.get_by_role("button", name=es("Add the goal")).click()
    worker.goto(case_url)
    worker.get_by_role("link", name=re.compile("^" + re.escape(es("Add an action")))).click()
    field(worker, "Action").fill("Acompañar a solicitar medidas de protección")
    field(worker, "Responsible person").fill("Gestora de casos")
    field(worker, "Pros discussed with the survivor").fill("Protección legal inmediata")
    field(worker, "Cons and risks discussed with the survivor").fill("Puede enojar al agresor")
    worker.get_by_role("radio", name=es(Decision.AGREED.label), exact=True).check()
    worker.get_by_role("button", name=es("Add the action")).click()
    worker.goto(case_url)
    action = case.action_plan.goals.get().actions.get()
    assert action.decision == Decision.AGREED
    assert action.pros and action.cons

    # The safety plan.
    worker.get_by_role("link", name=es("Make a safety plan")).click()
    field(worker, "Risks").fill("Visitas del agresor por la noche")
    field(worker, "Strategies").fill("Ir donde la vecina y llamar al 105")
    field(worker, "Safe people").fill("La vecina del piso de abajo")
    worker.get_by_role("button", name=es("Save the safety plan")).click()
    worker.goto(case_url)
    expect(worker.get_by_role("link", name=es("Edit the safety plan"))).to_be_visible()

    # The caseworker asks a supervisor to approve the action plan.
    plan_label = es(ApprovalKind.ACTION_PLAN.label)
    approvals = worker.locator("#approvals")
    approvals.get_by_role(
        "button", name=es("Request approval: %(what)s") % {"what": plan_label}
    ).click()
    expect(worker.locator("#approvals")).to_contain_text(es(ApprovalState.PENDING.label))
    shot(worker, "3-approval-requested")

    # The supervisor, in a browser of their own, reviews and approves it.
    boss = signed_in_page(new_context, live, world.user("supervisor.care"))
    boss.goto(case_url)
    boss.locator("#approvals").get_by_role("link", name=labelled("Review", plan_label)).click()
    expect(boss.get_by_role("heading", level=1)).to_contain_text(case.code)
    boss.get_by_role("button", name=es("Approve"), exact=True).click()
    expect(boss.locator("main")).to_contain_text(es(ApprovalState.APPROVED.label))
    case.action_plan.refresh_from_db()
    assert case.action_plan.state == ApprovalState.APPROVED

    # A follow-up call, then the caseworker requests closure.
    worker.goto(case_url)
    worker.get_by_role("link", name=es("Add a follow-up")).click()
    worker.get_by_role("radio", name=es(FollowUpKind.CALL.label), exact=True).check()
    field(worker, "Note").fill("Llamada breve: la persona se siente más segura.")
    worker.get_by_role("button", name=es("Save the follow-up")).click()
    worker.goto(case_url)
    assert case.follow_ups.count() == 1
    worker.locator(".cs-case-actions").get_by_role("link", name=es("Request closure")).click()
    worker.get_by_role("radio", name=es(ClosureReason.NEEDS_MET.label), exact=True).check()
    worker.get_by_role("radio", name=es(Satisfaction.SATISFIED.label), exact=True).check()
    field(worker, "Closing note").fill("Metas alcanzadas.")
    # The risk level is still high: the page lists it, and the caseworker says they read it.
    expect(worker.locator("#open-risks")).to_contain_text(es("Still open"))
    worker.get_by_role("checkbox", name=es("I have read the open risks listed above.")).check()
    shot(worker, "3-closure-risks")
    worker.get_by_role("button", name=es("Request closure")).click()
    worker.goto(case_url)
    expect(
        worker.get_by_text(es("A closure is waiting for a supervisor's approval."))
    ).to_be_visible()

    # The supervisor goes from the case page's approvals panel to the closure's own page,
    # where the open risks are listed, and approves it there.
    boss.goto(case_url)
    closure_label = es(ApprovalKind.CLOSURE.label)
    boss.locator("#approvals").get_by_role(
        "link", name=labelled("Review the open risks and decide", closure_label)
    ).click()
    expect(boss.locator("#open-risks")).to_contain_text(es("Still open"))
    shot(boss, "3-closure-approval")
    boss.get_by_role("button", name=es("Approve"), exact=True).click()
    expect(boss).to_have_url(re.compile(re.escape(case_url)))

    worker.goto(case_url)
    status = worker.get_by_role("list", name=es("Status and risk"))
    expect(status).to_contain_text(es(CaseStatus.CLOSED.label))
    expect(worker.get_by_role("link", name=es("Reopen the case"))).to_be_visible()
    shot(worker, "4-closed")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_case_at_urgent_risk_closes_only_with_the_supervisors_reason_on_a_phone(
    live: Any, world: Any, new_context: Any
) -> None:
    """The closure safety path: a PHQ-9 item 9 flag and an open plan action are listed on
    both pages; the supervisor cannot approve without saying why the case closes."""
    from ruta.cases.tests.factories import make_case, make_measure, make_plan

    worker_user = world.user("caseworker.care")
    case = make_case(worker_user)
    make_plan(worker_user, case)
    make_measure(worker_user, case, "phq9", [1] * 8 + [2])
    case_url = f"{live.url}/casos/{case.uuid}/"

    worker = signed_in_page(new_context, live, worker_user)
    worker.goto(case_url + "cierre/")
    risks = worker.locator("#open-risks")
    expect(risks).to_contain_text(es("Blocks closure"))
    expect(risks.locator('[data-risk="suicide_risk"]')).to_be_visible()
    expect(risks.locator('[data-risk="plan_action"]')).to_be_visible()
    worker.get_by_role("radio", name=es(ClosureReason.RELOCATED.label), exact=True).check()
    worker.get_by_role("radio", name=es(Satisfaction.NOT_ASKED.label), exact=True).check()
    worker.get_by_role("checkbox", name=es("I have read the open risks listed above.")).check()
    worker.get_by_role("button", name=es("Request closure")).click()
    expect(worker).to_have_url(re.compile(re.escape(case_url)))

    boss = signed_in_page(new_context, live, world.user("supervisor.care"))
    approval = case.approvals.get(kind=ApprovalKind.CLOSURE)
    boss.goto(f"{live.url}/casos/aprobaciones/{approval.uuid}/")
    expect(boss.locator("#open-risks")).to_contain_text(es("Blocks closure"))
    boss.get_by_role("button", name=es("Approve"), exact=True).click()
    reason = field(boss, "Reason for closing despite the urgent risk")
    expect(reason).to_have_attribute("aria-invalid", "true")
    shot(boss, "5-urgent-closure-refused")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    reason.fill("Se trasladó a otra ciudad; la red de allí la acompaña.")
    boss.get_by_role("button", name=es("Approve"), exact=True).click()
    expect(boss).to_have_url(re.compile(r"/casos/equipo/$"))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
