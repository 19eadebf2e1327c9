"""Demo activities: a women's support group (CARE, Lima) and a child-friendly space (HIAS,
Tumbes), with weekly sessions over the three months before the load, anonymous counts and
a few registered participants (fictional codes, no names) who come back week after week,
so that the people-reached page and last month's 5W have figures.

Everything is built through ``actions`` (audited as the agency's demo caseworker).
``load_demo()`` is idempotent: each activity has a fixed id, and a second run creates
nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.activities import actions
from ruta.activities.models import Activity, ActivityType, Participant, Sector
from ruta.lib.demo import Removed
from ruta.places.models import AdminArea


def _demo_uuid(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://ruta.example.org/demo/activities/{name}")


# (key, recorder e-mail, type code, title, layers, sector, admin1, population type)
ACTIVITIES = [
    (
        "care-support-group",
        "gestion.care@ruta.example.org",
        "support_group",
        "Grupo de apoyo para mujeres sobrevivientes (demostración)",
        [2, 3],
        Sector.PROTECTION_GBV,
        "PE-LIM",
        "in_destination",
    ),
    (
        "hias-child-friendly-space",
        "gestion.hias@ruta.example.org",
        "child_friendly_space",
        "Espacio amigable para la niñez en frontera (demostración)",
        [2],
        Sector.CHILD_PROTECTION,
        "PE-TUM",
        "in_transit",
    ),
]
WEEKS = 12


@dataclass
class ActivitiesDemoSummary:
    activities: int = 0
    sessions: int = 0

    def describe(self) -> str:
        return f"Demo activities: {self.activities} new, {self.sessions} sessions."


def load_activities_demo() -> ActivitiesDemoSummary:
    summary = ActivitiesDemoSummary()
    first_day = timezone.localdate() - dt.timedelta(weeks=WEEKS)
    with transaction.atomic():
        for key, email, code, title, layers, sector, area, population in ACTIVITIES:
            recorder = User.objects.filter(email=email).first()
            if recorder is None or Activity.objects.filter(uuid=_demo_uuid(key)).exists():
                continue
            activity = Activity(
                uuid=_demo_uuid(key),
                title=title,
                activity_type=ActivityType.objects.get(code=code),
                layers=layers,
                sector=sector,
                admin1=AdminArea.objects.filter(code=area).first(),
                external_facilitators="Promotora comunitaria (demostración)",
            )
            actions.save_activity(recorder, activity, [recorder], created=True)
            summary.activities += 1
            for week in range(WEEKS):
                session = actions.add_session(
                    recorder, activity, first_day + dt.timedelta(weeks=week), "in_person"
                )
                summary.sessions += 1
                if code == "child_friendly_space":
                    actions.save_counts(
                        recorder,
                        session,
                        population,
                        {"girls": 6 + week % 4, "boys": 5 + week % 3, "women": 2, "disability": 1},
                    )
                    continue
                # Eight registered women, most of whom come back; a few newcomers each week.
                for number in range(1, 9):
                    if (number + week) % 3:
                        actions.record_attendance(
                            recorder,
                            session,
                            f"DEMO-{key}-{number + week // 4:02d}",
                            {"sex_age": "woman", "population_type": population},
                        )
                actions.save_counts(recorder, session, "host", {"women": 2, "other": week % 2})
    return summary


def _demo_codes(key: str) -> list[str]:
    return [f"DEMO-{key}-{number:02d}" for number in range(1, 9 + WEEKS // 4)]


def remove_activities_demo() -> int:
    deleted = 0
    for key, *_rest in ACTIVITIES:
        activity = Activity.objects.filter(uuid=_demo_uuid(key)).first()
        if activity is None:
            continue
        organization = activity.organization
        deleted += activity.delete()[0]
        # The fictional participants, by the keys of their demo codes (and only if no other
        # activity has them).
        keys = [actions.participant_key(organization, code) for code in _demo_codes(key)]
        deleted += Participant.objects.filter(
            organization=organization, code_hash__in=keys, attendance__isnull=True
        ).delete()[0]
    return deleted


def load_demo() -> ActivitiesDemoSummary:
    """The loading entry point that ``ruta.demo`` discovers."""
    return load_activities_demo()


def remove_demo() -> Removed:
    """The removal entry point that ``ruta.demo`` discovers (run in reverse app order)."""
    return Removed("activities", remove_activities_demo())
