"""Journeys through the directory in Chromium: the public finder on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ruta.directory.tests.factories import make_service

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
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
    page.locator(".finder-filters > summary").click()  # folded on a phone
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
    # The quick exit's script is deferred: until it has run, the button is a plain link
    # (it still leaves, with a history entry). A person reads the page first; so does this.
    page.wait_for_load_state("load")
    history_before = page.evaluate("history.length")

    page.locator("[data-quick-exit]").click()
    expect(page).to_have_url(NEUTRAL)
    # location.replace: the service page is gone from history, no entry was added.
    assert page.evaluate("history.length") == history_before
    page.go_back()
    assert str(wanted.uuid) not in page.url


@pytest.mark.parametrize("language", ["es", "en"])
def test_results_start_on_the_first_phone_screen_and_back_keeps_the_search(
    live: Any, world: Any, new_context: Any, language: str
) -> None:
    prefix = "" if language == "es" else "/en"
    for number in range(3):
        make_service(
            world.care,
            f"Escucha y orientación {number}",
            terms=("women", "psychosocial_support"),
            area="PE-TUM",
            description_es="Un espacio seguro para hablar. " * 8,
        )
    page: Page = new_context(**PHONE).new_page()
    page.set_default_timeout(8_000)
    page.goto(live.url + prefix + "/servicios/?q=escucha&profile=women&free=on")

    # The form folds to the words and one toggle that counts the filters in use.
    summary = page.locator(".finder-filters > summary")
    expect(summary).to_have_text("Filtros (2)" if language == "es" else "Filters (2)")
    expect(page.locator("#id_profile")).to_be_hidden()
    first = page.locator(".results-list > li").first
    expect(first).to_be_visible()
    top = first.evaluate("element => element.getBoundingClientRect().top")
    height = page.evaluate("window.innerHeight")
    assert top < height, f"first result starts at {top}px, below the {height}px screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The toggle opens the filters without JavaScript's help (a <details>).
    summary.click()
    expect(page.locator("#id_profile")).to_be_visible()
    expect(page.locator("#id_profile")).to_have_value("women")

    # A service page's "back to the search" returns to the same words and filters.
    page.locator(".results-list h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/servicios/[0-9a-f-]{36}/\?"))
    page.locator(".back-link a").click()
    expect(page).to_have_url(re.compile(r"/servicios/\?"))
    expect(page.locator("#id_q")).to_have_value("escucha")
    expect(page.locator(".results-list > li")).to_have_count(3)
    assert "profile=women" in page.url and "free=on" in page.url


def test_coverage_reads_on_a_phone_without_javascript(
    live: Any, world: Any, new_context: Any
) -> None:
    """The heat map keeps its header row and area column in view while its box scrolls;
    the gaps are one link away, as a list; all of it without JavaScript."""
    from django.conf import settings
    from django.test import Client

    from conftest import verified_login

    make_service(world.care, "Apoyo en Tumbes", terms=("psychosocial_support",), area="PE-TUM")
    client = verified_login(Client(), world.user("analyst"))
    context = new_context(**PHONE, java_script_enabled=False)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live.url}])
    page: Page = context.new_page()
    page.set_default_timeout(8_000)
    page.goto(live.url + "/en/directorio/informes/cobertura/?country=PE")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator('tr[data-area="PE-TUM"] td.heat-1').first).to_have_text("1")
    box = page.locator(".coverage-wrap")
    box.evaluate("element => element.scrollBy(400, 600)")  # a scroll, not a script of ours
    frame = box.bounding_box()
    corner = page.locator(".coverage thead th").first.bounding_box()
    column = page.locator(".coverage thead th").nth(3).bounding_box()
    area = page.locator(".coverage tbody th").nth(12).bounding_box()
    assert frame and corner and column and area
    assert abs(corner["x"] - frame["x"]) < 2 and abs(corner["y"] - frame["y"]) < 2
    assert abs(column["y"] - frame["y"]) < 2  # the header row stays at the top
    assert abs(area["x"] - frame["x"]) < 2  # the area column stays at the left

    page.get_by_role("link", name="List only the gaps").click()
    expect(page).to_have_url(re.compile(r"show=gaps"))
    expect(page.locator('.gap-list li[data-area="PE-LMA"]')).to_contain_text("No service for")
    assert page.locator("table.coverage").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
