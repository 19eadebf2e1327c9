"""The public catalogue: who sees what, faceted and accent-insensitive search, counts,
the practice page, exports (XLSX, PDF) and the number of queries."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ruta.practices.access import public_practices
from ruta.practices.models import SDG, GCMObjective, IascLayer, Theme
from ruta.practices.search import PracticeQuery, facets, find_practices
from ruta.practices.tests.factories import make_practice

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("practices:catalogue")


@pytest.fixture
def inventory(world: Any) -> dict[str, Any]:
    """Three published practices and one draft, with distinct facets."""
    return {
        "child": make_practice(
            world,
            "BP_CHILD",
            "published",
            title_es="Espacios amigables para la niñez",
            title_en="Child-friendly spaces",
            finding_es="Protección de niñas y niños durante la atención a sus madres.",
            finding_en="Protection of children while their mothers are assisted.",
            countries=["EC"],
            themes=list(Theme.objects.filter(code="child-protection")),
            iasc_layers=list(IascLayer.objects.filter(number=2)),
            sdgs=list(SDG.objects.filter(number__in=[3, 5])),
            gcm_objectives=list(GCMObjective.objects.filter(number=7)),
        ),
        "digital": make_practice(
            world,
            "BP_DIGITAL",
            "published",
            title_es="Canales digitales de atención",
            title_en="Digital assistance channels",
            finding_es="Se digitalizan los canales para mantener la frecuencia de las asistencias.",
            finding_en="Channels are digitised to keep the frequency of assistance.",
            countries=["PE", "EC"],
            themes=list(Theme.objects.filter(code="digital-remote")),
            iasc_layers=list(IascLayer.objects.filter(number=3)),
            sdgs=list(SDG.objects.filter(number=3)),
            gcm_objectives=list(GCMObjective.objects.filter(number=15)),
        ),
        "training": make_practice(
            world,
            "BP_TRAIN",
            "published",
            title_es="Capacitación a funcionarios sobre diversidad",
            title_en="Training officials on diversity",
            finding_es="Mejora la comprensión de necesidades de la comunidad LGBTIQ+.",
            finding_en="Improves understanding of LGBTIQ+ community needs.",
            countries=["PE"],
            themes=list(Theme.objects.filter(code="capacity-building")),
            iasc_layers=list(IascLayer.objects.filter(number=1)),
            sdgs=list(SDG.objects.filter(number=10)),
            gcm_objectives=list(GCMObjective.objects.filter(number=17)),
        ),
        "draft": make_practice(
            world,
            "BP_SECRET",
            "submitted",
            title_es="Protección borrador no publicado",
            countries=["EC"],
            sdgs=list(SDG.objects.filter(number=3)),
        ),
    }


def codes(response: Any) -> list[str]:
    return [card["practice"].code for card in response.context["cards"]]


def test_public_sees_published_practices_only(client: Any, inventory: dict[str, Any]) -> None:
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert codes(response) == ["BP_CHILD", "BP_DIGITAL", "BP_TRAIN"]
    assert "BP_SECRET" not in response.content.decode()
    assert client.get(inventory["draft"].get_absolute_url()).status_code == 404
    assert client.get(inventory["child"].get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("agency_admin.care", 200),  # the owning organization's agency admin
        ("coordinator", 200),
        ("admin", 200),
        ("agency_admin.hias", 404),
        ("supervisor.care", 404),  # same organization but no practice capability
        ("analyst", 404),
        ("outsider", 404),
    ],
)
def test_drafts_visible_to_owner_admins_and_coordinators_only(
    client: Any, world: Any, login: Any, inventory: dict[str, Any], user: str, status: int
) -> None:
    login(world.user(user))
    assert client.get(inventory["draft"].get_absolute_url()).status_code == status
    # Nobody sees drafts in the public catalogue.
    assert "BP_SECRET" not in codes(client.get(CATALOGUE))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("protección", ["BP_CHILD"]),
        ("PROTECCION", ["BP_CHILD"]),
        ("proteccion niñas", ["BP_CHILD"]),
        ("protection", ["BP_CHILD"]),  # English
        ("digitised channels", ["BP_DIGITAL"]),  # English
        ("capacitacion", ["BP_TRAIN"]),
        ("ecuador", ["BP_CHILD", "BP_DIGITAL"]),  # country names are searchable
        ("Salud y bienestar", ["BP_CHILD", "BP_DIGITAL"]),  # SDG 3's title
        ("nada parecido", []),
    ],
)
def test_full_text_search(
    client: Any, inventory: dict[str, Any], q: str, expected: list[str]
) -> None:
    assert codes(client.get(CATALOGUE, {"q": q})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "EC"}, ["BP_CHILD", "BP_DIGITAL"]),
        ({"country": "pe"}, ["BP_DIGITAL", "BP_TRAIN"]),
        ({"theme": "child-protection"}, ["BP_CHILD"]),
        ({"layer": "3"}, ["BP_DIGITAL"]),
        ({"sdg": "3"}, ["BP_CHILD", "BP_DIGITAL"]),
        ({"sdg": "3", "country": "PE"}, ["BP_DIGITAL"]),
        ({"gcm": "17"}, ["BP_TRAIN"]),
        ({"sdg": "16"}, []),
        ({"sdg": "bad", "layer": "x"}, ["BP_CHILD", "BP_DIGITAL", "BP_TRAIN"]),  # ignored
    ],
)
def test_facet_filters(
    client: Any, inventory: dict[str, Any], params: dict[str, str], expected: list[str]
) -> None:
    assert codes(client.get(CATALOGUE, params)) == expected


def test_organization_facet(client: Any, world: Any, inventory: dict[str, Any]) -> None:
    response = client.get(CATALOGUE, {"organization": str(world.care.uuid)})
    assert codes(response) == ["BP_CHILD", "BP_DIGITAL", "BP_TRAIN"]
    assert codes(client.get(CATALOGUE, {"organization": str(world.hias.uuid)})) == []


def test_facet_counts(inventory: dict[str, Any], world: Any) -> None:
    selection = find_practices(public_practices(), PracticeQuery())
    counts = {
        f.name: {v.value: v.count for v in f.values} for f in facets(selection, PracticeQuery())
    }
    assert counts["country"] == {"EC": 2, "PE": 2}
    assert counts["sdg"] == {"3": 2, "5": 1, "10": 1}  # the draft's SDG 3 is not counted
    assert counts["layer"] == {"1": 1, "2": 1, "3": 1}
    assert counts["theme"] == {"child-protection": 1, "digital-remote": 1, "capacity-building": 1}
    assert counts["gcm"] == {"7": 1, "15": 1, "17": 1}
    assert counts["organization"] == {str(world.care.uuid): 3}
    narrowed = PracticeQuery(country="PE")
    counts = {
        f.name: {v.value: v.count for v in f.values}
        for f in facets(find_practices(public_practices(), narrowed), narrowed)
    }
    assert counts["sdg"] == {"3": 1, "10": 1}


def test_facet_counts_and_links_on_the_page(client: Any, inventory: dict[str, Any]) -> None:
    response = client.get(CATALOGUE, {"country": "EC"})
    sdg = next(f for f in response.context["facets"] if f.name == "sdg")
    three = next(v for v in sdg.values if v.value == "3")
    assert three.count == 2 and "sdg=3" in three.link and "country=EC" in three.link
    country = next(f for f in response.context["facets"] if f.name == "country")
    ecuador = next(v for v in country.values if v.value == "EC")
    assert ecuador.selected and "country" not in ecuador.link  # the link removes the filter
    assert 'data-facet="sdg" data-value="3"' in response.content.decode()


def test_english_interface(client: Any, inventory: dict[str, Any]) -> None:
    response = client.get("/en/practicas/", {"q": "protection"})
    body = response.content.decode()
    assert "Child-friendly spaces" in body
    assert "Good health and well-being" in body  # SDG facet in English
    spanish = client.get(CATALOGUE).content.decode()
    assert "Espacios amigables para la niñez" in spanish and "Salud y bienestar" in spanish


def test_catalogue_query_count_does_not_grow(
    client: Any, world: Any, inventory: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for index in range(12):
        make_practice(world, f"BP_MORE{index}", "published", countries=["PE", "CO"])
    with django_assert_max_num_queries(13):  # 2 list + 5 prefetch + 6 facets
        response = client.get(CATALOGUE)
    assert len(response.context["cards"]) == 15


def test_practice_page_in_template_order(client: Any, inventory: dict[str, Any]) -> None:
    body = client.get(inventory["child"].get_absolute_url()).content.decode()
    assert "BP_CHILD" in body and "Espacios amigables para la niñez" in body
    # Finding, then the SDGs, then the Global Compact (the template's order).
    finding = body.index("Protección de niñas")
    sdg = body.index("Salud y bienestar")
    gcm = body.index("Abordar y reducir las vulnerabilidades en la migración")
    assert finding < sdg < gcm


def test_detail_query_count(
    client: Any, inventory: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # 10, plus one per evidence source asking whether it evidences the practice.
    with django_assert_max_num_queries(11):
        assert client.get(inventory["digital"].get_absolute_url()).status_code == 200


def test_xlsx_export_of_the_selection(client: Any, inventory: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    response = client.get(reverse("practices:export_xlsx"), {"sdg": "3"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert [row[0] for row in data] == ["BP_CHILD", "BP_DIGITAL"]
    assert data[0][1] == "Espacios amigables para la niñez"
    finding = header.index("Hallazgo") if "Hallazgo" in header else header.index("Finding")
    assert data[0][finding].startswith("Protección de niñas")
    countries = header.index("Países") if "Países" in header else header.index("Countries")
    assert data[1][countries] == "Ecuador; Perú"
    assert all("BP_SECRET" not in str(cell) for row in rows for cell in row)


def test_xlsx_export_of_an_empty_selection(client: Any, inventory: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    response = client.get(reverse("practices:export_xlsx"), {"q": "nada-coincide-xyz"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "practices.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def test_pdf_export_contains_titles_and_codes(
    client: Any, inventory: dict[str, Any], tmp_path: Path
) -> None:
    response = client.get(reverse("practices:export_pdf"), {"country": "EC"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)
    assert "BP_CHILD" in text and "BP_DIGITAL" in text and "BP_TRAIN" not in text
    assert "Espacios amigables para la niñez" in text
    assert text.index("Protección de niñas") < text.index("Salud y bienestar")


def test_pdf_in_english(client: Any, inventory: dict[str, Any], tmp_path: Path) -> None:
    response = client.get("/en/practicas/exportar.pdf", {"q": "BP_TRAIN"})
    text = _pdf_text(response.content, tmp_path)
    assert "BP_TRAIN" in text and "Training officials on diversity" in text
    assert "Reduced inequalities" in text
