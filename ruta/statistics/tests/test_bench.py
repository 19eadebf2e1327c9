"""The suppression benchmark runs and prints its measure beside its floor."""

from __future__ import annotations

import io

from django.core.management import call_command


def test_bench_suppression_prints_the_time_beside_its_floor() -> None:
    out = io.StringIO()
    call_command("bench_suppression", "--incidents", "25", "--runs", "1", stdout=out)
    text = out.getvalue()
    assert "suppress + audit median" in text and "floor" in text and "linear programmes" in text
