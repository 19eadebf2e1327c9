"""What conferences do when a case is anonymised or erased (``ruta.cases.retention``),
registered in ``hooks.py``: the place, minutes, notes, decisions and actions of the case's
conferences are emptied and the conferences end (a scheduled one is cancelled, a held one
closed), so nothing new is written about an anonymised case; erased, they go with it."""

from __future__ import annotations

from ruta.cases.models import Case
from ruta.conferences.models import (
    Conference,
    ConferenceAction,
    ConferenceDecision,
    ConferenceStatus,
)
from ruta.lib.fields import empty_encrypted

COVERS = (
    "conferences.Conference",
    "conferences.ConferenceDecision",
    "conferences.ConferenceAction",
)


def anonymise_case_conferences(case: Case) -> dict[str, int]:
    emptied = empty_encrypted(Conference.objects.filter(case=case))
    emptied += empty_encrypted(ConferenceDecision.objects.filter(conference__case=case))
    emptied += empty_encrypted(ConferenceAction.objects.filter(conference__case=case))
    conferences = Conference.objects.filter(case=case)
    conferences.filter(status=ConferenceStatus.SCHEDULED).update(status=ConferenceStatus.CANCELLED)
    conferences.filter(status=ConferenceStatus.HELD).update(status=ConferenceStatus.CLOSED)
    return {"conferences": emptied}


def erase_case_conferences(case: Case) -> dict[str, int]:
    """Counted before the case is deleted; they go with it (cascade)."""
    return {"conferences": Conference.objects.filter(case=case).count()}
