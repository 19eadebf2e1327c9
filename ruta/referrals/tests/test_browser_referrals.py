"""Two agencies in Chromium, on a phone: CARE refers a survivor to a HIAS psychosocial
service, HIAS's supervisor accepts and assigns, HIAS completes with feedback, CARE sees
the outcome; then CARE withdraws consent on another open referral and HIAS loses it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ruta.cases.models import ConsentMethod, ConsentPurpose
from ruta.cases.tests.factories import ALIAS, CODE_WORD, make_case
from ruta.cases.tests.test_browser_cases import shot
from ruta.core.tests.browser_helpers import es, field, signed_in_page
from ruta.referrals.models import Outcome, Referral, ReferralStatus
from ruta.referrals.tests.factories import hias_service, make_referral

pytestmark = pytest.mark.browser


def test_care_refers_to_hias_and_hias_completes_then_consent_is_withdrawn(
    live: Any, world: Any, new_context: Any
) -> None:
    care = world.user("caseworker.care")
    case = make_case(care)
    service = hias_service(world)

    # CARE: from the case, pick the HIAS service and send with the consent recorded.
    sender = signed_in_page(new_context, live, care)
    sender.goto(f"{live.url}/casos/{case.uuid}/")
    sender.get_by_role("link", name=es("Refer to a service")).click()
    sender.get_by_role("link", name=re.compile(re.escape(service.name_es))).first.click()
    field(sender, "The survivor agreed to share this information with this organization").check()
    sender.get_by_role("radio", name=es(ConsentMethod.VERBAL.label)).check()
    shot(sender, "referral-1-send")
    sender.get_by_role("button", name=es("Send the referral")).click()
    expect(sender).to_have_url(re.compile(r"/derivaciones/[0-9a-f-]{36}/$"))
    referral = Referral.objects.get(case=case)
    assert referral.status == ReferralStatus.SENT

    # HIAS supervisor: the inbox, accept and assign to the caseworker.
    boss = signed_in_page(new_context, live, world.user("supervisor.hias"))
    boss.goto(f"{live.url}/derivaciones/")
    boss.get_by_role("link", name=referral.reference).click()
    expect(boss.get_by_text(ALIAS)).to_be_visible()
    field(boss, "Caseworker who will follow it").select_option(
        str(world.user("caseworker.hias").uuid)
    )
    shot(boss, "referral-2-accept")
    boss.get_by_role("button", name=es("Accept"), exact=True).click()
    expect(boss.locator(".messages, [role=status]").first).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.assigned_to == world.user("caseworker.hias")

    # HIAS caseworker: completes with feedback.
    worker = signed_in_page(new_context, live, world.user("caseworker.hias"))
    worker.goto(f"{live.url}/derivaciones/{referral.uuid}/")
    worker.get_by_role("radio", name=es(Outcome.PROVIDED.label), exact=True).check()
    field(worker, "Feedback on the service given").fill("Seis sesiones de apoyo grupal.")
    worker.get_by_role("button", name=es("Complete"), exact=True).click()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED

    # CARE sees the outcome.
    sender.goto(f"{live.url}/derivaciones/{referral.uuid}/")
    expect(sender.get_by_text("Seis sesiones de apoyo grupal.")).to_be_visible()
    shot(sender, "referral-3-outcome")

    # Another open referral; CARE withdraws the consent, HIAS loses the snapshot.
    other = make_referral(world, service=hias_service(world, "Otro servicio HIAS"))
    boss.goto(f"{live.url}/derivaciones/{other.uuid}/")
    expect(boss.get_by_text(CODE_WORD)).to_be_visible()
    sender.goto(f"{live.url}/casos/{other.case.uuid}/")
    consent = other.case.consents.get(purpose=ConsentPurpose.SHARE)
    sender.goto(f"{live.url}/casos/{other.case.uuid}/consentimientos/{consent.uuid}/retirar/")
    sender.get_by_role("button", name=es("Confirm the withdrawal")).click()
    other.refresh_from_db()
    assert other.status == ReferralStatus.REVOKED
    boss.reload()
    expect(boss.get_by_text(CODE_WORD)).to_have_count(0)
    expect(boss.get_by_text(ALIAS)).to_have_count(0)
    shot(boss, "referral-4-withdrawn")
