"""Which accounts and organizations a user may see or manage."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ruta.accounts.models import RoleGrant, RoleGrantStatus, User
from ruta.lib.permissions import Cap, user_can

# How far back the user list and the role grants page show decided grants.
RECENT_GRANT_DAYS = 90


def manageable_users(actor: User) -> QuerySet[User]:
    """Platform admins manage everyone; agency admins their own organization; others nobody."""
    users = User.objects.select_related("organization")
    if user_can(actor, Cap.MANAGE_ALL_USERS):
        return users
    if user_can(actor, Cap.MANAGE_AGENCY_USERS):
        return users.filter(organization_id=actor.organization_id)
    return users.none()


def get_manageable_user(actor: User, user_uuid: Any) -> User:
    """The account, or 404 when it does not exist or is outside the actor's reach."""
    return get_object_or_404(manageable_users(actor), uuid=user_uuid)


def role_grants_for(actor: User) -> QuerySet[RoleGrant]:
    """Role grants the actor may see: platform admins all, agency admins and supervisors
    their own organization's, others none."""
    grants = RoleGrant.objects.select_related("user", "organization", "requested_by", "decided_by")
    if user_can(actor, Cap.MANAGE_ALL_USERS):
        return grants
    if user_can(actor, Cap.DECIDE_ROLE_GRANTS) or user_can(actor, Cap.MANAGE_AGENCY_USERS):
        return grants.filter(organization_id=actor.organization_id)
    return grants.none()


def pending_role_grants(actor: User) -> QuerySet[RoleGrant]:
    return role_grants_for(actor).filter(status=RoleGrantStatus.PENDING)


def pending_and_recent_role_grants(
    actor: User, days: int = RECENT_GRANT_DAYS
) -> tuple[list[RoleGrant], list[RoleGrant]]:
    """The grants waiting for confirmation, and those decided in the last ``days`` days,
    in one query."""
    since = timezone.now() - timedelta(days=days)
    grants = role_grants_for(actor).filter(
        Q(status=RoleGrantStatus.PENDING) | Q(requested_at__gte=since)
    )
    pending: list[RoleGrant] = []
    recent: list[RoleGrant] = []
    for grant in grants.order_by("-requested_at"):
        (pending if grant.status == RoleGrantStatus.PENDING else recent).append(grant)
    return pending, recent


def get_role_grant_for_user(actor: User, grant_uuid: Any) -> RoleGrant:
    """The grant, or 404 when it does not exist or belongs to another organization."""
    return get_object_or_404(role_grants_for(actor), uuid=grant_uuid)
