"""A meeting in Chromium on a phone: the coordinator creates it, an external person
registers through the public link, the coordinator checks them in, the figures update."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from ruta.core.tests.browser_helpers import PHONE, es, signed_in_page
from ruta.network.forms import MeetingForm, PublicRegistrationForm
from ruta.network.models import Meeting, Modality, PersonSex, Registration, RegistrationSource
from ruta.network.tests.factories import make_network

pytestmark = pytest.mark.browser

SHOTS = Path("test-results")


def form_field(page: Page | Locator, form_class: Any, name: str) -> Locator:
    """The control of form field ``name``, by the label the form shows in Spanish."""
    with translation.override("es"):
        label = str(form_class().fields[name].label)
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\s*\*?\s*$"))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"network-{name}.png"), full_page=True)


def test_coordinator_meeting_public_registration_and_check_in_on_a_phone(
    live: Any, world: Any, new_context: Any
) -> None:
    network = make_network(world)
    coordinator = signed_in_page(new_context, live, world.user("coordinator"))
    network_url = live.url + network.get_absolute_url()

    # The network page before: no meeting, nobody attended.
    coordinator.goto(network_url)
    expect(coordinator.locator('[data-figure="meetings"]')).to_have_text("0")
    expect(coordinator.locator('[data-figure="unique_attendees"]')).to_have_text("0")

    # The coordinator creates a public meeting with registration open.
    coordinator.get_by_role("link", name=es("New meeting")).click()
    day = timezone.localdate() + dt.timedelta(days=10)
    form_field(coordinator, MeetingForm, "title").fill("Encuentro de intercambio en el navegador")
    form_field(coordinator, MeetingForm, "starts_at").fill(f"{day.isoformat()}T15:00")
    form_field(coordinator, MeetingForm, "ends_at").fill(f"{day.isoformat()}T17:00")
    form_field(coordinator, MeetingForm, "modality").select_option(Modality.HYBRID.value)
    form_field(coordinator, MeetingForm, "place").fill("Av. Javier Prado 444, San Isidro")
    form_field(coordinator, MeetingForm, "topics_text").fill(
        "Autocuidado de los equipos\nGestión de casos"
    )
    form_field(coordinator, MeetingForm, "public").check()
    form_field(coordinator, MeetingForm, "registration_open").check()
    shot(coordinator, "1-meeting-form")
    coordinator.get_by_role("button", name=es("Save the meeting")).click()
    expect(coordinator).to_have_url(re.compile(r"/red/reuniones/[0-9a-f-]{36}/$"))
    meeting = Meeting.objects.get()
    assert meeting.topics == ["Autocuidado de los equipos", "Gestión de casos"]
    public_link = coordinator.locator("#public-link").input_value()
    assert str(meeting.registration_token) in public_link

    # An external person registers through the public link, without an account.
    visitor = new_context(**PHONE).new_page()
    visitor.set_default_timeout(8_000)
    visitor.goto(public_link)
    form_field(visitor, PublicRegistrationForm, "full_name").fill("Rosa Participante Externa")
    form_field(visitor, PublicRegistrationForm, "email").fill("rosa.externa@example.org")
    form_field(visitor, PublicRegistrationForm, "organization_name").fill("Colectivo Migrante Lima")
    visitor.get_by_role("radio", name=es(PersonSex.FEMALE.label)).check()
    form_field(visitor, PublicRegistrationForm, "country").select_option("PE")
    visitor.get_by_role("button", name=es("Register")).click()
    # Without the consent nothing is recorded and what was typed stays.
    expect(form_field(visitor, PublicRegistrationForm, "full_name")).to_have_value(
        "Rosa Participante Externa"
    )
    assert not Registration.objects.exists()
    visitor.locator("#id_consent").check()
    shot(visitor, "2-public-registration")
    visitor.get_by_role("button", name=es("Register")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(es("You are registered"))
    registration = Registration.objects.get()
    assert registration.source == RegistrationSource.PUBLIC
    assert registration.person.data_consent_at is not None

    # The coordinator ticks her on the check-in list.
    coordinator.goto(live.url + meeting.get_absolute_url())
    coordinator.get_by_role("link", name=es("Check-in list")).click()
    coordinator.get_by_label(re.compile("Rosa Participante Externa")).check()
    coordinator.get_by_role("button", name=es("Save the attendance")).click()
    expect(coordinator.get_by_label(re.compile("Rosa Participante Externa"))).to_be_checked()
    shot(coordinator, "3-check-in")

    # The figures on the network page follow the records.
    coordinator.goto(network_url)
    expect(coordinator.locator('[data-figure="meetings"]')).to_have_text("1")
    expect(coordinator.locator('[data-figure="unique_attendees"]')).to_have_text("1")
    expect(coordinator.locator('[data-figure="total_attendances"]')).to_have_text("1")
    shot(coordinator, "4-figures")


def test_the_english_report_on_a_phone_marks_what_is_not_translated(
    live: Any, new_context: Any
) -> None:
    """The demo's English report: translated meetings in English, the 1st workshop in
    Spanish (lang="es") with a visible "Not translated yet"; axe, no sideways scroll."""
    from ruta.core.tests.test_browser import assert_no_horizontal_scroll, serious_violations
    from ruta.network.demo import NETWORK_SLUG, load_network_demo

    load_network_demo()
    workshop = Meeting.objects.get(title__startswith="1er Taller")
    page = new_context(**PHONE).new_page()
    page.set_default_timeout(8_000)
    with translation.override("en"):
        report_url = reverse("network:report", kwargs={"slug": NETWORK_SLUG})
        meeting_url = workshop.get_absolute_url()
    page.goto(f"{live.url}{report_url}?start=2021-01-01&end=2023-12-31")
    expect(
        page.get_by_role("heading", name="2nd exchange meeting on MHPSS methodologies")
    ).to_be_visible()
    spanish = page.locator('[lang="es"]', has_text="1er Taller de fortalecimiento").first
    expect(spanish).to_be_visible()
    marker = page.locator(".not-translated").first
    expect(marker).to_be_visible()
    expect(marker).to_have_text("Not translated yet")
    # Each value's label sits above it on a phone, inside the screen (not pushed off it).
    label_left = page.evaluate(
        "() => getComputedStyle(document.querySelector('.nw-stack td[data-label]'), '::before')"
        ".marginLeft"
    )
    assert label_left == "0px"
    assert_no_horizontal_scroll(page)
    assert serious_violations(page) == []
    shot(page, "5-english-report")

    page.goto(live.url + meeting_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not translated yet")
    assert page.locator("h1 [lang=es]").inner_text().startswith("1er Taller")
    assert_no_horizontal_scroll(page)
    assert serious_violations(page) == []
    shot(page, "6-english-meeting")
