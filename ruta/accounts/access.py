"""Which accounts and organizations a user may see or manage."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ruta.accounts.models import User
from ruta.accounts.permissions import Cap, user_can


def manageable_users(actor: Any) -> QuerySet[User]:
    """Platform admins manage everyone; agency admins their own organization; others nobody."""
    users = User.objects.select_related("organization")
    if user_can(actor, Cap.MANAGE_ALL_USERS):
        return users
    if user_can(actor, Cap.MANAGE_AGENCY_USERS):
        return users.filter(organization_id=actor.organization_id)
    return users.none()


def get_manageable_user(actor: Any, user_uuid: Any) -> User:
    """The account, or 404 when it does not exist or is outside the actor's reach."""
    return get_object_or_404(manageable_users(actor), uuid=user_uuid)
