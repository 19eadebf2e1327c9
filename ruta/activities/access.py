"""Who sees which activities. Deny by default; forbidden and missing both answer 404.

Caseworkers, supervisors and coordinators (``Cap.RECORD_ACTIVITIES``) record and see the
activities of their own organization only; another agency's activity is 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from ruta.activities.models import Activity, Session
from ruta.lib.permissions import Cap, user_can

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User


def can_record(user: User | AnonymousUser) -> bool:
    return user_can(user, Cap.RECORD_ACTIVITIES) and bool(getattr(user, "organization_id", None))


def visible_activities(user: User | AnonymousUser) -> QuerySet[Activity]:
    if not can_record(user):
        return Activity.objects.none()
    return Activity.objects.filter(organization_id=user.organization_id)  # type: ignore[union-attr]


def get_activity(user: User, activity_uuid: Any) -> Activity:
    activity = visible_activities(user).filter(uuid=activity_uuid).first()
    if activity is None:
        raise Http404
    return activity


def get_session(user: User, session_uuid: Any) -> Session:
    session = (
        Session.objects.filter(activity__in=visible_activities(user), uuid=session_uuid)
        .select_related("activity")
        .first()
    )
    if session is None:
        raise Http404
    return session
