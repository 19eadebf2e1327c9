"""The delay bridge in Chromium on a 375-px phone: from the desk's home, an operator opens
the stabilisation queue, checks a beneficiary's needs ("applies"), records a stabilisation
contact with its first aid (distress 8 → 5), records the payment made; the person leaves
the queue, BP5_PC's two indicators count them, and the good practice's public page shows
it. Every page fits the phone and passes axe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ruta.core.tests.browser_helpers import es, signed_in_page
from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations
from ruta.practices.tests.factories import make_practice
from ruta.stabilisation import actions, figures
from ruta.stabilisation.models import LeftReason, Programme, QueueEntry
from ruta.stabilisation.tests.factories import make_beneficiary, make_programme

pytestmark = pytest.mark.browser


def _checked(page: Page, found: list[str]) -> None:
    assert_no_horizontal_scroll(page)
    found += serious_violations(page)


def test_an_operator_bridges_a_late_payment_on_a_phone(
    live: Any, world: Any, new_context: Any
) -> None:
    today = timezone.localdate()
    practice = make_practice(world, "BP5_PC", status="published")
    programme = make_programme(world.care, delay_days=7, target_people=10, practice=practice)
    person = make_beneficiary(
        programme, "HH-900", today - dt.timedelta(days=10), sex="female", admin1="EC-P"
    )
    actions.refresh_queue(today)
    found: list[str] = []

    page = signed_in_page(new_context, live, world.user("helpline.care"))
    page.goto(f"{live.url}/")
    _checked(page, found)
    # The home counts the queue and names what is missing.
    queue_link = page.locator(f'a[href$="/programas/{programme.uuid}/cola/"]')
    expect(queue_link).to_be_visible()
    queue_link.click()
    expect(page.locator("h1")).to_have_text(es("Stabilisation queue"))
    _checked(page, found)
    page.get_by_role("link", name=person.reference).click()

    # The needs check: stabilisation applies (the default), dated today.
    page.get_by_role("link", name=es("Needs check"), exact=True).click()
    _checked(page, found)
    page.locator('input[name="outcome"][value="applies"]').check()
    page.get_by_role("button", name=es("Save")).click()
    expect(page).to_have_url(re.compile(rf"/beneficiarios/{person.uuid}/$"))

    # A stabilisation contact, then its first aid on the helpline's page.
    page.get_by_role("link", name=es("New stabilisation contact")).click()
    _checked(page, found)
    page.get_by_role("button", name=es("Save")).click()
    expect(page).to_have_url(re.compile(r"/linea/contactos/[0-9a-f-]{36}/primeros-auxilios/$"))
    _checked(page, found)
    page.locator("#id_distress_before").select_option("8")
    page.locator("#id_distress_after").select_option("5")
    page.get_by_role("button", name=es("Save")).click()
    expect(page).to_have_url(re.compile(r"/linea/contactos/[0-9a-f-]{36}/$"))

    # The payment arrives: recorded by hand on the beneficiary's page.
    page.goto(f"{live.url}/estabilizacion/beneficiarios/{person.uuid}/")
    _checked(page, found)
    page.locator('input[name="status"][value="paid"]').check()
    page.locator('input[name="paid_on"]').fill(today.isoformat())
    page.get_by_role("button", name=es("Save")).click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text(es("Payment saved."))
    _checked(page, found)
    page.screenshot(path="test-results/stabilisation-beneficiary-phone.png", full_page=True)

    entry = QueueEntry.objects.get(beneficiary=person)
    assert (entry.left_on, entry.left_reason) == (today, LeftReason.PAID)
    result = figures.compute(Programme.objects.filter(pk=programme.pk))
    assert (result.mechanisms, result.people_until_paid) == (1, 1)
    assert (result.distress_n, result.distress_change) == (1, -3)

    # The coordinator reads the figures; the public reads the evidence, a range below 5.
    coordinator = signed_in_page(new_context, live, world.user("coordinator"))
    coordinator.goto(f"{live.url}/estabilizacion/cifras/?programme={programme.uuid}")
    _checked(coordinator, found)
    visitor = new_context(viewport={"width": 375, "height": 812}).new_page()
    visitor.goto(f"{live.url}{practice.get_absolute_url()}")
    evidence = visitor.locator("#evidence")
    expect(evidence).to_contain_text(programme.name)
    expect(evidence).to_contain_text("<5 / 10")
    _checked(visitor, found)
    visitor.screenshot(path="test-results/stabilisation-evidence-phone.png", full_page=True)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
