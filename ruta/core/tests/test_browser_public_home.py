"""The public home on a phone, in Spanish and English, with and without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from ruta.core.tests.test_browser import PHONE, serious_violations
from ruta.directory.tests.factories import make_service

pytestmark = pytest.mark.browser


def tr(message: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_person_looking_for_help_starts_at_the_bare_domain(
    live: Any, world: Any, new_context: Any, language: str
) -> None:
    prefix = "" if language == "es" else "/en"
    make_service(world.care, "Escucha en Tumbes", terms=("psychosocial_support",), area="PE-TUM")
    make_service(world.care, "Escucha en Lima", terms=("psychosocial_support",), area="PE-LIM")
    page: Page = new_context(**PHONE).new_page()
    page.set_default_timeout(8_000)

    page.goto(live.url + prefix + "/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(tr("Find help near you", language))
    expect(page.locator("[data-quick-exit]")).to_be_visible()
    expect(page.get_by_role("link", name=tr("Staff log in", language))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_violations(page) == []

    # Near me without geolocation: the region picker.
    page.locator("#home_admin1").select_option("PE-TUM")
    page.get_by_role("button", name=tr("Show services in this region", language)).click()
    expect(page).to_have_url(re.compile(re.escape(prefix) + r"/servicios/\?.*admin1=PE-TUM"))
    expect(page.locator(".results-list h3 a")).to_have_text(["Escucha en Tumbes"])

    # A need in one tap, and the words of the search box, land on the finder.
    page.goto(live.url + prefix + "/")
    page.locator("#home_q").fill("escucha")
    page.locator("#home_q").press("Enter")
    expect(page).to_have_url(re.compile(re.escape(prefix) + r"/servicios/\?q=escucha"))
    expect(page.locator(".results-list > li")).to_have_count(2)


def test_the_public_home_works_without_javascript(live: Any, world: Any, new_context: Any) -> None:
    make_service(world.care, "Escucha en Tumbes", terms=("psychosocial_support",), area="PE-TUM")
    page: Page = new_context(**PHONE, java_script_enabled=False).new_page()
    page.set_default_timeout(8_000)
    page.goto(live.url + "/")
    # The location button needs JavaScript: it stays hidden, the region picker does the job.
    expect(page.locator("[data-near-me]")).to_be_hidden()
    page.get_by_role("link", name="Apoyo psicosocial").click()
    expect(page).to_have_url(re.compile(r"/servicios/\?sector=psychosocial_support$"))
    expect(page.locator(".results-list h3 a")).to_have_text(["Escucha en Tumbes"])


def test_near_me_uses_the_phones_location_when_allowed(
    live: Any, world: Any, new_context: Any
) -> None:
    make_service(world.care, "Escucha en Tumbes", area="PE-TUM", point=(-3.57, -80.45))
    make_service(world.care, "Escucha en Lima", area="PE-LIM", point=(-12.05, -77.04))
    context = new_context(
        **PHONE,
        permissions=["geolocation"],
        geolocation={"latitude": -3.5712, "longitude": -80.4519},
    )
    page: Page = context.new_page()
    page.set_default_timeout(8_000)
    page.goto(live.url + "/en/")
    page.get_by_role("button", name="Use my location").click()
    # Two decimals only (about 1 km) leave the phone.
    expect(page).to_have_url(re.compile(r"/en/servicios/\?.*lat=-3\.57&lon=-80\.45"))
    results = page.locator(".results-list h3 a")
    expect(results.first).to_have_text("Escucha en Tumbes")
    expect(page.locator(".sorted-by")).to_have_text("Nearest to your location first.")
