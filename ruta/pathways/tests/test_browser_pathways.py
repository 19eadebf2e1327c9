"""A journey through a referral pathway in Chromium: mark a cell, download the PDF."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from ruta.directory.tests.factories import make_service, term
from ruta.pathways import actions
from ruta.pathways.models import Pathway, PathwayCell

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def test_coordinator_marks_an_entry_point_and_downloads_the_pdf(
    live: Any, world: Any, new_context: Any
) -> None:
    service = make_service(world.care, "Gestión de casos VBG", terms=("women",), area="PE-LMA")
    pathway = Pathway.objects.create(title_es="Ruta VBG Lima", theme="gbv", status="published")
    actions.add_pathway_organization(None, pathway, world.care)
    page: Page = new_context(**DESKTOP, accept_downloads=True).new_page()
    page.set_default_timeout(8_000)

    page.goto(live.url + "/cuenta/entrar/?next=" + f"/rutas/{pathway.uuid}/")
    page.locator("#id_username").fill(world.user("coordinator").email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(str(pathway.uuid)))

    page.goto(live.url + f"/rutas/{pathway.uuid}/?edit=1")
    cell = page.locator(f"#cell-{world.care.uuid}-women")
    cell.locator("summary").click()
    cell.locator("select[name=role]").select_option("1")
    cell.locator("input[name=services]").first.check()
    cell.locator("button.pw-save").click()
    # htmx swaps the cell in place with its new mark.
    expect(page.locator(f"#cell-{world.care.uuid}-women")).to_have_class(re.compile("pw-cell-1"))
    stored = PathwayCell.objects.get(
        pathway=pathway, organization=world.care, profile=term("women")
    )
    assert stored.role == 1
    assert list(stored.services.all()) == [service]

    page.goto(live.url + f"/rutas/{pathway.uuid}/")
    with page.expect_download() as download_info:
        page.locator(f'a[href$="/rutas/{pathway.uuid}/ruta.pdf"]').click()
    path = download_info.value.path()
    assert path is not None
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
