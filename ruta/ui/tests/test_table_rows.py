"""``{% table_rows %}`` writes the cells ``{{ value }}`` would: localized and escaped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

ROWS = [
    ["CARE <Perú>", 12345, 12.5, Decimal("0.25"), None, True, ""],
    [dt.date(2026, 3, 1), "a & b", 0, -3.75, "<script>", "ñandú", 1_000_000],
]


@pytest.mark.parametrize("language", ["es", "en"])
def test_cells_are_those_of_the_template(language: str) -> None:
    with translation.override(language):
        expected = Template(
            "{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>"
            "{% endfor %}</tr>{% endfor %}"
        ).render(Context({"rows": ROWS}))
        written = Template("{% load ui %}{% table_rows rows %}").render(Context({"rows": ROWS}))
    assert written == expected
    assert "&lt;script&gt;" in written and "<script>" not in written
    assert ("12,5" if language == "es" else "12.5") in written
