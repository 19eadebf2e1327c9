"""Who reads and who changes indicators, values and projects (deny by default).

- Reading (``Cap.VIEW_REACH``): the coordinator and analysts the whole network's figures
  and projects; agency admins and supervisors their own organization's.
- Editing a framework's indicators (``Cap.MANAGE_INDICATORS``): the coordinator.
- Projects and values entered by hand (``Cap.MANAGE_PROJECTS``): the coordinator for any
  organization (and values for the whole network), an agency admin for their own.

A project or value the reader may not see answers 404, as everything else in Ruta.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from ruta.indicators.models import IndicatorValue, Project
from ruta.lib.permissions import Cap, Role, user_can
from ruta.measure.access import organization_scope

if TYPE_CHECKING:
    from ruta.accounts.models import User


def can_read(user: User) -> bool:
    return user_can(user, Cap.VIEW_REACH)


def visible_projects(user: User) -> QuerySet[Project]:
    scope = organization_scope(user)
    found = Project.objects.select_related("organization")
    if scope is None:
        return found
    return found.filter(organization_id__in=scope)


def managed_organizations(user: User) -> frozenset[int] | None:
    """The organizations whose projects and values ``user`` may change; None for all."""
    if not user_can(user, Cap.MANAGE_PROJECTS):
        return frozenset()
    if user.role == Role.COORDINATOR:
        return None
    return frozenset({user.organization_id}) if user.organization_id else frozenset()


def editable_projects(user: User) -> QuerySet[Project]:
    scope = managed_organizations(user)
    found = Project.objects.select_related("organization")
    if scope is None:
        return found
    return found.filter(organization_id__in=scope)


def visible_values(user: User) -> QuerySet[IndicatorValue]:
    """Values entered by hand: a network reader sees all, others their organization's
    (and the network-wide values, which are figures for everybody in the network)."""
    scope = organization_scope(user)
    found = IndicatorValue.objects.select_related("indicator", "organization")
    if scope is None:
        return found
    return found.filter(Q(organization_id__in=scope) | Q(organization__isnull=True))


def can_enter_network_values(user: User) -> bool:
    return managed_organizations(user) is None and user_can(user, Cap.MANAGE_PROJECTS)
