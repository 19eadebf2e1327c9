"""The demo course of seed 002: five modules, officials, some pass with certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_user
from ruta.lib.permissions import Role
from ruta.network.models import Network
from ruta.trainings.demo import (
    COORDINATOR_EMAIL,
    MIRPS_NETWORK_SLUG,
    PARTICIPANTS,
    PASSING,
    load_trainings_demo,
    remove_trainings_demo,
)
from ruta.trainings.figures import training_summary
from ruta.trainings.models import Certificate, Course, Enrolment
from ruta.trainings.rules import progress_for

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks


def test_demo_loads_once_and_is_removed(world: Any) -> None:
    make_user(COORDINATOR_EMAIL, Role.COORDINATOR, world.network, is_demo=True)
    mirps = Network.objects.create(name="Red SMAPS MIRPS", slug=MIRPS_NETWORK_SLUG)

    first = load_trainings_demo()
    second = load_trainings_demo()

    assert (first.courses, first.enrolments, first.certificates) == (1, len(PARTICIPANTS), PASSING)
    assert (second.courses, second.people, second.enrolments, second.certificates) == (0, 0, 0, 0)
    course = Course.objects.get()
    assert course.modules.count() == 5 and course.sessions.count() == 5
    assert "violencia basada en género" in course.modules.get(order=4).title
    passed = [e for e in Enrolment.objects.all() if progress_for(e).passed]
    assert len(passed) == PASSING == Certificate.objects.count()
    assert course.network == mirps
    summary = training_summary(mirps, dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert summary["people_trained"] == PASSING
    assert summary["courses"][0]["enrolled"] == len(PARTICIPANTS)
    assert summary["courses"][0]["sessions"] == 5
    assert Enrolment.objects.filter(person__full_name="Funcionaria 01").exists()

    assert remove_trainings_demo() > 0
    assert not Course.objects.exists() and not Enrolment.objects.exists()
