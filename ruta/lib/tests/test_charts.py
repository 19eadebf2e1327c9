"""Chart geometry: what a chart writes stays readable (no figure under a column)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from ruta.lib.charts import Series, grouped_columns

SVG = "{http://www.w3.org/2000/svg}"


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=24))
def test_the_largest_value_is_written_above_every_column(values: list[int]) -> None:
    labels = [f"2026-{i:02d}" for i in range(1, len(values) + 1)]
    root = ET.fromstring(  # noqa: S314
        str(grouped_columns(labels, [Series("n", values)], title="T", desc="D", ident="c"))
    )
    peak_label = next(t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end")
    assert peak_label.text == str(max(values) or 1)
    columns = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(columns) == len(values)
    # Text sits on its baseline: a 12-px figure ending at y is clear of a column whose top
    # is at or below y.
    assert all(float(r.get("y", 0)) >= float(peak_label.get("y", 0)) for r in columns)
    tallest = max(columns, key=lambda r: float(r.get("height", 0)))
    if max(values):
        assert float(tallest.get("y", 0)) - float(peak_label.get("y", 0)) >= 4
