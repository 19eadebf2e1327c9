"""Who sees which conference. Deny by default; forbidden and missing both answer 404.

Only participants see a conference (the convener is a participant too): not the case's
other supervisors, not anybody else. A participant from another organization keeps
access only while the case has an active consent to share with that organization;
the check runs on every request, so a withdrawal cuts access at once. Until a
participant acknowledges confidentiality they see only the date and the
acknowledgement form (``acknowledged``). Every read is audited as ``conference.read``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from ruta.audit.actions import record
from ruta.cases.models import Case, Consent, ConsentPurpose
from ruta.conferences.models import Conference, Participant
from ruta.lib.permissions import Cap, Role, user_can

CONFERENCE_READ = "conference.read"
# Roles that may take part: the ones that work with case data.
PARTICIPANT_ROLES = (Role.SUPERVISOR, Role.CASEWORKER)


def _share_consent(organization_id: Any) -> Exists:
    return Exists(
        Consent.objects.filter(
            case_id=OuterRef("case_id"),
            purpose=ConsentPurpose.SHARE,
            recipient_id=organization_id,
            withdrawn_at__isnull=True,
        )
    )


def visible_conferences(user: Any) -> QuerySet[Conference]:
    """Conferences where ``user`` is a participant and their organization may still see them."""
    if not user_can(user, Cap.VIEW_CASES) or user.organization_id is None:
        return Conference.objects.none()
    mine = Participant.objects.filter(conference_id=OuterRef("pk"), user_id=user.pk)
    return Conference.objects.filter(Exists(mine)).filter(
        Q(case__organization_id=user.organization_id) | _share_consent(user.organization_id)
    )


def acknowledged_conferences(user: Any) -> QuerySet[Conference]:
    """The visible conferences whose confidentiality ``user`` has acknowledged."""
    acknowledged = Participant.objects.filter(
        conference_id=OuterRef("pk"), user_id=user.pk, acknowledged_at__isnull=False
    )
    return visible_conferences(user).filter(Exists(acknowledged))


def get_conference(user: Any, conference_uuid: Any) -> Conference:
    """The conference if ``user`` may see it, else 404; ``.participant`` is the user's row."""
    conference = (
        visible_conferences(user)
        .select_related("case", "case__client", "case__organization", "convened_by")
        .filter(uuid=conference_uuid)
        .first()
    )
    if conference is None:
        raise Http404
    conference.participant = Participant.objects.get(  # type: ignore[attr-defined]
        conference=conference, user=user
    )
    return conference


def participant_of(conference: Conference) -> Participant:
    participant: Participant = conference.participant  # type: ignore[attr-defined]
    return participant


def is_acknowledged(conference: Conference) -> bool:
    return participant_of(conference).has_acknowledged


def in_case_organization(user: Any, conference: Conference) -> bool:
    return bool(user.organization_id == conference.case.organization_id)


def can_record(user: Any, conference: Conference) -> bool:
    """Minutes, decisions, actions, participants, status: the convener or a participating
    supervisor of the case's organization (``conference`` came from ``get_conference``)."""
    return user_can(user, Cap.SUPERVISE_CASES) and in_case_organization(user, conference)


def audit_read(request: Any, conference: Conference, what: str = "conference") -> None:
    record(
        CONFERENCE_READ,
        request=request,
        obj=conference,
        organization=conference.case.organization,
        details={"what": what, "case": str(conference.case.uuid), "path": request.path[:200]},
    )


def case_header(case: Case) -> dict[str, Any]:
    """The minimal case facts every participant may see: no names, no narrative."""
    return {
        "code": case.code,
        "case_type": case.get_case_type_display(),
        "age_band": case.client.get_age_band_display(),
    }


def organizations_with_consent(case: Case) -> QuerySet[Any]:
    from ruta.agencies.models import Organization

    consented = Consent.objects.filter(
        case=case,
        purpose=ConsentPurpose.SHARE,
        withdrawn_at__isnull=True,
        recipient_id=OuterRef("pk"),
    )
    return Organization.objects.filter(Exists(consented)).exclude(pk=case.organization_id)


def eligible_users(case: Case, exclude: Iterable[Any] = ()) -> QuerySet[Any]:
    """Who may be invited: supervisors and caseworkers of the case's organization and of
    organizations with an active consent to share, active accounts only."""
    from ruta.accounts.models import User

    orgs = [case.organization_id, *organizations_with_consent(case).values_list("pk", flat=True)]
    return (
        User.objects.filter(organization_id__in=orgs, role__in=PARTICIPANT_ROLES, is_active=True)
        .exclude(pk__in=[u.pk if hasattr(u, "pk") else u for u in exclude])
        .select_related("organization")
        .order_by("organization__name", "full_name", "email")
    )
