"""Organizations are visible to every logged-in user; editing needs MANAGE_ORGANIZATIONS;
the retention period of closed cases is set by the platform admin or the agency's own
admin (SET_CASE_RETENTION; another agency's is out of reach: 404)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ruta.agencies.models import Organization
from ruta.lib.permissions import Cap, Role, user_can

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


def get_retention_organization(
    user: AbstractBaseUser | AnonymousUser, org_uuid: Any
) -> Organization:
    """The organization whose case retention ``user`` may set: any for the platform admin,
    their own for an agency admin."""
    if not user_can(user, Cap.SET_CASE_RETENTION):
        raise Http404
    organizations = Organization.objects.all()
    if getattr(user, "role", None) != Role.ADMIN:
        own: int | None = getattr(user, "organization_id", None)
        if own is None:
            raise Http404
        organizations = organizations.filter(pk=own)
    return get_object_or_404(organizations, uuid=org_uuid)


def can_set_retention(user: AbstractBaseUser | AnonymousUser, organization: Organization) -> bool:
    if not user_can(user, Cap.SET_CASE_RETENTION):
        return False
    role = getattr(user, "role", None)
    return role == Role.ADMIN or getattr(user, "organization_id", None) == organization.pk
