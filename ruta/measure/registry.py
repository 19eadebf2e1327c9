"""The registry of reach sources: every app that reaches people feeds one reach model.

A source is a function ``(start, end, organization_ids) -> Iterable[ReachRow]`` giving
the people it reached on the days ``start``..``end`` (inclusive); ``organization_ids``
None means every organization. A row is one reached person (``person_key`` set, a
pseudonymous key unique within the source's namespace: never a name or a document
number) or an anonymous count of ``count`` people (``person_key`` None: they cannot be
de-duplicated, and every figure says how many of its people are such counts).

Sources register once at start-up (``MeasureConfig.ready()``); a layer above ``measure``
does not exist, so an app added later registers its source from this app's
``sources.py`` or through ``register`` from its own ``ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


class SexAge:
    """R4V sex and age groups (children: under 18); "" for a row that carries only the
    LGBTIQ+ and disability counts of an anonymous count."""

    GIRL = "girl"
    BOY = "boy"
    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    ALL = ("girl", "boy", "woman", "man", "other")


@dataclass(frozen=True)
class ReachRow:
    source: str
    day: dt.date
    organization_id: int
    admin1: str  # ISO 3166-2 or P-code; "" when unknown
    admin2: str
    sector: str
    population_type: str  # R4V population type code; "" when unknown
    sex_age: str
    person_key: str | None = None
    count: int = 1
    lgbtiq: int = 0
    disability: int = 0

    @property
    def month(self) -> dt.date:
        return self.day.replace(day=1)


Source = Callable[[dt.date, dt.date, "frozenset[int] | None"], Iterable[ReachRow]]

_SOURCES: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    """Add (or replace, for tests) the source called ``name``."""
    _SOURCES[name] = source


# Records a source above counts as its own, so that the built-in source of the same records
# leaves them out (a person is not reached twice by one contact): by model label, each
# claim a function giving a queryset (or list) of the claimed primary keys.
_CLAIMS: dict[str, list[Callable[[], Any]]] = {}


def claim(model_label: str, ids: Callable[[], Any]) -> None:
    """``ids()`` gives the primary keys of ``model_label`` records a registered source
    counts itself (e.g. the helpline contacts a stabilisation programme made)."""
    claims = _CLAIMS.setdefault(model_label, [])
    if ids not in claims:
        claims.append(ids)


def claimed(model_label: str) -> list[Callable[[], Any]]:
    return list(_CLAIMS.get(model_label, []))


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def rows(
    start: dt.date, end: dt.date, organization_ids: frozenset[int] | None = None
) -> list[ReachRow]:
    """Every source's rows for the days ``start``..``end``."""
    found: list[ReachRow] = []
    for source in _SOURCES.values():
        found.extend(source(start, end, organization_ids))
    return found
