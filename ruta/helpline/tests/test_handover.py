"""Shift handover: notes encrypted, what the shift leaves open, acknowledged by the next
operator on the desk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import make_user, verified_login
from ruta.helpline import actions
from ruta.helpline.models import Handover
from ruta.helpline.tests.factories import make_callback, make_contact, make_risk_contact
from ruta.lib.permissions import Role

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 10, 22, 0, tzinfo=dt.UTC)
NOTES = "La señora de Chorrillos vuelve a llamar a las 8"


def _client(user: Any) -> Client:
    return verified_login(Client(), user)


def _next_operator(world: Any) -> Any:
    return make_user("noche.linea@test.org", Role.HELPLINE, world.care)


@time_machine.travel(MOMENT, tick=False)
def test_a_handover_is_left_encrypted_and_shown_to_the_next_operator(world: Any) -> None:
    operator = world.user("helpline.care")
    response = _client(operator).post(reverse("helpline:handover_create"), {"notes": NOTES})
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.from_operator == operator and handover.notes == NOTES
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM helpline_handover WHERE id = %s", [handover.pk])
        assert "Chorrillos" not in cursor.fetchone()[0]
    # The author's own desk does not ask them to acknowledge it; the next operator's does.
    own = _client(operator).get(reverse("helpline:desk")).content.decode()
    assert reverse("helpline:handover_acknowledge", args=[handover.uuid]) not in own
    following = _client(_next_operator(world))
    desk = following.get(reverse("helpline:desk")).content.decode()
    assert reverse("helpline:handover_acknowledge", args=[handover.uuid]) in desk
    detail = following.get(reverse("helpline:handover_detail", args=[handover.uuid]))
    assert NOTES in detail.content.decode()


@time_machine.travel(MOMENT, tick=False)
def test_the_next_operator_acknowledges_and_the_desk_stops_asking(world: Any) -> None:
    handover = actions.hand_over(world.user("helpline.care"), notes=NOTES)
    following = _next_operator(world)
    client = _client(following)
    response = client.post(reverse("helpline:handover_acknowledge", args=[handover.uuid]))
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_by == following and handover.acknowledged_at == MOMENT
    desk = client.get(reverse("helpline:desk")).content.decode()
    assert reverse("helpline:handover_acknowledge", args=[handover.uuid]) not in desk


def test_the_author_cannot_acknowledge_their_own_handover(world: Any) -> None:
    operator = world.user("helpline.care")
    handover = actions.hand_over(operator, notes=NOTES)
    with pytest.raises(actions.Forbidden):
        actions.acknowledge_handover(operator, handover)
    handover.refresh_from_db()
    assert handover.acknowledged_at is None


def test_another_agency_never_reaches_a_handover(world: Any) -> None:
    handover = actions.hand_over(world.user("helpline.care"), notes=NOTES)
    hias = _client(world.user("helpline.hias"))
    assert hias.get(reverse("helpline:handover_detail", args=[handover.uuid])).status_code == 404
    response = hias.post(reverse("helpline:handover_acknowledge", args=[handover.uuid]))
    assert response.status_code == 404
    assert hias.get(reverse("helpline:desk")).content.decode().count(str(handover.uuid)) == 0
    caseworker = _client(world.user("caseworker.care"))
    assert (
        caseworker.get(reverse("helpline:handover_detail", args=[handover.uuid])).status_code == 404
    )


def test_the_handover_lists_open_callbacks_and_the_shifts_alerts(world: Any) -> None:
    operator = world.user("helpline.care")
    with time_machine.travel(MOMENT - dt.timedelta(days=2), tick=False):
        old = make_risk_contact(operator)  # an earlier shift's alert
    with time_machine.travel(MOMENT - dt.timedelta(hours=3), tick=False):
        risk = make_risk_contact(operator)
        callback = make_callback(operator, make_contact(operator))
    with time_machine.travel(MOMENT, tick=False):
        handover = actions.hand_over(operator, notes=NOTES)
        page = (
            _client(_next_operator(world))
            .get(reverse("helpline:handover_detail", args=[handover.uuid]))
            .content.decode()
        )
    assert risk.reference in page and old.reference not in page
    assert reverse("helpline:callback_detail", args=[callback.uuid]) in page
