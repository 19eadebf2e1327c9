"""One journey in Chromium on a phone: an agency admin writes and submits a practice,
the coordinator reviews and publishes it, and the public finds it by its SDG."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Locator, Page, expect

from conftest import es, verified_login
from ruta.audit.models import AuditEvent
from ruta.practices.models import Practice, PracticeStatus

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def field(page: Page, label: str) -> Locator:
    """The control labelled ``label`` (Django capitalises labels; required ones end in *)."""
    text = es(label)
    pattern = r"^\s*" + re.escape(text[:1].upper() + text[1:]) + r"\s*\*?\s*$"
    return page.get_by_label(re.compile(pattern))


def phone_page(new_context: Any, live: Any, user: Any = None) -> Page:
    context = new_context(**PHONE)
    if user is not None:
        client = verified_login(Client(), user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live.url}]
        )
    page: Page = context.new_page()
    page.set_default_timeout(8_000)
    return page


def test_agency_admin_submits_coordinator_publishes_public_finds_by_sdg(
    live: Any, world: Any, new_context: Any
) -> None:
    # The agency admin of CARE writes a practice and submits it.
    author = phone_page(new_context, live, world.user("agency_admin.care"))
    author.goto(live.url + "/practicas/gestion/")
    author.get_by_role("link", name=es("New good practice")).click()
    field(author, "code").fill("BP_NAV")
    field(author, "title (Spanish)").fill("Acompañamiento psicosocial en albergues")
    field(author, "title (English)").fill("Psychosocial accompaniment in shelters")
    field(author, "finding (Spanish)").fill("Las familias albergadas reciben apoyo grupal semanal.")
    field(author, "Countries").select_option("PE")
    author.get_by_label("3. Salud y bienestar").check()
    author.get_by_role("button", name=es("Save draft")).click()
    expect(author).to_have_url(re.compile(r"/practicas/[0-9a-f-]{36}/$"))
    practice = Practice.objects.get(code="BP_NAV")
    assert practice.owner == world.care
    author.get_by_role("button", name=es("Submit for review")).click()
    expect(author.locator("#bp-status")).to_have_text(es(PracticeStatus.SUBMITTED.label))
    assert Practice.objects.get(pk=practice.pk).status == PracticeStatus.SUBMITTED

    # The coordinator finds it among the submitted ones, reviews and publishes it.
    coordinator = phone_page(new_context, live, world.user("coordinator"))
    coordinator.goto(live.url + "/practicas/gestion/?status=submitted")
    coordinator.get_by_role("link", name="Acompañamiento psicosocial en albergues").click()
    field(coordinator, "Comment").fill("Clara y replicable.")
    coordinator.get_by_role("button", name=es("Mark as reviewed")).click()
    expect(coordinator.locator("#bp-status")).to_have_text(es(PracticeStatus.REVIEWED.label))
    coordinator.get_by_role("button", name=es("Publish")).click()
    expect(coordinator.locator("#bp-status")).to_have_text(es(PracticeStatus.PUBLISHED.label))
    assert Practice.objects.get(pk=practice.pk).status == PracticeStatus.PUBLISHED
    assert AuditEvent.objects.filter(
        action="practice.published", object_uuid=practice.uuid
    ).exists()

    # Anyone finds it in the catalogue through the SDG facet.
    public = phone_page(new_context, live)
    public.goto(live.url + "/practicas/")
    public.locator("summary", has_text=es("Sustainable Development Goal")).click()
    public.locator('a[data-facet="sdg"][data-value="3"]').click()
    expect(public).to_have_url(re.compile(r"sdg=3"))
    result = public.get_by_role("link", name="Acompañamiento psicosocial en albergues")
    expect(result).to_be_visible()
    result.click()
    expect(public.get_by_role("heading", level=1)).to_contain_text("BP_NAV")
    width = public.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
