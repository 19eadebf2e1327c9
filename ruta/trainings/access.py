"""Who sees which trainings. Deny by default; forbidden and missing both answer 404.

Coordinators (``Cap.MANAGE_PRACTICE_HUB``) see every course, draft or not, with its
enrolments and certificates. Any other registered user sees the courses that are open
or closed, and only their own enrolments and certificates (the ``network.Person`` linked
to their account). The public sees nothing here except the verification page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ruta.lib.permissions import Cap, user_can
from ruta.trainings.models import Certificate, Course, CourseStatus, Enrolment, TrainingSession


def can_manage(user: User | AnonymousUser) -> bool:
    return user_can(user, Cap.MANAGE_PRACTICE_HUB)


def visible_courses(user: User | AnonymousUser) -> QuerySet[Course]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Course.objects.none()
    if can_manage(user):
        return Course.objects.all()
    return Course.objects.exclude(status=CourseStatus.DRAFT)


def get_course(user: User, course_uuid: Any) -> Course:
    course = visible_courses(user).filter(uuid=course_uuid).first()
    if course is None:
        raise Http404
    return course


def get_managed_course(user: User, course_uuid: Any) -> Course:
    """A course a coordinator manages (any status); 404 for anyone else."""
    if not can_manage(user):
        raise Http404
    return get_course(user, course_uuid)


def own_enrolments(user: User) -> QuerySet[Enrolment]:
    if not getattr(user, "is_authenticated", False):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(person__user_id=user.pk).exclude(
        course__status=CourseStatus.DRAFT
    )


def managed_enrolments(user: User) -> QuerySet[Enrolment]:
    return Enrolment.objects.all() if can_manage(user) else Enrolment.objects.none()


def get_managed_enrolment(user: User, enrolment_uuid: Any) -> Enrolment:
    enrolment = (
        managed_enrolments(user)
        .select_related("course", "person")
        .filter(uuid=enrolment_uuid)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def get_managed_certificate(user: User, certificate_uuid: Any) -> Certificate:
    if not can_manage(user):
        raise Http404
    certificate = (
        Certificate.objects.select_related("enrolment__course", "enrolment__person")
        .filter(uuid=certificate_uuid)
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def get_own_certificate(user: User, course_uuid: Any) -> Certificate:
    """The valid certificate of ``user`` for this course, else 404."""
    certificate = (
        Certificate.objects.select_related("enrolment__course", "enrolment__person")
        .filter(
            enrolment__in=own_enrolments(user),
            enrolment__course__uuid=course_uuid,
            revoked_at__isnull=True,
        )
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def get_managed_session(user: User, session_uuid: Any) -> TrainingSession:
    if not can_manage(user):
        raise Http404
    session = TrainingSession.objects.select_related("course").filter(uuid=session_uuid).first()
    if session is None:
        raise Http404
    return session
