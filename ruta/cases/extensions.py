"""Seams for the apps above cases (referrals, transfers, conferences), filled in their
``AppConfig.ready()`` so that cases never imports them: lines on the today page, buttons
and sections on the case page, sections of the survivor's own record (PDF), and what to do
when a consent to share is withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ruta.cases.models import Case, Consent

if TYPE_CHECKING:
    from ruta.accounts.models import User


@dataclass(frozen=True)
class TodayLine:
    """A line under "Between agencies" on the today page: ``template`` shows ``count``;
    lines are shown by ``order``, whatever the order the apps are installed in."""

    template: str
    count: Callable[[Any], int]
    order: int = 0


@dataclass(frozen=True)
class CaseSection:
    """A section of the case page: ``template`` is included with ``data`` from ``data(case)``;
    sections are shown by ``order``."""

    template: str
    data: Callable[[Case], Any] | None = None
    order: int = 0


@dataclass(frozen=True)
class Shown:
    """A registered line or section with what it shows now."""

    template: str
    data: Any


ConsentHook = Callable[[Any, Consent], object]

_today_lines: list[TodayLine] = []
_case_sections: list[CaseSection] = []
_case_buttons: list[str] = []
_record_sections: list[CaseSection] = []
_share_withdrawn: list[ConsentHook] = []


def add_today_line(line: TodayLine) -> None:
    if line not in _today_lines:
        _today_lines.append(line)
        _today_lines.sort(key=lambda known: known.order)


def add_case_section(section: CaseSection) -> None:
    if section not in _case_sections:
        _case_sections.append(section)
        _case_sections.sort(key=lambda known: known.order)


def add_case_buttons(template: str) -> None:
    """``template`` adds buttons to the case page's header (it sees the page's context)."""
    if template not in _case_buttons:
        _case_buttons.append(template)


def add_record_section(section: CaseSection) -> None:
    """A section of the survivor's own record (the PDF of ``survivor_record.py``)."""
    if section not in _record_sections:
        _record_sections.append(section)
        _record_sections.sort(key=lambda known: known.order)


def on_share_consent_withdrawn(hook: ConsentHook) -> None:
    """``hook(actor, consent)`` runs inside the withdrawal's transaction."""
    if hook not in _share_withdrawn:
        _share_withdrawn.append(hook)


def today_lines(user: User) -> list[Shown]:
    """The lines with something waiting for ``user``."""
    counted = [Shown(line.template, line.count(user)) for line in _today_lines]
    return [shown for shown in counted if shown.data]


def case_sections(case: Case) -> list[Shown]:
    return [
        Shown(section.template, section.data(case) if section.data else None)
        for section in _case_sections
    ]


def record_sections(case: Case) -> list[Shown]:
    return [
        Shown(section.template, section.data(case) if section.data else None)
        for section in _record_sections
    ]


def case_buttons() -> list[str]:
    return list(_case_buttons)


def share_consent_withdrawn(actor: User, consent: Consent) -> None:
    for hook in _share_withdrawn:
        hook(actor, consent)
