"""The coverage page as a heat map (a shade per range of counts, the count always written,
every shade readable) and as a list of its gaps only (a GET parameter, no script)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from ruta.directory.coverage import HEAT_STEPS, heat, heat_ranges
from ruta.directory.tests.factories import make_service

pytestmark = pytest.mark.django_db

PAGE = "/en" + reverse("reports:coverage")
PSS = "psychosocial_support"
CSS = Path(settings.BASE_DIR) / "static" / "ruta" / "ruta.css"


@pytest.fixture
def tumbes(world: Any) -> None:
    """Tumbes: five psychosocial services (one of them also legal); nowhere else."""
    for number in range(5):
        terms = (PSS, "legal") if number == 0 else (PSS,)
        make_service(world.care, f"Apoyo {number}", terms=terms, area="PE-TUM")


def test_shades_follow_the_steps() -> None:
    assert [heat(n) for n in (0, 1, 2, 4, 5, 9, 10, 250)] == [0, 1, 2, 2, 3, 3, 4, 4]
    assert heat_ranges() == [(1, 1, 1), (2, 2, 4), (3, 5, 9), (4, 10, None)]
    assert len(heat_ranges()) == len(HEAT_STEPS)


def test_each_cell_shows_its_count_on_its_shade(
    client: Any, login: Any, world: Any, tumbes: Any
) -> None:
    login(world.user("analyst"))
    html = client.get(PAGE, {"country": "PE"}).content.decode()
    row = re.search(r'<tr data-area="PE-TUM">(.*?)</tr>', html, re.S)
    assert row
    shaded = re.findall(r'<td class="heat-(\d)">(\d+)</td>', row.group(1))
    assert ("3", "5") in shaded  # five psychosocial services: the 5-9 shade, "5" written
    assert ("1", "1") in shaded  # one legal service
    assert all(heat(int(count)) == int(shade) for shade, count in shaded)
    assert '<td class="gap"><strong>0</strong>' in row.group(1)
    legend = unescape(re.search(r'<ul class="heat-legend"(.*?)</ul>', html, re.S).group(1))
    for words in ("no service (a gap)", "1 service", "2 to 4 services", "5 to 9 services"):
        assert words in legend
    assert "10 or more services" in legend
    assert "List only the gaps" in html


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_shade_has_aa_contrast() -> None:
    css = CSS.read_text()
    rules = {
        name: (background, colour)
        for name, background, colour in re.findall(
            r"(\.heat-\d|\.coverage td\.gap, \.heat-key\.gap) \{ background: (#[0-9a-f]{6}); "
            r"color: (#[0-9a-f]{6});",
            css,
        )
    }
    assert set(rules) == {f".heat-{shade}" for shade, _l, _h in heat_ranges()} | {
        ".coverage td.gap, .heat-key.gap"
    }
    for name, (background, colour) in rules.items():
        assert _contrast(background, colour) >= 4.5, name


def test_gaps_only_lists_the_empty_cells_without_the_table(
    client: Any, login: Any, world: Any, tumbes: Any
) -> None:
    login(world.user("analyst"))
    response = client.get(PAGE, {"country": "PE", "show": "gaps"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert '<table class="coverage"' not in html
    items = dict(re.findall(r'<li data-area="([A-Z-]+)">(.*?)</li>', html, re.S))
    needs = len(response.context["table"].columns)
    tumbes_line = " ".join(items["PE-TUM"].split())
    assert f"No service for {needs - 2} of {needs} needs:" in tumbes_line
    assert "Psychosocial support" not in tumbes_line and "Legal" not in tumbes_line
    assert "Mental health care" in tumbes_line
    assert f"No service for any of the {needs} needs." in " ".join(items["PE-LMA"].split())
    assert len(items) == len(response.context["table"].rows)  # every region lacks something
    assert "Show the whole table" in html
    assert re.search(r'<input type="radio" name="show" value="gaps"[^>]*checked', html)


def test_gaps_only_follows_the_filters_and_drills_down(
    client: Any, login: Any, world: Any, tumbes: Any
) -> None:
    login(world.user("analyst"))
    html = unescape(
        client.get(PAGE, {"country": "PE", "sector": PSS, "show": "gaps"}).content.decode()
    )
    items = dict(re.findall(r'<li data-area="([A-Z-]+)">(.*?)</li>', html, re.S))
    assert "PE-TUM" not in items  # Tumbes has psychosocial support
    assert "No service for the 1 need." in " ".join(items["PE-LMA"].split())
    assert "Only services for the need: Psychosocial support" in html


def test_an_area_without_gaps_says_so(client: Any, login: Any, world: Any, tumbes: Any) -> None:
    login(world.user("analyst"))
    html = client.get(
        PAGE, {"country": "PE", "admin1": "PE-TUM", "sector": PSS, "show": "gaps"}
    ).content.decode()
    assert "No gaps: every area has at least one service in each column." in html
    assert '<li data-area="' not in html
