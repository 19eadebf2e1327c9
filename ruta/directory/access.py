"""Who sees and edits which services and locations.

Public: published data only (active services). Logged-in users:
everything published, plus drafts of their own organization. Editors: agency admins
their own organization's entries; coordinators and admins everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ruta.directory.models import Location, Service, ServiceStatus
from ruta.lib.permissions import Cap, user_can

PUBLISHED_SERVICE = Q(status=ServiceStatus.ACTIVE)


def public_services() -> QuerySet[Service]:
    return Service.objects.filter(PUBLISHED_SERVICE, organization__active=True)


def visible_services(user: Any) -> QuerySet[Service]:
    if user_can(user, Cap.MANAGE_DIRECTORY):
        return Service.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_active:
        return Service.objects.filter(PUBLISHED_SERVICE | Q(organization_id=user.organization_id))
    return public_services()


def editable_services(user: Any) -> QuerySet[Service]:
    if user_can(user, Cap.MANAGE_DIRECTORY):
        return Service.objects.all()
    if user_can(user, Cap.MANAGE_AGENCY_SERVICES):
        return Service.objects.filter(organization_id=user.organization_id)
    return Service.objects.none()


def can_edit_service(user: Any, service: Service) -> bool:
    return editable_services(user).filter(pk=service.pk).exists()


def get_visible_service(user: Any, service_uuid: Any) -> Service:
    return get_object_or_404(visible_services(user), uuid=service_uuid)


def get_editable_service(user: Any, service_uuid: Any) -> Service:
    return get_object_or_404(editable_services(user), uuid=service_uuid)


def editable_locations(user: Any) -> QuerySet[Location]:
    if user_can(user, Cap.MANAGE_DIRECTORY):
        return Location.objects.all()
    if user_can(user, Cap.MANAGE_AGENCY_SERVICES):
        return Location.objects.filter(organization_id=user.organization_id)
    return Location.objects.none()


def editable_organizations(user: Any) -> Any:
    from ruta.agencies.models import Organization

    if user_can(user, Cap.MANAGE_DIRECTORY):
        return Organization.objects.filter(active=True)
    if user_can(user, Cap.MANAGE_AGENCY_SERVICES):
        return Organization.objects.filter(pk=user.organization_id)
    return Organization.objects.none()


def visible_locations(user: Any) -> QuerySet[Location]:
    """Locations of services ``user`` may see, plus every location of their organization."""
    from django.db.models import Exists, OuterRef

    from ruta.directory.models import ServiceAtLocation

    if user_can(user, Cap.MANAGE_DIRECTORY):
        return Location.objects.all()
    used = ServiceAtLocation.objects.filter(
        location_id=OuterRef("pk"), service__in=visible_services(user)
    )
    if getattr(user, "is_authenticated", False) and user.is_active:
        return Location.objects.filter(Q(organization_id=user.organization_id) | Q(Exists(used)))
    return Location.objects.filter(Exists(used))


# --- Staff editor (appended by the editor area) ----------------------------------------


def editable_organization_ids(user: Any) -> set[int] | None:
    """Organizations whose entries ``user`` may edit: None means all, an empty set none.

    Query-free, so a list can tell row by row whether to offer "Edit".
    """
    if user_can(user, Cap.MANAGE_DIRECTORY):
        return None
    if user_can(user, Cap.MANAGE_AGENCY_SERVICES) and user.organization_id:
        return {user.organization_id}
    return set()


def may_edit_in(scope: set[int] | None, organization_id: int | None) -> bool:
    """Whether an entry of ``organization_id`` is inside ``editable_organization_ids``."""
    return scope is None or organization_id in scope


def get_editable_location(user: Any, location_uuid: Any) -> Location:
    return get_object_or_404(editable_locations(user), uuid=location_uuid)


def stale_services(
    services: QuerySet[Service], days: int | None = None, now: Any = None
) -> QuerySet[Service]:
    """Entries that need verification: not closed, never verified or verified too long ago."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    days = days if days is not None else settings.RUTA_VERIFY_DAYS
    limit = (now or timezone.now()) - timedelta(days=days)
    return services.exclude(status=ServiceStatus.CLOSED).filter(
        Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=limit)
    )
