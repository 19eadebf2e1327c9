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
        # On a phone the filters are folded behind "Filters"; asked with filters, the page
        # comes back with them open.
        expect(field(page, es("Sector"))).to_be_hidden()
        page.locator(".filter-fold > summary").click()
        field(page, es("Sector")).select_option("education")
        page.get_by_role("button", name=es("Show")).click()
        expect(page.locator(".filter-fold")).to_have_attribute("open", "")
        expect(field(page, es("Sector"))).to_have_value("education")
        expect(page.locator("main table").first).to_contain_text("1001")
        expect(page.locator("main")).not_to_contain_text("1000")
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)


def test_the_coordinator_publishes_the_dashboard_and_a_visitor_reads_it_on_a_phone(
    live: Any, world: Any, new_context: Any
) -> None:
    for n, (sector, new) in enumerate([("health_mhpss", 900), ("education", 3), ("host", 40)]):
        ReachFact.objects.create(
            month=dt.date(2026, 5, 1) - dt.timedelta(days=31 * n),
            organization_id=world.hias.pk if n else world.care.pk,
            admin1="PE-LIM",
            sector=sector if n < 2 else "protection_gbv",
            population_type="in_destination",
            total=new + 10,
            new=new,
            anonymous=0,
        )
    FactsState.objects.create(pk=1, refreshed_at=dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=True):
        coordinator = signed_in_page(new_context, live, world.user("coordinator"))
        coordinator.goto(f"{live.url}/alcance/panel/")
        coordinator.get_by_role("button", name=es("Switch the public dashboard on")).click()
        expect(coordinator.get_by_role("link", name=es("See the public dashboard"))).to_be_visible()
        found = serious_violations(coordinator)
        for prefix in ("", "/en"):
            visitor = new_context(viewport={"width": 375, "height": 812}, is_mobile=True).new_page()
            visitor.goto(f"{live.url}{prefix}/")
            visitor.locator('a[href$="/alcance/publico/"]').click()
            expect(visitor.locator("svg.chart")).to_have_count(4)
            expect(visitor.locator("main")).to_contain_text("<5")
            assert_no_horizontal_scroll(visitor)
            found += serious_violations(visitor)
            visitor.screenshot(
                path=f"test-results/public-dashboard{prefix.replace('/', '-')}.png", full_page=True
            )
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
