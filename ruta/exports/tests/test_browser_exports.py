"""On a phone: a supervisor asks for the survivor's record from the case page, sees the
password once, finds the file under My exports and downloads it; the pages fit 375 px
and pass axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ruta.cases.tests.factories import make_case
from ruta.core.tests.browser_helpers import es, field, signed_in_page
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations

pytestmark = pytest.mark.browser


def test_a_supervisor_prepares_and_downloads_the_survivor_record(
    live: Any, world: Any, new_context: Any
) -> None:
    case = make_case(world.user("caseworker.care"))
    page = signed_in_page(new_context, live, world.user("supervisor.care"))
    found: list[str] = []
    page.goto(f"{live.url}/casos/")  # the case list's export form fits too
    assert_no_horizontal_scroll(page)
    found += serious_violations(page)
    page.goto(f"{live.url}/casos/{case.uuid}/")
    page.get_by_role("link", name=es("The survivor's record (PDF)")).click()
    # The form's page, not the case's while it unloads (its document can be gone).
    expect(page.get_by_role("radio", name="Español")).to_be_visible()
    assert_no_horizontal_scroll(page)
    found += serious_violations(page)
    page.get_by_role("radio", name="Español").check()
    field(
        page,
        "The survivor asked for their record and I will give them the password in person "
        "or by another channel than the file.",
    ).check()
    page.get_by_role("button", name=es("Prepare the record")).click()
    password = page.locator(".record-password code")
    expect(password).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name=es("Go to My exports")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(es("My exports"))
    assert_no_horizontal_scroll(page)
    found += serious_violations(page)
    with page.expect_download() as download:
        page.locator("main table a").first.click()
    assert download.value.suggested_filename == f"{case.code}-record.pdf"
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
