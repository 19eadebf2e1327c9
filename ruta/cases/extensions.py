"""Seams for the apps above cases (referrals, transfers, conferences), filled in their
``AppConfig.ready()`` so that cases never imports them: lines on the today page, buttons
and sections on the case page, sections of the survivor's own record (PDF), what to do
when a consent to share is withdrawn, and the copies they hold of a case that is anonymised
or erased (``ruta.cases.retention``).
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
# ``hook(case)`` empties (anonymise) or deletes (erase) what an app holds about the case and
# answers how many of its records it touched, by name: {"referrals": 2}. Counts only.
CaseLifecycleHook = Callable[[Case], dict[str, int]]


@dataclass(frozen=True)
class LifecycleHook:
    """``run`` plus the models (``app_label.ModelName``) whose encrypted fields it empties,
    so a test can prove that no encrypted copy of a case is forgotten."""

    run: CaseLifecycleHook
    covers: tuple[str, ...] = ()


_today_lines: list[TodayLine] = []
_case_sections: list[CaseSection] = []
_case_buttons: list[str] = []
_record_sections: list[CaseSection] = []
_share_withdrawn: list[ConsentHook] = []
_case_anonymised: list[LifecycleHook] = []
_case_erased: list[LifecycleHook] = []


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


def on_case_anonymised(hook: CaseLifecycleHook, covers: tuple[str, ...] = ()) -> None:
    """``hook(case)`` runs inside the anonymisation's transaction, before the case is marked;
    it empties every encrypted field the app holds about the case (``covers`` names them)."""
    registered = LifecycleHook(hook, covers)
    if registered not in _case_anonymised:
        _case_anonymised.append(registered)


def on_case_erased(hook: CaseLifecycleHook, covers: tuple[str, ...] = ()) -> None:
    """``hook(case)`` runs inside the erasure's transaction, before the case is deleted
    (rows that cascade from the case go with it; the hook handles the rest)."""
    registered = LifecycleHook(hook, covers)
    if registered not in _case_erased:
        _case_erased.append(registered)


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


def _run(hooks: list[LifecycleHook], case: Case) -> dict[str, int]:
    counts: dict[str, int] = {}
    for hook in hooks:
        for name, count in hook.run(case).items():
            counts[name] = counts.get(name, 0) + int(count)
    return counts


def case_anonymised(case: Case) -> dict[str, int]:
    return _run(_case_anonymised, case)


def case_erased(case: Case) -> dict[str, int]:
    return _run(_case_erased, case)


def anonymisation_covers() -> set[str]:
    """The models whose encrypted fields the registered apps empty on anonymisation."""
    return {label for hook in _case_anonymised for label in hook.covers}


# --- Closing a case: what is still open, and telling the other side --------------------
@dataclass(frozen=True)
class OpenRisk:
    """Something still open on a case that its closure must face: ``kind`` is a code
    (``risk_level``, ``suicide_risk``, ``plan_action``, ``referral``...), ``label`` a
    translated line for the person reading (case codes, references, dates and states, no
    narrative), ``url`` where to deal with it; a ``blocking`` risk stops the closure
    unless a supervisor records why the case closes despite it."""

    kind: str
    label: str
    url: str = ""
    blocking: bool = False

    @property
    def severity(self) -> str:
        return "blocking" if self.blocking else "warning"


RiskSource = Callable[[Case], list[OpenRisk]]
ClosedHook = Callable[[Any, Case], object]

_open_risk_sources: list[RiskSource] = []
_case_closed: list[ClosedHook] = []


def add_open_risk_source(source: RiskSource) -> None:
    """``source(case)`` returns the open risks an app above cases holds on the case."""
    if source not in _open_risk_sources:
        _open_risk_sources.append(source)


def on_case_closed(hook: ClosedHook) -> None:
    """``hook(actor, case)`` runs inside the approved closure's transaction: it tells the
    other side and settles (withdraws, cancels or closes) what the app had open."""
    if hook not in _case_closed:
        _case_closed.append(hook)


def registered_open_risks(case: Case) -> list[OpenRisk]:
    return [risk for source in _open_risk_sources for risk in source(case)]


def case_closed(actor: User, case: Case) -> None:
    for hook in _case_closed:
        hook(actor, case)
