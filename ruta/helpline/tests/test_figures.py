"""The desk's figures: counts and means of known contacts, small cells suppressed, for the
desk's supervisors only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import verified_login
from ruta.helpline import actions, figures
from ruta.helpline.models import HandoffKind
from ruta.helpline.tests.factories import make_contact, make_risk_contact

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 10, 15, 0, tzinfo=dt.UTC)


def _contacts(operator: Any, count: int, at: dt.datetime = MOMENT, **fields: Any) -> list[Any]:
    made = []
    for i in range(count):
        started = at - dt.timedelta(hours=i + 1)
        made.append(
            make_contact(
                operator,
                started_at=started,
                ended_at=started + dt.timedelta(minutes=10),
                **fields,
            )
        )
    return made


@time_machine.travel(MOMENT, tick=False)
def test_counts_and_means_on_a_known_dataset(world: Any) -> None:
    operator = world.user("helpline.care")
    for contact in _contacts(operator, 6, channel="whatsapp"):
        actions.record_first_aid(
            operator, contact, distress_before=8, distress_after=5, needs="", information_given=""
        )
    _contacts(operator, 2, channel="phone", is_repeat=True)
    found = figures.desk_figures(world.care.pk, 30)
    assert found["total"] == "8"
    channels = {row.label: row.count for row in found["by_channel"]}
    assert channels == {"WhatsApp": "6", "Llamada telefónica": "<5"}
    assert found["repeat"] == "<5"
    assert found["mean_duration"] == "10.0"
    assert found["distress_n"] == "6"
    assert (found["distress_before"], found["distress_after"]) == ("8.0", "5.0")
    assert found["distress_change"] == "-3.0"


@time_machine.travel(MOMENT, tick=False)
def test_a_mean_over_too_few_contacts_is_not_shown(world: Any) -> None:
    operator = world.user("helpline.care")
    _contacts(operator, 3)
    found = figures.desk_figures(world.care.pk, 30)
    assert found["total"] == "<5" and found["mean_duration"] is None
    page = (
        verified_login(Client(), world.user("supervisor.care"))
        .get(reverse("helpline:figures"))
        .content.decode()
    )
    assert "&lt;5" in page and "Demasiado pocos para mostrar" in page


def test_risk_contacts_and_time_to_acknowledgement(world: Any) -> None:
    operator = world.user("helpline.care")
    supervisor = world.user("supervisor.care")
    for i in range(5):
        with time_machine.travel(MOMENT - dt.timedelta(hours=i + 1), tick=False):
            contact = make_risk_contact(operator)
        with time_machine.travel(MOMENT - dt.timedelta(hours=i + 1, minutes=-20), tick=False):
            actions.acknowledge_alert(supervisor, contact.alert)
    with time_machine.travel(MOMENT, tick=False):
        found = figures.desk_figures(world.care.pk, 30)
    assert found["risk"] == "5" and found["unacknowledged"] == "0"
    assert found["mean_wait"] == "20.0"


@time_machine.travel(MOMENT, tick=False)
def test_another_agencys_contacts_and_older_ones_are_not_counted(world: Any) -> None:
    _contacts(world.user("helpline.hias"), 6)
    _contacts(world.user("helpline.care"), 6, at=MOMENT - dt.timedelta(days=40))
    assert figures.desk_figures(world.care.pk, 30)["total"] == "0"
    assert figures.desk_figures(world.care.pk, 90)["total"] == "6"


def test_only_aggregate_readers_see_the_figures(world: Any) -> None:
    url = reverse("helpline:figures")
    for key in ("helpline.care", "caseworker.care", "agency_admin.care"):
        assert verified_login(Client(), world.user(key)).get(url).status_code == 403
    for key in ("supervisor.care", "analyst", "coordinator", "admin"):
        assert verified_login(Client(), world.user(key)).get(url).status_code == 200


@time_machine.travel(MOMENT, tick=False)
@pytest.mark.parametrize(
    ("key", "total", "scope"),
    [
        ("analyst", "8", "Todas las líneas de atención de la red."),
        ("supervisor.care", "6", "La línea de atención de CARE Perú."),
        ("supervisor.hias", "&lt;5", "La línea de atención de HIAS Perú."),
        ("coordinator", "0", "La línea de atención de GTRM Perú."),
    ],
)
def test_the_page_shows_the_network_to_analysts_and_the_own_agency_to_others(
    world: Any, key: str, total: str, scope: str
) -> None:
    _contacts(world.user("helpline.care"), 6)
    _contacts(world.user("helpline.hias"), 2)
    page = verified_login(Client(), world.user(key)).get(reverse("helpline:figures"))
    text = page.content.decode()
    assert scope in text
    assert f"<dt>Contactos en el periodo</dt><dd>{total}</dd>" in text
    # The supervision link is for the desk's supervisors only.
    assert (reverse("helpline:supervision") in text) == key.startswith("supervisor")


@time_machine.travel(MOMENT, tick=False)
def test_network_figures_suppress_small_cells_and_show_no_person(world: Any) -> None:
    operator = world.user("helpline.care")
    _contacts(operator, 6, channel="whatsapp")
    _contacts(world.user("helpline.hias"), 1, channel="web_chat")
    found = figures.desk_figures(None, 30)
    channels = {row.label: row.count for row in found["by_channel"]}
    assert channels == {"WhatsApp": "6", "Chat web": "<5"}
    page = verified_login(Client(), world.user("analyst")).get(reverse("helpline:figures"))
    text = page.content.decode()
    assert "Chat web</td><td>&lt;5" in text
    assert operator.email not in text and operator.full_name not in text


@time_machine.travel(MOMENT, tick=False)
def test_the_threshold_is_configured(world: Any, settings: Any) -> None:
    _contacts(world.user("helpline.care"), 3)
    settings.RUTA_HELPLINE_SMALL_CELL = 3
    found = figures.desk_figures(world.care.pk, 30)
    assert found["total"] == "3" and found["mean_duration"] == "10.0"
    settings.RUTA_HELPLINE_SMALL_CELL = 4
    assert figures.desk_figures(world.care.pk, 30)["total"] == "<4"


@time_machine.travel(MOMENT, tick=False)
def test_warm_referrals_are_counted_by_outcome(world: Any) -> None:
    operator = world.user("helpline.care")
    for contact in _contacts(operator, 5):
        actions.hand_off(
            operator,
            contact,
            kind=HandoffKind.REFERRAL,
            case_type="gbv",
            fields=["sex"],
            organization=world.hias,
            consent=True,
        )
    found = figures.desk_figures(world.care.pk, 30)
    assert [(row.label, row.count) for row in found["referrals"]] == [("Enviada", "5")]
    assert found["cases_here"] == "0"
