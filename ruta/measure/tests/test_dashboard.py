"""The reach dashboard: SVG charts that parse in both languages with locale-free numbers,
each beside its data table and CSV; filters by period, region, organization and sector;
each reader sees their scope; a period that cannot be read says so and keeps the input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET  # our own SVG, not untrusted input
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from ruta.lib.charts import (
    NO_DATA,
    OKABE_ITO,
    SEQUENTIAL,
    MapArea,
    Series,
    choropleth,
    grouped_columns,
    num,
    ranked_bars,
)
from ruta.measure.models import FactsState, ReachFact
from ruta.places.models import AdminArea, Boundary

pytestmark = [pytest.mark.dates]

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _fact(org: Any, month: dt.date, **fields: Any) -> ReachFact:
    values: dict[str, Any] = {
        "month": month,
        "organization_id": org.pk,
        "admin1": "PE-LIM",
        "sector": "health_mhpss",
        "population_type": "in_destination",
    }
    values.update(fields)
    return ReachFact.objects.create(**values)


@pytest.fixture
def figures(world: Any) -> None:
    # Thousands, so that a localised number ("1.234" / "1,234") would show.
    _fact(world.care, dt.date(2026, 4, 1), total=1234, new=1200, anonymous=617)
    _fact(world.care, dt.date(2026, 5, 1), total=2500, new=800, anonymous=0, sector="education")
    _fact(
        world.hias,
        dt.date(2026, 5, 1),
        total=4321,
        new=4000,
        admin1="PE-TUM",
        population_type="host",
    )
    FactsState.objects.create(pk=1, refreshed_at=dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC))


def _as(login: Any, world: Any, role: str, language: str) -> Any:
    user = world.user(role)
    user.language = language
    user.save(update_fields=["language"])
    return login(user)


def _url(name: str, language: str, *args: Any) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _svgs(body: str) -> list[ET.Element]:
    found = [ET.fromstring(svg) for svg in SVG.findall(body)]  # noqa: S314
    for svg in found:
        assert svg.attrib["width"] == "100%"  # scales to a 375-px phone
        for element in svg.iter():
            for name in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
                if name in element.attrib and element is not svg:
                    assert NUMBER.match(element.attrib[name]), (name, element.attrib[name])
            for value in element.attrib.get("viewBox", "0").split():
                assert NUMBER.match(value)
            for token in element.attrib.get("d", "").split():  # a map's outlines
                assert token in ("M", "L", "Z") or NUMBER.match(token.lstrip("ML")), token
            fill = element.attrib.get("fill", "#")
            if fill.startswith("#") and element.tag.endswith(("rect", "path")):
                assert fill in (*OKABE_ITO, *SEQUENTIAL, NO_DATA)
            assert "style" not in element.attrib  # CSP: presentation attributes only
    return found


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("language", ["es", "en"])
def test_every_chart_parses_with_locale_free_numbers(
    client: Any, world: Any, login: Any, figures: None, language: str
) -> None:
    browser = _as(login, world, "analyst", language)
    response = browser.get(
        _url("measure:dashboard", language), {"start": "2026-01", "end": "2026-05"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    charts = _svgs(body)
    assert len(charts) == 4
    texts = ["".join(svg.itertext()) for svg in charts]
    assert "1234" in texts[0] and "6821" in texts[0]  # May: CARE and HIAS
    assert "4000" in texts[2] and "2000" in texts[2]  # by region: new, summed over months
    assert "1.234" not in "".join(texts) and "1,234" not in "".join(texts)
    # Every chart has its table and its CSV beside it; the page says how fresh it is.
    assert body.count("<table") == 4
    assert body.count(_url("measure:dashboard_csv", language, "time")) == 1
    if language == "es":
        assert "Cifras al" in body and "Panel de alcance" in body
    else:
        assert "Figures as of" in body and "Reach dashboard" in body
    assert "HIAS" in body  # the network's organizations are a filter


@time_machine.travel(NOW, tick=False)
def test_an_agency_admin_sees_only_their_organization(
    client: Any, world: Any, login: Any, figures: None
) -> None:
    browser = _as(login, world, "agency_admin.care", "en")
    body = browser.get(_url("measure:dashboard", "en"), {"start": "2026-01"}).content.decode()
    assert "1234" in body and "4321" not in body
    assert 'name="organization"' not in body
    # Asking for another organization does not widen the scope.
    other = browser.get(_url("measure:dashboard", "en"), {"organization": str(world.hias.pk)})
    assert "4321" not in other.content.decode()
    text = browser.get(_url("measure:dashboard_csv", "en", "time"), {"start": "2026-01"})
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Month"
    # Every month of the period (January to last month, May), a month without records as 0.
    assert rows[1:] == [
        ["2026-01", "0", "0", "0"],
        ["2026-02", "0", "0", "0"],
        ["2026-03", "0", "0", "0"],
        ["2026-04", "1234", "1200", "50"],
        ["2026-05", "2500", "800", "0"],
    ]


@time_machine.travel(NOW, tick=False)
def test_filters_narrow_the_figures_and_a_bad_period_is_explained(
    client: Any, world: Any, login: Any, figures: None
) -> None:
    browser = _as(login, world, "coordinator", "en")
    url = _url("measure:dashboard", "en")
    by_sector = browser.get(url, {"start": "2026-01", "sector": "education"}).content.decode()
    assert "2500" in by_sector and "1234" not in by_sector and "4321" not in by_sector
    by_region = browser.get(url, {"start": "2026-01", "admin1": "PE-TUM"}).content.decode()
    assert "4321" in by_region and "1234" not in by_region
    # A country is its regions: Ecuador's figure alone, Peru's without it.
    _fact(world.hias, dt.date(2026, 5, 1), total=777, new=700, admin1="EC-P")
    by_country = browser.get(url, {"start": "2026-01", "country": "EC"}).content.decode()
    assert "777" in by_country and "4321" not in by_country and "2500" not in by_country
    assert '<option value="EC" selected>Ecuador</option>' in by_country
    peru = browser.get(url, {"start": "2026-01", "country": "PE"}).content.decode()
    assert "4321" in peru and "777" not in peru
    by_org = browser.get(url, {"start": "2026-01", "organization": world.hias.pk}).content
    assert b"4321" in by_org and b"2500" not in by_org
    bad = browser.get(url, {"start": "2026-05", "end": "2026-02"}).content.decode()
    assert "The first month must come before the last." in bad
    assert 'value="2026-05"' in bad  # what was typed stays
    csv_bad = browser.get(_url("measure:dashboard_csv", "en", "nope"))
    assert csv_bad.status_code == 404
    # Default period: the twelve months to last month (May 2026).
    default = browser.get(url).content.decode()
    assert "June 2025" in default and "May 2026" in default
    # ... and the month inputs show it.
    assert 'name="start" value="2025-06"' in default and 'name="end" value="2026-05"' in default


@time_machine.travel(NOW, tick=False)
def test_the_four_charts_are_one_read_of_the_facts(
    client: Any, world: Any, login: Any, figures: None, django_assert_max_num_queries: Any
) -> None:
    """The charts' four groupings are one statement, which also gives the regions of the
    period's filter when no filter is asked; with one, the regions are read apart."""
    browser = _as(login, world, "analyst", "en")
    url = _url("measure:dashboard", "en")
    browser.get(url)
    with django_assert_max_num_queries(10) as unfiltered:
        body = browser.get(url, {"start": "2026-01", "end": "2026-05"}).content.decode()
    reads = [q["sql"] for q in unfiltered.captured_queries if "measure_reachfact" in q["sql"]]
    assert len(reads) == 1 and reads[0].count("UNION ALL") == 3
    assert '<option value="PE-TUM">' in body and '<option value="PE-LIM">' in body
    with django_assert_max_num_queries(11) as filtered:
        body = browser.get(url, {"start": "2026-01", "sector": "education"}).content.decode()
    reads = [q["sql"] for q in filtered.captured_queries if "measure_reachfact" in q["sql"]]
    assert len(reads) == 2  # the regions of the period, then the charts of the sector
    assert '<option value="PE-TUM">' in body  # a region without education still a choice
    assert "2500" in body and "4321" not in body


def test_numbers_in_charts_ignore_the_locale() -> None:
    with translation.override("es"):
        assert [num(1234567), num(0.5), num(2.125), num(-0.001), num(3.0)] == [
            "1234567",
            "0.5",
            "2.12",
            "0",
            "3",
        ]
        svg = ranked_bars([("A & <B>", 1500.5), ("C", 3)], title="T", desc="D", ident="x")
        columns = grouped_columns(
            ["2026-01", "2026-02"], [Series("n", [0, 10.25])], title="T", desc="D", ident="y"
        )
    for chart in (svg, columns):
        root = ET.fromstring(str(chart))  # noqa: S314
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "A &amp; &lt;B&gt;" in svg and "1500.5" in svg
    empty = ET.fromstring(str(ranked_bars([], title="T", desc="D", ident="z")))  # noqa: S314
    assert empty.attrib["viewBox"] == "0 0 320 34"


@time_machine.travel(NOW, tick=False)
def test_the_5w_page_shows_a_large_month_100_rows_at_a_time(
    client: Any, world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    ReachFact.objects.bulk_create(
        ReachFact(
            month=dt.date(2026, 5, 1),
            organization_id=world.care.pk,
            admin1="PE-LIM",
            admin2=f"15{n:04d}",
            sector="health_mhpss",
            population_type="host",
            total=1,
            new=1,
        )
        for n in range(130)
    )
    browser = _as(login, world, "coordinator", "en")
    url = _url("measure:fivew", "en")
    browser.get(url)
    with django_assert_max_num_queries(9) as page:
        first = browser.get(url, {"month": "2026-05"}).content.decode()
    assert first.count("<tr>") == 101  # the header and 100 rows
    # The month's facts, the organizations and the gazetteer are each read once.
    for table in ("measure_reachfact", "agencies_organization", "directory_adminarea"):
        assert sum(f'FROM "{table}"' in q["sql"] for q in page.captured_queries) == 1, table
    assert "Page 1 of 2" in first and "month=2026-05&amp;page=2" in first
    second = browser.get(url, {"month": "2026-05", "page": "2"}).content.decode()
    assert second.count("<tr>") == 31 and "150129" in second
    # Unasked, the page shows last month, and its month input says so.
    default = browser.get(url).content.decode()
    assert 'name="month" value="2026-05"' in default and default.count("<tr>") == 101


def _outline(code: str, west: float, south: float) -> None:
    ring = [[west, south], [west + 1, south], [west + 1, south + 1], [west, south + 1]]
    Boundary.objects.create(
        area=AdminArea.objects.get(code=code),
        geometry={"type": "MultiPolygon", "coordinates": [[[*ring, ring[0]]]]},
    )


def _fills(svg: ET.Element) -> dict[str, str]:
    """Each drawn area's name (its path's title, before the colon) -> its fill."""
    found = {}
    for path in svg.iter("{http://www.w3.org/2000/svg}path"):
        title = path.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text
        found[title.text.split(":")[0]] = path.attrib["fill"]
    return found


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("language", ["es", "en"])
def test_regions_with_outlines_are_a_map_shaded_by_their_figures(
    client: Any, world: Any, login: Any, figures: None, language: str
) -> None:
    _outline("PE-TUM", -81, -4)
    _outline("PE-LIM", -78, -12)
    _outline("PE-ICA", -76, -15)  # no figures: hatched, "no data"
    _fact(world.care, dt.date(2026, 5, 1), total=9, new=9, admin1="PE-PIU")  # no outline
    names = {a.code: a.name for a in AdminArea.objects.filter(code__startswith="PE-")}
    browser = _as(login, world, "analyst", language)
    body = browser.get(
        _url("measure:dashboard", language), {"start": "2026-01", "end": "2026-05"}
    ).content.decode()
    charts = _svgs(body)
    assert len(charts) == 4
    regions = charts[2]
    # New beneficiaries: Tumbes 4000, Lima 2000 (two months), Piura 9. Five equal classes
    # of whole numbers up to 4000: 0-800, 801-1600, 1601-2400, 2401-3200, 3201-4000.
    fills = _fills(regions)
    assert fills == {
        names["PE-TUM"]: SEQUENTIAL[4],
        names["PE-LIM"]: SEQUENTIAL[2],
        names["PE-ICA"]: "url(#chart-admin1-nodata)",
    }
    legend = [t.text or "" for t in regions.iter("{http://www.w3.org/2000/svg}text")]
    # Each class says its range in words, with locale-free numbers, then "no data".
    assert [re.findall(r"\d+", words) for words in legend] == [
        ["0", "800"],
        ["801", "1600"],
        ["1601", "2400"],
        ["2401", "3200"],
        ["3201", "4000"],
        [],
    ]
    if language == "en":
        assert legend[0] == "0 to 800" and legend[-1] == "No data"
    # The region a map cannot draw is named under it; table and CSV stay.
    assert names["PE-PIU"] in body.split('id="admin1-title"')[1].split("<table")[0]
    assert body.count("<table") == 4
    assert body.count(_url("measure:dashboard_csv", language, "admin1")) == 1


@time_machine.travel(NOW, tick=False)
def test_without_outlines_regions_are_ranked_bars(
    client: Any, world: Any, login: Any, figures: None
) -> None:
    _outline("EC-P", -79, -1)  # another country's outline draws no map of Peru
    browser = _as(login, world, "analyst", "en")
    body = browser.get(_url("measure:dashboard", "en"), {"start": "2026-01"}).content.decode()
    regions = _svgs(body)[2]
    assert not list(regions.iter("{http://www.w3.org/2000/svg}path"))
    assert len(list(regions.iter("{http://www.w3.org/2000/svg}rect"))) == 2


def test_the_map_projects_and_classes_without_the_locale() -> None:
    square = [[(-80.5, -3.5), (-80.0, -3.5), (-80.0, -3.0), (-80.5, -3.0), (-80.5, -3.5)]]
    with translation.override("es"):
        svg = choropleth(
            [MapArea("A & B", 1234.5, [square]), MapArea("C", 3, [square])],
            title="T",
            desc="D",
            ident="m",
        )
    root = ET.fromstring(str(svg))  # noqa: S314
    assert root.attrib["viewBox"].split()[:3] == ["0", "0", "320"]
    assert "A &amp; B: 1234.5" in svg and "1.234" not in svg and "1,234" not in svg
    # A square degree near the equator is drawn (almost) square, north up.
    first = next(root.iter("{http://www.w3.org/2000/svg}path")).attrib["d"].split()
    assert first[:2] == ["M4", "316.5"]  # 312 wide, 312.5 high: cos(3.25°) narrows
    assert choropleth([], title="T", desc="D", ident="e") == ""
