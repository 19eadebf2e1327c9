"""Checking one record's values against its field rules and keeping the typed values."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable
from datetime import time
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ruta.hsds.importer.fields import SPECS, F
from ruta.hsds.importer.records import Record, Report

TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")

_url = URLValidator(schemes=["http", "https"])


class Invalid(Exception):
    """A value that does not fit its field; the message is the reason reported."""


def check_fields(rec: Record, report: Report) -> None:
    """Check every known field of ``rec`` and store the typed values in ``rec.clean``."""
    for name, spec in SPECS[rec.table].items():
        value = rec.raw.get(name)
        if name in rec.skip:
            continue  # reported once for the whole file (a missing column)
        if name in rec.blocked:
            continue  # reported once, on the rejected record it refers to
        if name in rec.inherited and spec.kind == "uuid":
            # The parent reports its own id; a child only keeps it when it is valid.
            with contextlib.suppress(ValueError):
                rec.clean[name] = uuid.UUID(str(value))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.nonempty or (spec.required and not rec.from_csv and value is None):
                report.error(rec, name, _("This field is required."))
            elif isinstance(value, str) and spec.kind == "str":
                rec.clean[name] = ""
            continue
        try:
            if spec.kind in ("number", "integer"):
                rec.clean[name] = _check_number(value, spec, rec)
            else:
                rec.clean[name] = _check_text(value, spec)
        except Invalid as problem:
            report.error(rec, name, str(problem))


def _range_reason(low: float | None, high: float | None) -> str:
    """Why a number is out of range, naming only the bounds the field has."""
    if low is not None and high is not None:
        return _("Must be between %(low)s and %(high)s.") % {"low": f"{low:g}", "high": f"{high:g}"}
    if low is not None:
        return _("Must be at least %(low)s.") % {"low": f"{low:g}"}
    return _("Must be at most %(high)s.") % {"high": f"{high:g}"}


def _check_number(value: Any, spec: F, rec: Record) -> float | int:
    number = _number(value, rec)
    if number is None:
        raise Invalid(_("Must be a number."))
    if spec.kind == "integer" and number != int(number):
        raise Invalid(_("Must be a whole number."))
    low, high = spec.minimum, spec.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise Invalid(_range_reason(low, high))
    return int(number) if spec.kind == "integer" else number


def _check_text(value: Any, spec: F) -> Any:
    if not isinstance(value, str):
        raise Invalid(_("Must be text."))
    value = value.strip()
    if spec.max_length and len(value) > spec.max_length:
        raise Invalid(
            _("Must have at most %(count)s characters (it has %(length)s).")
            % {"count": spec.max_length, "length": len(value)}
        )
    if spec.choices and value not in spec.choices:
        raise Invalid(_("Must be one of: %(choices)s.") % {"choices": ", ".join(spec.choices)})
    convert = CONVERTERS.get(spec.kind)
    return value if convert is None else convert(value)


def _number(value: Any, rec: Record) -> float | None:
    if rec.from_csv and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Invalid(_("“%(value)s” is not a valid UUID.") % {"value": value}) from None


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise Invalid(_("Not a valid e-mail address.")) from None
    return value


def _web_address(value: str) -> str:
    try:
        _url(value)
    except ValidationError:
        raise Invalid(_("Not a valid web address (http or https).")) from None
    return value


def _date(value: str) -> Any:
    try:
        cleaned = parse_date(value)
    except ValueError:
        cleaned = None
    if cleaned is None:
        raise Invalid(_("Not a valid date (YYYY-MM-DD)."))
    return cleaned


def _datetime(value: str) -> Any:
    try:
        cleaned = parse_datetime(value) or parse_date(value)
    except ValueError:
        cleaned = None
    if cleaned is None:
        raise Invalid(_("Not a valid ISO 8601 date and time."))
    return cleaned


def _time(value: str) -> tuple[time, float | None]:
    cleaned = parse_time(value)
    if cleaned is None:
        raise Invalid(_("Not a valid time (HH:MM, with an optional offset)."))
    return cleaned


def _country(value: str) -> str:
    found = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    if found is None:
        raise Invalid(_("Not an ISO 3166-1 two-letter country code: %(value)s") % {"value": value})
    return str(found.alpha_2)


# How the text of each kind of field becomes its value (plain text stays text).
CONVERTERS: dict[str, Callable[[str], Any]] = {
    "uuid": _uuid,
    "email": _email,
    "url": _web_address,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "country": _country,
}


def parse_time(value: str) -> tuple[time, float | None] | None:
    """'08:00', '08:00:00', '08:00-05:00', '08:00Z' -> (time, UTC offset in hours or None)."""
    match = TIME_RE.match(value.strip())
    if match is None:
        return None
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours == 24 and minutes == 0 and seconds == 0:
        hours, minutes, seconds = 23, 59, 0
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    offset: float | None = None
    if match[4] == "Z":
        offset = 0.0
    elif match[4]:
        sign = -1 if match[4][0] == "-" else 1
        digits = match[4][1:].replace(":", "")
        offset = sign * (int(digits[:2]) + int(digits[2:]) / 60)
    return time(hours, minutes, seconds), offset
