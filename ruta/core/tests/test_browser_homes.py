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


def home_page(new_context: Any, live: Any, user: Any, screen: str, prefix: str = "") -> Page:
    client = verified_login(Client(), user)
    context = new_context(**SCREENS[screen])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live.url}])
    page: Page = context.new_page()
    page.set_default_timeout(8_000)
    page.goto(live.url + prefix + "/")
    return page


# What each role's home shows first: its own work (a section and the next step) or, for
# the roles whose work is not a queue, the section that is their work.
FIRST = {
    "caseworker.care": "#work-title",
    "supervisor.care": "#work-title",
    "coordinator": "#work-title",
    "agency_admin.care": "#work-title",
    "helpline.care": "#helpline-title",
    "analyst": "#outcomes-title",
    "admin": ".card-list",
}


@pytest.mark.parametrize(
    ("screen", "prefix"), [("phone", ""), ("desktop", ""), ("phone", "/en"), ("desktop", "/en")]
)
def test_role_homes_fit_and_pass_axe(
    live: Any, world: Any, new_context: Any, screen: str, prefix: str
) -> None:
    caseload(world)
    found: list[str] = []
    for key, first in FIRST.items():
        page = home_page(new_context, live, world.user(key), screen, prefix)
        expect(page.locator("html")).to_have_attribute("lang", prefix.strip("/") or "es")
        expect(page.locator(first).first).to_be_visible()
        if key in ("caseworker.care", "supervisor.care"):
            expect(page.locator(".work-summary .button.primary")).to_be_visible()
        expect(page.get_by_text("(próximamente)")).to_have_count(0)
        expect(page.get_by_text("(coming soon)")).to_have_count(0)
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
        language = prefix.strip("/") or "es"
        page.screenshot(
            path=f"test-results/home-{key.split('.')[0]}-{screen}-{language}.png", full_page=True
        )
        page.context.close()
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
