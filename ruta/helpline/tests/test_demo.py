"""The demo desk: CARE's operator lands on a living desk; idempotent, removable."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from ruta.accounts.models import User
from ruta.cases.models import Consent, ConsentGiver, ConsentPurpose
from ruta.helpline import access
from ruta.helpline.demo import load_helpline_demo, remove_helpline_demo
from ruta.helpline.models import Callback, Contact, Handoff, HandoffKind, Handover, RiskAlert
from ruta.helpline.work import desk_summary
from ruta.referrals.models import ReferralStatus

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 10, 17, 0, tzinfo=dt.UTC), tick=False)
def test_demo_loads_once_and_is_removed(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    contacts = Contact.objects.count()
    assert contacts >= 8
    assert load_helpline_demo().created == 0  # already loaded
    assert Contact.objects.count() == contacts
    alert = RiskAlert.objects.get()
    assert alert.acknowledged_at is not None and alert.contact.risk_action
    assert Callback.objects.filter(erased_at__isnull=True).count() == 2
    operator = User.objects.get(email="linea.care@ruta.example.org")
    summary = desk_summary(operator)  # a living desk
    assert summary["today_count"] >= 1 and summary["callbacks_due"] >= 1
    # Two warm referrals to HIAS, made with the caller's consent: one waiting in HIAS's
    # inbox, one accepted there.
    handoffs = list(Handoff.objects.select_related("referral__to_organization"))
    assert len(handoffs) == 2
    assert {h.kind for h in handoffs} == {HandoffKind.REFERRAL}
    assert {h.referral.to_organization.acronym for h in handoffs if h.referral} == {"HIAS"}
    statuses = sorted(h.referral.status for h in handoffs if h.referral)
    assert statuses == sorted([ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    consents = Consent.objects.filter(
        purpose=ConsentPurpose.SHARE, case__in=[h.case for h in handoffs]
    )
    assert consents.count() == 2
    assert set(consents.values_list("given_by", flat=True)) == {ConsentGiver.SELF}
    # A handover from the night shift waits for the operator.
    pending = access.pending_handover(operator)
    assert pending is not None and pending.from_operator.role == "supervisor"
    # Loading again adds nothing.
    again = load_helpline_demo()
    assert (again.created, again.handoffs, again.handovers) == (0, 0, 0)
    assert Handoff.objects.count() == 2 and Handover.objects.count() == 1
    assert remove_helpline_demo() == contacts
    assert not Contact.objects.exists() and not Callback.objects.exists()
    assert not Handoff.objects.exists() and not Handover.objects.exists()


@time_machine.travel(dt.datetime(2026, 11, 10, 17, 0, tzinfo=dt.UTC), tick=False)
def test_a_desk_loaded_before_the_warm_referrals_gets_them_on_the_next_load(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    remove_helpline_demo()
    # As on an installation loaded before: contacts without warm referrals nor handover.
    load_helpline_demo()
    Handoff.objects.all().delete()
    Handover.objects.all().delete()
    summary = load_helpline_demo()
    assert (summary.created, summary.handoffs, summary.handovers) == (0, 2, 1)
    assert "Warm referrals: 2; handovers: 1." in summary.describe()


def test_demo_without_accounts_creates_nothing() -> None:
    summary = load_helpline_demo()
    assert summary.created == 0 and "none created" in summary.describe()
