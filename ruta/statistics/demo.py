"""Demo GBV statistics: CARE and HIAS sign information sharing protocols (other demo
agencies sign none, so they share nothing), their demo GBV cases get a consent for
anonymised reporting, and a handful of extra fictional GBV incidents over the last whole
quarter make the tables show both published and suppressed cells. The demo coordinator
publishes the quarter's public report.

Every person is invented ("Persona Ejemplo 101", ...); the extra cases are opened and
held by the demo supervisors, so ``ruta.cases.demo.remove_case_demo`` removes them with
the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.cases import actions
from ruta.cases.classifier import QUESTIONS
from ruta.cases.models import (
    Case,
    CaseType,
    ConsentMethod,
    ConsentPurpose,
    GBVType,
    IncidentSetting,
    PerpetratorRelation,
)
from ruta.lib.demo import Removed
from ruta.lib.permissions import Role
from ruta.statistics import report, tables
from ruta.statistics.models import Audience, PublishedReport, SharingProtocol

# (acronym, analysts, coordinator, public): which demo agencies sign, sharing with whom.
PROTOCOLS = [("CARE", True, True, True), ("HIAS", True, True, False)]

# Extra incidents per agency: (type, age, sex, perpetrator, setting, days from incident
# to report, day of the quarter reported). Chosen so some cells reach 5 and others stay
# below it.
_P, _F, _K, _S = (
    PerpetratorRelation.PARTNER,
    PerpetratorRelation.FAMILY,
    PerpetratorRelation.KNOWN,
    PerpetratorRelation.STRANGER,
)
_H, _ST, _T = IncidentSetting.HOME, IncidentSetting.STREET, IncidentSetting.TRANSIT
INCIDENTS = [
    (GBVType.PHYSICAL_ASSAULT, 29, "female", _P, _H, 1, 5),
    (GBVType.PHYSICAL_ASSAULT, 34, "female", _P, _H, 2, 12),
    (GBVType.PHYSICAL_ASSAULT, 41, "female", _P, _H, 0, 20),
    (GBVType.PHYSICAL_ASSAULT, 23, "female", _P, _H, 3, 33),
    (GBVType.PHYSICAL_ASSAULT, 38, "female", _F, _H, 9, 47),
    (GBVType.PSYCHOLOGICAL, 31, "female", _P, _H, 20, 50),
    (GBVType.PSYCHOLOGICAL, 27, "female", _P, _H, 45, 58),
    (GBVType.PSYCHOLOGICAL, 45, "female", _P, _H, 2, 64),
    (GBVType.RAPE, 16, "female", _S, _T, 1, 70),
    (GBVType.SEXUAL_ASSAULT, 24, "female", _K, _ST, 4, 75),
    (GBVType.DENIAL, 52, "female", _F, _H, 60, 80),
    (GBVType.PHYSICAL_ASSAULT, 30, "male", _S, _ST, 0, 85),
]


@dataclass
class StatisticsDemoSummary:
    protocols: int = 0
    incidents: int = 0
    consents: int = 0
    report: str = ""

    def describe(self) -> str:
        text = (
            f"Demo GBV statistics: {self.protocols} protocols signed, {self.incidents} "
            f"incidents added, {self.consents} reporting consents recorded."
        )
        if self.report:
            text += f" Public report published for {self.report}."
        return text


def _answers(gbv_type: str) -> dict[str, bool | None]:
    answers: dict[str, bool | None] = {}
    for question in QUESTIONS:
        answers[question.code] = question.type_if_yes == gbv_type
        if question.type_if_yes == gbv_type:
            break
    return answers


def _demo_people() -> dict[tuple[str, str], Any]:
    from ruta.accounts.models import User

    return {
        (u.role, u.organization.acronym if u.organization else ""): u
        for u in User.objects.filter(is_demo=True, is_active=True).select_related("organization")
    }


def _report_consent(worker: Any, case: Case) -> bool:
    if case.consents.filter(purpose=ConsentPurpose.REPORTING, withdrawn_at__isnull=True).exists():
        return False
    actions.record_consent(
        worker, case, purpose=ConsentPurpose.REPORTING, method=ConsentMethod.VERBAL
    )
    return True


def _incidents(worker: Any, start: dt.date, summary: StatisticsDemoSummary, first: int) -> None:
    for n, (gbv_type, age, sex, perpetrator, setting, delay, day) in enumerate(INCIDENTS):
        opened = start + dt.timedelta(days=day)
        number = first + n
        case = actions.register_case(
            worker,
            client_fields={
                "given_names": "Persona",
                "family_names": f"Ejemplo {100 + number}",
                "alias": f"Ejemplo {100 + number}",
                "phone": f"+51 900 001 {100 + number}",
                "document_type": "none",
                "sex": sex,
                "gender_identity": "woman" if sex == "female" else "man",
                "age": age,
                "nationality": "VE",
                "population_type": "in_destination",
                "languages": ["es"],
                "admin1": "PE-LMA",
            },
            case_type=CaseType.GBV,
            opened_on=opened,
        )
        actions.record_consent(
            worker, case, purpose=ConsentPurpose.SERVICES, method=ConsentMethod.VERBAL
        )
        summary.consents += _report_consent(worker, case)
        actions.record_incident(
            worker,
            case,
            answers=_answers(gbv_type),
            confirmed_type=gbv_type,
            date=opened - dt.timedelta(days=delay),
            setting=setting,
            perpetrator=perpetrator,
            admin1="PE-LMA",
            description="Relato de demostración: ningún dato es real.",
        )
        summary.incidents += 1


def load_statistics_demo(today: dt.date | None = None) -> StatisticsDemoSummary:
    summary = StatisticsDemoSummary()
    today = today or timezone.localdate()
    people = _demo_people()
    period = tables.parse_period(tables.last_quarter())
    assert period is not None
    with transaction.atomic():
        for index, (acronym, analysts, coordinator, public) in enumerate(PROTOCOLS):
            admin = people.get((Role.AGENCY_ADMIN, acronym))
            worker = people.get((Role.CASEWORKER, acronym))
            # The extra cases are the supervisor's own, so the caseworkers' demo caseloads
            # stay as ``ruta.cases.demo`` describes them.
            supervisor = people.get((Role.SUPERVISOR, acronym))
            if admin is None or worker is None or supervisor is None:
                continue
            if SharingProtocol.objects.filter(organization=admin.organization).exists():
                continue  # loaded before: idempotent
            SharingProtocol.objects.create(
                organization=admin.organization,
                share_with_analysts=analysts,
                share_with_coordinator=coordinator,
                share_with_public=public,
                effective_from=today - dt.timedelta(days=365),
                threshold=5,
                signed_by=admin,
                signed_at=timezone.now(),
            )
            summary.protocols += 1
            for case in Case.objects.filter(
                caseworker=worker, case_type=CaseType.GBV, incidents__isnull=False
            ).distinct():
                if case.status == "open":
                    summary.consents += _report_consent(worker, case)
            _incidents(supervisor, period.start, summary, 1 + index * len(INCIDENTS))
        coordinator_user = people.get((Role.COORDINATOR, "GTRM"))
        if (
            summary.protocols
            and coordinator_user is not None
            and not PublishedReport.objects.filter(
                audience=Audience.PUBLIC, period=period.code
            ).exists()
        ):
            report.publish(coordinator_user, Audience.PUBLIC, period)
            summary.report = period.code
    return summary


def remove_statistics_demo() -> int:
    """Delete the protocols and reports of demo accounts (before the accounts go)."""
    with transaction.atomic():
        reports, _by_model = PublishedReport.objects.filter(published_by__is_demo=True).delete()
        protocols, _by_model = SharingProtocol.objects.filter(signed_by__is_demo=True).delete()
    return reports + protocols


def load_demo() -> StatisticsDemoSummary:
    return load_statistics_demo()


def remove_demo() -> Removed:
    return Removed("GBV statistics protocols and reports", remove_statistics_demo())
