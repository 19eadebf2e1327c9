"""The helpline desk in Chromium on a 375-px phone: an operator takes a contact with the
keyboard alone, answers a risk question "yes", is held to the protocol until the action
taken is recorded, makes a warm referral (refused until the caller's consent is ticked),
closes the contact; the supervisor acknowledges the alert."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ruta.cases.tests.test_browser_cases import shot
from ruta.core.tests.browser_helpers import es, field, signed_in_page
from ruta.helpline.models import Contact, ContactStatus, RiskAlert, RiskQuestion
from ruta.lib.crypto import keyed_hash
from ruta.referrals.models import Referral, ReferralStatus

pytestmark = pytest.mark.browser


def _fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _tab_to(page: Page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{element_id} is not reachable with the keyboard")


def test_an_operator_follows_the_risk_protocol_and_the_supervisor_acknowledges(
    live: Any, world: Any, new_context: Any
) -> None:
    operator = signed_in_page(new_context, live, world.user("helpline.care"))
    operator.goto(f"{live.url}/linea/")
    assert _fits_the_phone(operator)
    operator.get_by_role("link", name=es("New contact")).first.click()

    # The keyboard alone: the channel has the focus, the defaults stand, Enter saves.
    expect(operator.locator("#id_channel")).to_be_focused()
    shot(operator, "helpline-1-new-contact")
    _tab_to(operator, "id_phone")
    operator.keyboard.type("+51 987 000 111")
    operator.keyboard.press("Enter")
    expect(operator).to_have_url(re.compile(r"/linea/contactos/[0-9a-f-]{36}/$"))
    contact = Contact.objects.get()
    assert contact.channel == "phone" and contact.operator == world.user("helpline.care")
    assert contact.phone_hash == keyed_hash("helpline-phone:51987000111")
    assert _fits_the_phone(operator)

    # The screening: one "yes" and no action taken yet.
    operator.get_by_role("link", name=es("Risk screening")).click()
    for question in RiskQuestion.objects.all():
        answer = "Yes" if question.code == "immediate_danger" else "No"
        group = operator.get_by_role("group", name=re.compile(re.escape(question.text_es)))
        group.get_by_label(es(answer), exact=True).check()
    operator.get_by_role("button", name=es("Save the screening")).click()
    expect(operator.locator(".hl-protocol")).to_be_visible()
    expect(operator.locator("#error-summary")).to_be_visible()
    shot(operator, "helpline-2-protocol")
    assert RiskAlert.objects.filter(contact=contact).exists()  # alerted at once
    assert _fits_the_phone(operator)

    # Closing is refused until the action taken is recorded.
    operator.goto(f"{live.url}/linea/contactos/{contact.uuid}/")
    operator.get_by_role("button", name=es("Close the contact")).click()
    expect(operator).to_have_url(re.compile(r"/riesgo/$"))
    contact.refresh_from_db()
    assert contact.status == ContactStatus.OPEN
    field(operator, "Action taken").fill("Plan de seguridad y contacto con el albergue")
    operator.get_by_role("button", name=es("Save the screening")).click()
    expect(operator).to_have_url(re.compile(r"/linea/contactos/[0-9a-f-]{36}/$"))

    # A warm referral to HIAS: refused without the caller's consent, what was ticked kept;
    # sent with it, carrying the ticked fields only.
    operator.get_by_role("link", name=es("Refer the caller")).click()
    handoff_url = operator.url
    operator.locator("#id_organization").select_option(str(world.hias.pk))
    operator.locator('input[name="share"][value="age_band"]').check()
    operator.get_by_role("button", name=es("Send")).click()
    expect(operator.locator("#error-summary")).to_be_visible()
    assert operator.url == handoff_url and not Referral.objects.exists()
    expect(operator.locator('input[name="share"][value="age_band"]')).to_be_checked()
    assert _fits_the_phone(operator)
    shot(operator, "helpline-2b-warm-referral")
    operator.locator("#id_consent").check()
    operator.get_by_role("button", name=es("Send")).click()
    expect(operator).to_have_url(re.compile(r"/linea/contactos/[0-9a-f-]{36}/$"))
    referral = Referral.objects.get()
    assert referral.to_organization == world.hias and referral.status == ReferralStatus.SENT
    assert set(referral.snapshot_data()) <= {"age_band"}
    expect(operator.locator("#handoffs-title")).to_be_visible()
    expect(operator.locator("section[aria-labelledby=handoffs-title] li")).to_contain_text(
        referral.reference
    )

    operator.get_by_role("button", name=es("Close the contact")).click()
    expect(operator).to_have_url(re.compile(r"/linea/$"))
    contact.refresh_from_db()
    assert contact.status == ContactStatus.CLOSED

    # The supervisor acknowledges the alert from the desk.
    supervisor = signed_in_page(new_context, live, world.user("supervisor.care"))
    supervisor.goto(f"{live.url}/linea/")
    shot(supervisor, "helpline-3-desk")
    supervisor.get_by_role("button", name=es("Acknowledge"), exact=True).click()
    expect(supervisor).to_have_url(re.compile(r"/linea/contactos/[0-9a-f-]{36}/$"))
    alert = RiskAlert.objects.get(contact=contact)
    assert alert.acknowledged_by == world.user("supervisor.care")
    assert _fits_the_phone(supervisor)
