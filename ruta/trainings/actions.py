"""Every change to trainings: one function per step, atomic, audited.

Functions take the acting user first and raise ``TrainingError`` (a translated message
for the person; views answer 409) when the step is not allowed. Only coordinators
(``Cap.MANAGE_PRACTICE_HUB``) change anything here; the check is repeated in each
action so the API and the pages cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.agencies.models import Organization
from ruta.audit.actions import record
from ruta.lib.permissions import Cap, user_can
from ruta.network.models import Person
from ruta.trainings.models import (
    Certificate,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Module,
    ModuleCompletion,
    SessionAttendance,
    TrainingSession,
)
from ruta.trainings.rules import annotate_progress, course_counts, progress_for, progress_of


class TrainingError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


class NotPassed(TrainingError):
    """A certificate asked for an enrolment that does not meet the pass rule."""


TRANSITIONS: dict[str, frozenset[str]] = {
    CourseStatus.DRAFT: frozenset({CourseStatus.OPEN}),
    CourseStatus.OPEN: frozenset({CourseStatus.CLOSED}),
    CourseStatus.CLOSED: frozenset({CourseStatus.OPEN}),
}


def require_coordinator(actor: User) -> None:
    if not user_can(actor, Cap.MANAGE_PRACTICE_HUB):
        raise TrainingError(_("Only network coordinators can manage trainings."))


def audit_event(event: str, actor: User, obj: Any, /, **details: Any) -> None:
    record(event, actor=actor, obj=obj, details=details)


# --- Courses and modules ------------------------------------------------------------------
@dataclass
class ModuleSpec:
    """One module line of the course form; ``uuid`` is None for a new module."""

    title: str
    hours: Decimal
    order: int
    uuid: Any = None


@transaction.atomic
def save_course(
    actor: User,
    course: Course,
    *,
    organizers: Iterable[Any],
    modules: list[ModuleSpec],
) -> Course:
    """Create or update a course with its organizers and modules.

    Modules not in ``modules`` are removed, unless somebody already completed them.
    """
    require_coordinator(actor)
    created = course.pk is None
    if created:
        course.created_by = actor
    course.full_clean(exclude=["created_by", "network"])
    course.save()
    course.organizers.set(list(organizers))
    existing = {m.uuid: m for m in course.modules.all()}
    kept = set()
    for spec in modules:
        module = existing.get(spec.uuid) if spec.uuid else None
        if module is None:
            module = Module(course=course)
        module.title, module.hours, module.order = spec.title, spec.hours, spec.order
        module.save()
        kept.add(module.uuid)
    removed = [m for key, m in existing.items() if key not in kept]
    for module in removed:
        if module.completions.exists():
            raise TrainingError(
                _("The module “%(title)s” has completions recorded and cannot be removed.")
                % {"title": module.title}
            )
        module.delete()
    audit_event(
        "training.course_created" if created else "training.course_updated",
        actor,
        course,
        modules=len(kept),
        removed_modules=len(removed),
    )
    return course


def _transition(actor: User, course: Course, target: str) -> Course:
    require_coordinator(actor)
    if target not in TRANSITIONS.get(course.status, frozenset()):
        raise TrainingError(
            _("A course that is “%(current)s” cannot become “%(target)s”.")
            % {"current": course.get_status_display(), "target": CourseStatus(target).label}
        )
    previous = course.status
    course.status = target
    course.save(update_fields=["status", "updated_at"])
    audit_event(f"training.course_{target}", actor, course, previous=previous)
    return course


@transaction.atomic
def open_course(actor: User, course: Course) -> Course:
    """Draft or closed → open: visible to registered users, enrolments and certificates."""
    if course.status == CourseStatus.DRAFT and not course.modules.exists():
        raise TrainingError(_("Add at least one module before opening the course."))
    return _transition(actor, course, CourseStatus.OPEN)


@transaction.atomic
def close_course(actor: User, course: Course) -> Course:
    return _transition(actor, course, CourseStatus.CLOSED)


STATUS_ACTIONS: dict[str, Callable[[Any, Course], Course]] = {
    CourseStatus.OPEN: open_course,
    CourseStatus.CLOSED: close_course,
}


# --- Sessions -----------------------------------------------------------------------------
@transaction.atomic
def add_session(
    actor: User,
    course: Course,
    *,
    starts_at: dt.datetime,
    modality: str,
    place: str = "",
    module: Module | None = None,
) -> TrainingSession:
    require_coordinator(actor)
    if module is not None and module.course_id != course.pk:
        raise TrainingError(_("That module belongs to another course."))
    session = TrainingSession.objects.create(
        course=course, module=module, starts_at=starts_at, modality=modality, place=place
    )
    audit_event("training.session_added", actor, course, session=str(session.uuid))
    return session


@transaction.atomic
def remove_session(actor: User, session: TrainingSession) -> None:
    require_coordinator(actor)
    if session.attendances.exists():
        raise TrainingError(_("Attendance is recorded for this session; it cannot be removed."))
    course = session.course
    key = str(session.uuid)
    session.delete()
    audit_event("training.session_removed", actor, course, session=key)


# --- Enrolments ---------------------------------------------------------------------------
def require_enrollable(course: Course) -> None:
    if course.status == CourseStatus.CLOSED:
        raise TrainingError(_("The course is closed: reopen it to enrol people."))


def enrol_person(
    actor: User, course: Course, person: Person, *, source: str = EnrolmentSource.MANUAL
) -> tuple[Enrolment, bool]:
    """Enrol ``person`` (again, if they had withdrawn). Returns (enrolment, created)."""
    require_coordinator(actor)
    require_enrollable(course)
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            course=course, person=person, defaults={"source": source}
        )
        if not created and enrolment.status == EnrolmentStatus.WITHDRAWN:
            enrolment.status = EnrolmentStatus.ENROLLED
            enrolment.save(update_fields=["status"])
            created = True
        if created:
            audit_event(
                "training.enrolled",
                actor,
                enrolment,
                course=str(course.uuid),
                person=str(person.uuid),
                source=source,
            )
    return enrolment, created


@transaction.atomic
def enrol_by_email(
    actor: User,
    course: Course,
    *,
    full_name: str,
    email: str,
    organization: Organization | None,
    organization_name: str,
    sex: str,
    country: str,
) -> tuple[Enrolment, bool]:
    """Enrol the person with ``email``: someone already on Ruta is reused, anyone else is
    recorded with these details. Returns (enrolment, created)."""
    person = Person.objects.filter(email__iexact=email).order_by("pk").first()
    if person is None:
        person = Person.objects.create(
            full_name=full_name,
            email=email,
            organization=organization,
            organization_name="" if organization else organization_name,
            sex=sex,
            country=country or course.country,
        )
    return enrol_person(actor, course, person)


@transaction.atomic
def withdraw(actor: User, enrolment: Enrolment) -> Enrolment:
    require_coordinator(actor)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise TrainingError(_("This person has already withdrawn."))
    if hasattr(enrolment, "certificate"):
        raise TrainingError(_("A certificate was issued for this enrolment; revoke it first."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    audit_event("training.withdrawn", actor, enrolment, course=str(enrolment.course.uuid))
    return enrolment


@dataclass
class GridChange:
    attended_added: int = 0
    attended_removed: int = 0
    completed_added: int = 0
    completed_removed: int = 0

    @property
    def total(self) -> int:
        return (
            self.attended_added
            + self.attended_removed
            + self.completed_added
            + self.completed_removed
        )


@transaction.atomic
def save_grid(
    actor: User,
    course: Course,
    *,
    sessions: list[TrainingSession],
    modules: list[Module],
    attended: set[tuple[int, int]],
    completed: set[tuple[int, int]],
    on: dt.date | None = None,
) -> GridChange:
    """Make attendance of ``sessions`` and completion of ``modules`` match the grid.

    ``attended``/``completed`` are (enrolment pk, session or module pk) pairs that are
    ticked; pairs of the shown columns that are not ticked are removed. Columns not shown
    are left alone (a phone shows one column at a time).
    """
    require_coordinator(actor)
    enrolments = set(
        course.enrolments.filter(status=EnrolmentStatus.ENROLLED).values_list("pk", flat=True)
    )
    session_ids = {s.pk for s in sessions if s.course_id == course.pk}
    module_ids = {m.pk for m in modules if m.course_id == course.pk}
    attended = {(e, s) for e, s in attended if e in enrolments and s in session_ids}
    completed = {(e, m) for e, m in completed if e in enrolments and m in module_ids}
    certified = set(
        Certificate.objects.filter(enrolment__course=course).values_list("enrolment_id", flat=True)
    )
    change = GridChange()

    have_att = {
        (a.enrolment_id, a.session_id): a.pk
        for a in SessionAttendance.objects.filter(
            enrolment_id__in=enrolments, session_id__in=session_ids
        )
    }
    gone = [
        pk for pair, pk in have_att.items() if pair not in attended and pair[0] not in certified
    ]
    SessionAttendance.objects.filter(pk__in=gone).delete()
    new = [pair for pair in attended if pair not in have_att]
    SessionAttendance.objects.bulk_create(
        [SessionAttendance(enrolment_id=e, session_id=s) for e, s in new]
    )
    change.attended_added, change.attended_removed = len(new), len(gone)

    have_done = {
        (c.enrolment_id, c.module_id): c.pk
        for c in ModuleCompletion.objects.filter(
            enrolment_id__in=enrolments, module_id__in=module_ids
        )
    }
    gone = [
        pk for pair, pk in have_done.items() if pair not in completed and pair[0] not in certified
    ]
    ModuleCompletion.objects.filter(pk__in=gone).delete()
    new = [pair for pair in completed if pair not in have_done]
    day = on or timezone.localdate()
    ModuleCompletion.objects.bulk_create(
        [ModuleCompletion(enrolment_id=e, module_id=m, completed_on=day) for e, m in new]
    )
    change.completed_added, change.completed_removed = len(new), len(gone)
    if change.total:
        audit_event(
            "training.grid_saved",
            actor,
            course,
            attended_added=change.attended_added,
            attended_removed=change.attended_removed,
            completed_added=change.completed_added,
            completed_removed=change.completed_removed,
        )
    return change


@transaction.atomic
def record_completion(
    actor: User,
    enrolment: Enrolment,
    module: Module,
    *,
    completed_on: dt.date | None = None,
    score: Decimal | None = None,
) -> ModuleCompletion:
    require_coordinator(actor)
    if module.course_id != enrolment.course_id:
        raise TrainingError(_("That module belongs to another course."))
    completion, _created = ModuleCompletion.objects.update_or_create(
        enrolment=enrolment,
        module=module,
        defaults={"completed_on": completed_on or timezone.localdate(), "score": score},
    )
    audit_event("training.module_completed", actor, enrolment, module=str(module.uuid))
    return completion


@transaction.atomic
def record_attendance(actor: User, enrolment: Enrolment, session: TrainingSession) -> None:
    require_coordinator(actor)
    if session.course_id != enrolment.course_id:
        raise TrainingError(_("That session belongs to another course."))
    SessionAttendance.objects.get_or_create(enrolment=enrolment, session=session)
    audit_event("training.attended", actor, enrolment, session=str(session.uuid))


# --- Certificates -------------------------------------------------------------------------
def _require_certifiable(course: Course) -> None:
    if course.status == CourseStatus.DRAFT:
        raise TrainingError(_("The course is still a draft: open it before issuing certificates."))


def _create_certificate(actor: User, enrolment: Enrolment, now: dt.datetime) -> Certificate:
    for _attempt in range(5):  # a code collision is astronomically rare; retry anyway
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrolment=enrolment, issued_at=now, issued_by=actor
                )
        except IntegrityError:
            if Certificate.objects.filter(enrolment=enrolment).exists():
                raise
            continue
        audit_event(
            "training.certificate_issued",
            actor,
            certificate,
            course=str(enrolment.course.uuid),
            enrolment=str(enrolment.uuid),
        )
        return certificate
    raise TrainingError(_("Could not create a unique verification code; try again."))


@transaction.atomic
def issue_certificate(actor: User, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of one enrolment; ``NotPassed`` says what is missing."""
    require_coordinator(actor)
    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    _require_certifiable(enrolment.course)
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise TrainingError(_("A certificate was already issued for this enrolment."))
    result = progress_for(enrolment)
    if not result.passed:
        raise NotPassed(
            _("No certificate: the pass rule is not met. %(reason)s") % {"reason": result.reason()}
        )
    return _create_certificate(actor, enrolment, timezone.now())


@dataclass
class BulkIssue:
    issued: int = 0
    already: int = 0
    not_passed: int = 0


@transaction.atomic
def issue_to_all_passed(actor: User, course: Course) -> BulkIssue:
    """Issue a certificate to every enrolled person who passed and has none yet."""
    require_coordinator(actor)
    _require_certifiable(course)
    counted = course_counts(Course.objects.filter(pk=course.pk)).get()
    enrolments = annotate_progress(
        course.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related("course")
    )
    certified = set(
        Certificate.objects.filter(enrolment__course=course).values_list("enrolment_id", flat=True)
    )
    result = BulkIssue()
    now = timezone.now()
    for enrolment in enrolments:
        if enrolment.pk in certified:
            result.already += 1
        elif progress_of(enrolment, counted).passed:
            _create_certificate(actor, enrolment, now)
            result.issued += 1
        else:
            result.not_passed += 1
    audit_event(
        "training.certificates_bulk_issued",
        actor,
        course,
        issued=result.issued,
        already=result.already,
        not_passed=result.not_passed,
    )
    return result


@transaction.atomic
def revoke_certificate(actor: User, certificate: Certificate, reason: str = "") -> Certificate:
    require_coordinator(actor)
    if certificate.revoked_at is not None:
        raise TrainingError(_("This certificate was already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()[:300]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    audit_event("training.certificate_revoked", actor, certificate)
    return certificate
