"""A programme's figures as evidence on the good practice it evidences (BP5_PC): the two
indicators against the target, delays, contacts and distress change. Counts below the
small-cell threshold are shown as "<N", and a mean over too few people is not shown: the
practice's page is public."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ruta.helpline.figures import shown, threshold
from ruta.practices.models import Practice
from ruta.stabilisation import access, figures
from ruta.stabilisation.models import Programme


@dataclass(frozen=True)
class ProgrammeEvidence:
    programme: Programme
    mechanisms: str
    people_until_paid: str
    target_people: int
    progress: int | None
    mean_delay_days: float | None
    contacts_per_person: float | None
    distress_change: float | None
    figures_url: str


def practice_evidence(practice: Practice, user: Any) -> dict[str, Any] | None:
    programmes = list(
        Programme.objects.filter(practice=practice).select_related("organization", "donor")
    )
    if not programmes:
        return None
    readable = set(
        access.figures_programmes(user)
        .filter(pk__in=[p.pk for p in programmes])
        .values_list("pk", flat=True)
    )
    limit = threshold()
    found = []
    for programme in programmes:
        one = figures.compute(Programme.objects.filter(pk=programme.pk))
        few = one.people_stabilised < limit
        found.append(
            ProgrammeEvidence(
                programme=programme,
                mechanisms=shown(one.mechanisms),
                people_until_paid=shown(one.people_until_paid),
                target_people=one.target_people,
                # A percentage of a suppressed count would tell the count.
                progress=None if 0 < one.people_until_paid < limit else one.progress,
                mean_delay_days=None if one.queued_ever < limit else one.mean_delay_days,
                contacts_per_person=None if few else one.contacts_per_person,
                distress_change=None if one.distress_n < limit else one.distress_change,
                figures_url=(
                    f"{_figures_path()}?programme={programme.uuid}"
                    if programme.pk in readable
                    else ""
                ),
            )
        )
    return {"programmes": found, "as_of": timezone.localdate(), "threshold": limit}


def _figures_path() -> str:
    from django.urls import reverse

    return reverse("stabilisation:figures")
