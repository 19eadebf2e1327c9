"""A programme's figures as "evidence from Ruta" on the good practice it evidences (BP5_PC):
on the public page, counts only, small ones as a range; the link to the figures only for
readers of them; the supervisor links the practice in the programme's form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.practices.tests.factories import make_practice
from ruta.stabilisation.evidence import practice_evidence
from ruta.stabilisation.models import Programme
from ruta.stabilisation.tests.test_figures import MOMENT, TODAY, build

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _linked(world: Any) -> tuple[Any, Programme]:
    practice = make_practice(world, "BP5_PC", status="published")
    programme = build(world)
    programme.practice = practice
    programme.save()
    return practice, programme


def _en(name: str, *args: Any) -> str:
    with translation.override("es"):  # no prefix: the default language
        return "/en" + reverse(name, args=args)


def _page(client: Any, practice: Any) -> str:
    response = client.get(_en("practices:detail", practice.uuid))
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(MOMENT, tick=False)
def test_the_public_page_shows_the_programme_with_small_counts_as_a_range(
    world: Any, client: Any
) -> None:
    practice, programme = _linked(world)
    page = _page(client, practice)
    assert "Evidence from Ruta" in page and programme.name in page
    # Known dataset (test_figures.build): 4 mechanisms, 2 of 10 people paid after
    # stabilisation, 4 people stabilised, mean delay 17.4 days over 5 queued, distress -2.2
    # over 5 contacts. Below 5: a range, and no percentage or mean that would tell it.
    evidence = practice_evidence(practice, world.user("coordinator"))
    assert evidence is not None
    (item,) = evidence["programmes"]
    assert (item.mechanisms, item.people_until_paid, item.target_people) == ("<5", "<5", 10)
    assert item.progress is None and item.contacts_per_person is None
    assert (item.mean_delay_days, item.distress_change) == (17.4, -2.2)
    assert "&lt;5 / 10" in page and "17.4" in page and "-2.2" in page
    assert "% of the target" not in page
    # Anonymous readers get no link into the staff pages.
    assert "All the programme&#x27;s figures" not in page
    assert "?programme=" not in page


@time_machine.travel(MOMENT, tick=False)
@override_settings(RUTA_HELPLINE_SMALL_CELL=2)
def test_above_the_threshold_the_figures_are_exact(world: Any, client: Any) -> None:
    practice, _programme = _linked(world)
    evidence = practice_evidence(practice, None)
    assert evidence is not None
    (item,) = evidence["programmes"]
    assert (item.mechanisms, item.people_until_paid, item.progress) == ("4", "2", 20)
    assert item.contacts_per_person == 1.5
    assert "(20% of the target)" in _page(client, practice)


@time_machine.travel(MOMENT, tick=False)
def test_readers_of_the_figures_get_the_link(world: Any, client: Any) -> None:
    practice, programme = _linked(world)
    for username in ("analyst", "coordinator", "helpline.care"):
        verified_login(client, world.user(username))
        page = _page(client, practice)
        assert f"?programme={programme.uuid}" in page, username
    # Another agency's desk does not read CARE's programme.
    verified_login(client, world.user("helpline.hias"))
    assert f"?programme={programme.uuid}" not in _page(client, practice)


@time_machine.travel(MOMENT, tick=False)
def test_a_practice_without_a_programme_shows_no_evidence(world: Any, client: Any) -> None:
    practice = make_practice(world, "BP9_X", status="published")
    _linked(world)
    assert "Evidence from Ruta" not in _page(client, practice)
    assert practice_evidence(practice, None) is None


@time_machine.travel(MOMENT, tick=False)
def test_the_supervisor_links_a_practice_in_the_programme_form(world: Any, client: Any) -> None:
    practice = make_practice(world, "BP5_PC", status="published")
    programme = build(world)
    supervisor = world.user("supervisor.care")
    verified_login(client, supervisor)
    url = _en("stabilisation:programme_edit", programme.uuid)
    form = client.get(url).content.decode()
    assert "BP5_PC · " in form
    data = {
        "name": programme.name,
        "delay_days": 7,
        "target_people": 10,
        "budget": "15000",
        "currency": "USD",
        "starts_on": "2026-01-01",
        "active": "on",
        "practice": str(practice.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert programme.practice == practice
    event = AuditEvent.objects.filter(action="stabilisation.programme.updated").latest("pk")
    assert "practice" in event.details["fields"]
    # A practice the supervisor cannot see (another agency's draft) is refused, what was
    # typed kept.
    hidden = make_practice(world, "BP_HIDDEN", status="draft")
    hidden.owner = world.hias
    hidden.save()
    response = client.post(url, {**data, "practice": str(hidden.pk), "name": "Nuevo nombre"})
    assert response.status_code == 400
    assert "Nuevo nombre" in response.content.decode()
    programme.refresh_from_db()
    assert programme.practice == practice and programme.name != "Nuevo nombre"


@time_machine.travel(MOMENT, tick=False)
def test_the_desk_home_counts_the_queue_and_the_figures_have_a_card(
    world: Any, client: Any
) -> None:
    programme = build(world)  # C and D wait, both checked
    verified_login(client, world.user("helpline.care"))
    home = client.get("/en/").content.decode()
    queue = reverse("stabilisation:queue", args=[programme.uuid]).removeprefix("/en")
    assert "2 people in the stabilisation queue" in home and queue in home
    assert "without a needs check" not in home
    # A new late payment: one more waiting, not yet checked.
    from ruta.stabilisation import actions
    from ruta.stabilisation.tests.factories import make_beneficiary

    make_beneficiary(programme, "F", dt.date(2026, 11, 1))
    actions.refresh_queue(TODAY)
    home = client.get("/en/").content.decode()
    assert "3 people in the stabilisation queue" in home
    assert "1 without a needs check" in home
    # Another agency's desk has no programme: no line.
    verified_login(client, world.user("helpline.hias"))
    assert "stabilisation queue" not in client.get("/en/").content.decode()
    # Readers of the figures get a card; a caseworker does not.
    figures = reverse("stabilisation:figures").removeprefix("/en")
    for username, expected in (
        ("analyst", True),
        ("coordinator", True),
        ("caseworker.care", False),
    ):
        verified_login(client, world.user(username))
        assert (figures in client.get("/en/").content.decode()) is expected, username
