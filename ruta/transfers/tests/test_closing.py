"""A transfer waiting for an answer when its case closes: listed before, cancelled after."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ruta.audit.models import AuditEvent
from ruta.cases import actions as case_actions
from ruta.cases.models import ApprovalRequest, CaseStatus
from ruta.cases.risks import open_risks
from ruta.cases.tests.factories import pending_closure
from ruta.notifications.models import Notification, NotificationKind
from ruta.transfers.models import TransferStatus
from ruta.transfers.tests.helpers import requested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_pending_transfer_is_an_open_risk_then_cancelled_and_told(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    transfer = requested(world)
    case = transfer.case
    [risk] = open_risks(case)
    assert (risk.kind, risk.blocking) == ("transfer", False)
    assert "HIAS Perú" in risk.label and "waiting for an answer" in risk.label
    assert risk.url == reverse("transfers:detail", args=[transfer.uuid])
    closure = pending_closure(world.user("caseworker.care"), case)
    approval = ApprovalRequest.objects.get(case=case, target_uuid=closure.uuid)
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.decide_approval(world.user("supervisor.care"), approval, approve=True)
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert transfer.status == TransferStatus.CANCELLED
    assert AuditEvent.objects.filter(object_uuid=transfer.uuid, action="transfer.cancelled")
    told = Notification.objects.filter(
        recipient=world.user("supervisor.hias"), kind=NotificationKind.TRANSFER
    )
    assert [n.details["event"] for n in told] == ["cancelled"]
    assert open_risks(case) == []
