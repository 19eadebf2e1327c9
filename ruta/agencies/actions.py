"""Changes to organizations, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from ruta.agencies.models import Organization
from ruta.audit.actions import record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ruta.agencies.forms import OrganizationForm, RetentionForm


@transaction.atomic
def save_organization(
    actor: Any,  # the signed-in User (accounts sits above agencies)
    form: OrganizationForm,
    request: HttpRequest | None = None,
) -> Organization:
    created = form.instance.pk is None
    changed = sorted(form.changed_data)
    organization: Organization = form.save()
    record(
        "organization.created" if created else "organization.updated",
        actor=actor,
        request=request,
        obj=organization,
        organization=organization,
        details={"fields": changed},
    )
    return organization


@transaction.atomic
def save_retention(
    actor: Any,  # the signed-in User (accounts sits above agencies)
    form: RetentionForm,
    request: HttpRequest | None = None,
) -> Organization:
    """Set how many years the organization keeps closed cases (empty: the default)."""
    organization: Organization = form.save()
    record(
        "organization.retention_changed",
        actor=actor,
        request=request,
        obj=organization,
        organization=organization,
        details={"fields": sorted(form.changed_data)},
    )
    return organization
