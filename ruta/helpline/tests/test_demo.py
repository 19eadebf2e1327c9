"""The demo desk: CARE's operator lands on a living desk; idempotent, removable."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from ruta.accounts.models import User
from ruta.helpline.demo import load_helpline_demo, remove_helpline_demo
from ruta.helpline.models import Callback, Contact, RiskAlert
from ruta.helpline.work import desk_summary

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
    assert remove_helpline_demo() == contacts
    assert not Contact.objects.exists() and not Callback.objects.exists()


def test_demo_without_accounts_creates_nothing() -> None:
    summary = load_helpline_demo()
    assert summary.created == 0 and "none created" in summary.describe()
