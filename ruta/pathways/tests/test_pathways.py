"""Referral pathways through HTTP: who sees what, in-place cell editing, rows, exports."""

from __future__ import annotations

import io
import re
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from conftest import es, verified_login
from ruta.agencies.models import Organization, OrganizationType
from ruta.audit.models import AuditEvent
from ruta.directory.models import Service, TaxonomyTerm
from ruta.directory.tests.factories import make_service, term
from ruta.pathways import actions
from ruta.pathways.models import Pathway, PathwayCell, PathwayStatus
from ruta.places.models import AdminArea

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks

TITLE = "Ruta de atención VBG — Lima Metropolitana"
HX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, pathway: Pathway | None = None, language: str = "es", **kwargs: Any) -> str:
    if pathway is not None:
        kwargs["pathway_uuid"] = pathway.uuid
    with translation.override(language):
        return reverse(f"pathways:{name}", kwargs=kwargs)


def make_pathway(
    status: str = PathwayStatus.PUBLISHED, title: str = TITLE, **fields: Any
) -> Pathway:
    fields.setdefault("admin1", AdminArea.objects.get(code="PE-LMA"))
    fields.setdefault("scope_note", "Lima Metropolitana y Callao")
    return Pathway.objects.create(title_es=title, theme="gbv", status=status, **fields)


def mark(pathway: Pathway, organization: Any, profile: str, role: int, *services: Any) -> None:
    actions.set_pathway_cell(None, pathway, organization, term(profile), role, services)


def cell_data(organization: Any, profile: str, role: str, *services: Any) -> dict[str, Any]:
    return {
        "organization": str(organization.uuid),
        "profile": profile,
        "role": role,
        "services": [str(service.uuid) for service in services],
    }


@pytest.fixture
def coordinator(client: Any, world: Any) -> Any:
    return verified_login(client, world.user("coordinator"))


# --- Who sees what ------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_sees_published_pathways_only(client: Any, world: Any) -> None:
    published = make_pathway()
    draft = make_pathway(PathwayStatus.DRAFT, title="Ruta SMAPS — Tumbes (borrador)")
    archived = make_pathway(PathwayStatus.ARCHIVED, title="Ruta antigua")
    mark(published, world.care, "women", 1)

    listing = client.get(url("list"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert TITLE in page
    assert "borrador" not in page and "Ruta antigua" not in page
    # The public page carries the quick exit.
    assert "data-quick-exit" in page

    assert client.get(url("detail", published)).status_code == 200
    for hidden in (draft, archived):
        for name in ("detail", "xlsx", "pdf"):
            assert client.get(url(name, hidden)).status_code == 404, (hidden.status, name)
    assert client.get(url("detail", pathway_uuid=uuid.uuid4())).status_code == 404


@pytest.mark.django_db
def test_caseworker_sees_drafts_but_cannot_edit(client: Any, world: Any) -> None:
    draft = make_pathway(PathwayStatus.DRAFT)
    archived = make_pathway(PathwayStatus.ARCHIVED, title="Ruta antigua")
    verified_login(client, world.user("caseworker.care"))

    response = client.get(url("detail", draft), {"edit": "1"})
    assert response.status_code == 200
    assert response.context["editing"] is False
    assert url("cell", draft) not in response.content.decode()
    assert client.get(url("detail", archived)).status_code == 404

    post = client.post(url("cell", draft), cell_data(world.care, "women", "1"), **HX)
    assert post.status_code == 403
    assert not PathwayCell.objects.exists()
    for name in ("verify", "status", "add_row", "remove_row"):
        assert client.post(url(name, draft), {"status": "published"}).status_code == 403
    assert client.get(url("create")).status_code == 403


@pytest.mark.django_db
def test_editor_routes_answer_404_for_unknown_pathways(coordinator: Any) -> None:
    missing = {"pathway_uuid": uuid.uuid4()}
    assert coordinator.get(url("edit", **missing)).status_code == 404
    for name in ("cell", "add_row", "remove_row", "status", "verify"):
        assert coordinator.post(url(name, **missing), {}).status_code == 404, name


# --- Editing cells ------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinator_marks_an_entry_point_in_place(coordinator: Any, world: Any) -> None:
    pathway = make_pathway(PathwayStatus.DRAFT)
    pathway.organizations.add(world.care)
    service = make_service(world.care, "Atención psicológica a mujeres")

    response = coordinator.post(
        url("cell", pathway), cell_data(world.care, "women", "1", service), **HX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<td")  # just the cell, swapped in place
    assert 'class="pw-mark pw-mark-1"' in html and es("Entry point") in html
    assert "Atención psicológica a mujeres" in html
    assert f'id="cell-{world.care.uuid}-women"' in html
    cell = PathwayCell.objects.get(pathway=pathway, organization=world.care)
    assert (cell.profile.code, cell.role) == ("women", 1)
    assert list(cell.services.all()) == [service]
    event = AuditEvent.objects.get(action="pathway.cell_set")
    assert event.object_uuid == pathway.uuid
    assert event.actor == world.user("coordinator")
    assert event.details["role"] == 1 and event.details["services"] == [str(service.uuid)]


@pytest.mark.django_db
def test_a_service_of_another_organization_is_refused(coordinator: Any, world: Any) -> None:
    pathway = make_pathway()
    pathway.organizations.add(world.care)
    theirs = make_service(world.hias, "Servicio de HIAS")

    response = coordinator.post(
        url("cell", pathway), cell_data(world.care, "women", "1", theirs), **HX
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert es("A cell can only point at services of its own organization.") in html
    assert "pw-cell-error" in html and " open>" in html  # the form stays open with the message
    assert 'value="1" selected' in html  # what the editor chose is kept
    assert not PathwayCell.objects.exists()
    assert not AuditEvent.objects.filter(action="pathway.cell_set").exists()

    # Without JavaScript: back to the row with the message, nothing saved either.
    plain = coordinator.post(url("cell", pathway), cell_data(world.care, "women", "1", theirs))
    assert plain.status_code == 302
    assert plain["Location"] == url("detail", pathway) + f"?edit=1#row-{world.care.uuid}"
    assert not PathwayCell.objects.exists()
    followed = coordinator.get(plain["Location"])
    assert es("A cell can only point at services of its own organization.") in (
        followed.content.decode()
    )


@pytest.mark.django_db
def test_unknown_profile_or_service_is_a_400(coordinator: Any, world: Any) -> None:
    pathway = make_pathway()
    sector = cell_data(world.care, "legal", "1")  # a sector term, not a population profile
    response = coordinator.post(url("cell", pathway), sector, **HX)
    assert response.status_code == 400
    assert es("Unknown population profile.") in response.content.decode()

    ghost = cell_data(world.care, "women", "1")
    ghost["services"] = [str(uuid.uuid4())]
    response = coordinator.post(url("cell", pathway), ghost, **HX)
    assert response.status_code == 400
    assert es("Unknown service.") in response.content.decode()
    assert not PathwayCell.objects.exists()


@pytest.mark.django_db
def test_role_none_deletes_the_cell(coordinator: Any, world: Any) -> None:
    pathway = make_pathway()
    service = make_service(world.care)
    mark(pathway, world.care, "girls", 2, service)

    response = coordinator.post(url("cell", pathway), cell_data(world.care, "girls", ""), **HX)

    assert response.status_code == 200
    assert "pw-mark-2" not in response.content.decode()
    assert not PathwayCell.objects.filter(pathway=pathway).exists()
    assert AuditEvent.objects.filter(action="pathway.cell_set", details__role=None).exists()


@pytest.mark.django_db
def test_cell_form_without_javascript_redirects_to_the_row(coordinator: Any, world: Any) -> None:
    pathway = make_pathway()
    response = coordinator.post(url("cell", pathway), cell_data(world.hias, "lgbtiq", "2"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?edit=1#row-{world.hias.uuid}")
    assert PathwayCell.objects.get(pathway=pathway, organization=world.hias).role == 2
    assert world.hias in pathway.organizations.all()


@pytest.mark.django_db
def test_editing_mode_renders_a_form_per_cell(coordinator: Any, world: Any) -> None:
    pathway = make_pathway()
    pathway.organizations.add(world.care)
    make_service(world.care, "Línea de orientación CARE")
    response = coordinator.get(url("detail", pathway), {"edit": "1"})
    html = response.content.decode()
    profiles = TaxonomyTerm.objects.filter(taxonomy__code="population", active=True).count()
    assert html.count(f'hx-post="{url("cell", pathway)}"') == profiles
    assert 'hx-target="closest td"' in html and 'hx-swap="outerHTML"' in html
    assert html.count("Línea de orientación CARE") == profiles  # one checkbox per cell
    assert "ruta/pathways.js" in html
    # Not editing: the clean document, no forms.
    assert "hx-post" not in coordinator.get(url("detail", pathway)).content.decode()


# --- Rows, metadata, life cycle -----------------------------------------------------


@pytest.mark.django_db
def test_coordinator_adds_and_removes_a_row(coordinator: Any, world: Any) -> None:
    pathway = make_pathway()
    added = coordinator.post(url("add_row", pathway), {"organization": str(world.hias.uuid)})
    assert added.status_code == 302
    assert added["Location"].endswith(f"#row-{world.hias.uuid}")
    assert list(pathway.organizations.all()) == [world.hias]
    mark(pathway, world.hias, "women", 1)
    mark(pathway, world.hias, "men", 2)

    removed = coordinator.post(url("remove_row", pathway), {"organization": str(world.hias.uuid)})

    assert removed.status_code == 302
    assert not pathway.organizations.exists()
    assert not PathwayCell.objects.filter(pathway=pathway).exists()
    event = AuditEvent.objects.get(action="pathway.row_removed")
    assert event.details == {"organization": str(world.hias.uuid), "cells": 2}
    assert AuditEvent.objects.filter(action="pathway.row_added").count() == 1
    # Not a row of this pathway: 404.
    again = coordinator.post(url("remove_row", pathway), {"organization": str(world.hias.uuid)})
    assert again.status_code == 404


@pytest.mark.django_db
def test_coordinator_creates_edits_publishes_and_verifies(coordinator: Any, world: Any) -> None:
    form = coordinator.get(url("create"))
    assert form.status_code == 200
    data = {
        "title_es": "Ruta SMAPS — Tumbes",
        "title_en": "MHPSS pathway — Tumbes",
        "theme": "mhpss",
        "country": "PE",
        "admin1": "PE-TUM",
        "scope_note": "Tumbes y Aguas Verdes",
    }
    wrong = coordinator.post(url("create"), {**data, "admin1": "EC-G"})
    assert wrong.status_code == 400
    assert es("This region is not in the chosen country.") in wrong.content.decode()
    assert 'value="Ruta SMAPS — Tumbes"' in wrong.content.decode()  # kept as typed

    created = coordinator.post(url("create"), data)
    pathway = Pathway.objects.get()
    assert created["Location"] == url("detail", pathway) + "?edit=1"
    assert (pathway.status, pathway.admin1.code) == (PathwayStatus.DRAFT, "PE-TUM")
    assert AuditEvent.objects.filter(action="pathway.created", object_uuid=pathway.uuid).exists()

    coordinator.post(url("edit", pathway), {**data, "scope_note": "Región Tumbes"})
    pathway.refresh_from_db()
    assert pathway.scope_note == "Región Tumbes"
    assert AuditEvent.objects.get(action="pathway.updated").details == {"fields": ["scope_note"]}

    coordinator.post(url("status", pathway), {"status": "published"})
    coordinator.post(url("verify", pathway))
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.PUBLISHED
    assert pathway.verified_by == world.user("coordinator") and pathway.verified_at
    assert {"pathway.status_changed", "pathway.verified"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    bad = coordinator.post(url("status", pathway), {"status": "deleted"})
    assert bad.status_code == 302
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.PUBLISHED


# --- The page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_renders_the_seed_matrix(client: Any, world: Any) -> None:
    pathway = make_pathway(illustrative=True)
    shown = make_service(world.care, "Apoyo psicosocial CARE")
    hidden = make_service(world.care, "Servicio en borrador", status="draft")
    mark(pathway, world.care, "women", 1, shown, hidden)
    mark(pathway, world.hias, "girls", 2)
    actions.verify_pathway(world.user("coordinator"), pathway)

    response = client.get(url("detail", pathway, "en"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert TITLE in html and "Lima Metropolitana y Callao" in html
    assert "Illustrative example" in html and "Verified on" in html
    assert "Gender-based violence" in html
    # One column per active profile, one row per organization, in order.
    header = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert header[:4] == ["Girls", "Boys", "Women", "Men"]
    assert html.index("CARE Perú") < html.index("HIAS Perú")
    assert '<span class="visually-hidden">Entry point</span>' in html
    assert '<span class="visually-hidden">Onward service</span>' in html
    # Published services link to their public page; drafts stay hidden from the public.
    public = reverse("finder:service_detail", kwargs={"service_uuid": shown.uuid})
    assert f'href="{public}"' in html
    assert "Servicio en borrador" not in html
    assert "Remove row" not in html and "hx-post" not in html


@pytest.mark.django_db
def test_list_filters_by_theme_and_region(client: Any, world: Any) -> None:
    make_pathway()
    tumbes = make_pathway(title="Ruta SMAPS — Tumbes", admin1=AdminArea.objects.get(code="PE-TUM"))
    Pathway.objects.filter(pk=tumbes.pk).update(theme="mhpss")

    def titles(**params: str) -> list[str]:
        response = client.get(url("list"), params)
        return [item["pathway"].title_es for item in response.context["items"]]

    assert sorted(titles()) == sorted([TITLE, "Ruta SMAPS — Tumbes"])
    assert titles(theme="mhpss") == ["Ruta SMAPS — Tumbes"]
    assert titles(admin1="PE-LMA") == [TITLE]
    assert len(titles(country="EC")) == 2  # not a choice (no pathway there): ignored


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_the_matrix(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    small = make_pathway(title="Pequeña")
    mark(small, world.care, "women", 1, make_service(world.care, "Uno"))
    big = make_pathway(title="Grande")
    organizations = [world.care, world.hias, world.network, world.outsider_org]
    organizations += [
        Organization.objects.create(name=f"Org {n}", type=OrganizationType.NGO) for n in range(4)
    ]
    Organization.objects.create(name="Not in any row", type=OrganizationType.NGO)  # can be added
    profiles = list(TaxonomyTerm.objects.filter(taxonomy__code="population", active=True))
    assert (len(organizations), len(profiles)) == (8, 10)
    for organization in organizations:
        services = [make_service(organization, f"{organization.name} {n}") for n in range(2)]
        for index, profile in enumerate(profiles):
            mark(big, organization, profile.code, 1 + index % 2, *services)

    def count(pathway: Pathway, **params: str) -> int:
        """Queries of the page itself (the session middleware writes now and then)."""
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("detail", pathway), params)
        assert response.status_code == 200
        sql = [q["sql"] for q in queries]
        return len([q for q in sql if "django_session" not in q and "SAVEPOINT" not in q])

    with django_assert_max_num_queries(6):
        response = client.get(url("detail", big))
    assert response.content.decode().count("pw-cell pw-cell-1") == 40
    assert count(big) == count(small)

    verified_login(client, world.user("coordinator"))
    with django_assert_max_num_queries(16):
        response = client.get(url("detail", big), {"edit": "1"})
    options = Service.objects.filter(
        organization__in=organizations
    ).count()  # 8 orgs, 2 each, + "Uno"
    assert response.content.decode().count('name="services"') == 10 * options == 170
    assert count(big, edit="1") == count(small, edit="1")


# --- Exports ------------------------------------------------------------------------


@pytest.fixture
def exported(world: Any) -> Pathway:
    pathway = make_pathway(title_en="GBV referral pathway — Lima")
    service = make_service(world.care, "Línea de ayuda CARE", phones=(("+51 1 555 0101", True),))
    mark(pathway, world.care, "women", 1, service)
    mark(pathway, world.hias, "girls", 2)
    actions.verify_pathway(world.user("coordinator"), pathway)
    return pathway


@pytest.mark.django_db
def test_xlsx_export_holds_the_matrix_legend_and_services(client: Any, exported: Pathway) -> None:
    response = client.get(url("xlsx", exported, "en"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="gbv-referral-pathway-lima.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Pathway", "Services"]
    sheet = book["Pathway"]
    assert sheet["A1"].value == "GBV referral pathway — Lima"
    assert sheet["A1"].font.bold
    values = {row[0]: row[1] for row in sheet.iter_rows(min_col=1, max_col=2, values_only=True)}
    assert values["Theme"] == "Gender-based violence"
    assert values["Geographic scope"] == "Lima Metropolitana y Callao"
    assert values["Verified on"] and values["Generated on"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "Organization / institution")
    names = [c.value for c in header]
    assert names[1:5] == ["Girls", "Boys", "Women", "Men"]
    assert all(c.font.bold for c in header)
    rows = {
        r[0].value: r for r in sheet.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + 2)
    }
    assert rows["CARE Perú"][names.index("Women")].value == 1
    assert rows["HIAS Perú"][names.index("Girls")].value == 2
    assert rows["HIAS Perú"][names.index("Women")].value is None
    assert sheet.column_dimensions["A"].width >= 30
    legend = [c.value for c in sheet["A"] if c.value and "—" in str(c.value)]
    assert "1 — Entry point" in legend and "2 — Onward service" in legend
    services = list(book["Services"].iter_rows(values_only=True))
    assert services[0] == ("Organization", "Population profile", "Role", "Service", "Phone")
    assert services[1] == (
        "CARE Perú",
        "Women",
        "1 — Entry point",
        "Línea de ayuda CARE",
        "+51 1 555 0101",
    )


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "ruta.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603  (a fixed local tool on a temporary file)
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


@pytest.mark.django_db
def test_pdf_export_prints_title_legend_and_matrix(
    client: Any, exported: Pathway, tmp_path: Path
) -> None:
    response = client.get(url("pdf", exported, "en"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="gbv-referral-pathway-lima.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)
    assert "GBV referral pathway — Lima" in text
    assert "LEGEND" in text.upper() and "Entry point" in text and "Onward service" in text
    assert "CARE Perú" in text and "HIAS Perú" in text and "Línea de ayuda" in text
    assert "Verified on" in text and "Page 1 / 1" in text
    assert "Lima Metropolitana y Callao" in text


@pytest.mark.django_db
def test_pdf_of_a_draft_for_staff_says_it_is_not_published(
    client: Any, world: Any, tmp_path: Path
) -> None:
    draft = make_pathway(PathwayStatus.DRAFT)
    mark(draft, world.care, "women", 1)
    verified_login(client, world.user("caseworker.care"))
    response = client.get(url("pdf", draft, "en"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = _pdf_text(response.content, tmp_path)
    assert "not published" in text and "Page 1 / 1" in text
    assert (
        'filename="ruta-de-atencion-vbg-lima-metropolitana.pdf"'
        in (response["Content-Disposition"])
    )


@pytest.mark.django_db
def test_long_matrix_repeats_its_header_on_every_page(
    client: Any, world: Any, tmp_path: Path
) -> None:
    pathway = make_pathway()
    for n in range(40):
        organization = Organization.objects.create(name=f"Organización {n:02d}", type="ngo")
        mark(pathway, organization, "women", 1)
    text = _pdf_text(client.get(url("pdf", pathway, "en")).content, tmp_path)
    pages = text.split("\f")
    assert len([page for page in pages if page.strip()]) >= 2
    for page in pages:
        if page.strip():
            assert "Organization / institution" in page


@pytest.mark.django_db
def test_exports_say_when_the_pathway_is_due_for_a_new_check(
    client: Any, exported: Pathway, tmp_path: Path
) -> None:
    fresh_pdf = _pdf_text(client.get(url("pdf", exported, "en")).content, tmp_path)
    assert "due for a new check" not in fresh_pdf
    Pathway.objects.filter(pk=exported.pk).update(
        verified_at=timezone.now() - timedelta(days=settings.RUTA_VERIFY_DAYS + 1)
    )
    old_pdf = _pdf_text(client.get(url("pdf", exported, "en")).content, tmp_path)
    assert "due for a new check" in old_pdf
    book = load_workbook(io.BytesIO(client.get(url("xlsx", exported, "en")).content))
    values = {row[0]: row[1] for row in book["Pathway"].iter_rows(max_col=2, values_only=True)}
    assert "due for a new check" in values["Verified on"]
    assert "due for a new check" in client.get(url("detail", exported, "en")).content.decode()
