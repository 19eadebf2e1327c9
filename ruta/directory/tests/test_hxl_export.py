"""The HXL/3W export: parses with libhxl, exactly the agreed hashtags, scoped like the finder."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import hxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ruta.directory.hxl_export import HASHTAGS
from ruta.directory.models import Service, ServiceArea
from ruta.directory.tests.factories import make_service
from ruta.places.models import AdminArea

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

CSV = reverse("reports:hxl_csv")
XLSX = reverse("reports:hxl_xlsx")

EXPECTED_TAGS = [
    "#org+name",
    "#org+code",
    "#sector",
    "#service+name",
    "#adm1+name",
    "#adm1+code",
    "#adm2+name",
    "#loc+name",
    "#geo+lat",
    "#geo+lon",
    "#contact+phone",
    "#contact+email",
    "#status",
    "#date+verified",
]


@pytest.fixture
def services(world: Any) -> dict[str, Service]:
    tumbes = make_service(
        world.care,
        "Apoyo psicológico Tumbes",
        terms=("psychosocial_support", "mental_health", "women"),
        area="PE-TUM",
        point=(-3.57, -80.45),
        phones=(("+51 972 000 111", True), ("072 523 456", False)),
        email="tumbes@care.example",
        last_verified_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
    )
    line = make_service(
        world.hias,
        "Línea de orientación legal",
        terms=("legal",),
        in_person=False,
        by_phone=True,
    )
    ServiceArea.objects.create(service=line, area=AdminArea.objects.get(code="PE-TAC"))
    nowhere = make_service(world.hias, "Orientación en línea", online=True, in_person=False)
    care_draft = make_service(world.care, "Borrador CARE", status="draft", area="PE-LMA")
    hias_draft = make_service(world.hias, "Borrador HIAS", status="draft", area="PE-LMA")
    return {
        "tumbes": tumbes,
        "line": line,
        "nowhere": nowhere,
        "care_draft": care_draft,
        "hias_draft": hias_draft,
    }


def _parse(content: bytes, tmp_path: Path, suffix: str) -> Any:
    path = tmp_path / f"export{suffix}"
    path.write_bytes(content)
    return hxl.data(str(path), hxl.InputOptions(allow_local=True))


def _rows(source: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for row in source:
        found.setdefault(row.get("#service+name"), []).append(row)
    return found


def test_hashtags_are_exactly_the_agreed_ones() -> None:
    assert EXPECTED_TAGS == HASHTAGS


def test_csv_parses_with_libhxl(client: Any, services: Any, tmp_path: Path) -> None:
    response = client.get("/en" + CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ruta-3w-' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    header = next(csv.reader(io.StringIO(content.decode())))
    assert header[:4] == ["Organization", "Organization ID", "Sectors", "Service"]

    source = _parse(content, tmp_path, ".csv")
    assert source.display_tags == EXPECTED_TAGS
    assert [tag.display_tag for tag in source.columns] == EXPECTED_TAGS
    rows = _rows(source)
    # Anonymous: published services only.
    assert set(rows) == {
        "Apoyo psicológico Tumbes",
        "Línea de orientación legal",
        "Orientación en línea",
    }
    (tumbes,) = rows["Apoyo psicológico Tumbes"]
    assert tumbes.get("#org+name") == "CARE Perú"
    assert tumbes.get("#org+code") == str(services["tumbes"].organization.uuid)
    assert tumbes.get("#sector") == "Psychosocial support | Mental health care"
    assert tumbes.get("#adm1+code") == "PE-TUM"
    assert tumbes.get("#adm1+name") == "Tumbes"
    assert tumbes.get("#loc+name") == "Sede Apoyo psicológico Tumbes"
    assert float(tumbes.get("#geo+lat")) == -3.57
    assert float(tumbes.get("#geo+lon")) == -80.45
    assert tumbes.get("#contact+phone") == "+51 972 000 111 | 072 523 456"
    assert tumbes.get("#contact+email") == "tumbes@care.example"
    assert tumbes.get("#status") == "active"
    assert tumbes.get("#date+verified") == "2026-03-02"
    # A phone line without a location: a row for the area it serves, no location.
    (line,) = rows["Línea de orientación legal"]
    assert line.get("#adm1+code") == "PE-TAC"
    assert not line.get("#loc+name")
    # Neither location nor area: one row with empty place columns.
    (nowhere,) = rows["Orientación en línea"]
    assert not nowhere.get("#adm1+code")
    assert not nowhere.get("#geo+lat")


def test_xlsx_parses_with_libhxl(client: Any, services: Any, tmp_path: Path) -> None:
    response = client.get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    source = _parse(response.content, tmp_path, ".xlsx")
    assert source.display_tags == EXPECTED_TAGS
    rows = _rows(source)
    (tumbes,) = rows["Apoyo psicológico Tumbes"]
    # Spanish by default.
    assert tumbes.get("#sector") == "Apoyo psicosocial | Atención en salud mental"
    assert tumbes.get("#adm1+code") == "PE-TUM"
    # Coordinates stay numbers in the workbook.
    sheet = load_workbook(io.BytesIO(response.content)).active
    tags = [cell.value for cell in sheet[2]]
    assert tags == EXPECTED_TAGS
    latitudes = [
        row[tags.index("#geo+lat")] for row in sheet.iter_rows(min_row=3, values_only=True)
    ]
    assert -3.57 in latitudes


def test_logged_in_export_adds_own_drafts_only(
    client: Any, world: Any, login: Any, services: Any, tmp_path: Path
) -> None:
    login(world.user("caseworker.care"))
    content = b"".join(client.get(CSV).streaming_content)
    names = set(_rows(_parse(content, tmp_path, ".csv")))
    assert "Borrador CARE" in names
    assert "Borrador HIAS" not in names
    (draft,) = _rows(_parse(content, tmp_path, ".csv"))["Borrador CARE"]
    assert draft.get("#status") == "draft"


def test_finder_filters_apply(client: Any, services: Any, tmp_path: Path) -> None:
    content = b"".join(client.get(CSV, {"q": "PSICOLOGICO"}).streaming_content)
    assert set(_rows(_parse(content, tmp_path, ".csv"))) == {"Apoyo psicológico Tumbes"}
    content = b"".join(client.get(CSV, {"sector": "legal"}).streaming_content)
    assert set(_rows(_parse(content, tmp_path, ".csv"))) == {"Línea de orientación legal"}
    content = b"".join(client.get(CSV, {"admin1": "PE-TAC"}).streaming_content)
    assert set(_rows(_parse(content, tmp_path, ".csv"))) == {"Línea de orientación legal"}
    hias = services["line"].organization.uuid
    response = client.get(XLSX, {"organization": str(hias)})
    assert set(_rows(_parse(response.content, tmp_path, ".xlsx"))) == {
        "Línea de orientación legal",
        "Orientación en línea",
    }
    # A malformed organization id is ignored, not an error.
    assert client.get(XLSX, {"organization": "not-a-uuid"}).status_code == 200


def test_one_row_per_location(client: Any, world: Any, services: Any, tmp_path: Path) -> None:
    from ruta.directory.models import Location, ServiceAtLocation

    second = Location.objects.create(
        organization=world.care,
        name="Sede Zarumilla",
        admin1=AdminArea.objects.get(code="PE-TUM"),
    )
    ServiceAtLocation.objects.create(service=services["tumbes"], location=second)
    content = b"".join(client.get(CSV).streaming_content)
    rows = _rows(_parse(content, tmp_path, ".csv"))["Apoyo psicológico Tumbes"]
    assert sorted(row.get("#loc+name") for row in rows) == [
        "Sede Apoyo psicológico Tumbes",
        "Sede Zarumilla",
    ]


def test_formulas_are_neutralised_but_phone_numbers_are_not(
    client: Any, world: Any, services: Any
) -> None:
    make_service(world.care, '=HYPERLINK("http://evil.example","x")')
    text = b"".join(client.get(CSV).streaming_content).decode()
    lines = list(csv.reader(io.StringIO(text)))
    names = [line[3] for line in lines[2:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert any(line[10] == "+51 972 000 111 | 072 523 456" for line in lines[2:])


def test_query_count_does_not_grow_with_services(client: Any, world: Any, services: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(CSV)
            b"".join(response.streaming_content)
        return len(captured.captured_queries)

    few = count()
    for index in range(8):
        make_service(
            world.care,
            f"Servicio {index}",
            terms=("legal", "women"),
            area="PE-LMA",
            phones=(("01 555 0000", False),),
        )
    assert count() == few
