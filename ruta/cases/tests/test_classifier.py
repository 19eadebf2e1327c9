"""The GBVIMS guided classification and the rules of ``actions.record_incident``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone, translation

from ruta.audit.models import AuditEvent
from ruta.cases import actions
from ruta.cases.classifier import QUESTION_CODES, QUESTIONS, classify, parse_answers
from ruta.cases.models import GBVType, Incident
from ruta.cases.tests.factories import answers_for, make_case

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    """These tests match the (English) message ids of CaseError."""
    with translation.override("en"):
        yield


GBVIMS_ORDER = [
    GBVType.RAPE,
    GBVType.SEXUAL_ASSAULT,
    GBVType.PHYSICAL_ASSAULT,
    GBVType.FORCED_MARRIAGE,
    GBVType.DENIAL,
    GBVType.PSYCHOLOGICAL,
]


def test_questions_follow_the_gbvims_order() -> None:
    assert [q.type_if_yes for q in QUESTIONS] == GBVIMS_ORDER
    assert list(GBVType.values) == GBVIMS_ORDER


@pytest.mark.parametrize("index", range(6))
def test_each_type_is_proposed_by_its_first_yes(index: int) -> None:
    answers: dict[str, bool | None] = {code: False for code in QUESTION_CODES[:index]}
    answers[QUESTION_CODES[index]] = True
    step = classify(answers)
    assert step.finished and not step.not_gbv
    assert step.proposed_type == GBVIMS_ORDER[index]
    assert [q.code for q in step.asked] == QUESTION_CODES[: index + 1]


@pytest.mark.parametrize("index", range(6))
def test_later_answers_do_not_change_the_type(index: int) -> None:
    """Yes to several: the earliest in GBVIMS order wins."""
    answers: dict[str, bool | None] = {code: False for code in QUESTION_CODES}
    for code in QUESTION_CODES[index:]:
        answers[code] = True
    assert classify(answers).proposed_type == GBVIMS_ORDER[index]


def test_yes_to_everything_is_rape() -> None:
    assert classify(dict.fromkeys(QUESTION_CODES, True)).proposed_type == GBVType.RAPE


def test_physical_and_psychological_is_physical_assault() -> None:
    answers = {code: False for code in QUESTION_CODES}
    answers.update(physical=True, psychological=True)
    assert classify(answers).proposed_type == GBVType.PHYSICAL_ASSAULT  # type: ignore[arg-type]


def test_all_no_is_not_gbv() -> None:
    step = classify(dict.fromkeys(QUESTION_CODES, False))
    assert step.finished
    assert step.not_gbv
    assert step.proposed_type is None
    assert len(step.asked) == 6


@pytest.mark.parametrize("answered", range(6))
def test_partial_answers_ask_the_next_question_in_order(answered: int) -> None:
    answers: dict[str, bool | None] = {code: False for code in QUESTION_CODES[:answered]}
    step = classify(answers)
    assert not step.finished and not step.not_gbv
    assert step.proposed_type is None
    assert step.next_question is QUESTIONS[answered]


def test_a_gap_is_asked_before_later_answers_count() -> None:
    """An unanswered question stops the walk even when a later one says yes."""
    step = classify({"penetration": False, "sexual_contact": None, "physical": True})
    assert step.next_question is not None
    assert step.next_question.code == "sexual_contact"
    assert step.proposed_type is None


def test_parse_answers_reads_yes_and_no_only() -> None:
    parsed = parse_answers({"q_penetration": "no", "q_sexual_contact": "yes", "q_physical": "x"})
    assert parsed["penetration"] is False
    assert parsed["sexual_contact"] is True
    assert parsed["physical"] is None
    assert set(parsed) == set(QUESTION_CODES)


# --- actions.record_incident ------------------------------------------------------------
def _record(actor: Any, case: Any, **kw: Any) -> Incident:
    kw.setdefault("answers", answers_for(GBVType.SEXUAL_ASSAULT))
    kw.setdefault("confirmed_type", GBVType.SEXUAL_ASSAULT)
    kw.setdefault("date", timezone.localdate() - dt.timedelta(days=2))
    kw.setdefault("setting", "street")
    kw.setdefault("perpetrator", "stranger")
    return actions.record_incident(actor, case, **kw)


def test_record_incident_keeps_the_answers_and_the_proposal(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    incident = _record(cw, case)
    assert incident.gbv_type == incident.proposed_type == GBVType.SEXUAL_ASSAULT
    assert incident.classifier_answers == {"penetration": False, "sexual_contact": True}
    event = AuditEvent.objects.get(action="case.incident_recorded", object_uuid=case.uuid)
    assert event.details == {"incident": str(incident.uuid)}  # never the type of violence


def test_today_is_a_valid_incident_date(world: Any) -> None:
    cw = world.user("caseworker.care")
    incident = _record(cw, make_case(cw), date=timezone.localdate())
    assert incident.date == timezone.localdate()


@pytest.mark.parametrize("other", [t for t in GBVIMS_ORDER if t != GBVType.SEXUAL_ASSAULT])
def test_a_type_that_does_not_follow_the_answers_is_refused(world: Any, other: str) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with pytest.raises(actions.CaseError, match="follow the answers"):
        _record(cw, case, confirmed_type=other)
    assert not Incident.objects.exists()


def test_unfinished_answers_are_refused(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with pytest.raises(actions.CaseError):
        _record(cw, case, answers={"penetration": False}, confirmed_type=GBVType.PHYSICAL_ASSAULT)
    assert not Incident.objects.exists()


def test_all_no_is_not_recorded(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with pytest.raises(actions.CaseError, match="GBVIMS"):
        _record(cw, case, answers=dict.fromkeys(QUESTION_CODES, False), confirmed_type="")
    assert not Incident.objects.exists()


@pytest.mark.parametrize("case_type", ["mhpss", "child_protection"])
def test_a_non_gbv_case_is_refused(world: Any, case_type: str) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw, case_type=case_type)
    with pytest.raises(actions.CaseError):
        _record(cw, case)
    assert not Incident.objects.exists()


def test_a_future_date_is_refused(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with pytest.raises(actions.CaseError, match="future"):
        _record(cw, case, date=timezone.localdate() + dt.timedelta(days=1))
    assert not Incident.objects.exists()


def test_without_services_consent_it_is_refused(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw, consent=False)
    with pytest.raises(actions.ConsentRequired):
        _record(cw, case)
    assert not Incident.objects.exists()


def test_after_the_consent_is_withdrawn_it_is_refused(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    actions.withdraw_consent(cw, case.consents.get())
    with pytest.raises(actions.ConsentRequired):
        _record(cw, case)


def test_someone_off_the_team_is_refused(world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    for key in ("caseworker.hias", "supervisor.hias", "helpline.care", "agency_admin.care"):
        with pytest.raises(actions.CaseError):
            _record(world.user(key), case)
    assert not Incident.objects.exists()
