"""Outcome measures as data: items, answer scales, scoring and severity bands.

WHO-5 (WHO, free to use), PHQ-9 and GAD-7 (Pfizer, no permission required). Item
wording is ours to translate; the scoring follows the published manuals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.cases.models import Instrument


@dataclass(frozen=True)
class Band:
    code: str
    label: Any
    upper: int  # inclusive upper score of the band


@dataclass(frozen=True)
class Scale:
    code: str
    name: Any
    stem: Any
    items: tuple[Any, ...]
    options: tuple[tuple[int, Any], ...]
    bands: tuple[Band, ...]
    multiplier: int = 1

    @property
    def max_score(self) -> int:
        return len(self.items) * max(v for v, _l in self.options) * self.multiplier


FREQUENCY_4 = (
    (0, _("Not at all")),
    (1, _("Several days")),
    (2, _("More than half the days")),
    (3, _("Nearly every day")),
)

WHO5 = Scale(
    code=Instrument.WHO5,
    name=Instrument.WHO5.label,
    stem=_("Over the last two weeks…"),
    items=(
        _("I have felt cheerful and in good spirits"),
        _("I have felt calm and relaxed"),
        _("I have felt active and vigorous"),
        _("I woke up feeling fresh and rested"),
        _("My daily life has been filled with things that interest me"),
    ),
    options=(
        (5, _("All of the time")),
        (4, _("Most of the time")),
        (3, _("More than half of the time")),
        (2, _("Less than half of the time")),
        (1, _("Some of the time")),
        (0, _("At no time")),
    ),
    # Percentage score 0-100: <=28 likely depression, <=50 poor well-being.
    bands=(
        Band("likely_depression", _("Likely depression, assess further"), 28),
        Band("poor", _("Poor well-being"), 50),
        Band("adequate", _("Adequate well-being"), 100),
    ),
    multiplier=4,
)

PHQ9 = Scale(
    code=Instrument.PHQ9,
    name=Instrument.PHQ9.label,
    stem=_("Over the last two weeks, how often have you been bothered by…"),
    items=(
        _("Little interest or pleasure in doing things"),
        _("Feeling down, depressed or hopeless"),
        _("Trouble falling or staying asleep, or sleeping too much"),
        _("Feeling tired or having little energy"),
        _("Poor appetite or overeating"),
        _(
            "Feeling bad about yourself, or that you are a failure or have let yourself or your family down"
        ),
        _("Trouble concentrating on things, such as reading or watching television"),
        _(
            "Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual"
        ),
        _("Thoughts that you would be better off dead, or of hurting yourself in some way"),
    ),
    options=FREQUENCY_4,
    bands=(
        Band("minimal", _("Minimal"), 4),
        Band("mild", _("Mild"), 9),
        Band("moderate", _("Moderate"), 14),
        Band("moderately_severe", _("Moderately severe"), 19),
        Band("severe", _("Severe"), 27),
    ),
)

GAD7 = Scale(
    code=Instrument.GAD7,
    name=Instrument.GAD7.label,
    stem=_("Over the last two weeks, how often have you been bothered by…"),
    items=(
        _("Feeling nervous, anxious or on edge"),
        _("Not being able to stop or control worrying"),
        _("Worrying too much about different things"),
        _("Trouble relaxing"),
        _("Being so restless that it is hard to sit still"),
        _("Becoming easily annoyed or irritable"),
        _("Feeling afraid as if something awful might happen"),
    ),
    options=FREQUENCY_4,
    bands=(
        Band("minimal", _("Minimal"), 4),
        Band("mild", _("Mild"), 9),
        Band("moderate", _("Moderate"), 14),
        Band("severe", _("Severe"), 21),
    ),
)

SCALES: dict[str, Scale] = {s.code: s for s in (WHO5, PHQ9, GAD7)}

# PHQ-9 item 9 (index 8): any answer above 0 is a suicide-risk flag.
PHQ9_SUICIDE_ITEM = 8


class InvalidAnswers(ValueError):
    pass


@dataclass(frozen=True)
class Scored:
    score: int
    band: Band
    flagged: bool


def score(instrument: str, answers: list[int]) -> Scored:
    """Score a complete set of answers; raise ``InvalidAnswers`` for anything else."""
    scale = SCALES.get(instrument)
    if scale is None:
        raise InvalidAnswers(f"Unknown instrument {instrument!r}.")
    allowed = {value for value, _label in scale.options}
    if len(answers) != len(scale.items) or any(
        not isinstance(a, int) or isinstance(a, bool) or a not in allowed for a in answers
    ):
        raise InvalidAnswers(
            f"{instrument} needs {len(scale.items)} answers from {sorted(allowed)}."
        )
    total = sum(answers) * scale.multiplier
    band = next(b for b in scale.bands if total <= b.upper)
    flagged = instrument == Instrument.PHQ9 and answers[PHQ9_SUICIDE_ITEM] > 0
    return Scored(score=total, band=band, flagged=flagged)


def band_label(instrument: str, code: str) -> Any:
    scale = SCALES.get(instrument)
    if scale is None:
        return code
    return next((b.label for b in scale.bands if b.code == code), code)
