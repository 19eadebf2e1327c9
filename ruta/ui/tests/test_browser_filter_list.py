"""A long checkbox list in Chromium on a phone: typing in its filter narrows the list
(accents ignored, ticked boxes kept), ticking and saving works, and axe passes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ruta.core.tests.browser_helpers import es, signed_in_page
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser


def test_the_admin_filters_and_ticks_a_country(live: Any, world: Any, new_context: Any) -> None:
    care = world.care
    care.countries = ["PE"]
    care.save(update_fields=["countries"])
    page = signed_in_page(new_context, live, world.user("admin"))
    page.goto(f"{live.url}/organizaciones/{care.uuid}/editar/")
    box = page.locator("#id_countries")
    items = box.locator("[data-filter-list] > li")
    total = items.count()
    assert total > 200  # every country, as checkboxes
    search = page.locator("#id_countries_filter")
    expect(search).to_be_visible()  # the script shows the filter
    search.fill("bélg")  # accents ignored both ways
    expect(box.locator("[data-filter-list] > li:visible")).to_have_count(2)  # Bélgica, Perú
    search.fill("venez")
    visible = box.locator("[data-filter-list] > li:visible")
    expect(visible).to_have_count(2)
    expect(visible.filter(has_text="Perú")).to_have_count(1)  # ticked: kept
    visible.filter(has_text="Venezuela").locator("input").check()
    assert_no_horizontal_scroll(page)
    found = serious_violations(page)
    page.get_by_role("button", name=es("Save")).click()
    expect(page).not_to_have_url(re.compile(r"/editar/$"))
    care.refresh_from_db()
    assert sorted(care.countries) == ["PE", "VE"]
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
