"""The suppression benchmark runs, prints its measure beside its floor and, with
``--reference``, the straightforward audit's measure (which must agree with it)."""

from __future__ import annotations

import io

from django.core.management import call_command


def test_bench_suppression_prints_the_time_beside_its_floor_and_the_reference() -> None:
    out = io.StringIO()
    call_command("bench_suppression", "--incidents", "25", "--runs", "1", "--reference", stdout=out)
    text = out.getvalue()
    assert "suppress + audit median" in text and "floor" in text and "linear programmes" in text
    assert "reference (one fresh linprog per bound)" in text and "same cells hidden" in text
