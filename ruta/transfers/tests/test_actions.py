"""The transfer state machine, its consent gate and the move of ownership."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.audit.models import AuditEvent
from ruta.cases.access import visible_cases
from ruta.cases.actions import withdraw_consent
from ruta.cases.models import CaseStatus, Consent, ConsentPurpose
from ruta.cases.tests.factories import make_assessment, make_case, make_closed_case, make_follow_up
from ruta.notifications.models import Notification, NotificationKind
from ruta.transfers import actions
from ruta.transfers.actions import IllegalTransition, TransferError
from ruta.transfers.models import SenderAccess, Transfer, TransferStatus
from ruta.transfers.tests.helpers import REASON, accepted, requested, shareable_case

# The assertions read the English messages (the msgids), whatever the catalogs hold.
pytestmark = pytest.mark.usefixtures("english")


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- Request ------------------------------------------------------------------------------
def test_request_creates_a_pending_transfer_audited_and_notified(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = shareable_case(world)
    with django_capture_on_commit_callbacks(execute=True):
        transfer = actions.request_transfer(world.user("supervisor.care"), case, world.hias, REASON)
    assert transfer.status == TransferStatus.REQUESTED
    assert transfer.from_organization == world.care
    assert transfer.sender_access == SenderAccess.OWN_ENTRIES
    assert Transfer.objects.get(pk=transfer.pk).reason == REASON  # decrypts
    assert _events("transfer.requested") == 1
    note = Notification.objects.get(recipient=world.user("supervisor.hias"))
    assert note.kind == NotificationKind.TRANSFER and note.case is None


def test_request_needs_consent_to_share_with_the_receiver(world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    with pytest.raises(IllegalTransition, match="consent"):
        actions.request_transfer(world.user("supervisor.care"), case, world.hias, REASON)
    assert not Transfer.objects.exists()


def test_consent_for_another_agency_does_not_count(world: Any) -> None:
    case = shareable_case(world, to=world.network)
    with pytest.raises(IllegalTransition):
        actions.request_transfer(world.user("supervisor.care"), case, world.hias, REASON)


@pytest.mark.parametrize("who", ["caseworker.care", "supervisor.hias", "agency_admin.care"])
def test_only_a_supervisor_of_the_owning_agency_requests(world: Any, who: str) -> None:
    case = shareable_case(world)
    with pytest.raises(TransferError):
        actions.request_transfer(world.user(who), case, world.hias, REASON)


def test_request_refuses_a_closed_case(world: Any) -> None:
    case = make_closed_case(world.user("caseworker.care"), world.user("supervisor.care"))
    with pytest.raises(IllegalTransition):
        actions.request_transfer(world.user("supervisor.care"), case, world.hias, REASON)


def test_request_refuses_a_second_pending_transfer(world: Any) -> None:
    transfer = requested(world)
    with pytest.raises(IllegalTransition):
        actions.request_transfer(world.user("supervisor.care"), transfer.case, world.hias, REASON)


def test_request_refuses_own_agency_and_empty_reason(world: Any) -> None:
    case = shareable_case(world)
    boss = world.user("supervisor.care")
    with pytest.raises(TransferError):
        actions.request_transfer(boss, case, world.care, REASON)
    with pytest.raises(TransferError):
        actions.request_transfer(boss, case, world.hias, "  ")


def test_request_refuses_an_agency_without_supervisors(world: Any) -> None:
    case = shareable_case(world, to=world.outsider_org)
    with pytest.raises(TransferError, match="supervisor"):
        actions.request_transfer(world.user("supervisor.care"), case, world.outsider_org, REASON)


# --- Accept --------------------------------------------------------------------------------
def test_accept_moves_ownership(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    case = shareable_case(world)
    make_follow_up(world.user("caseworker.care"), case)
    make_assessment(world.user("caseworker.care"), case)
    transfer = requested(world, case)
    hias_boss, hias_worker = world.user("supervisor.hias"), world.user("caseworker.hias")
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_transfer(hias_boss, transfer, hias_worker)
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert case.organization == world.hias and case.status == CaseStatus.OPEN
    assert case.caseworker == hias_worker and case.supervisor == hias_boss
    assert case.client.organization == world.hias
    assert transfer.status == TransferStatus.ACCEPTED
    assert transfer.previous_caseworker == world.user("caseworker.care")
    assert transfer.assigned_caseworker == hias_worker and transfer.decided_by == hias_boss
    # The full history travels: it hangs off the case.
    assert case.follow_ups.count() == 1 and case.assessments.count() == 1
    assert case.consents.count() == 2
    # Ownership through ruta.cases.access.
    assert case in visible_cases(hias_boss) and case in visible_cases(hias_worker)
    assert case not in visible_cases(world.user("caseworker.care"))
    assert case not in visible_cases(world.user("supervisor.care"))
    assert _events("transfer.accepted") == 1
    assigned = Notification.objects.get(recipient=hias_worker)
    assert assigned.kind == NotificationKind.ASSIGNED and assigned.case == case
    assert Notification.objects.filter(
        recipient=world.user("caseworker.care"), kind=NotificationKind.TRANSFER
    ).exists()
    assert Notification.objects.filter(
        recipient=world.user("supervisor.care"), kind=NotificationKind.TRANSFER
    ).exists()


@pytest.mark.parametrize("who", ["supervisor.care", "caseworker.hias", "agency_admin.hias"])
def test_only_a_receiving_supervisor_accepts(world: Any, who: str) -> None:
    transfer = requested(world)
    with pytest.raises(TransferError):
        actions.accept_transfer(world.user(who), transfer, world.user("caseworker.hias"))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED


@pytest.mark.parametrize("who", ["caseworker.care", "helpline.hias", "agency_admin.hias"])
def test_accept_needs_a_caseworker_of_the_receiving_agency(world: Any, who: str) -> None:
    transfer = requested(world)
    with pytest.raises(TransferError, match="caseworker"):
        actions.accept_transfer(world.user("supervisor.hias"), transfer, world.user(who))
    assert transfer.case.organization == world.care


def test_accept_refused_when_consent_was_withdrawn_meanwhile(world: Any) -> None:
    transfer = requested(world)
    consent = Consent.objects.get(case=transfer.case, purpose=ConsentPurpose.SHARE)
    withdraw_consent(world.user("caseworker.care"), consent, "ya no")
    with pytest.raises(IllegalTransition, match="consent"):
        actions.accept_transfer(
            world.user("supervisor.hias"), transfer, world.user("caseworker.hias")
        )
    transfer.case.refresh_from_db()
    assert transfer.case.organization == world.care


# --- Decline and cancel -----------------------------------------------------------------------
def test_decline_needs_a_reason_and_keeps_the_case(world: Any) -> None:
    transfer = requested(world)
    boss = world.user("supervisor.hias")
    with pytest.raises(TransferError):
        actions.decline_transfer(boss, transfer, " ")
    actions.decline_transfer(boss, transfer, "Sin cupo")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    assert transfer.decline_reason == "Sin cupo"
    assert transfer.case.organization == world.care
    assert _events("transfer.declined") == 1
    # After a decline a new request is possible.
    actions.request_transfer(world.user("supervisor.care"), transfer.case, world.hias, REASON)


def test_only_a_receiving_supervisor_declines(world: Any) -> None:
    transfer = requested(world)
    with pytest.raises(TransferError):
        actions.decline_transfer(world.user("supervisor.care"), transfer, "no")


def test_cancel_by_the_sender(world: Any) -> None:
    transfer = requested(world)
    with pytest.raises(TransferError):
        actions.cancel_transfer(world.user("supervisor.hias"), transfer)
    with pytest.raises(TransferError):
        actions.cancel_transfer(world.user("caseworker.care"), transfer)
    actions.cancel_transfer(world.user("supervisor.care"), transfer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert _events("transfer.cancelled") == 1


# --- Every illegal transition ------------------------------------------------------------------
def _finish(world: Any, how: str) -> Transfer:
    transfer = requested(world)
    if how == "accepted":
        actions.accept_transfer(
            world.user("supervisor.hias"), transfer, world.user("caseworker.hias")
        )
    elif how == "declined":
        actions.decline_transfer(world.user("supervisor.hias"), transfer, "no")
    else:
        actions.cancel_transfer(world.user("supervisor.care"), transfer)
    transfer.refresh_from_db()
    return transfer


@pytest.mark.parametrize("state", ["accepted", "declined", "cancelled"])
@pytest.mark.parametrize("step", ["accept", "decline", "cancel"])
def test_a_finished_transfer_cannot_move(world: Any, state: str, step: str) -> None:
    transfer = _finish(world, state)
    run = {
        "accept": lambda: actions.accept_transfer(
            world.user("supervisor.hias"), transfer, world.user("caseworker.hias")
        ),
        "decline": lambda: actions.decline_transfer(world.user("supervisor.hias"), transfer, "x"),
        "cancel": lambda: actions.cancel_transfer(world.user("supervisor.care"), transfer),
    }[step]
    with pytest.raises(IllegalTransition):
        run()
    transfer.refresh_from_db()
    assert transfer.status == state


def test_sender_access_follows_the_setting(world: Any, settings: Any) -> None:
    settings.RUTA_TRANSFER_SENDER_ACCESS = "none"
    transfer = accepted(world)
    assert transfer.sender_access == SenderAccess.NONE
