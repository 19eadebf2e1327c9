"""The network report for a period: what seeds 000/001 are, generated from the records.

Figures, members with websites, meetings (date, modality, hosts, topics), trainings,
practices published and learnings. The trainings and practices apps sit above this one:
they hand their section to the report at start-up (``provide_trainings`` and
``provide_practices``, called from their ``AppConfig.ready``), so network never imports
them, and an app that is not installed leaves its section empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from ruta.network.figures import MeetingRow, NetworkFigures, memberships_in_period, network_figures
from ruta.network.models import Meeting, Membership, Network


@dataclass
class Report:
    network: Network
    start: dt.date
    end: dt.date
    figures: NetworkFigures
    members: list[Membership]
    meetings: list[Meeting]
    trainings: dict[str, Any] | None = None
    practices: list[Any] = field(default_factory=list)
    practices_available: bool = False

    @property
    def active_at_end(self) -> list[Membership]:
        return [m for m in self.members if m.left_on is None or m.left_on > self.end]

    @property
    def meeting_rows(self) -> list[tuple[Meeting, MeetingRow]]:
        rows = {row.meeting.pk: row for row in self.figures.per_meeting}
        return [(meeting, rows[meeting.pk]) for meeting in self.meetings]

    @property
    def learnings(self) -> list[Meeting]:
        return [m for m in self.meetings if m.learnings.strip() or m.learnings_en.strip()]


TrainingsSection = Callable[[Network, dt.date, dt.date], dict[str, Any]]
PracticesSection = Callable[[list[int], dt.date, dt.date], Iterable[Any]]


@dataclass
class _Sections:
    """The sections other apps provide; the same in every process (set at start-up)."""

    trainings: TrainingsSection | None = None
    practices: PracticesSection | None = None


SECTIONS = _Sections()


def provide_trainings(section: TrainingsSection) -> None:
    SECTIONS.trainings = section


def provide_practices(section: PracticesSection) -> None:
    SECTIONS.practices = section


def _trainings(network: Network, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    if SECTIONS.trainings is None:
        return None
    return SECTIONS.trainings(network, start, end)


def _practices(organization_ids: list[int], start: dt.date, end: dt.date) -> list[Any] | None:
    if SECTIONS.practices is None:
        return None
    return list(SECTIONS.practices(organization_ids, start, end))


def build_report(
    network: Network, start: dt.date, end: dt.date, include_internal: bool = False
) -> Report:
    """The report; internal meetings are counted in the figures but listed only on request."""
    figures = network_figures(network, start, end)
    members = list(memberships_in_period(network, start, end).order_by("organization__name"))
    listed = Meeting.objects.filter(pk__in=[row.meeting.pk for row in figures.per_meeting])
    if not include_internal:
        listed = listed.filter(public=True)
    meetings = list(
        listed.prefetch_related("host_organizations", "presenting_organizations").order_by(
            "starts_at"
        )
    )
    practices = _practices([m.organization_id for m in members], start, end)
    return Report(
        network=network,
        start=start,
        end=end,
        figures=figures,
        members=members,
        meetings=meetings,
        trainings=_trainings(network, start, end),
        practices=practices or [],
        practices_available=practices is not None,
    )


def report_html(report: Report, base_url: str = "") -> str:
    return render_to_string(
        "network/report_print.html",
        {
            "report": report,
            "generated": timezone.localdate(),
            "LANGUAGE_CODE": (get_language() or "es")[:2],
            "base_url": base_url,
        },
    )


PRINT_CSS = """
@page { size: A4; margin: 18mm 15mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #1b1b1b; }
h1 { font-size: 18pt; margin: 0 0 4pt; color: #0b5563; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt; color: #0b5563; border-bottom: 1px solid #0b5563; }
.period { color: #444; margin: 0 0 10pt; }
.figures { display: flex; flex-wrap: wrap; gap: 6pt; margin: 0; padding: 0; }
.figures div { border: 1px solid #bbb; padding: 6pt; width: 28%; }
.figures dt { font-size: 8.5pt; color: #444; }
.figures dd { font-size: 16pt; font-weight: bold; margin: 0; }
table { border-collapse: collapse; width: 100%; margin-top: 4pt; }
th, td { border: 1px solid #bbb; padding: 3pt 4pt; text-align: left; vertical-align: top; }
th { background: #eef4f5; }
a { color: #0b5563; text-decoration: none; }
.muted { color: #555; }
.not-translated { border: 0.5pt dashed #555; padding: 0 2pt; font-size: 7.5pt; font-weight: bold; white-space: nowrap; }
"""


def report_pdf(report: Report) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Self-contained: nothing is fetched (no network, no files).
    no_fetch = URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=report_html(report), url_fetcher=no_fetch)
    result: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=PRINT_CSS)])
    return result
