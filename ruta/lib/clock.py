"""Dates as a place sees them: the calendar day of a moment in a named time zone."""

from __future__ import annotations

from datetime import MAXYEAR, UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings


def zone(name: str) -> ZoneInfo:
    """The named zone, or the installation's own when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def utc_instant(moment: datetime) -> datetime:
    """``moment`` in UTC, to compare with stored times: ISO 8601 allows offsets up to
    ±23:59, PostgreSQL only to ±15:59. Past year 9999 (or before year 1) once in UTC, the
    latest (or earliest) instant Python has: after (or before) every stored time."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        edge = datetime.max if moment.year == MAXYEAR else datetime.min
        return edge.replace(tzinfo=UTC)


def local_date(moment: datetime, zone_name: str) -> date:
    """The calendar day ``moment`` falls on where ``zone_name`` keeps its clocks."""
    return moment.astimezone(zone(zone_name)).date()


def local_noon(day: date, zone_name: str) -> datetime:
    """Midday of ``day`` in ``zone_name``: a moment whose local day is ``day`` everywhere
    within twelve hours of that zone."""
    return datetime.combine(day, time(12), tzinfo=zone(zone_name))
