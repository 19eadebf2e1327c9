""" "Evidence from Ruta": figures that apps above practices compute from their records for a
good practice they evidence (e.g. a cash-transfer programme for BP5_PC), shown on the
practice's page. Aggregates only: a source never hands a page a person.

An app registers an ``EvidenceSource`` in its ``AppConfig.ready()``; ``evidence_for``
asks each source and keeps what it answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ruta.practices.models import Practice


@dataclass(frozen=True)
class EvidenceSource:
    """``data(practice, user)`` answers what ``template`` shows, or None when the source
    has nothing for this practice."""

    template: str
    data: Callable[[Practice, Any], Any]
    order: int = 0


@dataclass(frozen=True)
class Evidence:
    template: str
    data: Any


_sources: list[EvidenceSource] = []


def add_evidence_source(source: EvidenceSource) -> None:
    if source not in _sources:
        _sources.append(source)
        _sources.sort(key=lambda known: known.order)


def evidence_for(practice: Practice, user: Any) -> list[Evidence]:
    found = []
    for source in _sources:
        data = source.data(practice, user)
        if data:
            found.append(Evidence(source.template, data))
    return found
