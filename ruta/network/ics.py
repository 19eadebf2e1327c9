"""iCalendar (RFC 5545) for meetings: one VEVENT per meeting, times in UTC, text escaped.

Title and agenda in the reader's language (the URL's); a meeting without its English
version gives the Spanish with ``LANGUAGE=es`` and a description that starts by saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext

from ruta.lib.links import absolute_url
from ruta.lib.translated import Version, in_reader_language
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


def _text(name: str, version: Version, note: str = "") -> str:
    """A TEXT property; one in another language than the reader's says which (LANGUAGE)."""
    language = f";LANGUAGE={version.language}" if version.fell_back else ""
    return f"{name}{language}:{escape(note + version.text)}"


def _event(meeting: Meeting, stamp: dt.datetime) -> list[str]:
    url = absolute_url(meeting.get_absolute_url())
    location = meeting.place or meeting.online_url or meeting.get_modality_display()
    title = in_reader_language(meeting, "title")
    agenda = in_reader_language(meeting, "agenda")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.uuid}@ruta",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        _text("SUMMARY", title),
        f"LOCATION:{escape(str(location))}",
        f"URL:{url}",
    ]
    if title.fell_back or agenda.fell_back:
        # Calendars show no badge: the description says it first, in the reader's language.
        note = f"[{gettext('Not translated yet')}]"
        if agenda:
            lines.append(_text("DESCRIPTION", agenda, note=f"{note}\n\n"))
        else:
            lines.append(f"DESCRIPTION:{escape(note)}")
    elif agenda:
        lines.append(_text("DESCRIPTION", agenda))
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
    return calendar([meeting], in_reader_language(meeting, "title").text)


def network_feed(network: Network) -> str:
    meetings = network.meetings.filter(public=True).order_by("starts_at")
    return calendar(meetings, network.name)
