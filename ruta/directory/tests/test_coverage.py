"""Coverage gaps: counts, zero highlighting (HTML and XLSX), drill-down, exports, queries."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path
from typing import Any

import hxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ruta.directory.coverage import CoverageQuery, build_coverage
from ruta.directory.models import Location, ServiceArea, ServiceAtLocation
from ruta.directory.tests.factories import make_service
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:coverage")
CSV = reverse("reports:coverage_csv")
XLSX = reverse("reports:coverage_xlsx")
PSS = "psychosocial_support"


@pytest.fixture
def services(world: Any) -> dict[str, Any]:
    """Tumbes: one counted service and two that must not count; Tacna: a phone line."""
    counted = make_service(
        world.care, "Apoyo psicosocial Tumbes", terms=(PSS, "women"), area="PE-TUM"
    )
    waiting = make_service(
        world.care,
        "Lista de espera Tumbes",
        terms=(PSS, "women"),
        area="PE-TUM",
        intake_status="waiting_list",
    )
    draft = make_service(
        world.hias, "Borrador Tumbes", terms=(PSS, "women"), area="PE-TUM", status="draft"
    )
    line = make_service(
        world.hias,
        "Línea de escucha",
        terms=(PSS, "helpline", "women", "men"),
        in_person=False,
        by_phone=True,
    )
    ServiceArea.objects.create(service=line, area=AdminArea.objects.get(code="PE-TAC"))
    legal_men = make_service(
        world.care, "Asesoría legal Tumbes", terms=("legal", "men"), area="PE-TUM"
    )
    return {
        "counted": counted,
        "waiting": waiting,
        "draft": draft,
        "line": line,
        "legal": legal_men,
    }


def _cell(table: Any, area: str, term: str) -> int:
    column = [t.code for t in table.columns].index(term)
    row = next(row for row in table.rows if row.area.code == area)
    return row.cells[column]


def _row(table: Any, area: str) -> Any:
    return next(row for row in table.rows if row.area.code == area)


def test_counts_only_active_accepting_services_present_in_the_area(
    world: Any, services: Any
) -> None:
    table = build_coverage(CoverageQuery(country="PE", columns="sector", profile="women"))
    assert _cell(table, "PE-TUM", PSS) == 1  # not the waiting list, not the draft
    assert _cell(table, "PE-TAC", PSS) == 1  # the phone line through its service area
    assert _cell(table, "PE-TAC", "helpline") == 1
    assert _cell(table, "PE-TUM", "helpline") == 0
    assert _cell(table, "PE-TUM", "legal") == 0  # the legal service is for men only
    assert _cell(table, "PE-LMA", PSS) == 0
    # Totals count each service once: the line has two sectors but is one service.
    assert _row(table, "PE-TAC").total == 1
    assert table.column_totals[[t.code for t in table.columns].index(PSS)] == 2
    assert table.total == 2
    # Only Peru's regions are rows.
    assert {row.area.country for row in table.rows} == {"PE"}


def test_profiles_as_columns_with_a_sector_filter(world: Any, services: Any) -> None:
    table = build_coverage(CoverageQuery(country="PE", columns="profile", sector="legal"))
    assert _cell(table, "PE-TUM", "men") == 1
    assert _cell(table, "PE-TUM", "women") == 0
    assert _cell(table, "PE-TAC", "men") == 0
    # Choosing a sector while columns are sectors narrows the columns to it.
    narrowed = build_coverage(CoverageQuery(country="PE", columns="sector", sector="legal"))
    assert [t.code for t in narrowed.columns] == ["legal"]


def test_inactive_organization_does_not_count(world: Any, services: Any) -> None:
    world.care.active = False
    world.care.save()
    table = build_coverage(CoverageQuery(country="PE", profile="women"))
    assert _cell(table, "PE-TUM", PSS) == 0
    assert _cell(table, "PE-TAC", PSS) == 1


def test_drill_down_into_level_two_areas(world: Any, services: Any) -> None:
    tumbes = AdminArea.objects.get(code="PE-TUM")
    zarumilla = AdminArea.objects.create(
        code="PE-TUM-ZAR",
        country="PE",
        level=2,
        name_es="Zarumilla",
        name_en="Zarumilla",
        parent=tumbes,
        pcode="PE2403",
    )
    AdminArea.objects.create(
        code="PE-TUM-TUM",
        country="PE",
        level=2,
        name_es="Tumbes",
        name_en="Tumbes",
        parent=tumbes,
        pcode="PE2401",
    )
    border = make_service(world.care, "Frontera Aguas Verdes", terms=("legal",))
    place = Location.objects.create(
        organization=world.care, name="Aguas Verdes", admin1=tumbes, admin2=zarumilla
    )
    ServiceAtLocation.objects.create(service=border, location=place)
    region_line = make_service(world.hias, "Línea regional", terms=("legal",), by_phone=True)
    ServiceArea.objects.create(service=region_line, area=tumbes)

    table = build_coverage(CoverageQuery(country="PE", admin1="PE-TUM", sector="legal"))
    assert table.level == 2
    assert [row.area.name_es for row in table.rows] == ["Tumbes", "Zarumilla"]
    # The regional line reaches both districts; the border office only Zarumilla; the
    # Tumbes legal service has no district, so it does not count in either.
    assert _cell(table, "PE-TUM-ZAR", "legal") == 2
    assert _cell(table, "PE-TUM-TUM", "legal") == 1
    # The level-1 table counts the district location in its region.
    regions = build_coverage(CoverageQuery(country="PE", sector="legal"))
    assert _cell(regions, "PE-TUM", "legal") == 3


def test_page_shows_counts_and_highlights_zero_cells(
    client: Any, world: Any, login: Any, services: Any
) -> None:
    login(world.user("caseworker.care"))
    response = client.get("/en" + PAGE, {"country": "PE", "profile": "women"})
    assert response.status_code == 200
    html = response.content.decode()
    tumbes = _html_row(html, "PE-TUM")
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", tumbes, re.S)
    psychosocial = cells[0]  # the first sector column
    assert "gap" not in psychosocial[0] and psychosocial[1].strip() == "1"
    lima = re.findall(r"<td([^>]*)>(.*?)</td>", _html_row(html, "PE-LMA"), re.S)[0]
    assert 'class="gap"' in lima[0]
    assert "<strong>0</strong>" in lima[1]
    assert '<span class="visually-hidden"> no service</span>' in lima[1]
    assert 'role="region"' in html and 'tabindex="0"' in html  # scrollable, keyboard-reachable


def _html_row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-area="{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert match, code
    return match.group(1)


def test_page_in_english_and_drill_down_notice(
    client: Any, world: Any, login: Any, services: Any
) -> None:
    login(world.user("coordinator"))
    response = client.get("/en" + PAGE, {"country": "PE", "admin1": "PE-TAC"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No districts or cantons have been imported for Tacna" in unescape(html)
    assert 'data-area="PE-TAC"' in html
    assert "no service" in html
    assert "/en/directorio/informes/3w.csv" in html


def test_region_of_another_country_is_a_form_error(client: Any, world: Any, login: Any) -> None:
    login(world.user("analyst"))
    response = client.get("/en" + PAGE, {"country": "PE", "admin1": "EC-P"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert response.context["table"] is None
    export = client.get(CSV, {"country": "PE", "admin1": "EC-P"})
    assert export.status_code == 302
    assert export["Location"].startswith(PAGE)


def test_anonymous_is_sent_to_login(client: Any, world: Any) -> None:
    for url in (PAGE, CSV, XLSX):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_xlsx_fills_zero_cells(client: Any, world: Any, login: Any, services: Any) -> None:
    login(world.user("coordinator"))
    response = client.get("/en" + XLSX, {"country": "PE", "profile": "women"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["Coverage"]
    header = [cell.value for cell in sheet[1]]
    tags = [cell.value for cell in sheet[2]]
    assert tags[:3] == ["#country+code", "#adm1+code", "#adm1+name"]
    column = header.index("Psychosocial support") + 1
    rows = {sheet.cell(row=r, column=2).value: r for r in range(3, sheet.max_row + 1)}
    tumbes = sheet.cell(row=rows["PE-TUM"], column=column)
    lima = sheet.cell(row=rows["PE-LMA"], column=column)
    assert tumbes.value == 1 and tumbes.fill.fill_type is None
    assert lima.value == 0
    assert lima.fill.fill_type == "lightUp"
    assert lima.font.bold
    # The last row holds the totals.
    assert sheet.cell(row=sheet.max_row, column=1).value == "Total"
    assert sheet.cell(row=sheet.max_row, column=column).value == 2


def test_csv_has_hxl_hashtags_and_parses(
    client: Any, world: Any, login: Any, services: Any, tmp_path: Path
) -> None:
    login(world.user("caseworker.hias"))
    response = client.get("/en" + CSV, {"country": "PE", "columns": "profile", "sector": PSS})
    assert response.status_code == 200
    assert 'filename="ruta-coverage-PE-profile-' in response["Content-Disposition"]
    text = response.content.decode()
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:3] == ["Country", "Region code", "Region"]
    assert lines[1][:3] == ["#country+code", "#adm1+code", "#adm1+name"]
    assert "#indicator+num+services+profile+women" in lines[1]
    assert lines[1][-1] == "#indicator+num+services+total"
    path = tmp_path / "coverage.csv"
    path.write_text(text, encoding="utf-8")
    source = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    assert "#adm1+code" in source.display_tags
    rows = {row.get("#adm1+code"): row for row in source}
    assert rows["PE-TUM"].get("#indicator+profile+women") == "1"
    assert rows["PE-TAC"].get("#indicator+profile+women") == "1"
    assert rows["PE-LMA"].get("#indicator+profile+women") == "0"
    assert rows["PE-TUM"].get("#indicator+total") == "1"


def _queries(callable_: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_the_data(world: Any, services: Any) -> None:
    query = CoverageQuery(country="PE", profile="women")
    few = _queries(lambda: build_coverage(query))
    for index, area in enumerate(("PE-LMA", "PE-ARE", "PE-CUS", "PE-PIU", "PE-LAL", "PE-TUM")):
        make_service(world.care, f"Servicio {index}", terms=(PSS, "legal", "women"), area=area)
    many = _queries(lambda: build_coverage(query))
    assert few == many == 5
    drill = CoverageQuery(country="PE", admin1="PE-TUM", profile="women")
    # Drilling into a region without districts: the parent and its (absent) children too.
    assert _queries(lambda: build_coverage(drill)) == 6


def test_page_query_count_is_pinned(
    client: Any, world: Any, login: Any, services: Any, django_assert_max_num_queries: Any
) -> None:
    login(world.user("caseworker.care"))
    client.get(PAGE)  # warm the session
    with django_assert_max_num_queries(14):
        assert client.get(PAGE, {"country": "PE"}).status_code == 200
