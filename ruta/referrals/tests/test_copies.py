"""An accepted referral's copy after the consent to share is withdrawn: the receiving agency
is told, has a time to record the survivor's own consent, and the copy is kept or erased."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.cases import actions as case_actions
from ruta.cases.models import Case, ConsentMethod, ConsentPurpose
from ruta.cases.tests.factories import ALIAS, CODE_WORD, SAFE_TIMES
from ruta.notifications.models import Notification
from ruta.referrals import actions
from ruta.referrals.copies import settle_copies, waiting_in
from ruta.referrals.models import CopyOutcome, Referral, ReferralStatus
from ruta.referrals.tests.factories import make_referral

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks


def _accepted(world: Any) -> Referral:
    referral = make_referral(world)
    return actions.accept_referral(
        world.user("supervisor.hias"),
        referral,
        assign_to=world.user("caseworker.hias"),
        case_type="mhpss",
    )


def _withdraw(world: Any, referral: Referral) -> Referral:
    case_actions.withdraw_consent(world.user("caseworker.care"), referral.consent, "Ya no quiere")
    referral.refresh_from_db()
    return referral


def _receiver_case(referral: Referral) -> Case:
    assert referral.receiver_case is not None
    return Case.objects.select_related("client").get(pk=referral.receiver_case.pk)


def _storage_consent(world: Any, case: Case, given_at: dt.datetime) -> Any:
    return case_actions.record_consent(
        world.user("caseworker.hias"),
        case,
        purpose=ConsentPurpose.STORAGE,
        method=ConsentMethod.VERBAL,
        given_at=given_at,
    )


@override_settings(RUTA_REFERRAL_OWN_CONSENT_DAYS=10)
def test_withdrawal_starts_the_clock_and_tells_the_receiving_team(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral = _accepted(world)
    with django_capture_on_commit_callbacks(execute=True):
        referral = _withdraw(world, referral)
    assert referral.status == ReferralStatus.REVOKED
    withdrawn_at = referral.consent.withdrawn_at
    assert withdrawn_at is not None
    assert referral.own_consent_due == withdrawn_at + dt.timedelta(days=10)
    # Nothing erased yet: the receiver has its time to ask the survivor.
    client = _receiver_case(referral).client
    assert client.alias == ALIAS and client.code_word == CODE_WORD
    told = Notification.objects.filter(details__event="consent_withdrawn")
    assert set(told.values_list("recipient__email", flat=True)) == {
        world.user("supervisor.hias").email,
        world.user("caseworker.hias").email,
    }
    event = AuditEvent.objects.get(action="referral.own_consent_requested")
    assert event.details["due"] == referral.own_consent_due.date().isoformat()


def test_a_withdrawal_before_acceptance_starts_no_clock(world: Any) -> None:
    referral = _withdraw(world, make_referral(world))
    assert referral.own_consent_due is None
    assert settle_copies(referral.sent_at + dt.timedelta(days=400)) == {"kept": 0, "erased": 0}


def test_no_own_consent_in_time_erases_what_the_referral_copied(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral = _withdraw(world, _accepted(world))
    case = _receiver_case(referral)
    # What the receiver learnt itself after accepting is its own: it stays.
    case.client.safe_times = "Por la tarde, según la propia persona"
    case.client.save(update_fields=["safe_times"])
    due = referral.own_consent_due
    assert due is not None
    assert settle_copies(due - dt.timedelta(seconds=1)) == {"kept": 0, "erased": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert settle_copies(due) == {"kept": 0, "erased": 1}
    client = _receiver_case(referral).client
    assert client.alias == "" and client.code_word == ""
    assert client.safe_times == "Por la tarde, según la propia persona"
    assert client.age_band == "unknown" and client.sex == "" and client.languages == []
    referral.refresh_from_db()
    assert referral.snapshot == "" and referral.copy_outcome == CopyOutcome.ERASED
    assert referral.copy_settled_at == due
    event = AuditEvent.objects.get(action="referral.copy_erased")
    assert "alias" in event.details["fields"] and "safe_times" not in event.details["fields"]
    assert ALIAS not in str(event.details) and CODE_WORD not in str(event.details)
    assert Notification.objects.filter(
        recipient=world.user("caseworker.hias"), details__event="copy_erased"
    ).exists()
    # Settled once: a second run changes nothing.
    assert settle_copies(due + dt.timedelta(days=1)) == {"kept": 0, "erased": 0}


def test_the_survivors_own_consent_keeps_the_copy(world: Any) -> None:
    referral = _withdraw(world, _accepted(world))
    withdrawn_at = referral.consent.withdrawn_at
    assert withdrawn_at is not None and referral.own_consent_due is not None
    _storage_consent(world, _receiver_case(referral), withdrawn_at + dt.timedelta(hours=2))
    # Settled as soon as the consent is there, without waiting for the due date.
    assert settle_copies(withdrawn_at + dt.timedelta(days=1)) == {"kept": 1, "erased": 0}
    client = _receiver_case(referral).client
    assert client.alias == ALIAS and client.code_word == CODE_WORD
    assert client.safe_times == SAFE_TIMES
    referral.refresh_from_db()
    assert referral.copy_outcome == CopyOutcome.KEPT and referral.snapshot == ""
    assert AuditEvent.objects.filter(action="referral.copy_kept").count() == 1


def test_a_storage_consent_from_before_the_withdrawal_does_not_count(world: Any) -> None:
    referral = _accepted(world)
    case = _receiver_case(referral)
    _storage_consent(world, case, referral.sent_at)
    referral = _withdraw(world, referral)
    assert [r.pk for r in waiting_in(case)] == [referral.pk]
    assert referral.own_consent_due is not None
    assert settle_copies(referral.own_consent_due) == {"kept": 0, "erased": 1}
    assert _receiver_case(referral).client.alias == ""


def test_a_completed_referral_waits_for_the_own_consent_too(world: Any) -> None:
    referral = _accepted(world)
    actions.complete_referral(
        world.user("caseworker.hias"), referral, outcome="provided", feedback="Listo"
    )
    referral = _withdraw(world, referral)
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.own_consent_due is not None


def test_the_receiving_case_page_says_what_to_do(world: Any, client: Any) -> None:
    referral = _withdraw(world, _accepted(world))
    case = _receiver_case(referral)
    verified_login(client, world.user("caseworker.hias"))
    page = client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    assert 'id="own-consent"' in page and referral.reference in page
    assert reverse("cases:consent_create", args=[case.uuid]) + "?purpose=storage" in page
    withdrawn_at = referral.consent.withdrawn_at
    assert withdrawn_at is not None
    _storage_consent(world, case, withdrawn_at + dt.timedelta(minutes=5))
    page = client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    assert 'id="own-consent"' not in page


def test_the_hourly_command_settles_the_copies(world: Any, time_machine: Any) -> None:
    referral = _withdraw(world, _accepted(world))
    assert referral.own_consent_due is not None
    time_machine.move_to(referral.own_consent_due + dt.timedelta(minutes=1))
    call_command("send_referral_alerts", stdout=(out := _Out()))
    assert "0 kept, 1 erased" in out.text
    referral.refresh_from_db()
    assert referral.copy_outcome == CopyOutcome.ERASED


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text
