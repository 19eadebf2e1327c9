"""The notifications page over HTTP: the badge, the list, marking read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import make_user, verified_login
from ruta.cases import actions
from ruta.cases.tests.factories import ALIAS, FAMILY_NAMES, GIVEN_NAMES, make_case
from ruta.lib.permissions import Role
from ruta.notifications.models import Notification, NotificationKind

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

PERSONAL = (GIVEN_NAMES, FAMILY_NAMES, ALIAS)


def en(name: str, *args: Any) -> str:
    """The English URL: assertions read English text whatever the translations say."""
    with translation.override("en"):
        return reverse(name, args=args)


def test_badge_counts_unread_notifications(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    for kind in (NotificationKind.APPROVED, NotificationKind.ASSIGNED, NotificationKind.REMINDER):
        Notification.objects.create(recipient=caseworker, kind=kind, case=case)
    Notification.objects.create(
        recipient=world.user("supervisor.care"), kind=NotificationKind.URGENT_RISK, case=case
    )
    verified_login(client, caseworker)
    html = client.get(en("cases:today")).content.decode()
    assert f'href="{en("notifications:list")}"' in html
    assert "Notifications (3)" in html

    response = client.post(en("notifications:read"))
    assert response.status_code == 302
    html = client.get(en("cases:today")).content.decode()
    assert "Notifications (3)" not in html and ">Notifications</a>" in html
    assert Notification.objects.filter(recipient=caseworker, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_no_badge_nor_query_for_roles_without_cases(client: Any, world: Any) -> None:
    verified_login(client, world.user("helpline.care"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(en("core:dashboard"))
    assert response.status_code == 200
    assert en("notifications:list") not in response.content.decode()
    assert not [q for q in captured if "cases_notification" in q["sql"]]


def test_notification_list(client: Any, world: Any, django_assert_max_num_queries: Any) -> None:
    caseworker, supervisor = world.user("caseworker.care"), world.user("supervisor.care")
    followed = make_case(caseworker)
    moved = make_case(caseworker)
    Notification.objects.create(
        recipient=caseworker,
        kind=NotificationKind.RETURNED,
        case=followed,
        details={"kind": "action_plan"},
    )
    Notification.objects.create(recipient=caseworker, kind=NotificationKind.ASSIGNED, case=moved)
    Notification.objects.create(
        recipient=caseworker,
        kind=NotificationKind.REMINDER,
        details={"overdue_actions": 2, "due_contacts": 1},
    )
    actions.reassign(supervisor, moved, make_user("x@test.org", Role.CASEWORKER, world.care))

    verified_login(client, caseworker)
    with django_assert_max_num_queries(10):
        response = client.get(en("notifications:list"))
    html = response.content.decode()
    assert "Your request was returned for changes: Action plan." in html
    assert f'<a href="{en("cases:case_detail", followed.uuid)}">Case {followed.code}</a>' in html
    assert f"Case {moved.code} (you no longer follow it)" in html
    assert en("cases:case_detail", moved.uuid) not in html
    assert "Reminder: you have 2 overdue plan actions and 1 contact due today or earlier." in html
    assert "Mark all as read" in html
    for text in PERSONAL:
        assert text not in html

    # Spanish is the default language: the page renders there too.
    assert client.get(reverse("notifications:list")).status_code == 200


def test_a_notification_without_a_case_points_to_today(client: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    Notification.objects.create(recipient=caseworker, kind=NotificationKind.REMINDER)
    verified_login(client, caseworker)
    html = client.get(en("notifications:list")).content.decode()
    assert f'<a href="{en("cases:today")}">Open today\'s work</a>' in html


def test_times_are_relative_and_dates_in_the_readers_language(
    client: Any, world: Any, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 6, 15, 0, tzinfo=dt.UTC), tick=False)
    caseworker = world.user("caseworker.care")
    Notification.objects.create(
        recipient=caseworker,
        kind=NotificationKind.CONFERENCE,
        details={"conference_on": "2026-12-07", "reference": "CARE-2026-00001"},
    )
    time_machine.move_to(dt.datetime(2026, 12, 6, 17, 0, tzinfo=dt.UTC), tick=False)
    verified_login(client, caseworker)
    spanish = client.get(reverse("notifications:list")).content.decode().replace("\xa0", " ")
    assert "hace 2 horas" in spanish and "7 de diciembre de 2026" in spanish
    english = client.get(en("notifications:list")).content.decode().replace("\xa0", " ")
    assert "2 hours ago" in english and "Dec. 7, 2026" in english
    assert "2026-12-07" not in spanish and "2026-12-07" not in english
