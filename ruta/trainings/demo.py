"""Demo training: seed 002's five-module course for Ministry of Health officials.

Seed 002 (MIRPS learning event, El Salvador) reports that in 2022, 584 officials of the
Ministry of Health were sensitized through a course on forced displacement, law and
health of five modules, one of them on comprehensive health care with a rights and
gender focus for women and girls in forced displacement affected by GBV. The seed names
only that module; the other titles, the dates, the sessions and the pass rule are
illustrative, and the course is marked so. The participants are fictional
("Funcionaria 01", ...), with ``@ejemplo.invalid`` addresses.

Twelve officials are enrolled: eight pass (every module, at least 80% attendance) and get
a certificate; two completed only three modules; one attended too few sessions; one has
not started. Everything is built through ``actions`` (audited as the demo coordinator).
``load_trainings_demo()`` is idempotent: the course has a fixed id, and a second run
creates nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ruta.agencies.models import Organization, OrganizationType
from ruta.lib.demo import Removed
from ruta.network.models import Modality, Network, Person, PersonSex
from ruta.trainings import actions
from ruta.trainings.models import Certificate, Course, Enrolment

DEMO_COURSE_UUID = uuid.uuid5(
    uuid.NAMESPACE_URL, "https://ruta.example.org/demo/trainings/minsal-2022"
)
COORDINATOR_EMAIL = "coordinacion@ruta.example.org"
EMAIL_DOMAIN = "ejemplo.invalid"
MIRPS_NETWORK_SLUG = "red-smaps-mirps"  # ruta.network.demo.REGIONAL_SLUG

MINSAL = ("Ministerio de Salud de El Salvador", "MINSAL", "https://www.salud.gob.sv")

TITLE = "Curso sobre desplazamiento forzado, derecho y salud"
DESCRIPTION = (
    "Curso de sensibilización para personal del Ministerio de Salud de El Salvador, para "
    "brindar servicios de salud especializados de manera inclusiva a personas desplazadas "
    "que requieren atención médica y psicosocial, y realizar las derivaciones pertinentes "
    "(semilla 002: 584 funcionarias y funcionarios sensibilizados en 2022). "
    "Ejemplo ilustrativo: la semilla solo nombra el módulo 4; los demás títulos, las "
    "fechas y las sesiones son inventados."
)

MODULES: list[tuple[str, Decimal]] = [
    ("Desplazamiento forzado: conceptos, causas y contexto", Decimal(4)),
    ("Marco jurídico de protección de las personas desplazadas y refugiadas", Decimal(4)),
    ("Derecho a la salud y acceso a los servicios nacionales de salud", Decimal(4)),
    (
        "Atención integral en salud con enfoque de derechos y de género para mujeres y niñas "
        "en situación de desplazamiento forzado afectadas por violencia basada en género",
        Decimal(6),
    ),
    ("Salud mental, apoyo psicosocial y derivación oportuna", Decimal(4)),
]
STARTS_ON = dt.date(2022, 3, 7)
ENDS_ON = dt.date(2022, 4, 4)
MIN_ATTENDANCE_PCT = 80

# (number, sex, modules completed, sessions attended)
PARTICIPANTS: list[tuple[int, str, int, int]] = [
    (1, PersonSex.FEMALE, 5, 5),
    (2, PersonSex.FEMALE, 5, 5),
    (3, PersonSex.MALE, 5, 4),
    (4, PersonSex.FEMALE, 5, 5),
    (5, PersonSex.FEMALE, 5, 4),
    (6, PersonSex.MALE, 5, 5),
    (7, PersonSex.FEMALE, 5, 5),
    (8, PersonSex.UNDISCLOSED, 5, 4),
    (9, PersonSex.FEMALE, 3, 3),
    (10, PersonSex.MALE, 3, 4),
    (11, PersonSex.FEMALE, 5, 3),
    (12, PersonSex.FEMALE, 0, 0),
]
PASSING = 8


def participant_name(number: int, sex: str) -> str:
    base = "Funcionario" if sex == PersonSex.MALE else "Funcionaria"
    return f"{base} {number:02d}"


def participant_email(number: int) -> str:
    return f"funcionaria{number:02d}.minsal@{EMAIL_DOMAIN}"


@dataclass
class TrainingDemoSummary:
    courses: int = 0
    people: int = 0
    enrolments: int = 0
    certificates: int = 0

    def describe(self) -> str:
        return (
            f"Demo trainings: {self.courses} course, {self.people} people, "
            f"{self.enrolments} enrolments and {self.certificates} certificates created."
        )


def _coordinator() -> Any:
    from ruta.accounts.models import User

    user = User.objects.filter(email__iexact=COORDINATOR_EMAIL, is_active=True).first()
    if user is None:
        raise ImproperlyConfigured(f"Demo coordinator {COORDINATOR_EMAIL} missing: run load_demo.")
    return user


def _minsal() -> Organization:
    name, acronym, website = MINSAL
    organization, _created = Organization.objects.get_or_create(
        name=name,
        defaults={
            "acronym": acronym,
            "type": OrganizationType.GOVERNMENT,
            "countries": ["SV"],
            "website": website,
        },
    )
    return organization


def _network() -> Network | None:
    """The MIRPS network if the network demo created it (seed 002 is a MIRPS event)."""
    return Network.objects.filter(slug=MIRPS_NETWORK_SLUG).first()


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@transaction.atomic
def load_trainings_demo() -> TrainingDemoSummary:
    summary = TrainingDemoSummary()
    if Course.objects.filter(uuid=DEMO_COURSE_UUID).exists():
        return summary
    actor = _coordinator()
    minsal = _minsal()
    course = Course(
        uuid=DEMO_COURSE_UUID,
        title=TITLE,
        description=DESCRIPTION,
        network=_network(),
        country="SV",
        modality=Modality.ONLINE,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        min_modules=None,
        min_attendance_pct=MIN_ATTENDANCE_PCT,
        illustrative=True,
    )
    actions.save_course(
        actor,
        course,
        organizers=[minsal],
        modules=[
            actions.ModuleSpec(title=title, hours=hours, order=index)
            for index, (title, hours) in enumerate(MODULES, start=1)
        ],
    )
    summary.courses = 1
    actions.open_course(actor, course)
    modules = list(course.modules.order_by("order"))
    sessions = [
        actions.add_session(
            actor,
            course,
            starts_at=_at(STARTS_ON + dt.timedelta(weeks=index)),
            modality=Modality.ONLINE,
            place="Aula virtual",
            module=module,
        )
        for index, module in enumerate(modules)
    ]
    attended: set[tuple[int, int]] = set()
    completed: set[tuple[int, int]] = set()
    for number, sex, done, present in PARTICIPANTS:
        person, created = Person.objects.get_or_create(
            email=participant_email(number),
            defaults={
                "full_name": participant_name(number, sex),
                "organization": minsal,
                "sex": sex,
                "country": "SV",
            },
        )
        summary.people += created
        enrolment, _new = actions.enrol_person(actor, course, person)
        summary.enrolments += 1
        attended |= {(enrolment.pk, s.pk) for s in sessions[:present]}
        completed |= {(enrolment.pk, m.pk) for m in modules[:done]}
    actions.save_grid(
        actor,
        course,
        sessions=sessions,
        modules=modules,
        attended=attended,
        completed=completed,
        on=ENDS_ON,
    )
    result = actions.issue_to_all_passed(actor, course)
    Certificate.objects.filter(enrolment__course=course).update(
        issued_at=_at(ENDS_ON + dt.timedelta(days=7), 12)
    )
    summary.certificates = result.issued
    actions.close_course(actor, course)
    return summary


@transaction.atomic
def remove_trainings_demo() -> int:
    """Delete the demo course (with its records) and the fictional participants."""
    course = Course.objects.filter(uuid=DEMO_COURSE_UUID).first()
    deleted = 0
    if course is not None:
        Certificate.objects.filter(enrolment__course=course).delete()
        deleted += Enrolment.objects.filter(course=course).delete()[0]
        deleted += course.delete()[0]
    emails = [participant_email(number) for number, *_rest in PARTICIPANTS]
    people = Person.objects.filter(email__in=emails, enrolments__isnull=True)
    deleted += people.delete()[0]
    return deleted


def load_demo() -> TrainingDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_trainings_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("trainings", remove_trainings_demo())
