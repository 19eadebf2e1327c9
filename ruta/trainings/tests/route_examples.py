"""URL arguments for the trainings routes (see test_route_permissions).

An open course with one passed enrolment holding a certificate (for the coordinators'
routes) and, for ``my_certificate_pdf`` (any logged-in user, own certificate only),
a person linked to every world user, each with a certificate for that course.
"""

from __future__ import annotations

from typing import Any

from ruta.trainings import actions
from ruta.trainings.models import Certificate, Course, Enrolment
from ruta.trainings.tests.factories import make_course, make_person, passed_enrolment

TITLE = "Curso de ejemplo para las rutas"


def examples(world: Any) -> dict[str, dict[str, Any]]:
    coordinator = world.user("coordinator")
    course = Course.objects.filter(title=TITLE).first()
    if course is None:
        course = make_course(coordinator, title=TITLE, modules=1, sessions=1)
        for key, user in world.users.items():
            person = make_person(f"Persona {key}", email=f"route.{key}@ejemplo.invalid", user=user)
            actions.issue_certificate(coordinator, passed_enrolment(coordinator, course, person))
        extra = make_person("Persona sin certificado", email="route.extra@ejemplo.invalid")
        actions.enrol_person(coordinator, course, extra)
    certificate = Certificate.objects.filter(enrolment__course=course).order_by("pk").first()
    assert certificate is not None
    waiting = Enrolment.objects.filter(course=course, certificate__isnull=True).first()
    assert waiting is not None
    session = course.sessions.first()
    assert session is not None
    target = {"course_uuid": course.uuid}
    return {
        "trainings:course_detail": {"kwargs": target},
        "trainings:my_certificate_pdf": {"kwargs": target},
        "trainings:verify_code": {"kwargs": {"code": certificate.verification_code}},
        "trainings:course_edit": {"kwargs": target},
        "trainings:manage": {"kwargs": target},
        # A refused transition (open → open) answers 400: the role got through.
        "trainings:course_status": {"kwargs": target, "method": "post", "data": {"status": "x"}},
        "trainings:session_add": {"kwargs": target, "method": "post", "data": {}},
        "trainings:session_remove": {
            "kwargs": {"session_uuid": session.uuid},
            "method": "post",
        },
        "trainings:enrol": {"kwargs": target, "method": "post", "data": {}},
        "trainings:import": {"kwargs": target},
        "trainings:grid": {"kwargs": target},
        "trainings:issue_all": {"kwargs": target, "method": "post"},
        "trainings:withdraw": {"kwargs": {"enrolment_uuid": waiting.uuid}, "method": "post"},
        "trainings:issue": {"kwargs": {"enrolment_uuid": waiting.uuid}, "method": "post"},
        "trainings:certificate_pdf": {"kwargs": {"certificate_uuid": certificate.uuid}},
        "trainings:revoke": {
            "kwargs": {"certificate_uuid": certificate.uuid},
            "method": "post",
        },
        "trainings_api:course-detail": {"kwargs": {"uuid": course.uuid}},
    }
