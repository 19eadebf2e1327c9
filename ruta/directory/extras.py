"""What apps above the directory add to a service's page.

The directory cannot import the apps built on it (the HSDS import keeps fields Ruta has
no column for: how to apply, the waiting time, the source's notice). Such an app
registers, from its ``AppConfig.ready()``, a function of the service giving its
``Extra`` (or None); both service pages (the public one and the staff one) show what
every registered function gives: notices above the facts, facts among them, and where
they come from below them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ruta.directory.models import Service


@dataclass(frozen=True)
class Extra:
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    notices: list[str] = field(default_factory=list)
    origin: str = ""  # one sentence: where the facts and notices come from

    def __bool__(self) -> bool:
        return bool(self.facts or self.notices)


ExtraOf = Callable[[Service], Extra | None]
_REGISTERED: list[ExtraOf] = []


def register(extra_of: ExtraOf) -> None:
    if extra_of not in _REGISTERED:
        _REGISTERED.append(extra_of)


def of(service: Service) -> list[Extra]:
    """What the registered apps add to ``service``'s page (only what has something)."""
    found = (extra_of(service) for extra_of in _REGISTERED)
    return [extra for extra in found if extra]
