"""The demo programme: non-zero BP5 figures, people waiting today; idempotent, removable."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ruta.notifications.models import Notification, NotificationKind
from ruta.stabilisation import figures
from ruta.stabilisation.demo import load_stabilisation_demo, remove_stabilisation_demo
from ruta.stabilisation.models import Beneficiary, Programme, StabilisationContact

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 10, 17, 0, tzinfo=dt.UTC), tick=False)
def test_demo_loads_once_with_living_figures_and_is_removed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    programme = Programme.objects.get()
    assert programme.donor is not None and programme.target_people == 2100
    found = figures.compute(Programme.objects.all())
    # Paid after a stabilised wait: 001, 002, 003, 005, 007, 008; every contact (12) came
    # after its "applies" check.
    assert (found.people_until_paid, found.mechanisms) == (6, 12)
    assert found.in_queue == 4  # 009, 010, 011, 012
    assert found.distress_change is not None and found.distress_change < 0
    assert Notification.objects.filter(kind=NotificationKind.STABILISATION).exists()
    # The programme is the evidence of BP5_PC: its public page shows the two indicators.
    assert programme.practice is not None and programme.practice.code == "BP5_PC"
    page = Client().get("/en" + reverse("practices:detail", args=[programme.practice.uuid]))
    text = page.content.decode()
    assert "Evidence from Ruta" in text and "6 / 2100" in text and "<dd>12</dd>" in text
    # Loaded again (e.g. over a database loaded before the link existed): linked, once.
    Programme.objects.update(practice=None)
    assert load_stabilisation_demo().created == 0  # already loaded
    assert Programme.objects.get().practice == programme.practice
    assert Beneficiary.objects.count() == 14
    assert remove_stabilisation_demo() == 14
    assert not Programme.objects.exists() and not StabilisationContact.objects.exists()
