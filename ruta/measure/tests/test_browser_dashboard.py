"""On a phone: the analyst opens the reach dashboard from the home page, filters it by
sector without JavaScript-only controls, and every chart and table fits 375 px and
passes axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from ruta.core.tests.browser_helpers import es, field, signed_in_page
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations
from ruta.measure.models import FactsState, ReachFact

pytestmark = [pytest.mark.browser, pytest.mark.dates]


def test_the_analyst_reads_and_filters_the_dashboard_on_a_phone(
    live: Any, world: Any, new_context: Any
) -> None:
    for n, (sector, admin1) in enumerate(
        [("health_mhpss", "PE-LIM"), ("education", "PE-TUM"), ("protection_gbv", "PE-LIM")]
    ):
        ReachFact.objects.create(
            month=dt.date(2026, 5, 1) - dt.timedelta(days=31 * n),
            organization_id=world.care.pk,
            admin1=admin1,
            sector=sector,
            population_type="in_destination",
            total=1000 + n,
            new=900 + n,
            anonymous=10,
        )
    FactsState.objects.create(pk=1, refreshed_at=dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=True):
        page = signed_in_page(new_context, live, world.user("analyst"))
        page.goto(f"{live.url}/")
        page.get_by_role("link", name=es("Reach dashboard")).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(es("Reach dashboard"))
        expect(page.locator("svg.chart")).to_have_count(4)
        assert_no_horizontal_scroll(page)
        found = serious_violations(page)
        field(page, es("Sector")).select_option("education")
        page.get_by_role("button", name=es("Show")).click()
        expect(page.locator("main table").first).to_contain_text("1001")
        expect(page.locator("main")).not_to_contain_text("1000")
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
