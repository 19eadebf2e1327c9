"""Referral tests read notifications right after each step: run on-commit hooks at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction


@pytest.fixture(autouse=True)
def _on_commit_now(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def run_now(func: Callable[[], Any], using: Any = None, robust: bool = False) -> None:
        func()

    monkeypatch.setattr(transaction, "on_commit", run_now)
    yield
