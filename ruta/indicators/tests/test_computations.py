"""Each computation on a small dataset built through the apps' actions, with records that
must be counted and records that must be left out; every figure worked out by hand in the
comments. The clock is frozen: records are dated by travelling to the moment they happen.

March 2026 (Lima) is the period unless a test says otherwise; CARE and HIAS are the two
agencies, Lima (PE-LIM) and Cusco (PE-CUS) the two regions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ruta.activities import actions as activity_actions
from ruta.activities.models import Activity, ActivityType, Sector
from ruta.activities.models import Session as ActivitySession
from ruta.cases import actions as case_actions
from ruta.cases.models import ApprovalKind, Case, CaseType, Satisfaction
from ruta.cases.tests.factories import make_case, make_measure, make_safety_plan
from ruta.directory.tests.factories import make_service
from ruta.indicators.computations import COMPUTATIONS, Result, Scope
from ruta.indicators.models import Unit
from ruta.measure import facts
from ruta.places.models import AdminArea
from ruta.referrals import actions as referral_actions
from ruta.referrals.models import Channel, DeclineReason, Outcome, Referral, Urgency
from ruta.referrals.tests.factories import make_referral, share_consent
from ruta.stabilisation.tests.test_figures import MOMENT as STABILISATION_MOMENT
from ruta.stabilisation.tests.test_figures import build as build_stabilisation
from ruta.trainings import actions as training_actions
from ruta.trainings.tests.factories import make_course, make_person, passed_enrolment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIMA = ZoneInfo("America/Lima")
NOW = dt.datetime(2026, 6, 15, 12, tzinfo=LIMA)
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
LIM, CUS = "PE-LIM", "PE-CUS"


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LIMA)


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def travel(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def compute(
    code: str,
    *orgs: Any,
    admin1: tuple[str, ...] = (),
    period: tuple[dt.date, dt.date] = MARCH,
) -> Result:
    scope = Scope(
        period[0],
        period[1],
        frozenset(o.pk for o in orgs) if orgs else None,
        frozenset(admin1) if admin1 else None,
    )
    return COMPUTATIONS[code](scope)


def rate(result: Result) -> tuple[Decimal | None, int | None, int | None]:
    return result.value, result.numerator, result.denominator


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    """Mid-June 2026 in Lima, unless a test travels elsewhere."""
    with travel(NOW):
        yield


def test_every_computation_is_registered_with_its_unit() -> None:
    units = {code: c.unit for code, c in COMPUTATIONS.items()}
    assert units == {
        "people_reached": Unit.COUNT,
        "people_reached_by_layer": Unit.COUNT,
        "cases_safety_plan_pct": Unit.PERCENT,
        "who5_improved_pct": Unit.PERCENT,
        "phq9_band_down_pct": Unit.PERCENT,
        "gad7_band_down_pct": Unit.PERCENT,
        "satisfied_at_closure_pct": Unit.PERCENT,
        "referrals_accepted_in_time_pct": Unit.PERCENT,
        "referrals_median_days_to_accept": Unit.DAYS,
        "staff_trained": Unit.COUNT,
        "activities_held": Unit.COUNT,
        "sessions_held": Unit.COUNT,
        "stabilisation_mechanisms_applied": Unit.COUNT,
        "people_stabilised_until_paid": Unit.COUNT,
    }


# --- cases ---------------------------------------------------------------------------------


def new_case(world: Any, org: str, opened_on: dt.date, region: str = LIM, **kw: Any) -> Case:
    return make_case(world.user(f"caseworker.{org}"), opened_on=opened_on, admin1=region, **kw)


def close(world: Any, case: Case, on: dt.date, satisfaction: str = Satisfaction.SATISFIED) -> None:
    """The caseworker asks to close the case and the supervisor approves it on ``on``."""
    org = "care" if case.organization_id == world.care.pk else "hias"
    with travel(at(on)):
        closure = case_actions.request_closure(
            world.user(f"caseworker.{org}"), case, reason="needs_met", satisfaction=satisfaction
        )
        approval = case.approvals.get(kind=ApprovalKind.CLOSURE, target_uuid=closure.uuid)
        case_actions.decide_approval(world.user(f"supervisor.{org}"), approval, approve=True)
    case.refresh_from_db()


def test_cases_safety_plan_pct_counts_the_cases_open_in_the_period(world: Any) -> None:
    cw = world.user("caseworker.care")
    # 1: opened before the period, still open, with a plan: counted, with a plan.
    make_safety_plan(cw, new_case(world, "care", d(2, 10)))
    # 2: opened on the period's last day, no plan: counted, without.
    new_case(world, "care", d(3, 31))
    # 3: closed on the period's first day, with a plan: counted, with a plan.
    third = new_case(world, "care", d(1, 5))
    make_safety_plan(cw, third)
    close(world, third, d(3, 1))
    # 4: closed the day before the period: left out.
    fourth = new_case(world, "care", d(1, 5))
    make_safety_plan(cw, fourth)
    close(world, fourth, d(2, 28))
    # 5: opened the day after the period: left out.
    make_safety_plan(cw, new_case(world, "care", d(4, 1)))
    # 6: HIAS, with a plan. 7: CARE in Cusco, no plan.
    make_safety_plan(world.user("caseworker.hias"), new_case(world, "hias", d(3, 3)))
    new_case(world, "care", d(3, 10), region=CUS)

    code = "cases_safety_plan_pct"
    assert rate(compute(code)) == (Decimal("60.0"), 3, 5)  # 1, 3, 6 of 1, 2, 3, 6, 7
    assert rate(compute(code, world.care)) == (Decimal("50.0"), 2, 4)  # 1, 3 of 1, 2, 3, 7
    assert rate(compute(code, admin1=(LIM,))) == (Decimal("75.0"), 3, 4)  # 1, 3, 6 of 1-3, 6
    assert rate(compute(code, world.care, admin1=(LIM,))) == (Decimal("66.7"), 2, 3)
    assert rate(compute(code, admin1=(CUS,))) == (Decimal("0.0"), 0, 1)
    assert rate(compute(code, period=(d(1, 1, 2025), d(12, 31, 2025)))) == (None, 0, 0)


def spread(total: int, items: int) -> list[int]:
    """``items`` answers that add up to ``total``, as even as can be."""
    return [total // items + (1 if i < total % items else 0) for i in range(items)]


def who5(actor: Any, case: Case, score: int, on: dt.date) -> None:
    # The percentage score is the raw sum of the five answers times 4.
    make_measure(actor, case, "who5", spread(score // 4, 5), administered_on=on)


def phq9(actor: Any, case: Case, score: int, on: dt.date) -> None:
    # Item 9 stays 0: an answer above 0 raises the suicide-risk flag.
    make_measure(actor, case, "phq9", [*spread(score, 8), 0], administered_on=on)


def gad7(actor: Any, case: Case, score: int, on: dt.date) -> None:
    make_measure(actor, case, "gad7", spread(score, 7), administered_on=on)


def test_who5_improved_pct_compares_the_first_and_the_last_result(world: Any) -> None:
    care, hias = world.user("caseworker.care"), world.user("caseworker.hias")
    a = new_case(world, "care", d(1, 5))  # 40 -> 52: +12, improved
    who5(care, a, 40, d(1, 10))
    who5(care, a, 52, d(3, 10))
    b = new_case(world, "care", d(1, 5))  # 40 -> 80 -> 48: +8 from first to last, not improved
    who5(care, b, 40, d(2, 1))
    who5(care, b, 80, d(3, 1))
    who5(care, b, 48, d(3, 31))
    c = new_case(world, "care", d(1, 5))  # one WHO-5 (and a PHQ-9): left out
    phq9(care, c, 12, d(2, 1))
    who5(care, c, 20, d(3, 5))
    e = new_case(world, "care", d(1, 5))  # last result before the period: left out
    who5(care, e, 20, d(1, 5))
    who5(care, e, 60, d(2, 28))
    f = new_case(world, "care", d(1, 5))  # the April result is after the period: 40 -> 44
    who5(care, f, 40, d(2, 1))
    who5(care, f, 44, d(3, 15))
    who5(care, f, 80, d(4, 1))
    g = new_case(world, "hias", d(1, 5))  # HIAS: 20 -> 60, improved
    who5(hias, g, 20, d(2, 1))
    who5(hias, g, 60, d(3, 2))
    h = new_case(world, "care", d(1, 5), region=CUS)  # Cusco: 20 -> 40, improved
    who5(care, h, 20, d(2, 1))
    who5(care, h, 40, d(3, 20))

    code = "who5_improved_pct"
    assert rate(compute(code)) == (Decimal("60.0"), 3, 5)  # a, g, h of a, b, f, g, h
    assert rate(compute(code, world.care)) == (Decimal("50.0"), 2, 4)  # a, h of a, b, f, h
    assert rate(compute(code, admin1=(LIM,))) == (Decimal("50.0"), 2, 4)  # a, g of a, b, f, g
    assert rate(compute(code, world.care, admin1=(LIM,))) == (Decimal("33.3"), 1, 3)
    # In April f's last result is 80 (+40 on its first); nobody else was measured.
    assert rate(compute(code, period=(d(4, 1), d(4, 30)))) == (Decimal("100.0"), 1, 1)
    assert rate(compute(code, period=(d(5, 1), d(5, 31)))) == (None, 0, 0)


def test_phq9_band_down_pct_compares_the_severity_bands(world: Any) -> None:
    care, hias = world.user("caseworker.care"), world.user("caseworker.hias")
    # Bands: minimal <=4, mild <=9, moderate <=14, moderately severe <=19, severe <=27.
    for first, last, region, org in (
        (12, 7, LIM, "care"),  # moderate -> mild: down
        (9, 5, LIM, "care"),  # mild -> mild (a lower score, the same band): not down
        (6, 10, LIM, "care"),  # mild -> moderate: up
        (15, 10, LIM, "hias"),  # moderately severe -> moderate: down
        (10, 4, CUS, "care"),  # moderate -> minimal: down
    ):
        case = new_case(world, org, d(1, 5), region=region)
        actor = care if org == "care" else hias
        phq9(actor, case, first, d(2, 1))
        phq9(actor, case, last, d(3, 10))
    two_bands = new_case(world, "care", d(1, 5))  # severe -> severe -> minimal: down
    phq9(care, two_bands, 24, d(1, 10))
    phq9(care, two_bands, 20, d(2, 10))
    phq9(care, two_bands, 3, d(3, 31))
    phq9(care, new_case(world, "care", d(1, 5)), 20, d(3, 10))  # a single result: left out
    earlier = new_case(world, "care", d(1, 5))  # last result before the period: left out
    phq9(care, earlier, 20, d(1, 10))
    phq9(care, earlier, 3, d(2, 28))

    code = "phq9_band_down_pct"
    assert rate(compute(code)) == (Decimal("66.7"), 4, 6)
    assert rate(compute(code, world.care)) == (Decimal("60.0"), 3, 5)
    assert rate(compute(code, admin1=(LIM,))) == (Decimal("60.0"), 3, 5)
    assert rate(compute(code, world.care, admin1=(LIM,))) == (Decimal("50.0"), 2, 4)
    assert rate(compute(code, world.hias, admin1=(CUS,))) == (None, 0, 0)


def test_gad7_band_down_pct_compares_the_severity_bands(world: Any) -> None:
    care, hias = world.user("caseworker.care"), world.user("caseworker.hias")
    # Bands: minimal <=4, mild <=9, moderate <=14, severe <=21.
    for first, last, region, org in (
        (12, 6, LIM, "care"),  # moderate -> mild: down
        (18, 15, LIM, "care"),  # severe -> severe: not down
        (2, 5, LIM, "care"),  # minimal -> mild: up
        (16, 3, LIM, "hias"),  # severe -> minimal: down
        (7, 1, CUS, "care"),  # mild -> minimal: down
    ):
        case = new_case(world, org, d(1, 5), region=region)
        actor = care if org == "care" else hias
        gad7(actor, case, first, d(2, 1))
        gad7(actor, case, last, d(3, 1))
    gad7(care, new_case(world, "care", d(1, 5)), 20, d(3, 10))  # a single result: left out
    later = new_case(world, "care", d(1, 5))  # second result after the period: left out
    gad7(care, later, 20, d(2, 10))
    gad7(care, later, 3, d(4, 1))

    code = "gad7_band_down_pct"
    assert rate(compute(code)) == (Decimal("60.0"), 3, 5)
    assert rate(compute(code, world.care)) == (Decimal("50.0"), 2, 4)
    assert rate(compute(code, admin1=(LIM,))) == (Decimal("50.0"), 2, 4)
    assert rate(compute(code, world.care, admin1=(LIM,))) == (Decimal("33.3"), 1, 3)
    assert rate(compute(code, admin1=(CUS,))) == (Decimal("100.0"), 1, 1)


def test_satisfied_at_closure_pct_reads_the_approved_closures_of_the_period(
    world: Any,
) -> None:
    s = {n: new_case(world, "care", d(1, 5)) for n in range(1, 7)}
    close(world, s[1], d(3, 1), Satisfaction.VERY_SATISFIED)  # counted, satisfied
    close(world, s[2], d(3, 31), Satisfaction.NEUTRAL)  # counted, not satisfied
    close(world, s[3], d(3, 15), Satisfaction.NOT_ASKED)  # not asked: left out
    close(world, s[4], d(2, 28), Satisfaction.SATISFIED)  # closed before: left out
    with travel(at(d(3, 20))):  # waiting for approval: left out
        case_actions.request_closure(
            world.user("caseworker.care"), s[5], reason="needs_met", satisfaction="satisfied"
        )
    # Returned, then closed on a new request: only the approved request counts.
    with travel(at(d(3, 18))):
        returned = case_actions.request_closure(
            world.user("caseworker.care"), s[6], reason="needs_met", satisfaction="satisfied"
        )
        case_actions.decide_approval(
            world.user("supervisor.care"),
            s[6].approvals.get(target_uuid=returned.uuid),
            approve=False,
            comment="Falta el seguimiento final",
        )
    close(world, s[6], d(3, 20), Satisfaction.DISSATISFIED)  # counted, not satisfied
    close(world, new_case(world, "hias", d(1, 5)), d(3, 5))  # HIAS: counted, satisfied
    close(world, new_case(world, "care", d(1, 5), region=CUS), d(3, 5))  # Cusco: satisfied

    code = "satisfied_at_closure_pct"
    # Satisfied: 1, HIAS's, Cusco's; of 1, 2, 6, HIAS's, Cusco's.
    assert rate(compute(code)) == (Decimal("60.0"), 3, 5)
    assert rate(compute(code, world.care)) == (Decimal("50.0"), 2, 4)
    assert rate(compute(code, admin1=(LIM,))) == (Decimal("50.0"), 2, 4)
    assert rate(compute(code, world.care, admin1=(LIM,))) == (Decimal("33.3"), 1, 3)
    assert rate(compute(code, world.hias)) == (Decimal("100.0"), 1, 1)
    assert rate(compute(code, period=(d(2, 1), d(2, 28)))) == (Decimal("100.0"), 1, 1)


def test_a_reopened_case_counts_once_with_the_closure_that_stands(world: Any) -> None:
    case = new_case(world, "care", d(1, 5))
    close(world, case, d(2, 10), Satisfaction.VERY_SATISFIED)
    with travel(at(d(2, 20))):
        case_actions.reopen_case(world.user("caseworker.care"), case, "Nuevo incidente")
    close(world, case, d(3, 10), Satisfaction.DISSATISFIED)

    code = "satisfied_at_closure_pct"
    # One case closed in March, dissatisfied; the February closure was undone.
    assert rate(compute(code)) == (Decimal("0.0"), 0, 1)
    assert rate(compute(code, period=(d(2, 1), d(2, 28)))) == (None, 0, 0)


# --- referrals ---------------------------------------------------------------------------


@pytest.fixture
def referrals(world: Any) -> dict[str, Referral]:
    """Referrals sent in and around March, answered (or not) at known moments.

    Normal referrals are due 72 hours after sending, urgent ones 24 hours.
    """
    hias_service = make_service(world.hias, "Acompañamiento psicosocial HIAS")
    care_service = make_service(world.care, "Apoyo psicológico CARE")
    printed_service = make_service(world.outsider_org, "Servicio sin equipo en Ruta")
    found: dict[str, Referral] = {}

    def send(
        name: str, sent: dt.datetime, *, region: str = LIM, service: Any = hias_service, **kw: Any
    ) -> None:
        with travel(sent):
            case = new_case(world, "care", sent.date(), region=region)
            found[name] = make_referral(world, case=case, service=service, **kw)

    def accept(name: str, when: dt.datetime, actor: str = "supervisor.hias") -> None:
        with travel(when):
            referral_actions.accept_referral(world.user(actor), found[name], case_type="gbv")

    send("r1", at(d(3, 2), 9))
    accept("r1", at(d(3, 3), 9))  # 1 day: in time
    send("r2", at(d(3, 5), 9))
    accept("r2", at(d(3, 9), 9))  # 4 days: late
    send("r3", at(d(3, 10), 9))
    with travel(at(d(3, 11), 9)):  # declined: not accepted in time
        referral_actions.decline_referral(
            world.user("supervisor.hias"), found["r3"], reason=DeclineReason.NO_CAPACITY
        )
    send("r4", at(d(3, 20), 9))  # still waiting, due on 23 March: overdue
    send("r5", at(d(3, 31), 9))  # still waiting, due on 3 April: left out on 1 April
    send("r6", at(d(2, 28), 23, 30))  # 28 February in Lima (1 March in UTC): left out
    accept("r6", at(d(3, 1), 8))
    send("r7", at(d(3, 31), 23, 30))  # 31 March in Lima (1 April in UTC)
    accept("r7", at(d(4, 1), 8))  # 8.5 hours: in time
    send("r8", at(d(3, 12), 9), urgency=Urgency.URGENT)
    accept("r8", at(d(3, 13), 21))  # 36 hours, due in 24: late
    send("r9", at(d(3, 16), 9))
    accept("r9", at(d(3, 19), 9))  # 3 days, the very moment it was due: in time
    send("r11", at(d(3, 22), 9), region=CUS)  # a Cusco client
    accept("r11", at(d(3, 22), 21))  # 12 hours: in time
    # Printed: no one at the receiver answers on Ruta. The sender records that the service
    # was given (the receiver took the referral, off Ruta): no acceptance time exists.
    send("printed", at(d(3, 6), 9), service=printed_service)
    with travel(at(d(3, 9), 9)):
        referral_actions.complete_referral(
            world.user("caseworker.care"),
            found["printed"],
            outcome=Outcome.PROVIDED,
            feedback="Recibió la atención",
        )
    # HIAS refers a Lima client to CARE.
    with travel(at(d(3, 18), 9)):
        sender = world.user("caseworker.hias")
        case = new_case(world, "hias", d(3, 18))
        share_consent(sender, case, world.care)
        found["r10"] = referral_actions.send_referral(
            sender, case, service=care_service, fields=("name", "age_band")
        )
    accept("r10", at(d(3, 20), 9), actor="supervisor.care")  # 2 days: in time
    return found


def test_referrals_accepted_in_time_pct(world: Any, referrals: dict[str, Referral]) -> None:
    printed = Referral.objects.get(pk=referrals["printed"].pk)
    assert (printed.channel, printed.status, printed.accepted_at) == (
        Channel.PRINTED,
        "completed",
        None,
    )
    code = "referrals_accepted_in_time_pct"
    with travel(at(d(4, 1), 10)):
        # In time: r1, r7, r9, r10, r11; of r1-r4 and r7-r11 (r5 waits, r6 is February,
        # the printed referral had no one on Ruta to accept it).
        assert rate(compute(code)) == (Decimal("55.6"), 5, 9)
        # Received by HIAS: r10 went to CARE.
        assert rate(compute(code, world.hias)) == (Decimal("50.0"), 4, 8)
        # Lima clients: r11's is in Cusco.
        assert rate(compute(code, admin1=(LIM,))) == (Decimal("50.0"), 4, 8)
        assert rate(compute(code, world.hias, admin1=(LIM,))) == (Decimal("42.9"), 3, 7)
        assert rate(compute(code, world.care)) == (Decimal("100.0"), 1, 1)
        assert rate(compute(code, world.outsider_org)) == (None, 0, 0)
    with travel(at(d(4, 3), 9, 1)):  # r5's time has run out: counted, not in time
        assert rate(compute(code)) == (Decimal("50.0"), 5, 10)


def test_referrals_median_days_to_accept(world: Any, referrals: dict[str, Referral]) -> None:
    code = "referrals_median_days_to_accept"
    # Accepted: r1 1, r2 4, r7 0.354, r8 1.5, r9 3, r10 2, r11 0.5 days.
    assert rate(compute(code)) == (Decimal("1.5"), None, 7)
    # HIAS (no r10): 0.354, 0.5, 1, 1.5, 3, 4 -> (1 + 1.5) / 2 = 1.25, rounded half up.
    assert rate(compute(code, world.hias)) == (Decimal("1.3"), None, 6)
    # Lima (no r11): 0.354, 1, 1.5, 2, 3, 4 -> 1.75.
    assert rate(compute(code, admin1=(LIM,))) == (Decimal("1.8"), None, 6)
    assert rate(compute(code, world.hias, admin1=(LIM,))) == (Decimal("1.5"), None, 5)
    # February: r6, sent on the 28th in Lima and accepted 8.5 hours later.
    assert rate(compute(code, period=(d(2, 1), d(2, 28)))) == (Decimal("0.4"), None, 1)
    assert rate(compute(code, world.care, admin1=(CUS,))) == (None, None, 0)


# --- trainings -----------------------------------------------------------------------------


def test_staff_trained_counts_each_certified_person_once(world: Any) -> None:
    coordinator = world.user("coordinator")
    first = make_course(coordinator, title="Primeros auxilios psicológicos", modules=1, sessions=1)
    second = make_course(coordinator, title="Manejo de casos", modules=1, sessions=1)

    def certify(course: Any, person: Any, moment: dt.datetime) -> Any:
        enrolment = passed_enrolment(coordinator, course, person)
        with travel(moment):
            return training_actions.issue_certificate(coordinator, enrolment)

    ana = make_person("Ana Prueba", organization=world.care)
    certify(first, ana, at(d(3, 5)))  # counted
    certify(second, ana, at(d(3, 20)))  # the same person: counted once
    certify(first, make_person("Bea Prueba", organization=world.care), at(d(3, 31), 23, 30))
    certify(first, make_person("Cleo Prueba", organization=world.care), at(d(2, 28), 23, 30))
    revoked = certify(first, make_person("Dora Prueba", organization=world.care), at(d(3, 10)))
    with travel(at(d(3, 12))):
        training_actions.revoke_certificate(coordinator, revoked, "Emitido por error")
    certify(first, make_person("Eva Prueba", organization=world.hias), at(d(3, 15)))
    certify(first, make_person("Fay Prueba", organization_name="Colectivo local"), at(d(3, 15)))

    code = "staff_trained"
    # Ana, Bea (23:30 on 31 March in Lima), Eva, Fay; not Cleo (28 February), not Dora.
    everyone = compute(code)
    assert (everyone.value, everyone.territory_applied) == (Decimal(4), True)
    assert compute(code, world.care).value == Decimal(2)
    assert compute(code, world.care, world.hias).value == Decimal(3)
    # A certificate has no region: the figure is the same and says it was not limited.
    in_lima = compute(code, admin1=(LIM,))
    assert (in_lima.value, in_lima.territory_applied) == (Decimal(4), False)
    assert compute(code, period=(d(2, 1), d(2, 28))).value == Decimal(1)


# --- activities ----------------------------------------------------------------------------


def new_activity(world: Any, org: str, layers: list[int], region: str = LIM) -> Activity:
    activity = Activity(
        title=f"Grupo {org} {layers}",
        activity_type=ActivityType.objects.get(code="support_group"),
        layers=layers,
        sector=Sector.PROTECTION_GBV,
        admin1=AdminArea.objects.get(code=region),
    )
    return activity_actions.save_activity(world.user(f"caseworker.{org}"), activity, created=True)


def held(
    activity: Activity, day: dt.date, codes: tuple[str, ...] = (), **counts: int
) -> ActivitySession:
    actor = activity.created_by
    session = activity_actions.add_session(actor, activity, day, "in_person")
    for code in codes:
        activity_actions.record_attendance(
            actor, session, code, {"sex_age": "woman", "population_type": "in_destination"}
        )
    if counts:
        activity_actions.save_counts(actor, session, "host", counts)
    return session


@pytest.fixture
def activities(world: Any) -> None:
    one = new_activity(world, "care", [2])
    held(one, d(3, 1), ("A1", "B2"), women=4, men=1)
    held(one, d(3, 15), ("A1", "C3"))
    held(one, d(4, 1), ("D4",), women=10)  # after the period
    both = new_activity(world, "care", [2, 3])
    held(both, d(3, 31), ("A1", "E5"), girls=2, boys=1)
    before = new_activity(world, "care", [1])
    held(before, d(2, 28), ("F6",), other=7)  # before the period
    hias = new_activity(world, "hias", [3])
    held(hias, d(3, 10), ("A1",), men=2)  # HIAS's A1 is another person than CARE's
    cusco = new_activity(world, "care", [4], region=CUS)
    held(cusco, d(3, 20), ("G7",))
    new_activity(world, "care", [2])  # no session at all


@pytest.mark.usefixtures("activities")
def test_activities_and_sessions_held(world: Any) -> None:
    def both(*orgs: Any, admin1: tuple[str, ...] = ()) -> tuple[Any, Any]:
        activities = compute("activities_held", *orgs, admin1=admin1).value
        return activities, compute("sessions_held", *orgs, admin1=admin1).value

    assert both() == (Decimal(4), Decimal(5))
    assert both(world.care) == (Decimal(3), Decimal(4))
    assert both(admin1=(LIM,)) == (Decimal(3), Decimal(4))
    assert both(world.care, admin1=(LIM,)) == (Decimal(2), Decimal(3))
    assert both(world.hias, admin1=(CUS,)) == (Decimal(0), Decimal(0))
    same_in_one_query(world, "activities_held")
    same_in_one_query(world, "sessions_held")


@pytest.mark.usefixtures("activities")
def test_people_reached_by_layer(world: Any) -> None:
    def layers(*orgs: Any, admin1: tuple[str, ...] = ()) -> tuple[Any, ...]:
        found = compute("people_reached_by_layer", *orgs, admin1=admin1)
        return found.value, found.not_deduplicated, found.breakdown

    # Registered in March: CARE's A1, B2, C3, E5, G7 and HIAS's A1 (6 people, A1 of CARE
    # counted once over three sessions); anonymous: 5 + 3 + 2.
    # Layer 2: A1, B2, C3, E5 + 5 + 3; layer 3: CARE's A1, E5, HIAS's A1 + 3 + 2; layer 4: G7.
    assert layers() == (
        Decimal(16),
        10,
        (("Layer 2", 12), ("Layer 3", 8), ("Layer 4", 1)),
    )
    assert layers(world.care) == (
        Decimal(13),
        8,
        (("Layer 2", 12), ("Layer 3", 5), ("Layer 4", 1)),
    )
    assert layers(admin1=(LIM,)) == (Decimal(15), 10, (("Layer 2", 12), ("Layer 3", 8)))
    assert layers(world.care, admin1=(LIM,)) == (
        Decimal(12),
        8,
        (("Layer 2", 12), ("Layer 3", 5)),
    )
    assert layers(world.hias, admin1=(CUS,)) == (Decimal(0), 0, ())


# --- people reached (monthly reach facts) -------------------------------------------------


def test_people_reached_reads_the_new_people_of_the_whole_months(world: Any) -> None:
    # Cases reach their client in every month they are open; a person is new in the first
    # month of the year they are reached in a place and sector.
    new_case(world, "care", d(1, 15))  # GBV, reached in January: not new in March or April
    new_case(world, "care", d(3, 5), case_type=CaseType.MHPSS)  # new in March (health)
    new_case(world, "care", d(4, 28), region=CUS)  # new in April, Cusco
    new_case(world, "hias", d(3, 20))  # HIAS, new in March
    new_case(world, "care", d(5, 2))  # new in May: after the period
    group = new_activity(world, "care", [2])  # protection: GBV, Lima
    held(group, d(3, 12), ("P1",), women=3)  # P1 new in March; 3 anonymous, new
    held(group, d(4, 2), ("P1",), men=4)  # P1 no longer new; 4 anonymous, new
    facts.refresh([d(1, 1)], current=False)

    def reached(*orgs: Any, admin1: tuple[str, ...] = ()) -> tuple[Any, ...]:
        # The period runs from 10 March to 20 April: read as March and April whole.
        found = compute("people_reached", *orgs, admin1=admin1, period=(d(3, 10), d(4, 20)))
        return found.value, found.not_deduplicated, found.breakdown

    health, gbv = str(Sector.HEALTH_MHPSS.label), str(Sector.PROTECTION_GBV.label)
    assert health == "Health: mental health and psychosocial support"
    # New: March 1 (health) + 1 (HIAS) + 1 (P1) + 3; April 1 (Cusco) + 4 = 11.
    # People in the months' figures: March 7, April 9; anonymous 7: round(11 * 7 / 16) = 5.
    assert reached() == (Decimal(11), 5, ((health, 1), (gbv, 10)))
    # CARE: new 10 of 14, anonymous 7: round(70 / 14) = 5.
    assert reached(world.care) == (Decimal(10), 5, ((health, 1), (gbv, 9)))
    # CARE in Lima: new 9 of 13: round(63 / 13) = 5.
    assert reached(world.care, admin1=(LIM,)) == (Decimal(9), 5, ((health, 1), (gbv, 8)))
    assert reached(admin1=(CUS,)) == (Decimal(1), 0, ((gbv, 1),))
    assert reached(world.hias) == (Decimal(1), 0, ((gbv, 1),))
    assert reached(world.outsider_org) == (Decimal(0), 0, ())
    same_in_one_query(world, "people_reached")


def same_in_one_query(world: Any, code: str) -> None:
    """A computation asked for several periods of one place at once (one query) gives what
    it gives asked one period at a time, wherever and whenever."""
    spans = [(d(month, 1), d(month, 28)) for month in range(1, 7)]
    spans += [(d(1, 1), d(3, 31)), (d(4, 1), d(6, 30)), (d(3, 10), d(4, 20))]
    places: list[tuple[frozenset[int] | None, frozenset[str] | None]] = [
        (None, None),
        (frozenset({world.care.pk}), None),
        (frozenset({world.care.pk, world.hias.pk}), frozenset({LIM})),
        (None, frozenset({CUS})),
    ]
    computation = COMPUTATIONS[code]
    assert computation.many is not None
    for orgs, admin1 in places:
        scopes = [Scope(start, end, orgs, admin1) for start, end in spans]
        assert computation.over(scopes) == [computation(scope) for scope in scopes]


# --- cash-transfer stabilisation (BP5_PC) ------------------------------------------------


def test_stabilisation_indicators_read_the_bp5_records(world: Any) -> None:
    # The stabilisation app's own known dataset (its docstring tells each person's story):
    # CARE's programme in Ecuador, five people queued on 8 November 2026.
    with travel(STABILISATION_MOMENT):
        build_stabilisation(world)
    november = (d(11, 1), d(11, 30))

    def applied(*orgs: Any, admin1: tuple[str, ...] = (), period: Any = november) -> Any:
        return compute("stabilisation_mechanisms_applied", *orgs, admin1=admin1, period=period)

    # A's two contacts (10 and 13 November), B's second (13th, after B's check on the
    # 12th) and D's (11th); not B's first (before the check) nor C's (check said no).
    assert applied().value == Decimal(4)
    assert applied(period=(d(11, 10), d(11, 12))).value == Decimal(2)  # A's first, D's
    assert applied(period=(d(10, 1), d(10, 31))).value == Decimal(0)
    assert applied(world.hias).value == Decimal(0)
    assert applied(world.care, admin1=("EC-C",)).value == Decimal(1)  # B's second

    def until_paid(admin1: tuple[str, ...] = (), period: Any = november) -> Any:
        return compute("people_stabilised_until_paid", admin1=admin1, period=period).value

    # A (paid on the 15th) and B (the 18th) had contacts while queued; E was paid without
    # any; C and D still wait.
    assert until_paid() == Decimal(2)
    assert until_paid(period=(d(11, 16), d(11, 30))) == Decimal(1)
    assert until_paid(admin1=("EC-P",)) == Decimal(1)
    assert until_paid(period=(d(12, 1), d(12, 31))) == Decimal(0)
