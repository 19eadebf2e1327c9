"""Helpers for the browser journeys: Spanish labels, signed-in phone pages."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.test import Client
from playwright.sync_api import Locator, Page

from conftest import es, verified_login

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def field(page: Page | Locator, label: Any) -> Locator:
    """The control labelled ``label`` (the labels of required fields end in *)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(es(label)) + r"\s*\*?\s*$", re.I))


def signed_in_page(new_context: Any, live: Any, user: Any) -> Page:
    """A phone page logged in as ``user`` past the second factor (the test client's session)."""
    client = verified_login(Client(), user)
    context = new_context(**PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live.url,
            }
        ]
    )
    page: Page = context.new_page()
    page.set_default_timeout(8_000)
    return page
