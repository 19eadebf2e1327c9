"""Who sees and edits which referral pathways.

Public: published pathways only. Logged-in users: every pathway that is not archived.
Those with ``Cap.MANAGE_PATHWAYS`` (the network's stewards): everything, and they edit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ruta.lib.permissions import Cap, user_can
from ruta.pathways.models import CellRole, Pathway, PathwayCell, PathwayStatus


def visible_pathways(user: Any) -> QuerySet[Pathway]:
    if user_can(user, Cap.MANAGE_PATHWAYS):
        return Pathway.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_active:
        return Pathway.objects.exclude(status=PathwayStatus.ARCHIVED)
    return Pathway.objects.filter(status=PathwayStatus.PUBLISHED)


def get_visible_pathway(user: Any, pathway_uuid: Any) -> Pathway:
    return get_object_or_404(visible_pathways(user), uuid=pathway_uuid)


def get_editable_pathway(user: Any, pathway_uuid: Any) -> Pathway:
    if not user_can(user, Cap.MANAGE_PATHWAYS):
        raise Http404
    return get_object_or_404(Pathway, uuid=pathway_uuid)


def entry_point_service_ids(profile: str) -> set[int]:
    """Services that published pathways list as entry points for ``profile`` (any if empty)."""
    cells = PathwayCell.objects.filter(role=CellRole.ENTRY, pathway__status=PathwayStatus.PUBLISHED)
    if profile:
        cells = cells.filter(profile__code=profile)
    return set(cells.values_list("services", flat=True)) - {None}
