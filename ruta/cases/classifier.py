"""The GBVIMS incident classification, asked as questions in the GBVIMS order.

The first "yes" decides the type; later questions are not needed (order of precedence:
rape, sexual assault, physical assault, forced marriage, denial of resources,
psychological/emotional abuse). If every answer is "no", the incident is not one of
the six GBV types and is not classified.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.cases.models import GBVType


@dataclass(frozen=True)
class Question:
    code: str
    text: Any
    help: Any
    type_if_yes: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "penetration",
        _(
            "Did the incident include penetration, even if slight, of the vagina, anus or "
            "mouth with a penis or other body part, or of the vagina or anus with an object?"
        ),
        _("If yes, the incident is classified as rape, whatever else happened."),
        GBVType.RAPE,
    ),
    Question(
        "sexual_contact",
        _("Did the incident include unwanted sexual contact without penetration?"),
        _("For example unwanted touching, kissing or attempted rape."),
        GBVType.SEXUAL_ASSAULT,
    ),
    Question(
        "physical",
        _("Did the incident include physical violence that is not sexual?"),
        _("For example hitting, slapping, choking, cutting, shoving or burning."),
        GBVType.PHYSICAL_ASSAULT,
    ),
    Question(
        "forced_marriage",
        _("Was the incident a marriage against the person's will?"),
        _("Any marriage of a child under 18 counts as forced marriage."),
        GBVType.FORCED_MARRIAGE,
    ),
    Question(
        "denial",
        _(
            "Was the person denied rightful access to economic resources, livelihoods, "
            "education, health or other services?"
        ),
        _("For example a partner keeping the person's income or forbidding school."),
        GBVType.DENIAL,
    ),
    Question(
        "psychological",
        _("Did the incident include psychological or emotional abuse?"),
        _("For example threats, humiliation, forced isolation, stalking or harassment."),
        GBVType.PSYCHOLOGICAL,
    ),
)

QUESTION_CODES = [q.code for q in QUESTIONS]


@dataclass(frozen=True)
class Step:
    """Where the guided classifier stands: the next question, or the proposed type."""

    next_question: Question | None
    proposed_type: str | None
    asked: list[Question]

    @property
    def finished(self) -> bool:
        return self.next_question is None

    @property
    def not_gbv(self) -> bool:
        return self.finished and self.proposed_type is None


def classify(answers: dict[str, bool | None]) -> Step:
    """Walk the questions in order with the answers given so far.

    ``answers`` maps question codes to True/False; a missing code or None is unanswered.
    """
    asked: list[Question] = []
    for question in QUESTIONS:
        answer = answers.get(question.code)
        if answer is None:
            return Step(next_question=question, proposed_type=None, asked=asked)
        asked.append(question)
        if answer:
            return Step(next_question=None, proposed_type=question.type_if_yes, asked=asked)
    return Step(next_question=None, proposed_type=None, asked=asked)


def parse_answers(data: Any) -> dict[str, bool | None]:
    """Read ``q_<code>`` = yes/no from a form's data; anything else is unanswered."""
    answers: dict[str, bool | None] = {}
    for code in QUESTION_CODES:
        value = data.get(f"q_{code}")
        answers[code] = {"yes": True, "no": False}.get(value) if value else None
    return answers
