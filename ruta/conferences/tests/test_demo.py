"""The demo conference: on a CARE demo case shared with HIAS, idempotent, removable."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from ruta.cases.models import Consent, ConsentPurpose, PlanAction
from ruta.conferences.demo import load_conferences_demo, remove_conferences_demo
from ruta.conferences.models import Conference, ConferenceAction, Participant

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = (Conference, Participant, ConferenceAction, PlanAction, Consent)
    return {m.__name__: m.objects.count() for m in models}


def test_demo_loads_once_and_is_removed(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    Conference.objects.all().delete()  # in case the lead has wired it into load_demo
    first = load_conferences_demo()
    assert first.created == 1 and "1 created" in first.describe()
    counts = _counts()
    second = load_conferences_demo()
    assert second.created == 0
    assert _counts() == counts
    conference = Conference.objects.get()
    assert conference.case.organization.acronym == "CARE"
    hias = conference.participants.get(organization__acronym="HIAS")
    assert Consent.objects.filter(
        case=conference.case,
        purpose=ConsentPurpose.SHARE,
        recipient=hias.organization,
        withdrawn_at__isnull=True,
    ).exists()
    assert conference.actions.filter(plan_action__isnull=False).count() == 1
    assert remove_conferences_demo() == 1
    assert not Conference.objects.exists()


def test_demo_without_accounts_creates_nothing() -> None:
    summary = load_conferences_demo()
    assert summary.created == 0 and "none created" in summary.describe()
