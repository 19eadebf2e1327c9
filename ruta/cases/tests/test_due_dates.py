"""The copies kept on each case: the next contact and the earliest open action's due date."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.utils import timezone

from ruta.cases import actions
from ruta.cases.models import ActionStatus, Case, FollowUp, PlanAction
from ruta.cases.tests.factories import make_case, make_follow_up, make_plan
from ruta.cases.work import refresh_due_dates

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def stored(case: Case) -> tuple[dt.date | None, dt.date | None]:
    fresh = Case.objects.get(pk=case.pk)
    return fresh.next_contact_on, fresh.next_action_due_on


def test_the_latest_follow_up_sets_the_next_contact(world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    assert stored(case) == (None, None)
    make_follow_up(caseworker, case, happened_on=days(-10), next_contact_on=days(-3))
    assert stored(case)[0] == days(-3)
    assert case.next_contact_on == days(-3)  # the instance in hand too
    # An older follow-up recorded late does not move the next contact.
    make_follow_up(caseworker, case, happened_on=days(-20), next_contact_on=days(30))
    assert stored(case)[0] == days(-3)
    # The latest follow-up without a next contact clears it.
    make_follow_up(caseworker, case, happened_on=days(-1))
    assert stored(case)[0] is None


def test_the_earliest_open_action_sets_the_next_due_date(world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    _plan, goal, late = make_plan(caseworker, case, due_on=days(-5))
    actions.add_plan_action(
        caseworker, case, goal, description="Otra acción", responsible="Gestión", due_on=days(4)
    )
    actions.add_plan_action(caseworker, case, goal, description="Sin fecha", responsible="Yo")
    assert stored(case)[1] == days(-5)
    actions.update_plan_action(caseworker, late, status=ActionStatus.IN_PROGRESS)
    assert stored(case)[1] == days(-5)  # still open
    actions.update_plan_action(caseworker, late, status=ActionStatus.DONE)
    assert stored(case)[1] == days(4)
    actions.update_plan_action(caseworker, late, status=ActionStatus.PENDING, due_on=days(1))
    assert stored(case)[1] == days(1)
    for action in PlanAction.objects.filter(case=case):
        actions.update_plan_action(caseworker, action, status=ActionStatus.CANCELLED)
    assert stored(case)[1] is None


def test_refresh_repairs_copies_written_around_the_actions(world: Any) -> None:
    caseworker = world.user("caseworker.care")
    first, second = make_case(caseworker), make_case(caseworker)
    _plan, goal, _action = make_plan(caseworker, first, due_on=days(2))
    # Rows written straight to the database, as a bulk import would.
    FollowUp.objects.create(
        case=second,
        kind="call",
        happened_on=days(-2),
        next_contact_on=days(1),
        recorded_by=caseworker,
    )
    PlanAction.objects.create(
        goal=goal, case=first, description="Importada", responsible="Yo", due_on=days(-1)
    )
    assert stored(first) == (None, days(2)) and stored(second) == (None, None)
    assert refresh_due_dates(Case.objects.filter(pk__in=[first.pk, second.pk])) == 2
    assert stored(first) == (None, days(-1))
    assert stored(second) == (days(1), None)


def test_the_migration_fills_the_copies_of_existing_cases(world: Any) -> None:
    caseworker = world.user("caseworker.care")
    case = make_case(caseworker)
    make_follow_up(caseworker, case, happened_on=days(-2), next_contact_on=days(3))
    make_plan(caseworker, case, due_on=days(-4))
    Case.objects.filter(pk=case.pk).update(next_contact_on=None, next_action_due_on=None)
    migration = importlib.import_module("ruta.cases.migrations.0003_case_due_dates")
    migration.fill_due_dates(global_apps, None)
    assert stored(case) == (days(3), days(-4))
