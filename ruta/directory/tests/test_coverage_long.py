"""The coverage cube in long format: HXL that libhxl reads, the table's numbers, both levels."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import hxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ruta.directory.coverage import CoverageQuery, build_coverage, build_cube, cube_rows
from ruta.directory.models import (
    Location,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ruta.directory.tests.factories import make_service
from ruta.places.models import AdminArea

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:coverage")
CSV = reverse("reports:coverage_long_csv")
XLSX = reverse("reports:coverage_long_xlsx")
PSS = "psychosocial_support"

LEVEL1_TAGS = [
    "#country+code",
    "#adm1+code",
    "#adm1+name",
    "#sector+code",
    "#sector+name",
    "#beneficiary+code",
    "#beneficiary+name",
    "#indicator+num+services+accepting",
    "#indicator+num+services+active",
]
LEVEL2_TAGS = [*LEVEL1_TAGS[:3], "#adm2+code", "#adm2+name", *LEVEL1_TAGS[3:]]


@pytest.fixture
def services(world: Any) -> dict[str, Any]:
    """Tumbes: an accepting service, a waiting list and a draft; Tacna: a phone line."""
    return {
        "counted": make_service(
            world.care, "Apoyo psicosocial Tumbes", terms=(PSS, "women"), area="PE-TUM"
        ),
        "waiting": make_service(
            world.care,
            "Lista de espera Tumbes",
            terms=(PSS, "women"),
            area="PE-TUM",
            intake_status="waiting_list",
        ),
        "draft": make_service(
            world.hias, "Borrador Tumbes", terms=(PSS, "women"), area="PE-TUM", status="draft"
        ),
        "line": _line(world),
        "legal": make_service(
            world.care, "Asesoría legal Tumbes", terms=("legal", "men"), area="PE-TUM"
        ),
    }


def _line(world: Any) -> Any:
    line = make_service(
        world.hias,
        "Línea de escucha",
        terms=(PSS, "helpline", "women", "men"),
        in_person=False,
        by_phone=True,
    )
    ServiceArea.objects.create(service=line, area=AdminArea.objects.get(code="PE-TAC"))
    return line


@pytest.fixture
def districts(world: Any) -> dict[str, AdminArea]:
    """Two districts of Tumbes, a legal office in one and a regional legal line."""
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
    capital = AdminArea.objects.create(
        code="PE-TUM-TUM",
        country="PE",
        level=2,
        name_es="Tumbes",
        name_en="Tumbes",
        parent=tumbes,
        pcode="PE2401",
    )
    border = make_service(world.care, "Frontera Aguas Verdes", terms=("legal", "men"))
    place = Location.objects.create(
        organization=world.care, name="Aguas Verdes", admin1=tumbes, admin2=zarumilla
    )
    ServiceAtLocation.objects.create(service=border, location=place)
    line = make_service(world.hias, "Línea regional", terms=("legal", "men"), by_phone=True)
    ServiceArea.objects.create(service=line, area=tumbes)
    return {"zarumilla": zarumilla, "capital": capital}


def _parse(content: bytes, tmp_path: Path, suffix: str) -> Any:
    path = tmp_path / f"long{suffix}"
    path.write_bytes(content)
    return hxl.data(str(path), hxl.InputOptions(allow_local=True))


def _content(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _cells(source: Any, area_tag: str = "#adm1+code") -> dict[tuple[str, str, str], Any]:
    return {
        (row.get(area_tag), row.get("#sector+code"), row.get("#beneficiary+code")): row
        for row in source
    }


def test_csv_parses_with_libhxl_and_matches_the_table(
    client: Any, world: Any, login: Any, services: Any, tmp_path: Path
) -> None:
    login(world.user("caseworker.care"))
    response = client.get("/en" + CSV, {"country": "PE"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="ruta-coverage-long-PE-adm1-' in response["Content-Disposition"]
    source = _parse(_content(response), tmp_path, ".csv")
    assert source.display_tags == LEVEL1_TAGS
    cells = _cells(source)
    sectors = TaxonomyTerm.objects.filter(taxonomy__code="sector", active=True).count()
    profiles = TaxonomyTerm.objects.filter(taxonomy__code="population", active=True).count()
    regions = AdminArea.objects.filter(country="PE", level=1).count()
    assert len(cells) == regions * sectors * profiles  # zeros included: every cell is a row
    tumbes = cells[("PE-TUM", PSS, "women")]
    assert tumbes.get("#indicator+accepting") == "1"  # not the waiting list, not the draft
    assert tumbes.get("#indicator+active") == "2"  # the waiting list is active
    assert tumbes.get("#sector+name") == "Psychosocial support"
    assert cells[("PE-TAC", "helpline", "men")].get("#indicator+accepting") == "1"
    assert cells[("PE-TUM", "legal", "women")].get("#indicator+accepting") == "0"
    # Every cell equals the on-screen table's cell for that profile (same counting code).
    for profile in ("women", "men"):
        table = build_coverage(CoverageQuery(country="PE", columns="sector", profile=profile))
        for row in table.rows:
            for term, value in zip(table.columns, row.cells, strict=True):
                cell = cells[(row.area.code, term.code, profile)]
                assert int(cell.get("#indicator+accepting")) == value


def test_xlsx_parses_with_libhxl_in_spanish(
    client: Any, world: Any, login: Any, services: Any, tmp_path: Path
) -> None:
    login(world.user("coordinator"))
    response = client.get(XLSX, {"country": "PE", "sector": PSS})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]][:3] == ["País", "Código de región", "Región"]
    source = _parse(response.content, tmp_path, ".xlsx")
    assert source.display_tags == LEVEL1_TAGS
    cells = _cells(source)
    # The sector filter leaves one sector; the names follow the request's language.
    assert {key[1] for key in cells} == {PSS}
    tumbes = cells[("PE-TUM", PSS, "women")]
    assert tumbes.get("#sector+name") == "Apoyo psicosocial"
    assert tumbes.get("#adm1+name") == "Tumbes"
    assert int(tumbes.get("#indicator+accepting")) == 1
    assert len(workbook.worksheets) == 2  # the data and a sheet that says what it is


def test_level_two_for_one_region(
    client: Any, world: Any, login: Any, services: Any, districts: Any, tmp_path: Path
) -> None:
    login(world.user("analyst"))
    response = client.get("/en" + CSV, {"country": "PE", "admin1": "PE-TUM"})
    assert response.status_code == 200
    assert 'filename="ruta-coverage-long-PE-TUM-adm2-' in response["Content-Disposition"]
    source = _parse(_content(response), tmp_path, ".csv")
    assert source.display_tags == LEVEL2_TAGS
    cells = _cells(source, "#adm2+code")
    assert {key[0] for key in cells} == {"PE2401", "PE2403"}
    # The regional line reaches both districts; the border office only Zarumilla.
    assert cells[("PE2403", "legal", "men")].get("#indicator+accepting") == "2"
    assert cells[("PE2401", "legal", "men")].get("#indicator+accepting") == "1"
    assert cells[("PE2401", "legal", "men")].get("#adm1+code") == "PE-TUM"
    table = build_coverage(CoverageQuery(country="PE", admin1="PE-TUM", profile="men"))
    for row in table.rows:
        for term, value in zip(table.columns, row.cells, strict=True):
            cell = cells[(row.area.pcode, term.code, "men")]
            assert int(cell.get("#indicator+accepting")) == value


def test_level_two_for_the_whole_country_keeps_regions_without_districts(
    client: Any, world: Any, login: Any, services: Any, districts: Any, tmp_path: Path
) -> None:
    login(world.user("coordinator"))
    response = client.get("/en" + XLSX, {"country": "PE", "level": "2"})
    assert response.status_code == 200
    source = _parse(response.content, tmp_path, ".xlsx")
    assert source.display_tags == LEVEL2_TAGS
    rows = list(source)
    by_place = {
        (
            row.get("#adm1+code"),
            row.get("#adm2+code") or "",
            row.get("#sector+code"),
            row.get("#beneficiary+code"),
        ): row
        for row in rows
    }
    assert int(by_place[("PE-TUM", "PE2403", "legal", "men")].get("#indicator+accepting")) == 2
    # Tacna has no districts imported: one row for the region, counted as the table does.
    tacna = by_place[("PE-TAC", "", "helpline", "women")]
    assert int(tacna.get("#indicator+accepting")) == 1
    # Tumbes has districts, so it has no row of its own.
    assert ("PE-TUM", "", PSS, "women") not in by_place


def test_query_count_does_not_grow_with_the_data(
    client: Any, world: Any, login: Any, services: Any, districts: Any
) -> None:
    login(world.user("coordinator"))
    client.get(PAGE)  # warm the session

    def count(params: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(CSV, params)
            _content(response)
        assert response.status_code == 200
        return len(captured.captured_queries)

    few = {level: count({"country": "PE", "level": level}) for level in ("1", "2")}
    for index, area in enumerate(("PE-LMA", "PE-ARE", "PE-CUS", "PE-TAC", "PE-TUM")):
        make_service(world.care, f"Servicio {index}", terms=(PSS, "legal", "women"), area=area)
    many = {level: count({"country": "PE", "level": level}) for level in ("1", "2")}
    assert few == many


def test_invalid_filters_go_back_to_the_page(client: Any, world: Any, login: Any) -> None:
    login(world.user("analyst"))
    response = client.get(CSV, {"country": "PE", "admin1": "EC-P"})
    assert response.status_code == 302
    assert response["Location"].startswith(PAGE)


def test_anonymous_is_sent_to_login(client: Any, world: Any) -> None:
    for url in (CSV, XLSX):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_page_links_to_the_long_exports(client: Any, world: Any, login: Any, services: Any) -> None:
    login(world.user("caseworker.care"))
    response = client.get("/en" + PAGE, {"country": "PE", "profile": "women"})
    html = response.content.decode()
    assert f'href="/en{CSV}?country=PE&amp;profile=women"' in html
    assert f'href="/en{XLSX}?country=PE&amp;profile=women"' in html
    assert f'href="/en{CSV}?country=PE&amp;profile=women&amp;level=2"' in html
    assert "Whole table, long format (CSV)" in html


def test_cube_takes_a_fixed_number_of_queries(world: Any, services: Any, districts: Any) -> None:
    # Rows, terms, accepting services, places from locations and areas, service terms;
    # a chosen region adds one, as in the table (the region, then its districts).
    for query, level, expected in (
        (CoverageQuery(country="PE"), 1, 6),
        (CoverageQuery(country="PE"), 2, 6),
        (CoverageQuery(country="PE", admin1="PE-TUM", profile="men"), 1, 7),
    ):
        with CaptureQueriesContext(connection) as captured:
            cube = build_cube(query, level)
            rows = list(cube_rows(cube, "es"))
        assert rows
        assert len(captured.captured_queries) == expected
