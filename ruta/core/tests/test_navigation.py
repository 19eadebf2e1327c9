"""The staff menu: grouped by job, only what the role may open, the current place marked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from ruta.core.context_processors import NAV_GROUPS, NAV_ITEMS
from ruta.lib.permissions import Role, user_can

pytestmark = pytest.mark.django_db

ROLE_USERS = {
    Role.ADMIN: "admin",
    Role.COORDINATOR: "coordinator",
    Role.AGENCY_ADMIN: "agency_admin.care",
    Role.SUPERVISOR: "supervisor.care",
    Role.CASEWORKER: "caseworker.care",
    Role.HELPLINE: "helpline.care",
    Role.ANALYST: "analyst",
}


def nav_html(page: str) -> str:
    found = re.search(r'<nav class="main-nav".*?</nav>', page, re.S)
    assert found, "no main navigation on the page"
    return found.group(0)


def menu_links(page: str) -> set[str]:
    """The menu's own links (not the account links: those are for everyone)."""
    groups = re.search(
        r'<ul class="nav-groups">.*?</ul>\s*<div class="account">', nav_html(page), re.S
    )
    assert groups
    return set(re.findall(r'<a [^>]*href="([^"]+)"', groups.group(0)))


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_menu_shows_exactly_what_the_matrix_allows(world: Any, login: Any, role: Role) -> None:
    user = world.user(ROLE_USERS[role])
    page = login(user).get(reverse("core:dashboard")).content.decode()
    allowed = {
        reverse(name) for name, _label, cap in NAV_ITEMS if cap is None or user_can(user, cap)
    }
    assert menu_links(page) == allowed


def test_caseworker_and_coordinator_see_different_groups(world: Any, login: Any) -> None:
    worker = login(world.user("caseworker.care")).get(reverse("core:dashboard")).content.decode()
    assert reverse("cases:case_list") in nav_html(worker)
    assert reverse("accounts:user_list") not in nav_html(worker)
    assert reverse("audit:event_list") not in nav_html(worker)
    coordinator = login(world.user("coordinator")).get("/").content.decode()
    assert reverse("cases:case_list") not in nav_html(coordinator)
    assert reverse("referrals:inbox") not in nav_html(coordinator)


def test_every_menu_link_sits_in_one_group() -> None:
    names = [name for _key, _label, items in NAV_GROUPS for name, _l, _c in items]
    assert len(names) == len(set(names))
    assert {name for name, _l, _c in NAV_ITEMS} == set(names) | {"core:dashboard"}


def test_the_current_page_and_its_group_are_marked(world: Any, login: Any) -> None:
    client = login(world.user("admin"))
    page = nav_html(client.get(reverse("accounts:user_list")).content.decode())
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', page)
    assert current == ["Usuarios"]
    group = re.findall(r'<summary class="nav-top" aria-current="true">([^<]+)</summary>', page)
    assert group == ["Administración"]
    # A page below a section marks that section: an organization's page marks Organizations.
    page = nav_html(client.get(reverse("accounts:user_invite")).content.decode())
    assert re.findall(r'aria-current="page"[^>]*>([^<]+)</a>', page) == ["Usuarios"]


def test_a_one_link_group_is_that_link_and_home_is_marked(world: Any, login: Any) -> None:
    page = nav_html(login(world.user("coordinator")).get("/").content.decode())
    assert re.findall(r'aria-current="page"[^>]*>([^<]+)</a>', page) == ["Inicio"]
    assert 'aria-current="true"' not in page
    # The coordinator's "Referrals" group holds only the pathways: shown as that one link.
    assert f'class="nav-top" href="{reverse("pathways:list")}"' in page


def test_menu_in_english(world: Any, login: Any) -> None:
    page = login(world.user("supervisor.care")).get("/en/").content.decode()
    nav = nav_html(page)
    for label in ("Cases", "Referrals", "Network and practice", "Organizations", "Menu"):
        assert f">{label}<" in nav


def test_the_analyst_finds_people_reached_and_caseworkers_their_activities(
    world: Any, login: Any
) -> None:
    analyst = nav_html(login(world.user("analyst")).get("/").content.decode())
    assert reverse("measure:reach") in analyst
    assert reverse("activities:list") not in analyst
    worker = nav_html(login(world.user("caseworker.care")).get("/").content.decode())
    assert reverse("activities:list") in worker
    assert reverse("measure:reach") not in worker
    page = login(world.user("analyst")).get(reverse("measure:fivew")).content.decode()
    assert re.findall(r'aria-current="page"[^>]*>([^<]+)</a>', nav_html(page)) == [
        "Población asistida"
    ]
