"""Dates as a place sees them: the calendar day of a moment in a named time zone."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings


def zone(name: str) -> ZoneInfo:
    """The named zone, or the installation's own when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime, zone_name: str) -> date:
    """The calendar day ``moment`` falls on where ``zone_name`` keeps its clocks."""
    return moment.astimezone(zone(zone_name)).date()


def local_noon(day: date, zone_name: str) -> datetime:
    """Midday of ``day`` in ``zone_name``: a moment whose local day is ``day`` everywhere
    within twelve hours of that zone."""
    return datetime.combine(day, time(12), tzinfo=zone(zone_name))
