"""Scoring and severity bands of WHO-5, PHQ-9 and GAD-7, and the PHQ-9 item-9 flag."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruta.audit.models import AuditEvent
from ruta.cases import actions, instruments
from ruta.cases.instruments import SCALES, InvalidAnswers, score
from ruta.cases.models import MeasureResult, RiskLevel
from ruta.cases.tests.factories import make_case
from ruta.notifications.models import Notification, NotificationKind


def answers_summing_to(total: int, items: int, top: int) -> list[int]:
    """``items`` answers in 0..top adding up to ``total``."""
    answers = []
    for _i in range(items):
        value = min(top, total)
        answers.append(value)
        total -= value
    assert total == 0
    return answers


# --- WHO-5 -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "percent", "band"),
    [
        (0, 0, "likely_depression"),
        (7, 28, "likely_depression"),
        (8, 32, "poor"),
        (12, 48, "poor"),
        (13, 52, "adequate"),
        (25, 100, "adequate"),
    ],
)
def test_who5_is_a_percentage_with_cutoffs_at_28_and_50(raw: int, percent: int, band: str) -> None:
    scored = score("who5", answers_summing_to(raw, 5, 5))
    assert scored.score == percent == raw * 4
    assert scored.band.code == band
    assert not scored.flagged


def test_who5_bands_at_the_exact_boundaries() -> None:
    bands = {b.code: b.upper for b in SCALES["who5"].bands}
    assert bands == {"likely_depression": 28, "poor": 50, "adequate": 100}
    # 50 is not reachable with multiples of 4; 48 is poor and 52 adequate (above).
    assert SCALES["who5"].max_score == 100


# --- PHQ-9 ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total: int, band: str) -> None:
    scored = score("phq9", answers_summing_to(total, 9, 3))
    assert scored.score == total
    assert scored.band.code == band


def test_phq9_item_9_flags() -> None:
    assert score("phq9", [0] * 8 + [1]).flagged
    assert score("phq9", [0] * 8 + [3]).flagged
    assert not score("phq9", [3] * 8 + [0]).flagged
    assert score("phq9", [0] * 8 + [1]).band.code == "minimal"  # flagged whatever the score


# --- GAD-7 ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(total: int, band: str) -> None:
    scored = score("gad7", answers_summing_to(total, 7, 3))
    assert scored.score == total
    assert scored.band.code == band
    assert not scored.flagged


# --- Invalid answers --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("instrument", "answers"),
    [
        ("who5", [1] * 4),
        ("who5", [1] * 6),
        ("who5", []),
        ("who5", [6, 0, 0, 0, 0]),
        ("who5", [-1, 0, 0, 0, 0]),
        ("phq9", [1] * 8),
        ("phq9", [1] * 10),
        ("phq9", [4] + [0] * 8),
        ("phq9", [True] + [0] * 8),
        ("phq9", [False] * 9),
        ("phq9", ["1"] + [0] * 8),
        ("phq9", [1.0] + [0] * 8),
        ("phq9", [None] + [0] * 8),
        ("gad7", [1] * 6),
        ("gad7", [3] * 6 + [4]),
        ("gad7", [True] * 7),
        ("k10", [1] * 10),
        ("", []),
    ],
)
def test_invalid_answers_are_rejected(instrument: str, answers: list[Any]) -> None:
    with pytest.raises(InvalidAnswers):
        score(instrument, answers)


def test_band_label_falls_back_to_the_code() -> None:
    severe = next(b for b in SCALES["phq9"].bands if b.code == "severe")
    assert instruments.band_label("phq9", "severe") == severe.label
    assert instruments.band_label("phq9", "nonsense") == "nonsense"
    assert instruments.band_label("k10", "x") == "x"


# --- Properties -------------------------------------------------------------------------
@st.composite
def instrument_and_answers(draw: Any) -> tuple[str, list[int]]:
    code = draw(st.sampled_from(sorted(SCALES)))
    scale = SCALES[code]
    values = [v for v, _label in scale.options]
    answers = draw(
        st.lists(st.sampled_from(values), min_size=len(scale.items), max_size=len(scale.items))
    )
    return code, answers


@given(instrument_and_answers())
def test_score_is_within_range_and_in_its_band(data: tuple[str, list[int]]) -> None:
    code, answers = data
    scale = SCALES[code]
    scored = score(code, answers)
    assert 0 <= scored.score <= scale.max_score
    assert scored.score == sum(answers) * scale.multiplier
    index = scale.bands.index(scored.band)
    assert scored.score <= scored.band.upper
    if index:
        assert scored.score > scale.bands[index - 1].upper


@given(st.sampled_from(sorted(SCALES)), st.data())
def test_band_is_monotonic_in_score(code: str, data: Any) -> None:
    scale = SCALES[code]
    values = [v for v, _label in scale.options]
    size = len(scale.items)
    answer_lists = st.lists(st.sampled_from(values), min_size=size, max_size=size)
    a, b = score(code, data.draw(answer_lists)), score(code, data.draw(answer_lists))
    if a.score <= b.score:
        assert scale.bands.index(a.band) <= scale.bands.index(b.band)
    else:
        assert scale.bands.index(a.band) >= scale.bands.index(b.band)


@given(st.sampled_from(sorted(SCALES)), st.lists(st.integers(-3, 8), max_size=12))
def test_anything_else_is_rejected_or_valid(code: str, answers: list[int]) -> None:
    scale = SCALES[code]
    allowed = {v for v, _label in scale.options}
    valid = len(answers) == len(scale.items) and all(a in allowed for a in answers)
    if valid:
        assert 0 <= score(code, answers).score <= scale.max_score
    else:
        with pytest.raises(InvalidAnswers):
            score(code, answers)


def test_bands_cover_zero_to_max_without_gaps() -> None:
    for scale in SCALES.values():
        uppers = [b.upper for b in scale.bands]
        assert uppers == sorted(uppers)
        assert uppers[-1] == scale.max_score


# --- Through actions.record_measure ----------------------------------------------------
def test_phq9_item_9_makes_the_case_urgent_and_tells_the_supervisor_on_commit(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    case = make_case(cw)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = actions.record_measure(cw, case, instrument="phq9", answers=[0] * 8 + [1])
        # Nothing is sent before the transaction commits.
        assert not Notification.objects.filter(kind=NotificationKind.URGENT_RISK).exists()
    assert callbacks
    for callback in callbacks:
        callback()
    assert result.flagged
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.URGENT
    assert case.risk_reason  # encrypted, set by the action
    urgent = Notification.objects.filter(kind=NotificationKind.URGENT_RISK)
    assert list(urgent.values_list("recipient", flat=True)) == [sup.pk]
    assert urgent.get().case == case
    assert set(urgent.get().details) == {"measure"}
    events = AuditEvent.objects.filter(object_uuid=case.uuid)
    risk_event = events.get(action="case.risk_changed")
    assert risk_event.details == {}  # the level stays in the case
    measured = events.get(action="case.measure_recorded")
    assert measured.details == {"measure": str(result.uuid)}  # no instrument, score or flag


def test_phq9_item_9_notifies_only_this_agencys_supervisors(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_measure(cw, case, instrument="phq9", answers=[0] * 8 + [2])
    recipients = set(
        Notification.objects.filter(kind=NotificationKind.URGENT_RISK).values_list(
            "recipient__email", flat=True
        )
    )
    assert recipients == {"supervisor.care@test.org"}


def test_phq9_item_9_at_zero_does_not_flag(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with django_capture_on_commit_callbacks(execute=True):
        result = actions.record_measure(cw, case, instrument="phq9", answers=[3] * 8 + [0])
    assert not result.flagged
    assert result.score == 24 and result.band == "severe"
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.LOW
    assert not Notification.objects.filter(kind=NotificationKind.URGENT_RISK).exists()


def test_record_measure_turns_invalid_answers_into_a_case_error(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw)
    with pytest.raises(actions.CaseError):
        actions.record_measure(cw, case, instrument="gad7", answers=[1] * 6)
    with pytest.raises(actions.CaseError):
        actions.record_measure(cw, case, instrument="who5", answers=[True] * 5)
    assert not MeasureResult.objects.exists()


def test_record_measure_needs_services_consent(world: Any) -> None:
    cw = world.user("caseworker.care")
    case = make_case(cw, consent=False)
    with pytest.raises(actions.ConsentRequired):
        actions.record_measure(cw, case, instrument="who5", answers=[3] * 5)
