"""Who sees and works on which practices.

Public (and every user): published practices only. Practice-hub managers (coordinators,
admins): every practice. Agency admins (``Cap.SUBMIT_PRACTICES`` without the hub): the
practices owned by their organization, in any state. A practice out of reach is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ruta.lib.permissions import Cap, user_can
from ruta.practices.models import Practice, PracticeStatus

PUBLISHED = Q(status=PracticeStatus.PUBLISHED)


def public_practices() -> QuerySet[Practice]:
    return Practice.objects.filter(PUBLISHED)


def workable_practices(user: User) -> QuerySet[Practice]:
    """Practices this user may edit, submit or review (whatever their state)."""
    if user_can(user, Cap.MANAGE_PRACTICE_HUB):
        return Practice.objects.all()
    if user_can(user, Cap.SUBMIT_PRACTICES) and user.organization_id is not None:
        return Practice.objects.filter(owner_id=user.organization_id)
    return Practice.objects.none()


def visible_practices(user: User | AnonymousUser) -> QuerySet[Practice]:
    if user_can(user, Cap.MANAGE_PRACTICE_HUB):
        return Practice.objects.all()
    if (
        user.is_authenticated
        and user_can(user, Cap.SUBMIT_PRACTICES)
        and user.organization_id is not None
    ):
        return Practice.objects.filter(PUBLISHED | Q(owner_id=user.organization_id))
    return public_practices()


def get_visible_practice(user: User | AnonymousUser, practice_uuid: Any) -> Practice:
    return get_object_or_404(visible_practices(user), uuid=practice_uuid)


def get_workable_practice(user: User, practice_uuid: Any) -> Practice:
    return get_object_or_404(workable_practices(user), uuid=practice_uuid)


def can_work_on(user: User | AnonymousUser, practice: Practice) -> bool:
    if user_can(user, Cap.MANAGE_PRACTICE_HUB):
        return True
    return (
        user.is_authenticated
        and user_can(user, Cap.SUBMIT_PRACTICES)
        and practice.owner_id is not None
        and practice.owner_id == user.organization_id
    )
