"""Programmes, beneficiaries and payments for the stabilisation tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ruta.stabilisation import actions
from ruta.stabilisation.models import Beneficiary, Programme


def make_programme(organization: Any, **fields: Any) -> Programme:
    values: dict[str, Any] = {
        "name": "Estabilización PTM",
        "delay_days": 7,
        "target_people": 2100,
        "budget": Decimal("15000"),
        "currency": "USD",
        "starts_on": dt.date(2026, 1, 1),
        "cities": ["Quito", "Tulcán"],
        "admin1_codes": ["EC-P", "EC-C"],
    }
    values.update(fields)
    return Programme.objects.create(organization=organization, **values)


def make_beneficiary(
    programme: Programme, beneficiary_id: str, expected_on: dt.date, **profile: Any
) -> Beneficiary:
    beneficiary, _new = actions.enrol(programme, beneficiary_id, **profile)
    actions.set_payment(beneficiary, expected_on)
    return beneficiary
