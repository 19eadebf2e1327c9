"""iCalendar (RFC 5545) for meetings: one VEVENT per meeting, times in UTC, text escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from ruta.lib.links import absolute_url
from ruta.network.models import Meeting, Network

PRODID = "-//Ruta//Community of practice//ES"


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _event(meeting: Meeting, stamp: dt.datetime) -> list[str]:
    url = absolute_url(meeting.get_absolute_url())
    location = meeting.place or meeting.online_url or meeting.get_modality_display()
    description = meeting.agenda or ""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.uuid}@ruta",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{escape(meeting.title)}",
        f"LOCATION:{escape(str(location))}",
        f"URL:{url}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], name: str) -> str:
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for meeting in meetings:
        lines += _event(meeting, stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def meeting_calendar(meeting: Meeting) -> str:
    return calendar([meeting], meeting.title)


def network_feed(network: Network) -> str:
    meetings = network.meetings.filter(public=True).order_by("starts_at")
    return calendar(meetings, network.name)
