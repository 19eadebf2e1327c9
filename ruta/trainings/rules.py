"""The pass rule: which enrolments have completed a course, and what is missing otherwise.

One function decides (``progress``); the grid, the certificate actions and the figures
all call it, so they never disagree. Counts come from annotations (``annotate_progress``)
so a list of any length costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruta.trainings.models import Course, Enrolment, EnrolmentStatus


@dataclass
class Progress:
    modules_done: int
    modules_total: int
    modules_required: int
    sessions_attended: int
    sessions_total: int
    attendance_required_pct: int
    withdrawn: bool = False
    missing: list[str] = field(default_factory=list)

    @property
    def attendance_pct(self) -> int:
        if not self.sessions_total:
            return 100
        return round(100 * self.sessions_attended / self.sessions_total)

    @property
    def passed(self) -> bool:
        return not self.missing

    def reason(self) -> str:
        return " ".join(self.missing)


def modules_required(course: Course, module_count: int) -> int:
    if course.min_modules is None:
        return module_count
    return min(course.min_modules, module_count) if module_count else course.min_modules


def progress(
    course: Course,
    *,
    modules_done: int,
    sessions_attended: int,
    module_count: int,
    session_count: int,
    withdrawn: bool = False,
) -> Progress:
    required = modules_required(course, module_count)
    result = Progress(
        modules_done=modules_done,
        modules_total=module_count,
        modules_required=required,
        sessions_attended=sessions_attended,
        sessions_total=session_count,
        attendance_required_pct=course.min_attendance_pct,
        withdrawn=withdrawn,
    )
    if withdrawn:
        result.missing.append(_("The person withdrew from the course."))
    if module_count == 0:
        result.missing.append(_("The course has no modules yet."))
    elif modules_done < required:
        result.missing.append(
            ngettext(
                "%(done)s of %(total)s modules completed; %(required)s module is required.",
                "%(done)s of %(total)s modules completed; %(required)s modules are required.",
                required,
            )
            % {"done": modules_done, "total": module_count, "required": required}
        )
    if course.min_attendance_pct and result.attendance_pct < course.min_attendance_pct:
        result.missing.append(
            _(
                "Attended %(attended)s of %(total)s sessions (%(pct)s%%); "
                "%(required)s%% attendance is required."
            )
            % {
                "attended": sessions_attended,
                "total": session_count,
                "pct": result.attendance_pct,
                "required": course.min_attendance_pct,
            }
        )
    return result


def annotate_progress(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Add ``modules_done`` and ``sessions_attended`` counts to each enrolment."""
    return enrolments.annotate(
        modules_done=Count("completions", distinct=True),
        sessions_attended=Count("attendances", distinct=True),
    )


def course_counts(courses: QuerySet[Course]) -> QuerySet[Course]:
    """Add ``module_count``, ``session_count`` and ``enrolled_count`` to each course."""
    return courses.annotate(
        module_count=Count("modules", distinct=True),
        session_count=Count("sessions", distinct=True),
        enrolled_count=Count(
            "enrolments",
            filter=Q(enrolments__status=EnrolmentStatus.ENROLLED),
            distinct=True,
        ),
    )


def progress_of(enrolment: Any, course: Any) -> Progress:
    """Progress of an annotated enrolment in an annotated course (see the two above)."""
    return progress(
        course,
        modules_done=enrolment.modules_done,
        sessions_attended=enrolment.sessions_attended,
        module_count=course.module_count,
        session_count=course.session_count,
        withdrawn=enrolment.status == EnrolmentStatus.WITHDRAWN,
    )


def progress_for(enrolment: Enrolment) -> Progress:
    """Progress of one enrolment, counted now (a handful of queries)."""
    course = enrolment.course
    return progress(
        course,
        modules_done=enrolment.completions.count(),
        sessions_attended=enrolment.attendances.count(),
        module_count=course.modules.count(),
        session_count=course.sessions.count(),
        withdrawn=enrolment.status == EnrolmentStatus.WITHDRAWN,
    )
