"""Referrals when their case closes: listed as open risks before, settled and told after.

Also the issue's whole scenario: a case flagged urgent by PHQ-9 item 9 a minute earlier,
with an urgent referral pending and a plan action open, cannot close in two clicks.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.cases import actions as case_actions
from ruta.cases.models import ApprovalRequest, Case, CaseStatus, Closure
from ruta.cases.risks import open_risks
from ruta.cases.tests.factories import make_case, make_measure, make_plan, pending_closure
from ruta.notifications.models import Notification, NotificationKind
from ruta.referrals import actions
from ruta.referrals.hooks import referral_text
from ruta.referrals.models import Referral, ReferralStatus, Urgency
from ruta.referrals.tests.factories import make_referral

pytestmark = pytest.mark.usefixtures("english")

OVERRIDE = "Se muda de ciudad; ficticio"


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def approval_of(closure: Closure) -> ApprovalRequest:
    return ApprovalRequest.objects.get(case=closure.case, target_uuid=closure.uuid)


def close(world: Any, case: Case, **kw: Any) -> None:
    closure = pending_closure(world.user("caseworker.care"), case)
    case_actions.decide_approval(
        world.user("supervisor.care"), approval_of(closure), approve=True, **kw
    )


def referral_notices(user: Any, event: str) -> list[Notification]:
    return [
        n
        for n in Notification.objects.filter(recipient=user, kind=NotificationKind.REFERRAL)
        if n.details.get("event") == event
    ]


def test_the_issue_scenario_end_to_end(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    worker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    receiver = world.user("supervisor.hias")
    case = make_case(worker)
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(world, case=case, urgency=Urgency.URGENT)
        make_plan(worker, case)
        make_measure(worker, case, "phq9", [1] * 8 + [3])  # item 9: suicide-risk flag
    case.refresh_from_db()
    found = {risk.kind for risk in open_risks(case)}
    assert found == {"risk_level", "suicide_risk", "plan_action", "referral"}

    # The caseworker's request page lists all three (and the urgent level).
    verified_login(client, worker)
    page = en("cases:closure_create", case.uuid)
    html = client.get(page).content.decode()
    for kind in ("suicide_risk", "plan_action", "referral"):
        assert f'data-risk="{kind}"' in html
    assert f"Urgent referral {referral.reference} to HIAS Perú: Sent" in html
    data = {"reason": "relocated", "satisfaction": "not_asked", "risks_read": "on"}
    assert client.post(page, data).status_code == 302
    approval = case.approvals.get(state="pending")

    # The supervisor's page lists them too; approving without a reason is refused.
    client.logout()
    verified_login(client, supervisor)
    decide = en("cases:approval_decide", approval.uuid)
    html = client.get(decide).content.decode()
    assert 'data-risk="suicide_risk"' in html and referral.reference in html
    assert client.post(decide, {"decision": "approve"}).status_code == 200
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.status == CaseStatus.OPEN and referral.status == ReferralStatus.SENT

    # With a reason: closed, audited by field name only, the referral withdrawn and told.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"decision": "approve", "risk_override_reason": OVERRIDE})
    assert response.status_code == 302
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert referral.status == ReferralStatus.REVOKED
    assert referral.revoke_reason == "The referring case was closed."
    closed = AuditEvent.objects.get(object_uuid=case.uuid, action="case.closed")
    assert closed.details["fields"] == ["risk_override_reason"]
    trail = repr(list(AuditEvent.objects.values_list("details", flat=True)))
    assert "ficticio" not in trail and "muda" not in trail
    assert AuditEvent.objects.filter(object_uuid=referral.uuid, action="referral.revoked").exists()
    [told] = referral_notices(receiver, "revoked")
    assert told.details["reference"] == referral.reference


def test_sent_and_accepted_referrals_are_open_risks(world: Any) -> None:
    sent = make_referral(world)
    case = sent.case
    accepted = make_referral(world, case=case)
    actions.accept_referral(world.user("supervisor.hias"), accepted, case_type="gbv")
    declined = make_referral(world, case=case)
    actions.decline_referral(world.user("supervisor.hias"), declined, reason="no_capacity")
    risks = open_risks(case)
    assert [risk.kind for risk in risks] == ["referral", "referral"]
    assert all(not risk.blocking for risk in risks)
    assert {risk.url for risk in risks} == {
        reverse("referrals:detail", args=[sent.uuid]),
        reverse("referrals:detail", args=[accepted.uuid]),
    }


def test_an_accepted_referral_stays_with_the_receiver_who_is_told(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    receiver = world.user("supervisor.hias")
    referral = make_referral(world)
    actions.accept_referral(receiver, referral, case_type="gbv")
    with django_capture_on_commit_callbacks(execute=True):
        close(world, referral.case)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED  # the service may be under way
    [told] = referral_notices(receiver, "sender_case_closed")
    assert "closed its case" in referral_text(told.details)
    assert AuditEvent.objects.filter(
        object_uuid=referral.uuid, action="referral.sender_case_closed"
    ).exists()
    # ...and the receiver still completes it with feedback.
    actions.complete_referral(receiver, referral, outcome="provided", feedback="Atendida")
    assert referral.status == ReferralStatus.COMPLETED


def test_the_receiving_case_closing_tells_the_sender(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    receiver = world.user("supervisor.hias")
    referral = make_referral(world)
    actions.accept_referral(receiver, referral, case_type="gbv")
    receiving_case = referral.receiver_case
    assert receiving_case is not None
    assert [risk.kind for risk in open_risks(receiving_case)] == ["referral_received"]
    closure = case_actions.request_closure(
        receiver, receiving_case, reason="needs_met", satisfaction="satisfied"
    )  # HIAS's only supervisor may approve their own request
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.decide_approval(receiver, approval_of(closure), approve=True)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral_notices(world.user("caseworker.care"), "receiver_case_closed")


def test_referrals_already_settled_are_left_alone(world: Any) -> None:
    referral = make_referral(world)
    actions.revoke_referral(world.user("caseworker.care"), referral, reason="Ya no")
    assert open_risks(referral.case) == []
    close(world, referral.case)
    assert Referral.objects.get(pk=referral.pk).revoke_reason == "Ya no"


def test_a_case_without_referrals_closes_as_before(world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    close(world, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert not AuditEvent.objects.filter(action__startswith="referral.").exists()


def test_the_notice_texts_are_plain(world: Any) -> None:
    for event in ("sender_case_closed", "receiver_case_closed"):
        text = referral_text({"event": event, "reference": "D-2026-ABCDEF"})
        assert "D-2026-ABCDEF" in text and "updated" not in text
