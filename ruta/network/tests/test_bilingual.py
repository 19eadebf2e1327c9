"""A meeting's title, topics, agenda and learnings in Spanish and, when the organizer has
it, in English: English pages, feeds and reports show the English, or the Spanish in
``lang="es"`` marked "Not translated yet"; Spanish pages show the Spanish, unmarked."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from ruta.network.demo import NETWORK_SLUG, load_network_demo
from ruta.network.models import Meeting
from ruta.network.tests.factories import make_meeting, make_network

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

START = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)
PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}
MARKER = '<span class="not-translated">'


def _translated_meeting(network: Any) -> Meeting:
    return make_meeting(
        network,
        title="Autocuidado de los equipos",
        title_en="Self-care of the teams",
        topics=["Supervisión clínica"],
        topics_en=["Clinical supervision"],
        agenda="15:00 Apertura",
        agenda_en="15:00 Opening",
        learnings="Los equipos necesitan supervisión.",
        learnings_en="Teams need supervision.",
        starts_at=START,
    )


def _spanish_meeting(network: Any) -> Meeting:
    return make_meeting(
        network,
        title="Gestión de casos en SMAPS",
        topics=["Derivaciones seguras"],
        agenda="16:00 Cierre",
        learnings="Las derivaciones acompañadas funcionan mejor.",
        starts_at=START + dt.timedelta(days=7),
    )


def _report(client: Any, network: Any, prefix: str = "") -> str:
    url = prefix + reverse("network:report", kwargs={"slug": network.slug})
    response = client.get(url, PERIOD)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_english_report_shows_english_versions_and_marks_the_spanish_ones(
    client: Any, world: Any
) -> None:
    network = make_network(world)
    _translated_meeting(network)
    _spanish_meeting(network)
    html = _report(client, network, "/en")

    assert "Self-care of the teams" in html
    assert "Clinical supervision" in html
    assert "Teams need supervision." in html
    assert "Supervisión clínica" not in html and "Autocuidado de los equipos" not in html
    # The meeting without English: its Spanish, in lang="es", beside the marker.
    assert '<span lang="es">Gestión de casos en SMAPS</span> ' + MARKER in html
    assert '<span lang="es">Derivaciones seguras</span> ' + MARKER in html
    assert MARKER + 'Not translated yet</span></p><div lang="es"><p>Las derivaciones' in html
    # Title in the meetings table and in the learnings, topics, learnings: four markers.
    assert html.count(MARKER) == 4


def test_spanish_pages_never_show_the_marker(client: Any, world: Any) -> None:
    network = make_network(world)
    translated = _translated_meeting(network)
    spanish = _spanish_meeting(network)
    html = _report(client, network)
    assert "Autocuidado de los equipos" in html and "Gestión de casos en SMAPS" in html
    assert "Self-care of the teams" not in html
    assert MARKER not in html
    for meeting in (translated, spanish):
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert meeting.title in page
        assert MARKER not in page
    listing = client.get(reverse("network:meeting_list")).content.decode()
    assert MARKER not in listing


def test_the_english_meeting_page_and_list_mark_what_is_not_translated(
    client: Any, world: Any
) -> None:
    network = make_network(world)
    translated = _translated_meeting(network)
    spanish = _spanish_meeting(network)
    spanish_url = spanish.get_absolute_url()
    list_url = reverse("network:meeting_list")

    page = client.get("/en" + translated.get_absolute_url()).content.decode()
    assert "<h1>Self-care of the teams</h1>" in page
    assert "<title>Self-care of the teams" in page
    assert "Clinical supervision" in page and "15:00 Opening" in page
    assert MARKER not in page

    page = client.get("/en" + spanish_url).content.decode()
    assert '<h1><span lang="es">Gestión de casos en SMAPS</span> ' + MARKER in page
    assert '<ul class="plain-list" lang="es"><li>Derivaciones seguras</li></ul>' in page
    assert '<div lang="es"><p>16:00 Cierre</p></div>' in page
    assert page.count(MARKER) == 4  # title, topics, agenda, learnings

    listing = client.get("/en" + list_url).content.decode()
    assert ">Self-care of the teams</a>" in listing
    assert '<span lang="es">Gestión de casos en SMAPS</span></a> ' + MARKER in listing


def test_the_calendar_gives_the_readers_language_and_says_when_it_cannot(
    client: Any, world: Any
) -> None:
    network = make_network(world)
    translated = _translated_meeting(network)
    spanish = _spanish_meeting(network)
    spanish_url = reverse("network:meeting_ics", kwargs={"uuid": translated.uuid})
    feed = client.get("/en" + reverse("network:network_feed", kwargs={"slug": network.slug}))
    lines = feed.content.decode().replace("\r\n ", "").split("\r\n")
    assert "SUMMARY:Self-care of the teams" in lines
    assert "DESCRIPTION:15:00 Opening" in lines
    assert "SUMMARY;LANGUAGE=es:Gestión de casos en SMAPS" in lines
    assert "DESCRIPTION;LANGUAGE=es:[Not translated yet]\\n\\n16:00 Cierre" in lines

    spanish_feed = client.get(spanish_url)
    body = spanish_feed.content.decode()
    assert "SUMMARY:Autocuidado de los equipos" in body
    assert "LANGUAGE=" not in body and "Not translated yet" not in body
    only_title = client.get("/en" + reverse("network:meeting_ics", kwargs={"uuid": spanish.uuid}))
    assert "X-WR-CALNAME:Gestión de casos en SMAPS" in only_title.content.decode()


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603  (a fixed local tool on a temporary file)
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def test_the_demo_english_report_and_pdf_show_english_topics(client: Any, tmp_path: Path) -> None:
    load_network_demo()
    period = {"start": "2021-01-01", "end": "2023-12-31"}
    url = "/en" + reverse("network:report", kwargs={"slug": NETWORK_SLUG})
    pdf_url = "/en" + reverse("network:report_pdf", kwargs={"slug": NETWORK_SLUG})
    html = client.get(url, period).content.decode()
    assert "2nd exchange meeting on MHPSS methodologies and experiences" in html
    assert "Presentation of the Community of Practice" in html
    assert "Community leadership: strengthening it empowers" in html
    # The 1st workshop has no English yet: its Spanish title, marked.
    assert (
        '<span lang="es">1er Taller de fortalecimiento de capacidades en SMAPS</span> ' + MARKER
        in html
    )

    pdf = client.get(pdf_url, period)
    text = " ".join(_pdf_text(pdf.content, tmp_path).split())
    assert "Community-based MHPSS methodology with migrant and refugee women" in text
    assert "Holistic art therapy helps migrant children" in text
    assert "Not translated yet" in text
    assert "Paquete de Servicios Mínimos" in text  # the 4th workshop's topics, untranslated


def test_the_form_takes_both_versions_and_keeps_them_on_an_error(
    client: Any, login: Any, world: Any
) -> None:
    network = make_network(world)
    login(world.user("coordinator"))
    url = "/en" + reverse("network:meeting_create", kwargs={"slug": network.slug})
    data = {
        "title": "Encuentro regional",
        "title_en": "Regional meeting",
        "kind": "meeting",
        "starts_at": "2026-05-06T15:00",
        "ends_at": "2026-05-06T14:00",
        "modality": "online",
        "topics_text": "Autocuidado",
        "topics_en_text": "Self-care\n\n  Case   management ",
        "agenda": "Apertura",
        "agenda_en": "Opening & welcome",
        "learnings": "",
        "learnings_en": "Teams <need> supervision",
        "public": "on",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    page = bad.content.decode()
    assert 'value="Regional meeting"' in page
    assert "Self-care\n\n  Case   management </textarea>" in page
    assert ">\nOpening &amp; welcome</textarea>" in page
    assert ">\nTeams &lt;need&gt; supervision</textarea>" in page

    assert client.post(url, {**data, "ends_at": "2026-05-06T17:00"}).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.title, meeting.title_en) == ("Encuentro regional", "Regional meeting")
    assert meeting.topics == ["Autocuidado"]
    assert meeting.topics_en == ["Self-care", "Case management"]
    assert (meeting.agenda_en, meeting.learnings, meeting.learnings_en) == (
        "Opening & welcome",
        "",
        "Teams <need> supervision",
    )
    with translation.override("en"):
        edit = client.get(reverse("network:meeting_edit", kwargs={"uuid": meeting.uuid}))
    assert "Self-care\nCase management</textarea>" in edit.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_meetings_as_their_spanish_version() -> None:
    executor = MigrationExecutor(connection)
    before = [("network", "0002_registration_client_hash")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    network = old.get_model("network", "Network").objects.create(name="Red", slug="red")
    old.get_model("network", "Meeting").objects.create(
        network=network,
        title="Reunión de antes",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
        modality="online",
        topics=["Tema uno", "Tema dos"],
        agenda="Agenda de antes",
        learnings="Aprendizajes de antes",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    meeting = Meeting.objects.get(title="Reunión de antes")
    assert meeting.topics == ["Tema uno", "Tema dos"]
    assert (meeting.agenda, meeting.learnings) == ("Agenda de antes", "Aprendizajes de antes")
    assert (meeting.title_en, meeting.topics_en, meeting.agenda_en, meeting.learnings_en) == (
        "",
        [],
        "",
        "",
    )
