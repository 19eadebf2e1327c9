"""Training figures computed from the records, never typed.

"Trained" means an enrolment (not withdrawn) that meets its course's pass rule
(``rules.progress``). A person counts once however many courses they passed; their
organization, country and sex are those of the ``network.Person`` record.

``training_summary(network, start, end)`` is what the network report reads: the courses
of that network whose dates overlap the period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ruta.lib.geo import country_name
from ruta.network.models import PersonSex
from ruta.trainings.models import Course, Enrolment, EnrolmentStatus
from ruta.trainings.rules import annotate_progress, course_counts, progress_of

Pairs = list[tuple[str, int]]


@dataclass
class CourseFigures:
    course: Course
    sessions: int
    enrolled: int
    completed: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "uuid": str(self.course.uuid),
            "title": self.course.title,
            "starts_on": self.course.starts_on,
            "ends_on": self.course.ends_on,
            "sessions": self.sessions,
            "enrolled": self.enrolled,
            "completed": self.completed,
        }


@dataclass
class Figures:
    courses: list[CourseFigures]
    people_trained: int
    by_organization: Pairs
    by_country: Pairs
    by_sex: Pairs


def courses_in_period(
    courses: QuerySet[Course], start: dt.date | None, end: dt.date | None
) -> QuerySet[Course]:
    """Courses whose dates overlap [start, end] (a course without an end lasts one day)."""
    if end is not None:
        courses = courses.filter(starts_on__lte=end)
    if start is not None:
        courses = courses.filter(
            Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start)
        )
    return courses


def _sorted(counter: Counter[str]) -> Pairs:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold()))


def compute(courses: Iterable[Course] | QuerySet[Course]) -> Figures:
    """Figures for these courses in a fixed number of queries (three)."""
    counted = {
        c.pk: c for c in course_counts(Course.objects.filter(pk__in=[c.pk for c in courses]))
    }
    enrolments = annotate_progress(
        Enrolment.objects.filter(course_id__in=counted, status=EnrolmentStatus.ENROLLED)
    ).select_related("person", "person__organization")
    completed: Counter[int] = Counter()
    trained: dict[int, Any] = {}
    for enrolment in enrolments:
        course = counted[enrolment.course_id]
        if progress_of(enrolment, course).passed:
            completed[course.pk] += 1
            trained.setdefault(enrolment.person_id, enrolment.person)
    ordered = sorted(counted.values(), key=lambda c: (c.starts_on, c.title))
    language = (get_language() or "es")[:2]
    sexes = dict(PersonSex.choices)
    by_organization: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    by_sex: Counter[str] = Counter()
    for person in trained.values():
        by_organization[person.organization_label or _("Not stated")] += 1
        by_country[
            country_name(person.country, language) if person.country else _("Not stated")
        ] += 1
        by_sex[str(sexes.get(person.sex, _("Not stated")))] += 1
    return Figures(
        courses=[
            CourseFigures(
                course=c,
                sessions=c.session_count,  # type: ignore[attr-defined]
                enrolled=c.enrolled_count,  # type: ignore[attr-defined]
                completed=completed[c.pk],
            )
            for c in ordered
        ],
        people_trained=len(trained),
        by_organization=_sorted(by_organization),
        by_country=_sorted(by_country),
        by_sex=_sorted(by_sex),
    )


def training_summary(network: Any, start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    """The trainings part of a network report for the period [start, end].

    Keys: ``courses`` (list of dicts with title, sessions, enrolled, completed),
    ``people_trained`` (int), ``by_organization``, ``by_country``, ``by_sex`` (lists of
    (label, count) tuples, largest first). Draft courses are left out.
    """
    courses = courses_in_period(
        Course.objects.filter(network=network).exclude(status="draft"), start, end
    )
    figures = compute(list(courses))
    return {
        "courses": [item.as_dict() for item in figures.courses],
        "people_trained": figures.people_trained,
        "by_organization": figures.by_organization,
        "by_country": figures.by_country,
        "by_sex": figures.by_sex,
    }
