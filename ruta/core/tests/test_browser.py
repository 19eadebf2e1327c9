"""The journeys people take, in Chromium: log in, switch language, enrol 2FA, keyboard, axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from conftest import PASSWORD, es
from ruta.accounts.actions import invite_user
from ruta.accounts.models import User

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
LOGIN_PATH = "/cuenta/entrar/"
BLOCKING_IMPACTS = {"serious", "critical"}


def new_page(new_context: Any, screen: dict[str, Any]) -> Page:
    page: Page = new_context(**screen).new_page()
    page.set_default_timeout(5_000)
    return page


def log_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    if LOGIN_PATH not in page.url:
        page.goto(base_url + LOGIN_PATH)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


def log_in_with_code(page: Page, base_url: str, email: str) -> None:
    """Log in an account that must pass the second factor (an agency admin, say)."""
    device = TOTPDevice.objects.create(
        user=User.objects.get(email=email), name="phone", confirmed=True
    )
    log_in(page, base_url, email)
    expect(page).to_have_url(re.compile(r"/cuenta/entrar/verificar/$"))
    page.locator("#id_token").fill(current_code(device))
    page.locator("main form button[type=submit]").click()


def heading(page: Page) -> Any:
    return page.get_by_role("heading", level=1)


def assert_no_horizontal_scroll(page: Page) -> None:
    # A phone zooms out to fit wide content, which widens innerWidth: compare with the
    # viewport the test asked for too.
    page.wait_for_load_state()
    scroll_width, inner_width, path = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, location.pathname]"
    )
    assert page.viewport_size is not None
    allowed = min(inner_width, page.viewport_size["width"])
    assert scroll_width <= allowed, f"{path} scrolls sideways: {scroll_width} px > {allowed} px"


def current_code(device: TOTPDevice) -> str:
    """What the authenticator app shows now for ``device``."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_log_in_switch_to_english_and_log_out(
    live: Any, new_context: Any, screen: dict[str, Any]
) -> None:
    page = new_page(new_context, screen)
    phone = screen is PHONE

    # The bare domain is the public home; staff find their way in from its footer.
    page.goto(live.url + "/")
    expect(heading(page)).to_have_text(es("Find help near you"))
    page.get_by_role("link", name=es("Staff log in")).click()
    expect(page).to_have_url(re.compile(r"/cuenta/entrar/"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(heading(page)).to_have_text(es("Log in to Ruta"))
    if phone:
        assert_no_horizontal_scroll(page)

    log_in(page, live.url, "coord@test.org")
    expect(page).to_have_url(live.url + "/")
    expect(heading(page)).to_have_text(es("Welcome, %(name)s") % {"name": "Coord"})
    nav = page.get_by_role("navigation", name=es("Main"))
    if phone:  # the menu is folded behind its button on a phone
        expect(nav.get_by_role("link", name=es("Organizations"))).to_be_hidden()
        nav.locator("summary", has_text=es("Menu")).click()
    expect(nav.get_by_role("link", name=es("Organizations"))).to_be_visible()
    if phone:
        assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="English", exact=True).click()
    expect(page).to_have_url(live.url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading(page)).to_have_text("Welcome, Coord")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Organizations")
    expect(page.get_by_role("button", name="Español", exact=True)).to_be_visible()
    if phone:
        assert_no_horizontal_scroll(page)

    if phone:  # the account links fold into the menu too
        page.get_by_role("navigation", name="Main").locator("summary", has_text="Menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(live.url + "/en" + LOGIN_PATH)
    expect(heading(page)).to_have_text("Log in to Ruta")
    expect(page.get_by_role("status")).to_contain_text("You have logged out.")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_caseworker_enrols_in_two_factor_on_first_login(live: Any, page: Page) -> None:
    page.set_default_timeout(5_000)
    user = User.objects.get(email="caseworker.care@test.org")

    log_in(page, live.url, user.email)
    expect(page).to_have_url(re.compile(r"/cuenta/seguridad/2fa/$"))
    expect(heading(page)).to_have_text(es("Set up two-factor authentication"))
    # The only way out of enrolment is enrolling: the dashboard sends the person back.
    page.goto(live.url + "/")
    expect(page).to_have_url(re.compile(r"/cuenta/seguridad/2fa/$"))

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.locator("#id_token").fill(current_code(device))
    page.locator("main form button[type=submit]").click()

    expect(heading(page)).to_have_text(es("Your recovery codes"))
    expect(page.locator("ol.codes li")).to_have_count(10)
    page.locator("main a.button.primary").click()
    expect(page).to_have_url(live.url + "/")
    expect(heading(page)).to_have_text(es("Welcome, %(name)s") % {"name": "Caseworker"})
    assert TOTPDevice.objects.get(user=user).confirmed


def test_tab_first_reaches_the_skip_link_with_a_visible_outline(live: Any, page: Page) -> None:
    page.set_default_timeout(5_000)
    page.goto(live.url + LOGIN_PATH)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=es("Skip to main content"))
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_username")).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_failed_login_focuses_and_announces_the_error_summary(live: Any, page: Page) -> None:
    page.set_default_timeout(5_000)
    page.goto(live.url + LOGIN_PATH)

    log_in(page, live.url, "coord@test.org", password="not-the-password-at-all")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(page.get_by_role("alert")).to_contain_text(es("Please correct the following:"))
    expect(page).to_have_url(re.compile(LOGIN_PATH + "$"))


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url} {violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("language", ["es", "en"])
def test_main_pages_have_no_serious_accessibility_violations(
    live: Any, page: Page, language: str
) -> None:
    page.set_default_timeout(5_000)
    prefix = "" if language == "es" else "/en"
    User.objects.filter(email="agency_admin.care@test.org").update(language=language)
    # A role grant waiting for the agency admin's confirmation: its table and buttons.
    care_admin = User.objects.get(email="agency_admin.care@test.org")
    invite_user(
        User.objects.get(email="admin@test.org"),
        email="new.caseworker@test.org",
        full_name="New Caseworker",
        role="caseworker",
        organization=care_admin.organization,
    )
    found: list[str] = []

    page.goto(live.url + prefix + LOGIN_PATH)
    expect(page.locator("html")).to_have_attribute("lang", language)
    found += serious_violations(page)

    log_in_with_code(page, live.url, "agency_admin.care@test.org")
    expect(page).to_have_url(live.url + prefix + "/")
    found += serious_violations(page)
    for path in (
        "/organizaciones/",
        "/cuenta/seguridad/",
        "/usuarios/",
        "/usuarios/roles/",
        "/permisos/",
        "/estilo/",
    ):
        page.goto(live.url + prefix + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        found += serious_violations(page)

    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)


def test_admin_pages_fit_a_phone_and_pass_axe(live: Any, new_context: Any) -> None:
    """Tables and forms on a 375-px phone: no sideways scroll, nothing axe calls serious."""
    page = new_page(new_context, PHONE)
    admin = User.objects.get(email="admin@test.org")
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    log_in(page, live.url, admin.email)
    expect(page).to_have_url(re.compile(r"/cuenta/entrar/verificar/$"))
    page.locator("#id_token").fill(current_code(device))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live.url + "/")

    found: list[str] = []
    for path in ("/organizaciones/", "/usuarios/invitar/", "/cuenta/seguridad/"):
        page.goto(live.url + path)
        expect(heading(page)).to_be_visible()
        assert_no_horizontal_scroll(page)
    page.locator("main a[href*='/cuenta/seguridad/2fa/']").click()
    expect(page.locator(".qr svg")).to_be_visible()
    assert_no_horizontal_scroll(page)
    # The wide tables: axe checks that what scrolls can be reached by keyboard.
    for path in ("/usuarios/", "/auditoria/", "/permisos/"):
        page.goto(live.url + path)
        expect(page.locator("main table")).to_be_visible()
        assert_no_horizontal_scroll(page)
        found += serious_violations(page)
    page.goto(live.url + "/usuarios/")
    page.locator("main table a").first.click()
    expect(page.get_by_role("button", name=es("Deactivate account"))).to_be_visible()
    assert_no_horizontal_scroll(page)

    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)


def test_navigation_marks_the_current_section(live: Any, page: Page) -> None:
    page.set_default_timeout(5_000)
    log_in_with_code(page, live.url, "agency_admin.care@test.org")
    expect(page).to_have_url(live.url + "/")
    current = page.locator("nav [aria-current=page]")

    page.goto(live.url + "/cuenta/seguridad/")
    expect(current).to_have_count(1)
    expect(current).to_have_text(es("My account"))

    page.goto(live.url + "/usuarios/invitar/")
    expect(current).to_have_count(1)
    expect(current).to_have_text(es("Users"))


def test_phone_menu_opens_with_the_keyboard(live: Any, new_context: Any) -> None:
    """A real menu on a 375-px phone: folded, opened from the keyboard, grouped, no overflow."""
    page = new_page(new_context, PHONE)
    log_in_with_code(page, live.url, "admin@test.org")
    expect(page).to_have_url(live.url + "/")
    nav = page.get_by_role("navigation", name=es("Main"))
    users = nav.get_by_role("link", name=es("Users"), exact=True)
    expect(users).to_be_hidden()

    nav.locator("summary.nav-toggle").focus()
    page.keyboard.press("Enter")
    admin_group = nav.locator("summary", has_text=es("Administration"))
    expect(admin_group).to_be_visible()
    expect(users).to_be_hidden()  # each group is a disclosure of its own
    admin_group.focus()
    page.keyboard.press("Enter")
    expect(users).to_be_visible()
    assert_no_horizontal_scroll(page)
    # No label breaks across lines ("Mi / cuenta"): each link is one line tall.
    account = nav.get_by_role("link", name=es("My account"))
    box = account.bounding_box()
    assert box is not None and box["height"] < 50, box
    page.screenshot(path="test-results/nav-phone-admin-menu.png", full_page=True)
    found = serious_violations(page)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)

    users.click()
    expect(page).to_have_url(live.url + "/usuarios/")
    expect(nav.locator("[aria-current=page]")).to_have_text(es("Users"))
    expect(nav.locator("summary[aria-current=true]")).to_have_text(es("Administration"))


def test_desktop_menu_is_a_bar_of_groups(live: Any, new_context: Any) -> None:
    page = new_page(new_context, DESKTOP)
    log_in_with_code(page, live.url, "admin@test.org")
    expect(page).to_have_url(live.url + "/")
    nav = page.get_by_role("navigation", name=es("Main"))
    expect(nav.locator("summary.nav-toggle")).to_be_hidden()
    group = nav.locator("summary", has_text=es("Administration"))
    expect(group).to_be_visible()
    users = nav.get_by_role("link", name=es("Users"), exact=True)
    group.focus()
    page.keyboard.press("Enter")
    expect(users).to_be_visible()
    page.keyboard.press("Escape")
    expect(users).to_be_hidden()
    expect(group).to_be_focused()
    found = serious_violations(page)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
