"""The stabilisation API: the desk imports a sheet and reads coded beneficiaries (never a
name); the network reads the figures; everybody else gets 404."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import verified_login
from ruta.stabilisation.models import QueueEntry
from ruta.stabilisation.tests.factories import make_programme

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
BASE = "/api/v1/stabilisation/"


def _body(programme: Any, sheet: str) -> dict[str, str]:
    return {
        "programme": str(programme.uuid),
        "file_name": "pagos.csv",
        "content_base64": base64.b64encode(sheet.encode()).decode(),
    }


@time_machine.travel(MOMENT, tick=False)
def test_the_desk_imports_and_reads_coded_beneficiaries(world: Any) -> None:
    programme = make_programme(world.care)
    client = verified_login(Client(), world.user("helpline.care"))
    sheet = "id,expected,name,phone\nP-1,2026-11-01,Nombre Ficticio,+593 99 000 0000\n"
    answer = client.post(f"{BASE}payments/", _body(programme, sheet), "application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"payments": 1, "new_people": 1, "entered": 1, "left": 0}
    assert QueueEntry.objects.filter(left_on__isnull=True).count() == 1
    listed = client.get(f"{BASE}beneficiaries/", {"programme": str(programme.uuid)})
    assert listed.status_code == 200
    (person,) = listed.json()["results"]
    assert person["in_queue"] is True and person["payments"][0]["status"] == "delayed"
    assert "Ficticio" not in listed.content.decode() and "0000" not in listed.content.decode()
    wrong = client.post(
        f"{BASE}payments/", _body(programme, "id,expected\nP-2,nunca\n"), "application/json"
    )
    assert wrong.status_code == 400 and "2: expected" in wrong.json()["errors"]["rows"][0]


@time_machine.travel(MOMENT, tick=False)
def test_figures_for_the_network_and_nothing_for_others(world: Any) -> None:
    programme = make_programme(world.care)
    analyst = verified_login(Client(), world.user("analyst"))
    figures = analyst.get(f"{BASE}figures/", {"programme": str(programme.uuid)})
    assert figures.status_code == 200 and figures.json()["target_people"] == 2100
    assert analyst.get(f"{BASE}programmes/").status_code == 404
    other_desk = verified_login(Client(), world.user("helpline.hias"))
    assert other_desk.get(f"{BASE}programmes/{programme.uuid}/").status_code == 404
    sheet = "id,expected\nP-1,2026-11-01\n"
    refused = other_desk.post(f"{BASE}payments/", _body(programme, sheet), "application/json")
    assert refused.status_code == 404 and not QueueEntry.objects.exists()
    assert other_desk.get(f"{BASE}figures/", {"programme": str(programme.uuid)}).status_code == 404
