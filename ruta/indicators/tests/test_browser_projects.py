"""On a phone: CARE's agency admin opens indicators from the home page, creates a project,
adds the network's "sessions held" indicator, sets quarterly targets and reads the
progress; then enters a value by hand for an IASC indicator with its evidence link. Every
page fits 375 px and passes axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from ruta.activities.tests.factories import make_activity, make_session
from ruta.core.tests.browser_helpers import es, field, signed_in_page
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations
from ruta.indicators.models import Indicator, IndicatorValue, Project

pytestmark = [pytest.mark.browser, pytest.mark.dates]


def test_an_agency_admin_sets_targets_and_reads_progress_on_a_phone(
    live: Any, world: Any, new_context: Any
) -> None:
    recorder = world.user("caseworker.care")
    activity = make_activity(recorder, "Grupo de apoyo del proyecto")
    for day in (dt.date(2026, 2, 3), dt.date(2026, 3, 3), dt.date(2026, 4, 7)):
        make_session(recorder, activity, day)
    sessions_held = Indicator.objects.get(framework__code="ruta-network", code="R4")
    found: list[str] = []
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=True):
        page = signed_in_page(new_context, live, world.user("agency_admin.care"))
        page.goto(f"{live.url}/")
        page.get_by_role("link", name=es("Indicators and projects")).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(es("Indicators"))
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)

        page.get_by_role("link", name=es("Projects and targets")).click()
        page.get_by_role("link", name=es("New project")).click()
        field(page, "name").fill("Apoyo psicosocial en Lima")
        field(page, "donor").fill("ECHO")
        field(page, "starts on").fill("2026-01-01")
        field(page, "ends on").fill("2026-12-31")
        page.get_by_role("button", name=es("Save")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Apoyo psicosocial en Lima")
        assert Project.objects.get().organization == world.care

        field(page, "Indicator").select_option(str(sessions_held.pk))
        field(page, "Baseline").fill("0")
        page.get_by_role("button", name=es("Add"), exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(es("Targets"))
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
        targets = page.locator("main form input[name$='-value']")
        expect(targets).to_have_count(4)  # a quarter each
        targets.nth(0).fill("2")
        targets.nth(1).fill("4")
        page.get_by_role("button", name=es("Save")).click()

        table = page.locator("main table").first
        # Q1: two sessions of two, met; Q2 by mid-June: one of four, behind the pace.
        expect(table.locator("tbody tr").nth(0)).to_contain_text(es("Met"))
        expect(table.locator("tbody tr").nth(1)).to_contain_text(es("Behind"))
        expect(page.locator("svg.chart")).to_have_count(1)
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)

        # A value entered by hand for the IASC goal indicator G.1, with a link as evidence.
        page.goto(f"{live.url}/indicadores/iasc-mhpss-me/G.1/")
        page.get_by_role("link", name=es("Enter a value")).click()
        field(page, "period from").fill("2026-01-01")
        field(page, "period to").fill("2026-03-31")
        field(page, "Value").fill("35")
        page.get_by_role("button", name=es("Save")).click()
        expect(page.locator("#error-summary")).to_contain_text(
            es("Attach the evidence or give a link to it.")
        )
        expect(field(page, "Value")).to_have_value("35")  # kept
        found += serious_violations(page)
        field(page, "evidence (link)").fill("https://example.org/informe-funcionamiento")
        page.get_by_role("button", name=es("Save")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("G.1")
        assert IndicatorValue.objects.get().evidence_link.endswith("informe-funcionamiento")
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
