"""The case package format is a contract with other installations: pinned byte for byte.

``fixtures/package_payload.json`` is the payload this version (and every earlier one)
builds for a fixed case; ``fixtures/imported_payload.json`` is the payload of the case that
importing it opens here. A change to either is a change of the format between countries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine

from ruta.cases import actions
from ruta.cases.models import Case, ConsentPurpose, RiskLevel
from ruta.cases.tests.factories import (
    give_consent,
    make_assessment,
    make_case,
    make_follow_up,
    make_incident,
    make_measure,
    make_plan,
    make_safety_plan,
)
from ruta.transfers import exchange, packages
from ruta.transfers.packages import LocalKeys

FIXTURES = Path(__file__).parent / "fixtures"
MOMENT = dt.datetime.fromisoformat("2026-03-10T15:00:00-05:00")


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(MOMENT, tick=False):
        yield


def _fixed_case(world: Any) -> Case:
    worker = world.user("caseworker.care")
    today = MOMENT.date()
    case = make_case(
        worker,
        risk_level=RiskLevel.HIGH,
        document_number="ZZ-000123-FIX",
        disability={"seeing": "a_lot", "hearing": "no"},
        opened_on=today - dt.timedelta(days=20),
    )
    make_incident(worker, case, admin1="PE15", reported_elsewhere=False)
    make_assessment(worker, case)
    make_plan(worker, case, due_on=today + dt.timedelta(days=5))
    make_safety_plan(worker, case, next_review_on=today + dt.timedelta(days=7))
    make_follow_up(worker, case, note="Nota que viaja", next_contact_on=today)
    make_measure(worker, case, instrument="phq9")
    give_consent(worker, case, ConsentPurpose.SHARE, recipient=world.hias)
    reporting = give_consent(worker, case, ConsentPurpose.REPORTING)
    actions.withdraw_consent(worker, reporting, note="Ya no")
    return case


def _read(name: str) -> bytes:
    return packages.canonical(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


@pytest.mark.usefixtures("frozen")
def test_the_payload_of_a_case_is_unchanged(world: Any) -> None:
    case = _fixed_case(world)
    payload = exchange.build_payload(case, case.organization)
    assert packages.canonical(payload) == _read("package_payload.json")


@pytest.mark.usefixtures("frozen")
def test_a_package_from_an_earlier_version_still_imports(world: Any) -> None:
    here = LocalKeys.generate("Ruta Ecuador", "EC")
    there = LocalKeys.generate("Ruta Perú", "PE")
    exchange.add_peer(there.public.as_public_json())
    payload = json.loads((FIXTURES / "package_payload.json").read_text(encoding="utf-8"))
    data, _header = packages.seal(payload, sender=there, recipient=here.public)
    case = exchange.import_package(
        world.user("supervisor.hias"), data, world.user("caseworker.hias"), keys=[here]
    )
    again = exchange.build_payload(case, case.organization)
    assert packages.canonical(again) == _read("imported_payload.json")
