"""``{% table_rows %}`` writes the cells ``{{ value }}`` would: localized and escaped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

ROWS = [
    ["CARE <Perú>", 12345, 12.5, Decimal("0.25"), None, True, ""],
    [dt.date(2026, 3, 1), "a & b", 0, -3.75, "<script>", "ñandú", 1_000_000],
    # Values equal as keys but written differently: each is written as itself.
    [1, True, 1.0, Decimal("1.0"), 0, False, "1", 12345, "CARE <Perú>", ["a", "<b>"]],
]


@pytest.mark.parametrize("grouping", [False, True])
@pytest.mark.parametrize("language", ["es", "en"])
def test_cells_are_those_of_the_template(language: str, grouping: bool, settings: Any) -> None:
    settings.USE_THOUSAND_SEPARATOR = grouping
    with translation.override(language):
        expected = Template(
            "{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>"
            "{% endfor %}</tr>{% endfor %}"
        ).render(Context({"rows": ROWS}))
        written = Template("{% load ui %}{% table_rows rows %}").render(Context({"rows": ROWS}))
    assert written == expected
    assert "&lt;script&gt;" in written and "<script>" not in written
    assert ("12,5" if language == "es" else "12.5") in written
    one = "1,0" if language == "es" else "1.0"
    assert f"<td>1</td><td>True</td><td>{one}</td><td>{one}</td>" in written
