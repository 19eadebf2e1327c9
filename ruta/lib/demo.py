"""What every app's demo entry points return; ``ruta.demo`` finds and runs them.

An app with demo data has a ``demo`` module with ``load_demo()`` (idempotent) and, when
it can take its data away again, ``remove_demo()``. Both return a ``Described``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Described(Protocol):
    def describe(self) -> str: ...


@dataclass(frozen=True)
class Removed:
    """What an app's ``remove_demo()`` deleted, in the words the command prints."""

    what: str
    count: int

    def describe(self) -> str:
        return f"Demo {self.what} deleted: {self.count}."
