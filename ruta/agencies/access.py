"""Organizations are visible to every logged-in user; editing needs MANAGE_ORGANIZATIONS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from ruta.agencies.models import Organization
from ruta.lib.permissions import Cap, user_can

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def visible_organizations(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organization]:
    if not user_can(user, Cap.VIEW_ORGANIZATIONS):
        return Organization.objects.none()
    organizations = Organization.objects.annotate(
        active_users=Count("users", filter=Q(users__is_active=True))
    ).order_by("name")
    if not user_can(user, Cap.MANAGE_ORGANIZATIONS):
        organizations = organizations.filter(active=True)
    return organizations


def get_visible_organization(user: AbstractBaseUser | AnonymousUser, org_uuid: Any) -> Organization:
    return get_object_or_404(visible_organizations(user), uuid=org_uuid)
