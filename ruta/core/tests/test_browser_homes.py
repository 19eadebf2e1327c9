"""Role homes in Chromium at 375 and 1280 px: the work fits, axe passes, screenshots kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from conftest import verified_login
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations
from ruta.core.tests.test_homes import caseload

pytestmark = pytest.mark.browser

SCREENS = {
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


def home_page(new_context: Any, live: Any, user: Any, screen: str) -> Page:
    client = verified_login(Client(), user)
    context = new_context(**SCREENS[screen])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live.url}])
    page: Page = context.new_page()
    page.set_default_timeout(8_000)
    page.goto(live.url + "/")
    return page


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_role_homes_fit_and_pass_axe(live: Any, world: Any, new_context: Any, screen: str) -> None:
    caseload(world)
    found: list[str] = []
    for key in ("caseworker.care", "supervisor.care", "coordinator"):
        page = home_page(new_context, live, world.user(key), screen)
        expect(page.locator("#work-title")).to_be_visible()
        if key != "coordinator":
            expect(page.locator(".work-summary .button.primary")).to_be_visible()
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
        page.screenshot(path=f"test-results/home-{key.split('.')[0]}-{screen}.png", full_page=True)
        page.context.close()
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
