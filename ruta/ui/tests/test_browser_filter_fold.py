"""A list's filters in Chromium: folded behind "Filters" on a phone (the cases come first),
unfolded on a wide screen, open again once the list is asked with filters."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ruta.cases.tests.factories import make_case
from ruta.core.tests.browser_helpers import es
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations
from ruta.core.tests.test_browser_homes import home_page

pytestmark = pytest.mark.browser


def test_the_case_list_filters_fold_on_a_phone_only(
    live: Any, world: Any, new_context: Any
) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    found: list[str] = []
    for screen in ("phone", "desktop"):
        page = home_page(new_context, live, caseworker, screen)
        page.goto(f"{live.url}/casos/")
        code = page.get_by_label(es("Case code"))
        first_case = page.locator("main table tbody tr").first
        if screen == "phone":
            expect(code).to_be_hidden()
            # The first case is on the first screen, not below six filters.
            box = first_case.bounding_box()
            assert box is not None and box["y"] < 812, box
            page.locator(".filter-fold > summary").click()
        expect(code).to_be_visible()
        found += serious_violations(page)
        code.fill(case.code[-5:])
        page.get_by_role("button", name=es("Show")).click()
        expect(page.locator(".filter-fold")).to_have_attribute("open", "")
        expect(code).to_have_value(case.code[-5:])
        assert_no_horizontal_scroll(page)
        page.context.close()
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
