"""Every change to a referral pathway: its metadata, rows, cells, status and verification;
each one audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.directory.models import Service, TaxonomyTerm
from ruta.pathways.models import CellRole, Pathway, PathwayCell, PathwayStatus


class PathwayError(Exception):
    """A refused pathway change; the message is translated and safe to show."""


@transaction.atomic
def save_pathway(
    actor: Any, pathway: Pathway, *, changed: Iterable[str] = (), request: Any = None
) -> Pathway:
    """Persist a new or edited pathway (already validated); audit which fields changed."""
    created = pathway.pk is None
    pathway.save()
    fields = sorted(set(changed))
    if created or fields:
        record(
            "pathway.created" if created else "pathway.updated",
            actor=actor,
            request=request,
            obj=pathway,
            details={"fields": fields},
        )
    return pathway


@transaction.atomic
def add_pathway_organization(
    actor: Any, pathway: Pathway, organization: Any, request: Any = None
) -> None:
    """Add an organization as a row of the pathway's matrix."""
    if not organization.active:
        raise PathwayError(_("Only active organizations can be added to a pathway."))
    pathway.organizations.add(organization)
    Pathway.objects.filter(pk=pathway.pk).update(updated_at=timezone.now())
    record(
        "pathway.row_added",
        actor=actor,
        request=request,
        obj=pathway,
        details={"organization": str(organization.uuid)},
    )


@transaction.atomic
def remove_pathway_organization(
    actor: Any, pathway: Pathway, organization: Any, request: Any = None
) -> int:
    """Remove an organization's row and every cell in it; return how many cells went."""
    _total, per_model = PathwayCell.objects.filter(
        pathway=pathway, organization=organization
    ).delete()
    cells = per_model.get(PathwayCell._meta.label, 0)
    pathway.organizations.remove(organization)
    Pathway.objects.filter(pk=pathway.pk).update(updated_at=timezone.now())
    record(
        "pathway.row_removed",
        actor=actor,
        request=request,
        obj=pathway,
        details={"organization": str(organization.uuid), "cells": cells},
    )
    return cells


@transaction.atomic
def set_pathway_cell(
    actor: Any,
    pathway: Pathway,
    organization: Any,
    profile: TaxonomyTerm,
    role: int | None,
    services: Iterable[Service] = (),
    request: Any = None,
) -> PathwayCell | None:
    """Mark an organization-by-profile cell as entry point (1), onward service (2) or none."""
    if profile.taxonomy.code != "population":
        raise PathwayError(_("Pathway columns are population profiles."))
    services = list(services)
    if any(service.organization_id != organization.pk for service in services):
        raise PathwayError(_("A cell can only point at services of its own organization."))
    cell = PathwayCell.objects.filter(
        pathway=pathway, organization=organization, profile=profile
    ).first()
    if role is None:
        if cell is not None:
            cell.delete()
        cell = None
    else:
        if role not in CellRole.values:
            raise PathwayError(_("Unknown role for a pathway cell."))
        if cell is None:
            cell = PathwayCell.objects.create(
                pathway=pathway, organization=organization, profile=profile, role=role
            )
        else:
            cell.role = role
            cell.save(update_fields=["role"])
        cell.services.set(services)
    pathway.organizations.add(organization)
    Pathway.objects.filter(pk=pathway.pk).update(updated_at=timezone.now())
    record(
        "pathway.cell_set",
        actor=actor,
        request=request,
        obj=pathway,
        details={
            "organization": str(organization.uuid),
            "profile": profile.code,
            "role": role,
            "services": [str(s.uuid) for s in services],
        },
    )
    return cell


@transaction.atomic
def set_pathway_status(actor: Any, pathway: Pathway, status: str, request: Any = None) -> Pathway:
    if status not in PathwayStatus.values:
        raise PathwayError(_("Unknown status."))
    previous = pathway.status
    pathway.status = status
    pathway.save(update_fields=["status", "updated_at"])
    record(
        "pathway.status_changed",
        actor=actor,
        request=request,
        obj=pathway,
        details={"from": previous, "to": status},
    )
    return pathway


@transaction.atomic
def verify_pathway(actor: Any, pathway: Pathway, request: Any = None) -> Pathway:
    pathway.verified_at = timezone.now()
    pathway.verified_by = actor
    pathway.save(update_fields=["verified_at", "verified_by", "updated_at"])
    record("pathway.verified", actor=actor, request=request, obj=pathway)
    return pathway
