"""A practice's narrative fields are stored in Spanish and English: where one has no
English yet, English pages and the PDF show the Spanish in ``lang="es"`` marked "Not
translated yet"; Spanish pages, whose Spanish is there, show no marker."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ruta.practices.tests.factories import make_practice

pytestmark = pytest.mark.django_db
MARKER = '<span class="not-translated">'


@pytest.fixture
def urls(world: Any) -> dict[str, str]:
    """A published practice whose title and finding have an English version, and whose
    area and context are in Spanish only; the URLs of its pages (in Spanish)."""
    practice = make_practice(
        world,
        "BP_HALF",
        "published",
        title_es="Acompañamiento en la espera",
        title_en="Support while waiting",
        area_es="Protección",
        area_en="",
        finding_es="La espera angustia a las familias.",
        finding_en="Waiting distresses families.",
        context_es="Los trámites demoran las transferencias.",
        context_en="",
    )
    return {
        "detail": practice.get_absolute_url(),
        "catalogue": reverse("practices:catalogue"),
        "pdf": reverse("practices:export_pdf") + "?q=BP_HALF",
    }


def test_the_english_page_marks_the_spanish_fields(client: Any, urls: dict[str, str]) -> None:
    page = client.get("/en" + urls["detail"]).content.decode()
    assert "Support while waiting" in page and "Waiting distresses families." in page
    assert "La espera angustia" not in page
    assert MARKER + 'Not translated yet</span></p><div lang="es"><p>Los trámites demoran' in page
    assert '<span lang="es">Protección</span> ' + MARKER in page  # the area
    assert page.count(MARKER) == 2

    catalogue = client.get("/en" + urls["catalogue"]).content.decode()
    assert ">Support while waiting</a></h3>" in catalogue
    assert '<span lang="es">Protección</span> ' + MARKER in catalogue


def test_spanish_pages_show_no_marker(client: Any, urls: dict[str, str]) -> None:
    for name in ("detail", "catalogue"):
        page = client.get(urls[name]).content.decode()
        assert "Acompañamiento en la espera" in page
        assert MARKER not in page


def test_a_title_in_spanish_only_is_marked_on_english_pages(client: Any, world: Any) -> None:
    practice = make_practice(world, "BP_ES", "published", title_en="")
    url = practice.get_absolute_url()
    page = client.get("/en" + url).content.decode()
    assert (
        '<span lang="es">Apoyo psicosocial en la espera de transferencias</span> ' + MARKER
    ) in page
    assert MARKER not in client.get(url).content.decode()


def test_the_english_pdf_says_what_is_not_translated(
    client: Any, urls: dict[str, str], tmp_path: Path
) -> None:
    response = client.get("/en" + urls["pdf"])
    assert response.status_code == 200
    path = tmp_path / "practices.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603  (a fixed local tool on a temporary file)
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    text = " ".join(text.split())
    assert "Waiting distresses families." in text
    assert "Not translated yet Los trámites demoran las transferencias." in text
