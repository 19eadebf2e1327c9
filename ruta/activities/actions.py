"""Every change to activities, sessions, counts and attendance, each audited.

Audit details hold ids, field names and counts only: never a participant's code or name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ruta.activities.models import (
    COUNT_FIELDS,
    Activity,
    Attendance,
    Participant,
    Session,
    SessionCount,
)
from ruta.audit.actions import record
from ruta.lib.crypto import find_keyed, keyed_hash

if TYPE_CHECKING:
    from ruta.accounts.models import User
    from ruta.agencies.models import Organization


class ActivityError(Exception):
    """A change that cannot be made, told in the user's language."""


def require_own(actor: User, activity: Activity) -> None:
    from ruta.activities.access import can_record

    if not can_record(actor) or activity.organization_id != actor.organization_id:
        raise PermissionDenied


def audit_event(event: str, actor: User, obj: Any, /, **details: Any) -> None:
    record(event, actor=actor, obj=obj, details=details)


def _participant_text(organization: Organization, code: str) -> str:
    normalised = "".join((code or "").split()).upper()
    return f"activities:{organization.uuid}:{normalised}"


def participant_key(organization: Organization, code: str) -> str:
    """The keyed hash of an agency's participant code: the same code gives the same key
    within one organization, and the code itself is never stored."""
    return keyed_hash(_participant_text(organization, code))


@transaction.atomic
def save_activity(
    actor: User, activity: Activity, facilitators: Any = None, *, created: bool
) -> Activity:
    """Create (``created``) or update an activity filled in by a form."""
    from ruta.activities.access import can_record

    if not can_record(actor):
        raise PermissionDenied
    if created:
        activity.organization_id = actor.organization_id
        activity.created_by = actor
    else:
        require_own(actor, activity)
    activity.full_clean()
    activity.save()
    if facilitators is not None:
        activity.facilitators.set(facilitators)
    audit_event(
        "activity.created" if created else "activity.updated",
        actor,
        activity,
        activity_type=activity.activity_type.code,
        layers=sorted(activity.layers),
        sector=activity.sector,
    )
    return activity


@transaction.atomic
def add_session(actor: User, activity: Activity, date: Any, modality: str) -> Session:
    require_own(actor, activity)
    session = Session(activity=activity, date=date, modality=modality)
    session.full_clean()
    session.save()
    audit_event("activity.session_added", actor, session, activity=str(activity.uuid))
    return session


@transaction.atomic
def remove_session(actor: User, session: Session) -> None:
    require_own(actor, session.activity)
    counted = session.counts.count() + session.attendance.count()
    if counted:
        raise ActivityError(_("This session has participants recorded; it cannot be removed."))
    audit_event("activity.session_removed", actor, session, activity=str(session.activity.uuid))
    session.delete()


@transaction.atomic
def save_counts(
    actor: User, session: Session, population_type: str, values: dict[str, int]
) -> SessionCount:
    """One session's anonymous counts for one population type; entering them again
    replaces them (a correction, not an addition)."""
    require_own(actor, session.activity)
    count, created = SessionCount.objects.get_or_create(
        session=session, population_type=population_type
    )
    for name in (*COUNT_FIELDS, "lgbtiq", "disability"):
        setattr(count, name, int(values.get(name) or 0))
    if count.lgbtiq > count.total or count.disability > count.total:
        raise ActivityError(_("LGBTIQ+ and disability counts cannot exceed the total."))
    count.full_clean()
    count.save()
    audit_event(
        "activity.counts_saved",
        actor,
        session,
        population_type=population_type,
        total=count.total,
        replaced=not created,
    )
    return count


def _participant(
    organization: Organization, code: str, fields: dict[str, Any]
) -> tuple[Participant, bool]:
    # A code hashed under an older field key is re-keyed as it is seen again.
    participant = find_keyed(
        Participant.objects.filter(organization=organization),
        "code_hash",
        _participant_text(organization, code),
    )
    if participant is not None:
        return participant, False
    key = participant_key(organization, code)
    participant = Participant(organization=organization, code_hash=key, **fields)
    participant.full_clean(exclude=["organization"])
    participant.save()
    return participant, True


@transaction.atomic
def record_attendance(
    actor: User, session: Session, code: str, fields: dict[str, Any]
) -> tuple[Participant, bool]:
    """Mark a registered participant present at ``session``; a code seen before in the
    organization is the same person. Returns the participant and whether it is new."""
    require_own(actor, session.activity)
    if not "".join((code or "").split()):
        raise ActivityError(_("The participant code is empty."))
    participant, new = _participant(session.activity.organization, code, fields)
    _attendance, marked = Attendance.objects.get_or_create(session=session, participant=participant)
    audit_event(
        "activity.attendance_recorded",
        actor,
        session,
        participant=str(participant.uuid),
        new_participant=new,
        already=not marked,
    )
    return participant, new
