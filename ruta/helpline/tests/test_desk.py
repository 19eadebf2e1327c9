"""The desk page, the home page, call-backs (and the erasure of their personal data on
schedule) and supervision."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import verified_login
from ruta.helpline import actions
from ruta.helpline.models import Callback, CallbackStatus
from ruta.helpline.tests.factories import make_callback, make_contact, make_risk_contact
from ruta.notifications.models import Notification

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 10, 15, 30, tzinfo=dt.UTC)


def _client(user: Any) -> Client:
    return verified_login(Client(), user)


def _raw_callback(callback: Callback) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, name, safe_instructions FROM helpline_callback WHERE id = %s",
            [callback.pk],
        )
        return "|".join(cursor.fetchone())


@time_machine.travel(MOMENT, tick=False)
def test_the_desk_shows_todays_contacts_and_the_new_contact_button(world: Any) -> None:
    operator = world.user("helpline.care")
    today = make_contact(operator)
    older = make_contact(operator, started_at=MOMENT - dt.timedelta(days=2))
    page = _client(operator).get(reverse("helpline:desk")).content.decode()
    assert today.reference in page and older.reference not in page
    assert reverse("helpline:contact_create") in page


def test_the_helpline_home_is_the_desk_not_coming_soon(world: Any) -> None:
    client = _client(world.user("helpline.care"))
    home = client.get(reverse("core:dashboard")).content.decode()
    assert "próximamente" not in home.lower()  # the old "coming soon" card is gone
    assert "0 contactos hoy" in home
    assert reverse("helpline:desk") in home and reverse("helpline:contact_create") in home


def test_the_new_contact_button_is_on_every_desk_page(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    client = _client(operator)
    for url in (reverse("helpline:desk"), reverse("helpline:contact_detail", args=[contact.uuid])):
        assert reverse("helpline:contact_create") in client.get(url).content.decode()


def test_a_callback_keeps_its_number_encrypted_and_erases_it_when_done(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    client = _client(operator)
    response = client.post(
        reverse("helpline:callback_create", args=[contact.uuid]),
        {
            "due_at": "2026-11-11T10:00",
            "assigned_to": "",
            "phone": "+51 955 444 333",
            "name": "Rosa",
            "safe_instructions": "Solo por la tarde",
        },
    )
    assert response.status_code == 302
    callback = Callback.objects.get()
    assert callback.assigned_to is None  # the desk's queue
    assert "955 444" not in _raw_callback(callback) and "Rosa" not in _raw_callback(callback)
    detail = client.get(reverse("helpline:callback_detail", args=[callback.uuid]))
    assert "+51 955 444 333" in detail.content.decode()
    client.post(reverse("helpline:callback_finish", args=[callback.uuid]), {"outcome": "done"})
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.DONE and callback.erased_at is not None
    assert (callback.phone, callback.name, callback.safe_instructions) == ("", "", "")


def test_a_callback_for_somebody_outside_the_desk_is_refused(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    for outsider in (world.user("helpline.hias"), world.user("caseworker.care")):
        with pytest.raises(actions.HelplineError):
            make_callback(operator, contact, assigned_to=outsider)


def test_another_operators_callback_is_out_of_reach(world: Any) -> None:
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    mine = make_callback(operator, contact, assigned_to=operator)
    hias = _client(world.user("helpline.hias"))
    assert hias.get(reverse("helpline:callback_detail", args=[mine.uuid])).status_code == 404


def test_callback_data_is_erased_after_the_configured_days(world: Any, settings: Any) -> None:
    settings.RUTA_HELPLINE_CALLBACK_DAYS = 7
    operator = world.user("helpline.care")
    contact = make_contact(operator)
    with time_machine.travel(MOMENT, tick=False):
        old = make_callback(operator, contact, due_at=MOMENT + dt.timedelta(hours=2))
    with time_machine.travel(MOMENT + dt.timedelta(days=5), tick=False):
        recent = make_callback(operator, contact)
    with time_machine.travel(MOMENT + dt.timedelta(days=6, hours=23), tick=False):
        call_command("erase_helpline_callbacks", stdout=io.StringIO())
    old.refresh_from_db()
    assert old.phone == "+51 999 111 222" and old.erased_at is None  # not yet seven days
    out = io.StringIO()
    with time_machine.travel(MOMENT + dt.timedelta(days=7, minutes=1), tick=False):
        call_command("erase_helpline_callbacks", stdout=out)
    assert "erased: 1" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.phone == "" and old.name == "" and old.erased_at is not None
    assert old.status == CallbackStatus.CANCELLED  # off the desk's queue
    assert recent.phone == "+51 999 111 222" and recent.erased_at is None


def test_supervision_lists_risk_contacts_reviewed_and_not(world: Any) -> None:
    operator, supervisor = world.user("helpline.care"), world.user("supervisor.care")
    risky = make_risk_contact(operator)
    calm = make_contact(operator)
    client = _client(supervisor)
    url = reverse("helpline:supervision")
    unreviewed = client.get(url, {"show": "risk_unreviewed"}).content.decode()
    assert risky.reference in unreviewed and calm.reference not in unreviewed
    client.post(reverse("helpline:contact_review", args=[risky.uuid]), follow=True)
    risky.refresh_from_db()
    assert risky.reviewed_by == supervisor
    assert risky.reference not in client.get(url, {"show": "risk_unreviewed"}).content.decode()
    assert risky.reference in client.get(url, {"show": "risk_reviewed"}).content.decode()
    assert _client(operator).get(url).status_code == 404
    assert _client(world.user("supervisor.hias")).get(url).content.decode().count("L-") == 0


def test_an_operator_flags_a_distressing_contact_for_debriefing(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    operator, supervisor = world.user("helpline.care"), world.user("supervisor.care")
    contact = make_contact(operator)
    with django_capture_on_commit_callbacks(execute=True):
        _client(operator).post(reverse("helpline:contact_debrief", args=[contact.uuid]))
    contact.refresh_from_db()
    assert contact.debrief_requested_at is not None
    assert [n.recipient for n in Notification.objects.all()] == [supervisor]
    listed = _client(supervisor).get(reverse("helpline:supervision"), {"show": "debrief"})
    assert contact.reference in listed.content.decode()
    with pytest.raises(actions.Forbidden):  # only the operator who took it
        actions.request_debrief(supervisor, make_contact(operator))
