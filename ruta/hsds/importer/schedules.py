"""A service's weekly opening hours, its 24/7 flag and its time zone, from HSDS schedules."""

from __future__ import annotations

import re
import uuid
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from ruta.directory.models import Schedule, Service
from ruta.hsds.importer.index import Index
from ruta.hsds.importer.records import Record
from ruta.hsds.mapping.vocabulary import DAY_FROM_BYDAY, NAMESPACE, utc_offset

ZONE_RE = re.compile(r"\b([A-Z][A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)+)\b")


def plan_schedules(
    ix: Index, records: list[Record], service_id: uuid.UUID, existing: Service | None
) -> tuple[list[dict[str, Any]], bool, str]:
    """The opening-hours rows, whether the service is always open, and its time zone."""
    rows: list[dict[str, Any]] = []
    zone = ""
    offset: float | None = None
    for rec in records:
        if ix.taken(Schedule, rec, service_id):
            continue
        found = _schedule(ix, rec)
        if found is None:
            continue
        days, opens, closes = found
        named = _zone_named(rec)  # every name is tried, as before, even once one is found
        zone = zone or named
        hours = rec.clean.get("timezone")
        offset = hours if hours is not None else opens[1] if opens[1] is not None else offset
        for day in days:
            rows.append(
                {
                    "uuid": rec.id
                    if len(days) == 1
                    else uuid.uuid5(NAMESPACE, f"schedule:{rec.id}:{day}"),
                    "weekday": day,
                    "opens_at": opens[0],
                    "closes_at": closes[0],
                }
            )
    always = {row["weekday"] for row in rows if _all_day(row)}
    always_open = always == set(range(1, 8))
    if always_open:
        rows = [row for row in rows if not _all_day(row)]
    if not zone and offset is not None:
        current = existing.timezone if existing else "America/Lima"
        if utc_offset(current) == offset:
            zone = current
        elif offset == int(offset):
            zone = f"Etc/GMT{'-' if offset > 0 else '+'}{abs(int(offset))}" if offset else "UTC"
    return rows, always_open, zone


def _all_day(row: dict[str, Any]) -> bool:
    return bool(row["opens_at"] == time(0) and row["closes_at"] >= time(23, 59))


Times = tuple[time, float | None]


def _schedule(ix: Index, rec: Record) -> tuple[list[int], Times, Times] | None:
    """The days and hours of one schedule (None, with a warning or error, to skip it)."""
    clean = rec.clean
    if clean.get("freq", "WEEKLY") != "WEEKLY":
        ix.report.warn(rec, "freq", _("Only weekly schedules are imported."))
        return None
    opens, closes = clean.get("opens_at"), clean.get("closes_at")
    if opens is None or closes is None:
        ix.report.warn(
            rec,
            "opens_at",
            _("A schedule without opening and closing times is not imported."),
        )
        return None
    days = _days(ix, rec)
    if not days:
        if not (clean.get("byday") or "").strip():
            ix.report.warn(rec, "byday", _("A schedule without days is not imported."))
        return None
    if opens[0] >= closes[0]:
        ix.report.error(
            rec,
            "closes_at",
            _("Must be after the opening time (split hours that pass midnight)."),
        )
        return None
    return days, opens, closes


def _days(ix: Index, rec: Record) -> list[int]:
    """The weekdays of ``byday`` (none, and an error, when one is not a day)."""
    days: list[int] = []
    for token in (rec.clean.get("byday") or "").split(","):
        token = token.strip().upper()
        if not token:
            continue
        if token not in DAY_FROM_BYDAY:
            ix.report.error(
                rec,
                "byday",
                _("Unknown day “%(day)s”: use MO, TU, WE, TH, FR, SA, SU.") % {"day": token},
            )
            return []
        days.append(DAY_FROM_BYDAY[token])
    return days


def _zone_named(rec: Record) -> str:
    """The first IANA time zone named in the schedule's notes or description."""
    zone = ""
    for text in (rec.clean.get("notes", ""), rec.clean.get("description", "")):
        for candidate in ZONE_RE.findall(text or ""):
            try:
                ZoneInfo(candidate)
            except (KeyError, ValueError, OSError):  # OSError: a folder such as America/Argentina
                continue
            zone = zone or str(candidate)
    return zone


HOLIDAYS_LENGTH = 300  # Service.holidays_note


def holidays_note(records: list[Record]) -> str:
    """The service's note on holidays and closures: the first schedule note, without the
    time zone Ruta's export writes before it (``Time zone: America/Lima. <note>``)."""
    for rec in records:
        note = (rec.clean.get("notes") or "").strip()
        zone = _zone_named(rec)
        if zone and zone in note:
            note = note.split(zone, 1)[1].lstrip(". ").strip()
        if note and len(note) <= HOLIDAYS_LENGTH:
            return note
    return ""
