"""Supervision and daily work over HTTP: today page, team view, approvals, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user, verified_login
from ruta.audit.models import AuditEvent
from ruta.cases import actions
from ruta.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalState,
    Assessment,
    Case,
    CaseStatus,
    RiskLevel,
)
from ruta.cases.tests.factories import (
    ALIAS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    make_assessment,
    make_case,
    make_follow_up,
    make_plan,
    pending_closure,
)
from ruta.lib.permissions import Role
from ruta.notifications.models import Notification, NotificationKind

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

COMMENT = "Falta revisar el plan de seguridad"
PERSONAL = (GIVEN_NAMES, FAMILY_NAMES, ALIAS)


def en(name: str, *args: Any) -> str:
    """The English URL: assertions read English text whatever the translations say."""
    with translation.override("en"):
        return reverse(name, args=args)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def assessment_approval(caseworker: Any, case: Case) -> ApprovalRequest:
    assessment = make_assessment(caseworker, case)
    return actions.request_approval(caseworker, case, ApprovalKind.ASSESSMENT, assessment.uuid)


def busy_case(caseworker: Any, supervisor: Any) -> Case:
    """An urgent case with an overdue action, a contact due, one returned and one pending."""
    case = make_case(caseworker, risk_level=RiskLevel.URGENT)
    make_plan(caseworker, case, due_on=days(-3))
    make_follow_up(caseworker, case, happened_on=days(-7), next_contact_on=days(-1))
    actions.decide_approval(
        supervisor, assessment_approval(caseworker, case), approve=False, comment=COMMENT
    )
    assessment_approval(caseworker, case)
    return case


# --- Today -------------------------------------------------------------------------------
def test_today_shows_the_caseworkers_day(client: Any, world: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    urgent = make_case(caseworker, risk_level=RiskLevel.URGENT)
    overdue = make_case(caseworker)
    make_plan(caseworker, overdue, due_on=days(-2))
    due = make_case(caseworker)
    make_follow_up(caseworker, due, happened_on=days(-5), next_contact_on=timezone.localdate())
    returned = make_case(caseworker)
    approval = assessment_approval(caseworker, returned)
    actions.decide_approval(supervisor, approval, approve=False, comment=COMMENT)
    quiet = make_case(caseworker)
    other = make_case(world.user("caseworker.hias"), risk_level=RiskLevel.URGENT)

    verified_login(client, caseworker)
    response = client.get(en("cases:today"))
    assert response.status_code == 200
    day = response.context["day"]
    assert [c.pk for c in day.urgent] == [urgent.pk]
    assert [a.case_id for a in day.overdue_actions] == [overdue.pk]
    assert [c.pk for c in day.due_contacts] == [due.pk]
    assert [a.pk for a in day.returned] == [approval.pk]
    html = response.content.decode()
    for case in (urgent, overdue, due, returned):
        assert case.code in html
        assert en("cases:case_detail", case.uuid) in html
    assert quiet.code not in html and other.code not in html
    assert "Urgent case (1)" in html
    assert "Overdue plan action (1)" in html
    assert "Contact due (1)" in html
    assert "Returned to you for changes (1)" in html
    assert COMMENT in html
    for text in PERSONAL:
        assert text not in html


def test_today_forgets_a_returned_request_once_sent_again(client: Any, world: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(caseworker)
    approval = assessment_approval(caseworker, case)
    actions.decide_approval(supervisor, approval, approve=False, comment=COMMENT)
    actions.request_approval(caseworker, case, ApprovalKind.ASSESSMENT, approval.target_uuid)
    verified_login(client, caseworker)
    response = client.get(en("cases:today"))
    assert response.context["day"].returned == []
    assert "Waiting for your supervisor (1)" in response.content.decode()


def test_supervisor_sees_approvals_waiting(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    approval = assessment_approval(caseworker, make_case(caseworker))
    assessment_approval(world.user("caseworker.hias"), make_case(world.user("caseworker.hias")))
    verified_login(client, world.user("supervisor.care"))
    response = client.get(en("cases:today"))
    html = response.content.decode()
    assert "Approval waiting for you (1)" in html
    assert en("cases:approval_decide", approval.uuid) in html


def _count_queries(client: Any, url: str) -> int:
    client.get(url)  # the first request of a session does some one-off bookkeeping
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["caseworker.care", "supervisor.care"])
def test_today_runs_a_fixed_number_of_queries(
    client: Any, world: Any, role: str, django_assert_max_num_queries: Any
) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    for _n in range(2):
        busy_case(caseworker, supervisor)
    verified_login(client, world.user(role))
    url = en("cases:today")
    few = _count_queries(client, url)
    for _n in range(18):
        busy_case(caseworker, supervisor)
    many = _count_queries(client, url)
    assert many == few
    with django_assert_max_num_queries(15):
        client.get(url)


def test_dashboard_links_to_today_for_case_roles(client: Any, world: Any) -> None:
    for key in ("caseworker.care", "supervisor.care"):
        verified_login(client, world.user(key))
        assert en("cases:today") in client.get(en("core:dashboard")).content.decode()
    verified_login(client, world.user("analyst"))
    assert en("cases:today") not in client.get(en("core:dashboard")).content.decode()


# --- Team ---------------------------------------------------------------------------------
def test_team_view_numbers(client: Any, world: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    second = make_user("second.caseworker@test.org", Role.CASEWORKER, world.care)
    busy_case(caseworker, supervisor)
    make_case(caseworker)
    make_case(second)
    closed = make_case(second)
    closed.status = CaseStatus.CLOSED
    closed.save(update_fields=["status"])
    busy_case(world.user("caseworker.hias"), world.user("supervisor.hias"))

    verified_login(client, supervisor)
    response = client.get(en("cases:team"))
    assert response.status_code == 200
    rows = {row.caseworker.pk: row for row in response.context["rows"]}
    assert set(rows) == {caseworker.pk, second.pk}
    mine = rows[caseworker.pk]
    assert (
        mine.open_cases,
        mine.urgent,
        mine.overdue_actions,
        mine.due_contacts,
        mine.pending_approvals,
    ) == (2, 1, 1, 1, 1)
    theirs = rows[second.pk]
    assert (theirs.open_cases, theirs.urgent, theirs.pending_approvals) == (1, 0, 0)
    html = response.content.decode()
    assert f"{en('cases:case_list')}?caseworker={caseworker.uuid}" in html
    assert f"{en('cases:case_list')}?caseworker={second.uuid}" in html
    queue = response.context["queue"]
    assert len(queue) == 1 and queue[0].case.organization_id == world.care.pk
    assert en("cases:approval_decide", queue[0].uuid) in html
    for text in PERSONAL:
        assert text not in html


def test_team_view_runs_a_fixed_number_of_queries(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    for _n in range(2):
        busy_case(caseworker, supervisor)
    verified_login(client, supervisor)
    url = en("cases:team")
    few = _count_queries(client, url)
    for n in range(18):
        worker = make_user(f"worker{n}@test.org", Role.CASEWORKER, world.care)
        busy_case(worker, supervisor)
    many = _count_queries(client, url)
    assert many == few
    with django_assert_max_num_queries(15):
        client.get(url)


def test_caseworker_cannot_open_team_view_nor_decide(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    approval = assessment_approval(caseworker, make_case(caseworker))
    verified_login(client, caseworker)
    assert client.get(en("cases:team")).status_code == 404
    url = en("cases:approval_decide", approval.uuid)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING


# --- Approvals ---------------------------------------------------------------------------
def test_request_and_approve_over_http(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(caseworker)
    assessment = make_assessment(caseworker, case)

    verified_login(client, caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            en("cases:approval_request", case.uuid),
            {"kind": ApprovalKind.ASSESSMENT, "target": str(assessment.uuid)},
        )
    assert response.status_code == 302
    assert response["Location"] == en("cases:case_detail", case.uuid) + "#approvals"
    approval = ApprovalRequest.objects.get(case=case)
    assert approval.state == ApprovalState.PENDING
    assert Notification.objects.filter(
        recipient=supervisor, kind=NotificationKind.APPROVAL_REQUESTED, case=case
    ).exists()
    # Asking twice is refused with the domain's message, nothing new is created.
    response = client.post(
        en("cases:approval_request", case.uuid),
        {"kind": ApprovalKind.ASSESSMENT, "target": str(assessment.uuid)},
        follow=True,
    )
    assert "already waiting for approval" in response.content.decode()
    assert ApprovalRequest.objects.filter(case=case).count() == 1

    client.logout()
    verified_login(client, supervisor)
    url = en("cases:approval_decide", approval.uuid)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert case.code in html and en("cases:case_detail", case.uuid) in html
    assert "Narrativa ficticia" not in html
    assert AuditEvent.objects.filter(
        action="case.read", object_uuid=case.uuid, details__what="approval"
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    assert response["Location"] == en("cases:team")
    approval.refresh_from_db()
    assessment.refresh_from_db()
    assert approval.state == assessment.state == ApprovalState.APPROVED
    assert approval.decided_by == supervisor
    notice = Notification.objects.get(recipient=caseworker, kind=NotificationKind.APPROVED)
    assert notice.case == case
    assert notice.details == {"kind": "assessment"}
    # Deciding again is refused with a message.
    response = client.post(url, {"decision": "return", "comment": "otra vez"})
    assert response.status_code == 200
    assert "already decided" in response.content.decode()


def test_return_needs_a_comment_and_notifies_the_requester(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(caseworker)
    approval = assessment_approval(caseworker, case)
    verified_login(client, supervisor)
    url = en("cases:approval_decide", approval.uuid)

    response = client.post(url, {"decision": "return", "comment": "  "})
    assert response.status_code == 200
    assert "Say what needs to change" in response.content.decode()
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "return", "comment": COMMENT})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.state == ApprovalState.RETURNED and approval.comment == COMMENT
    assert Assessment.objects.get(uuid=approval.target_uuid).state == ApprovalState.RETURNED
    notice = Notification.objects.get(recipient=caseworker)
    assert notice.kind == NotificationKind.RETURNED
    assert COMMENT not in str(notice.details)

    client.logout()
    verified_login(client, caseworker)
    html = client.get(en("cases:today")).content.decode()
    assert COMMENT in html and case.code in html


def test_closure_approval_closes_the_case(client: Any, world: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(caseworker)
    closure = pending_closure(caseworker, case)
    approval = ApprovalRequest.objects.get(case=case, target_uuid=closure.uuid)
    verified_login(client, supervisor)
    back = en("cases:case_detail", case.uuid) + "#approvals"
    response = client.post(
        en("cases:approval_decide", approval.uuid), {"decision": "approve", "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == timezone.localdate()


def test_next_must_stay_on_this_site(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    approval = assessment_approval(caseworker, make_case(caseworker))
    verified_login(client, world.user("supervisor.care"))
    response = client.post(
        en("cases:approval_decide", approval.uuid),
        {"decision": "approve", "next": "https://evil.example.org/"},
    )
    assert response["Location"] == en("cases:team")


def test_another_agency_gets_404(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    approval = assessment_approval(caseworker, case)
    verified_login(client, world.user("supervisor.hias"))
    url = en("cases:approval_decide", approval.uuid)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING
    client.logout()
    verified_login(client, world.user("caseworker.hias"))
    response = client.post(
        en("cases:approval_request", case.uuid),
        {"kind": ApprovalKind.ASSESSMENT, "target": str(approval.target_uuid)},
    )
    assert response.status_code == 404


def test_approvals_panel_of_the_case_page(world: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(caseworker)
    assessment = make_assessment(caseworker, case)
    plan, _goal, _action = make_plan(caseworker, case)

    def panel(user: Any) -> str:
        request = RequestFactory().get(en("cases:case_detail", case.uuid))
        request.user = user
        with translation.override("en"):
            return render_to_string(
                "cases/work/_case_approvals.html", {"case": case, "user": user}, request
            )

    html = panel(caseworker)
    assert en("cases:approval_request", case.uuid) in html
    assert str(assessment.uuid) in html and str(plan.uuid) in html
    assert "No approval has been requested" in html

    approval = actions.request_approval(caseworker, case, ApprovalKind.ASSESSMENT, assessment.uuid)
    html = panel(caseworker)
    assert str(assessment.uuid) not in html and str(plan.uuid) in html
    assert en("cases:approval_decide", approval.uuid) not in html

    html = panel(supervisor)
    assert en("cases:approval_decide", approval.uuid) in html
    assert 'value="return"' in html
    assert en("cases:approval_request", case.uuid) not in html


# --- Reminders ---------------------------------------------------------------------------
def test_send_case_reminders_command(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    caseworker = world.user("caseworker.care")
    late = make_case(caseworker)
    make_plan(caseworker, late, due_on=days(-1))
    on_time = world.user("caseworker.hias")
    make_plan(on_time, make_case(on_time), due_on=days(5))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_case_reminders", stdout=_Sink())
    reminders = Notification.objects.filter(kind=NotificationKind.REMINDER)
    assert [(n.recipient, n.case, n.details) for n in reminders] == [
        (caseworker, None, {"overdue_actions": 1, "due_contacts": 0})
    ]


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def test_case_page_shows_the_approvals_panel(client: Any, world: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(caseworker)
    approval = assessment_approval(caseworker, case)
    make_plan(caseworker, case)
    verified_login(client, caseworker)
    html = client.get(en("cases:case_detail", case.uuid)).content.decode()
    assert 'id="approvals"' in html
    assert en("cases:approval_request", case.uuid) in html
    client.logout()
    verified_login(client, supervisor)
    html = client.get(en("cases:case_detail", case.uuid)).content.decode()
    assert en("cases:approval_decide", approval.uuid) in html


def test_team_numbers_open_the_matching_cases(client: Any, world: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    busy = busy_case(caseworker, supervisor)
    quiet = make_case(caseworker)
    make_plan(caseworker, quiet, due_on=days(5))  # due later: not late
    make_follow_up(caseworker, quiet, happened_on=days(-2), next_contact_on=days(3))
    verified_login(client, supervisor)
    html = client.get(en("cases:team")).content.decode()
    listed = f"{en('cases:case_list')}?caseworker={caseworker.uuid}"
    for attention in ("late", "contact", "approval"):
        link = f"{listed}&amp;attention={attention}"
        assert link in html
        page = client.get(link.replace("&amp;", "&"))
        assert page.status_code == 200
        assert [case.pk for case in page.context["cases"]] == [busy.pk], attention
    assert f"{listed}&amp;risk=urgent" in html
    everything = client.get(en("cases:case_list"), {"attention": ""}).context["cases"]
    assert {case.pk for case in everything} == {busy.pk, quiet.pk}
    # An unknown value is reported on the form and ignored.
    odd = client.get(en("cases:case_list"), {"attention": "nonsense"})
    assert odd.context["form"].errors["attention"]
    assert {case.pk for case in odd.context["cases"]} == {busy.pk, quiet.pk}
