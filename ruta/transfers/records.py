"""Case records to and from the JSON of a package, as ``ruta.cases.exchange_schema`` declares.

Export writes a record's declared fields in their order; import reads them back into
values a model accepts, whatever the sending installation wrote (see the schema for the
fallbacks). Relations (a consent's recipient) are exported as a name and resolved by the
caller on import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ruta.cases.exchange_schema import DROP, Exchanged


def export_record(spec: Exchanged, record: models.Model) -> dict[str, Any]:
    """The exported fields of ``record``, in package order."""
    return {
        name: _export_value(spec.model_field(name), getattr(record, name)) for name in spec.fields
    }


def _export_value(model_field: Any, value: Any) -> Any:
    if isinstance(model_field, models.DateField):  # dates and date-times
        return value.isoformat() if value else None
    if model_field.is_relation:
        return value.name if value else ""
    return value


def left_out(spec: Exchanged, data: Mapping[str, Any]) -> bool:
    """Whether ``data`` is not valid for a field whose fallback is ``DROP``."""
    return any(
        _read_value(spec.model_field(name), data.get(name), fallback, dt.date.min) is DROP
        for name, fallback in spec.fallbacks.items()
        if fallback is DROP
    )


def read_record(spec: Exchanged, data: Mapping[str, Any], *, on_date: dt.date) -> dict[str, Any]:
    """Model values for the exported fields in ``data``, relations aside (the caller resolves
    them). A required date that is missing becomes ``on_date``. Check ``left_out`` first."""
    values: dict[str, Any] = {}
    for name in spec.fields:
        model_field = spec.model_field(name)
        if model_field.is_relation:
            continue
        fallback = spec.fallbacks[name] if name in spec.fallbacks else model_field.get_default()
        value = _read_value(model_field, data.get(name), fallback, on_date)
        if value is DROP:
            raise ValueError(f"{spec.model.__name__}.{name} is not valid: leave the record out")
        values[name] = value
    return values


def _read_value(model_field: Any, raw: Any, fallback: Any, on_date: dt.date) -> Any:
    if model_field.choices:
        return raw if raw in [value for value, _label in model_field.choices] else fallback
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(raw) if isinstance(raw, str) else None
        return moment or (None if model_field.null else timezone.now())
    if isinstance(model_field, models.DateField):
        day = parse_date(raw) if isinstance(raw, str) else None
        return day or (None if model_field.null else on_date)
    if isinstance(model_field, models.BooleanField):
        return raw if model_field.null else bool(raw)
    if isinstance(model_field, models.JSONField):
        return raw or fallback
    if isinstance(model_field, models.IntegerField):
        return raw if model_field.null else int(raw or 0)
    text = str(raw or "")
    return text[: model_field.max_length] if model_field.max_length else text
