"""On a phone: an agency admin signs the ISP, the coordinator reads the suppressed tables
and publishes the public report, a visitor without an account opens it; every page fits
375 px and passes axe, in Spanish."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from ruta.cases.models import ConsentPurpose, GBVType
from ruta.cases.tests.factories import give_consent, make_case, make_incident
from ruta.core.tests.browser_helpers import PHONE, es, field, signed_in_page
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations
from ruta.statistics import tables

pytestmark = [pytest.mark.browser, pytest.mark.dates]


def test_sign_read_publish_and_open_the_public_report(
    live: Any, world: Any, new_context: Any
) -> None:
    worker = world.user("caseworker.care")
    period = tables.parse_period(tables.last_quarter())
    assert period is not None
    for n in range(7):
        case = make_case(worker, opened_on=period.start + dt.timedelta(days=3 + n), age=30)
        give_consent(worker, case, purpose=ConsentPurpose.REPORTING)
        gbv_type = GBVType.RAPE if n < 6 else GBVType.DENIAL
        make_incident(worker, case, gbv_type, date=period.start + dt.timedelta(days=1 + n))
    found: list[str] = []

    admin = signed_in_page(new_context, live, world.user("agency_admin.care"))
    admin.goto(f"{live.url}/estadisticas/protocolo/")
    assert_no_horizontal_scroll(admin)
    found += serious_violations(admin)
    field(admin, "share with the public").check()
    field(admin, "share with the network coordinator").check()
    field(admin, "share incidents reported from").fill("2020-01-01")
    admin.get_by_role("button", name=es("Sign"), exact=True).click()
    expect(admin.get_by_role("button", name=es("Withdraw the protocol"))).to_be_visible()

    coordinator = signed_in_page(new_context, live, world.user("coordinator"))
    coordinator.goto(f"{live.url}/estadisticas/")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(es("GBV statistics"))
    expect(coordinator.locator("td", has_text="<5").first).to_be_visible()
    assert_no_horizontal_scroll(coordinator)
    found += serious_violations(coordinator)
    coordinator.get_by_label(es("Publish for")).select_option("public")
    coordinator.get_by_role("button", name=es("Publish"), exact=True).click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(es("GBV statistics report"))
    report_url = coordinator.url

    visitor = new_context(**PHONE).new_page()
    visitor.goto(report_url)
    expect(visitor.locator("td", has_text="<5").first).to_be_visible()
    assert_no_horizontal_scroll(visitor)
    found += serious_violations(visitor)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
