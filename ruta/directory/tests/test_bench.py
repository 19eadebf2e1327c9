"""The directory benchmark runs end to end on a scratch database and cleans up after itself."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

MEASURES = (
    "(a) finder text search",
    "(a2) finder everyday words",
    "(a3) finder rare word",
    "(b) filtered search near me",
    "(c) HSDS /services page",
    "(d) pathway matrix 15 orgs x 10 profiles",
)
FIGURES = re.compile(r"^\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\d+\s+\d+\b")  # figures, not verdicts


def _scratch_files() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("ruta-bench-*"))


def test_bench_prints_every_measure_and_removes_its_scratch_database() -> None:
    before = _scratch_files()
    out = io.StringIO()
    call_command("bench_directory", services=200, repeat=3, stdout=out)
    text = out.getvalue()
    assert "Generated 200 services" in text
    assert "DEBUG off" in text
    table: dict[str, str] = {}  # the first line of each measure is its row in the table
    for line in text.splitlines():
        for label in MEASURES:
            if line.startswith(label):
                table.setdefault(label, line[len(label) :])
    targets = [line for line in text.splitlines() if line.startswith(MEASURES[0] + ": ")]
    assert targets == [f"{MEASURES[0]}: GET /servicios/?q=apoyo+psicologico"]
    for label in MEASURES:
        row = table.get(label)
        assert row is not None, f"no line for {label}:\n{text}"
        assert FIGURES.match(row) or "not available yet" in row, row
    # The finder is built: its query count is printed and is small and fixed.
    finder = table[MEASURES[0]].split()
    assert 1 <= int(finder[3]) <= 15
    # Each finder measure has its raw-SQL floor beside it, which found the same services.
    assert text.count("(same ids, same order)") == 4, text
    assert "DIFFERENT" not in text
    assert _scratch_files() == before


def test_the_worker_refuses_any_database_but_its_scratch_file(monkeypatch: Any) -> None:
    monkeypatch.setenv("RUTA_BENCH_SCRATCH_DB", str(Path(tempfile.gettempdir()) / "other.sqlite3"))
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench_directory", services=200, repeat=1, stdout=io.StringIO())


def test_bench_refuses_nonsense_sizes() -> None:
    with pytest.raises(CommandError):
        call_command("bench_directory", services=5, repeat=1, stdout=io.StringIO())
