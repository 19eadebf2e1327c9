"""ICS export and feed; the report as a page and a PDF; the API; materials."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from ruta.network.demo import NETWORK_SLUG, load_network_demo
from ruta.network.ics import fold
from ruta.network.models import MeetingMaterial
from ruta.network.tests.factories import PDF_BYTES, make_meeting, make_network

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

START = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)


def _unfold(body: str) -> list[str]:
    assert body.endswith("\r\n")
    return body.replace("\r\n ", "").split("\r\n")[:-1]


def test_meeting_ics_is_a_valid_vevent(client: Any, world: Any) -> None:
    meeting = make_meeting(
        make_network(world),
        title="Taller: SMAPS, VBG; y autocuidado",
        starts_at=START,
        place="Av. Javier Prado 444, San Isidro",
        agenda="15:00 Apertura\n16:00 Cierre",
    )
    response = client.get(reverse("network:meeting_ics", kwargs={"uuid": meeting.uuid}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    lines = _unfold(response.content.decode())
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    assert f"UID:{meeting.uuid}@ruta" in lines
    assert "DTSTART:20260304T200000Z" in lines
    assert "DTEND:20260304T220000Z" in lines
    assert "SUMMARY:Taller: SMAPS\\, VBG\\; y autocuidado" in lines
    assert "LOCATION:Av. Javier Prado 444\\, San Isidro" in lines
    assert "DESCRIPTION:15:00 Apertura\\n16:00 Cierre" in lines
    assert any(line.startswith("URL:http") and str(meeting.uuid) in line for line in lines)
    assert all(len(raw.encode()) <= 75 for raw in response.content.decode().split("\r\n"))


def test_long_lines_are_folded_at_75_octets() -> None:
    line = "SUMMARY:" + "ñ" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_network_feed_has_public_meetings_only(client: Any, world: Any) -> None:
    network = make_network(world)
    shown = make_meeting(network, title="Pública")
    hidden = make_meeting(network, title="Interna", public=False)
    body = client.get(
        reverse("network:network_feed", kwargs={"slug": network.slug})
    ).content.decode()
    assert f"UID:{shown.uuid}@ruta" in body
    assert str(hidden.uuid) not in body
    assert (
        client.get(reverse("network:meeting_ics", kwargs={"uuid": hidden.uuid})).status_code == 404
    )


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603  (a fixed local tool on a temporary file)
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def test_report_page_and_pdf_in_spanish_and_english(client: Any, tmp_path: Path) -> None:
    load_network_demo()
    period = {"start": "2021-01-01", "end": "2023-12-31"}
    page = client.get(reverse("network:report", kwargs={"slug": NETWORK_SLUG}), period)
    html = page.content.decode()
    assert page.status_code == 200
    assert "www.acnur.org/pais/peru" in html
    assert "Paquete de Servicios Mínimos" in html
    assert "Liderazgos comunitarios" in html
    assert 'lang="es"' in html

    pdf = client.get(reverse("network:report_pdf", kwargs={"slug": NETWORK_SLUG}), period)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content, tmp_path)
    assert "GTRM Perú — Comunidad de Práctica SMAPS" in text
    assert "CARE Perú" in text
    assert "253" in text

    english = client.get(
        "/en" + reverse("network:report_pdf", kwargs={"slug": NETWORK_SLUG}), period
    )
    english_text = _pdf_text(english.content, tmp_path)
    assert "Network report" in english_text
    assert "Member organizations" in english_text


def test_report_lists_trainings_and_practices_sections(client: Any) -> None:
    load_network_demo()
    page = client.get(reverse("network:report", kwargs={"slug": NETWORK_SLUG}))
    html = page.content.decode()
    assert 'id="r-trainings"' in html
    assert 'id="r-practices"' in html
    # Both interfaces are importable (the tests run in Spanish, as the page does).
    assert gettext("Training records are not available.") not in html
    assert gettext("The good-practices inventory is not available.") not in html


def test_api_lists_networks_and_public_meetings(client: Any, login: Any, world: Any) -> None:
    network = make_network(world)
    public = make_meeting(network, title="Pública")
    internal = make_meeting(network, title="Interna", public=False)
    data = client.get(reverse("network_api:meeting-list")).json()
    assert [m["uuid"] for m in data["results"]] == [str(public.uuid)]
    assert (
        client.get(
            reverse("network_api:meeting-detail", kwargs={"uuid": internal.uuid})
        ).status_code
        == 404
    )
    detail = client.get(reverse("network_api:network-detail", kwargs={"slug": network.slug})).json()
    assert {m["organization"]["acronym"] for m in detail["members"]} == {"CARE", "HIAS"}
    login(world.user("caseworker.care"))
    data = client.get(reverse("network_api:meeting-list")).json()
    assert len(data["results"]) == 2


def test_schema_documents_the_network_api(client: Any) -> None:
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/network/networks/{slug}/figures/" in schema["paths"]
    assert "/api/v1/network/meetings/" in schema["paths"]


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_materials_are_checked_by_content_and_shown_to_logged_in_users(
    client: Any, login: Any, world: Any
) -> None:
    meeting = make_meeting(make_network(world))
    url = reverse("network:materials", kwargs={"uuid": meeting.uuid})
    login(world.user("coordinator"))
    fake = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Falsa", "file": fake})
    assert response.status_code == 400
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert client.post(url, {"title": "Exe", "file": exe}).status_code == 400
    swapped = SimpleUploadedFile("doc.pdf", _docx(), content_type="application/pdf")
    assert client.post(url, {"title": "Cambiada", "file": swapped}).status_code == 400
    big = SimpleUploadedFile(
        "big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    assert client.post(url, {"title": "Grande", "file": big}).status_code == 400
    assert not MeetingMaterial.objects.exists()

    assert (
        client.post(
            url, {"title": "Agenda", "file": SimpleUploadedFile("agenda.docx", _docx())}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"title": "Slides", "file": SimpleUploadedFile("s.pdf", PDF_BYTES)}
        ).status_code
        == 302
    )
    material = MeetingMaterial.objects.get(title="Slides")
    assert material.content_type == "application/pdf"
    download = reverse("network:material_download", kwargs={"uuid": material.uuid})
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]

    client.logout()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Slides" not in page
    assert client.get(download).status_code == 302  # to the login page


class _Practice:
    code = "BP5_PC"
    title = "Protocolo de primer contacto"

    def get_absolute_url(self) -> str:
        return "/practicas/bp5-pc/"


def test_report_shows_trainings_and_practices_from_the_other_apps(
    client: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ruta.practices.figures
    import ruta.trainings.figures

    network = make_network(world)
    seen: dict[str, Any] = {}

    def training_summary(net: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
        seen["network"] = net
        return {
            "courses": [
                {
                    "title": "Curso SMAPS en 5 módulos",
                    "sessions": 5,
                    "enrolled": 40,
                    "completed": 31,
                }
            ],
            "people_trained": 31,
            "by_organization": [("CARE Perú", 20), ("HIAS Perú", 11)],
            "by_country": [("Perú", 31)],
            "by_sex": [("Mujeres", 25), ("Hombres", 6)],
        }

    def published_practices(organization_ids: list[int], start: dt.date, end: dt.date) -> list[Any]:
        seen["organizations"] = sorted(organization_ids)
        return [_Practice()]

    monkeypatch.setattr(ruta.trainings.figures, "training_summary", training_summary)
    monkeypatch.setattr(ruta.practices.figures, "published_practices", published_practices)
    html = client.get(reverse("network:report", kwargs={"slug": network.slug})).content.decode()
    assert "Curso SMAPS en 5 módulos" in html
    assert "HIAS Perú: 11" in html
    assert "Mujeres: 25" in html
    assert "BP5_PC — Protocolo de primer contacto" in html
    assert 'href="/practicas/bp5-pc/"' in html
    assert seen["network"] == network
    assert seen["organizations"] == sorted([world.care.pk, world.hias.pk])


def test_lists_keep_a_fixed_number_of_queries(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    network = make_network(world)
    for index in range(5):
        meeting = make_meeting(network, title=f"Reunión {index}")
        meeting.host_organizations.set([world.care, world.hias])
    with django_assert_max_num_queries(6):
        assert client.get(reverse("network:meeting_list")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("network_api:meeting-list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("network:report", kwargs={"slug": network.slug})).status_code == 200
        )


def test_the_network_page_says_which_members_each_figure_counts(client: Any) -> None:
    """The key figure counts members at any time in its period, the table those of today:
    each says so (the demo shows 21 over its period and 14 today)."""
    import re

    from ruta.network.models import Membership, MembershipStatus

    load_network_demo()
    html = client.get("/en" + reverse("network:network_detail", args=[NETWORK_SLUG])).content
    text = html.decode()
    figure = re.search(r'data-figure="member_organizations">(\d+)<', text)
    assert figure and "Member organizations during the period" in text
    today = Membership.objects.filter(
        network__slug=NETWORK_SLUG, status=MembershipStatus.ACTIVE
    ).count()
    assert f"{today} member organizations today" in text
    assert "including those that have left since" in text
