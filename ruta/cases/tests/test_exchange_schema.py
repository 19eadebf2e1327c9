"""The transfer package's declaration covers every field of every case model it carries."""

from __future__ import annotations

import pytest
from django.apps import apps

from ruta.cases.exchange_schema import DROP, EXCHANGED, NOT_EXCHANGED, Exchanged


def _model_fields(spec: Exchanged) -> set[str]:
    """The fields a record stores: columns, foreign keys and many-to-many lists."""
    return {
        f.name
        for f in spec.model._meta.get_fields()
        if f.concrete or (f.many_to_many and not f.auto_created)
    }


@pytest.mark.parametrize("spec", EXCHANGED, ids=lambda spec: spec.model.__name__)
def test_every_field_is_exported_or_excluded_with_a_reason(spec: Exchanged) -> None:
    forgotten = _model_fields(spec) - set(spec.fields) - set(spec.excluded)
    assert not forgotten, (
        f"{spec.model.__name__}: add {sorted(forgotten)} to the fields the transfer package "
        "exports, or to the excluded ones with the reason (ruta/cases/exchange_schema.py)"
    )
    assert all(reason.strip() for reason in spec.excluded.values())


@pytest.mark.parametrize("spec", EXCHANGED, ids=lambda spec: spec.model.__name__)
def test_the_declaration_names_only_fields_of_the_model(spec: Exchanged) -> None:
    assert not set(spec.fields) & set(spec.excluded)
    assert len(set(spec.fields)) == len(spec.fields)
    assert set(spec.fields) | set(spec.excluded) <= _model_fields(spec)
    assert set(spec.fallbacks) <= set(spec.fields)


@pytest.mark.parametrize("spec", EXCHANGED, ids=lambda spec: spec.model.__name__)
def test_a_fallback_is_a_valid_value(spec: Exchanged) -> None:
    for name, fallback in spec.fallbacks.items():
        choices = [value for value, _label in spec.model_field(name).choices or []]
        if choices:
            assert fallback is DROP or fallback in [*choices, ""], name


def test_every_model_of_the_cases_app_is_declared() -> None:
    exchanged = {spec.model for spec in EXCHANGED}
    undeclared = [
        model._meta.label
        for model in apps.get_app_config("cases").get_models()
        if model not in exchanged and model._meta.label not in NOT_EXCHANGED
    ]
    assert not undeclared, (
        f"declare {undeclared} in ruta/cases/exchange_schema.py: exchanged, or in "
        "NOT_EXCHANGED with the reason"
    )
