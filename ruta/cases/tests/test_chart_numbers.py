"""The outcome chart's coordinates are machine-readable in every language.

Spanish writes decimals with a comma: a coordinate localised as ``y1="12,0"`` is not a
number to the browser, and the grid and the dots vanish from the chart.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import verified_login
from ruta.cases.tests.factories import make_case, make_measure

NUMBER = re.compile(r"-?\d+(\.\d+)?")
NUMERIC = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("language", ["es", "en"])
def test_chart_coordinates_are_plain_numbers(client: Any, world: Any, language: str) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    today = timezone.localdate()
    # Three results so that some coordinates fall between whole pixels.
    for days, answers in ((20, [1, 2, 1, 0, 1]), (10, [2, 2, 3, 2, 2]), (0, [3, 4, 3, 4, 3])):
        make_measure(caseworker, case, "who5", answers, administered_on=today - dt.timedelta(days))
    verified_login(client, caseworker)
    with translation.override(language):
        page = client.get(reverse("cases:measures", kwargs={"case_uuid": case.uuid}))
    assert page.status_code == 200
    html = page.content.decode()
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert svgs
    checked = 0
    for markup in svgs:
        svg = markup.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
        root = ET.fromstring(svg)  # noqa: S314 (our own page, not untrusted input)
        for element in root.iter():
            for name, value in element.attrib.items():
                if name in NUMERIC:
                    assert NUMBER.fullmatch(value), (element.tag, name, value)
                    checked += 1
            if element.tag == f"{SVG}polyline":
                for pair in element.attrib["points"].split():
                    x, y = pair.split(",")
                    assert NUMBER.fullmatch(x) and NUMBER.fullmatch(y), pair
                    checked += 1
        assert re.fullmatch(r"0 0 \d+ \d+", root.attrib["viewBox"])
    assert checked > 10
