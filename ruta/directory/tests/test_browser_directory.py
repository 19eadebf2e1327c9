"""Journeys through the directory in Chromium: the public finder on a phone, the matrix."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from ruta.directory import actions
from ruta.directory.models import Pathway, PathwayCell
from ruta.directory.tests.factories import make_service, term

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
NEUTRAL = "https://www.google.com/search?q=clima"


def test_public_finds_help_on_a_phone_and_leaves_quickly(
    live: Any, world: Any, new_context: Any
) -> None:
    wanted = make_service(
        world.care,
        "Apoyo psicológico para mujeres",
        terms=("women", "psychosocial_support"),
        area="PE-TUM",
        point=(-3.57, -80.45),
        open_24_7=True,
        phones=(("+51 900 000 001", True),),
    )
    make_service(
        world.hias,
        "Apoyo psicológico con costo",
        terms=("women",),
        area="PE-TUM",
        is_free=False,
        fee_detail="S/ 30",
        open_24_7=True,
    )
    make_service(
        world.hias, "Apoyo psicológico en Lima", terms=("women",), area="PE-LIM", open_24_7=True
    )
    page: Page = new_context(**PHONE).new_page()
    page.set_default_timeout(8_000)
    # No network here: the neutral site answers from the test.
    page.route("https://www.google.com/**", lambda route: route.fulfill(body="<p>Clima</p>"))

    page.goto(live.url + "/servicios/")
    page.locator("#id_q").fill("apoyo psicologico")
    page.locator("#id_place").fill("Tumbes")
    page.locator("#id_profile").select_option("women")
    page.locator("#id_free").check()
    page.locator("#id_open_now").check()
    page.locator(".finder-actions button[type=submit]").click()

    # Free only: the paid one is gone; "Tumbes" as the place ranks the Tumbes service first.
    results = page.locator(".results-list h3 a")
    expect(results).to_have_count(2)
    expect(results.first).to_have_text("Apoyo psicológico para mujeres")
    expect(results.nth(1)).to_have_text("Apoyo psicológico en Lima")
    expect(page.locator(".results-list")).to_contain_text("km")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375

    results.first.click()
    expect(page).to_have_url(re.compile(str(wanted.uuid)))
    expect(page.locator('a[href^="tel:"]').first).to_be_visible()
    expect(page.locator('a[href^="https://wa.me/"]').first).to_be_visible()
    history_before = page.evaluate("history.length")

    page.locator("[data-quick-exit]").click()
    expect(page).to_have_url(NEUTRAL)
    # location.replace: the service page is gone from history, no entry was added.
    assert page.evaluate("history.length") == history_before
    page.go_back()
    assert str(wanted.uuid) not in page.url


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
