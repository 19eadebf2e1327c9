"""Small builders for training tests: a course with modules and sessions, people, marks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ruta.network.models import Person, PersonSex
from ruta.trainings import actions
from ruta.trainings.models import Course, Enrolment, Module, TrainingSession


def make_course(
    coordinator: Any,
    *,
    title: str = "Curso de primeros auxilios psicológicos",
    modules: int = 3,
    sessions: int = 4,
    min_modules: int | None = None,
    min_attendance_pct: int = 75,
    open_it: bool = True,
    starts_on: dt.date = dt.date(2025, 3, 1),
    ends_on: dt.date | None = dt.date(2025, 4, 30),
    network: Any = None,
    organizers: list[Any] | None = None,
    country: str = "PE",
) -> Course:
    course = Course(
        title=title,
        modality="online",
        country=country,
        starts_on=starts_on,
        ends_on=ends_on,
        min_modules=min_modules,
        min_attendance_pct=min_attendance_pct,
        network=network,
    )
    actions.save_course(
        coordinator,
        course,
        organizers=organizers or [],
        modules=[
            actions.ModuleSpec(title=f"Módulo {n}", hours=Decimal(4), order=n)
            for n in range(1, modules + 1)
        ],
    )
    start = timezone.make_aware(dt.datetime.combine(starts_on, dt.time(10)))
    for n in range(sessions):
        actions.add_session(
            coordinator, course, starts_at=start + dt.timedelta(days=7 * n), modality="online"
        )
    if open_it:
        actions.open_course(coordinator, course)
    return course


def make_person(
    name: str,
    *,
    email: str | None = None,
    organization: Any = None,
    organization_name: str = "",
    sex: str = PersonSex.FEMALE,
    country: str = "PE",
    user: Any = None,
) -> Person:
    return Person.objects.create(
        full_name=name,
        email=email or f"{name.lower().replace(' ', '.')}@ejemplo.invalid",
        organization=organization,
        organization_name=organization_name,
        sex=sex,
        country=country,
        user=user,
    )


def enrol(coordinator: Any, course: Course, person: Person) -> Enrolment:
    enrolment, _created = actions.enrol_person(coordinator, course, person)
    return enrolment


def mark(
    coordinator: Any, enrolment: Enrolment, *, modules: int = 0, sessions: int = 0
) -> Enrolment:
    """Complete the first ``modules`` modules and attend the first ``sessions`` sessions."""
    course = enrolment.course
    module_list: list[Module] = list(course.modules.order_by("order"))
    session_list: list[TrainingSession] = list(course.sessions.order_by("starts_at"))
    for module in module_list[:modules]:
        actions.record_completion(coordinator, enrolment, module)
    for session in session_list[:sessions]:
        actions.record_attendance(coordinator, enrolment, session)
    return enrolment


def passed_enrolment(coordinator: Any, course: Course, person: Person) -> Enrolment:
    enrolment = enrol(coordinator, course, person)
    return mark(
        coordinator,
        enrolment,
        modules=course.modules.count(),
        sessions=course.sessions.count(),
    )
