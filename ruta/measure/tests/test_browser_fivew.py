"""On a phone, in Spanish and English: an agency admin reviews last month's 5W and submits
it, then the coordinator sees it consolidated; every page fits 375 px and passes axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import expect

from ruta.activities import actions
from ruta.activities.tests.factories import make_activity, make_session
from ruta.core.tests.browser_helpers import signed_in_page
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations
from ruta.places.models import AdminArea

pytestmark = pytest.mark.browser


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_agency_submits_its_5w_and_the_coordinator_consolidates_it(
    live: Any, world: Any, new_context: Any, language: str
) -> None:
    with time_machine.travel(dt.datetime(2026, 4, 10, 15, tzinfo=dt.UTC), tick=True):
        user = world.user("caseworker.care")
        activity = make_activity(user, admin1=AdminArea.objects.get(code="PE-LIM"))
        session = make_session(user, activity, dt.date(2026, 3, 5))
        actions.save_counts(user, session, "in_destination", {"girls": 2, "women": 3})
        admin, coordinator = world.user("agency_admin.care"), world.user("coordinator")
        for person in (admin, coordinator):
            person.language = language
            person.save()
        prefix = "" if language == "es" else "/en"
        found: list[str] = []

        page = signed_in_page(new_context, live, admin)
        page.goto(f"{live.url}{prefix}/alcance/5w-envios/")
        expect(page.get_by_role("heading", level=1)).to_have_text(_in(language, "Submit the 5W"))
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
        page.get_by_role("link", name="2026").first.click()
        expect(page.get_by_text(_in(language, "Draft"), exact=True)).to_be_visible()
        # One line a row, read by scrolling the table sideways (a wrapped indicator made
        # every row six lines tall on a phone).
        heights = page.locator("table.fivew-rows tbody tr").evaluate_all(
            "rows => rows.map(row => row.getBoundingClientRect().height)"
        )
        assert heights and max(heights) < 60, heights
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
        page.get_by_role("button", name=_in(language, "Submit this month")).click()
        submitted = _in(language, "Submitted (version %(version)s)") % {"version": 1}
        expect(page.get_by_text(submitted, exact=True)).to_be_visible()
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
        page.goto(f"{live.url}{prefix}/alcance/5w-envios/importar/")
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)

        page = signed_in_page(new_context, live, coordinator)
        page.goto(f"{live.url}{prefix}/alcance/5w-consolidado/?month=2026-03")
        expect(page.get_by_role("heading", level=1)).to_have_text(_in(language, "Consolidated 5W"))
        expect(page.get_by_text(submitted, exact=True)).to_be_visible()
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
