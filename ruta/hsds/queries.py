"""What the HSDS API and export publish, with the prefetches that keep query counts fixed.

Only published data leaves through here: ``access.public_services()`` (active services
of active organizations), the locations those services use, active organizations, and
every taxonomy and term.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from ruta.agencies.models import Organization
from ruta.directory.access import public_services
from ruta.directory.models import (
    Location,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from ruta.directory.search_index import contains, indexed_texts
from ruta.hsds.mapping.vocabulary import (
    FLAG,
    INTAKE,
    MODALITY,
    PHONE_FEATURE,
    VIRTUAL_TAXONOMY_IDS,
    VIRTUAL_TERMS,
)
from ruta.hsds.models import KeptRecord
from ruta.lib.text import query_words

TERMS = TaxonomyTerm.objects.select_related("taxonomy", "parent")
# Columns HSDS never shows: not read (search_text is the largest column of a service).
UNUSED = ("search_text", "stale_reminded_at", "created_at", "last_verified_by")
UNUSED_ORGANIZATION = ("countries", "created_at", "updated_at", "type")
LOCATIONS = Location.objects.select_related("organization", "admin1", "admin2")


def published_services() -> QuerySet[Service]:
    return (
        public_services()
        .select_related("organization")
        .defer(*UNUSED, *(f"organization__{name}" for name in UNUSED_ORGANIZATION))
        .order_by("name_es", "pk")
    )


def with_kept(services: QuerySet[Service]) -> QuerySet[Service]:
    """Prefetch what the import received for a list of services (``mapping.kept``)."""
    return services.prefetch_related("kept_records", "organization__kept_records")


def with_full_service(
    services: QuerySet[Any], prefix: str = "", *, kept: bool = True
) -> QuerySet[Any]:
    """Prefetch everything a fully nested service shows: one query per relation.

    ``kept=False``: not what the import received, for rendering Ruta's data alone
    (``Context(kept=False)``), which never reads it."""
    if not kept:
        return services.prefetch_related(*_full_service_relations(prefix))
    return services.prefetch_related(
        *_full_service_relations(prefix),
        # What the import received, given back where Ruta did not change it (mapping.kept).
        f"{prefix}kept_records",
        f"{prefix}organization__kept_records",
        f"{prefix}service_at_locations__location__kept_records",
    )


def _full_service_relations(prefix: str) -> tuple[Any, ...]:
    return (
        f"{prefix}phones",
        f"{prefix}schedules",
        Prefetch(f"{prefix}terms", queryset=TERMS),
        Prefetch(f"{prefix}service_areas", queryset=ServiceArea.objects.select_related("area")),
        Prefetch(
            f"{prefix}service_at_locations",
            queryset=ServiceAtLocation.objects.select_related(
                "location",
                "location__organization",
                "location__admin1",
                "location__admin2",
            ),
        ),
    )


def published_locations() -> QuerySet[Location]:
    used = ServiceAtLocation.objects.filter(
        location_id=OuterRef("pk"), service__in=public_services()
    )
    return LOCATIONS.filter(Exists(used)).prefetch_related("kept_records")


def published_organizations() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(active=True)
        .order_by("name", "pk")
        .prefetch_related("kept_records")
    )


def unowned_records() -> QuerySet[KeptRecord]:
    """What the import kept that belongs to no service, location or organization:
    taxonomies and terms of the file's own, table descriptions ..."""
    return KeptRecord.objects.filter(
        service__isnull=True, location__isnull=True, organization__isnull=True
    ).order_by("position", "pk")


def with_full_organization(
    organizations: QuerySet[Organization], *, full_service: bool
) -> QuerySet[Organization]:
    services = published_services()
    if full_service:
        services = with_full_service(services)
    return organizations.prefetch_related(
        Prefetch("services", queryset=services, to_attr="hsds_services"),
        Prefetch(
            "locations",
            queryset=published_locations().order_by("name", "pk"),
            to_attr="hsds_locations",
        ),
    )


def published_service_at_locations() -> QuerySet[ServiceAtLocation]:
    return (
        ServiceAtLocation.objects.filter(service__in=public_services())
        .select_related(
            "service",
            "service__organization",
            "location",
            "location__organization",
            "location__admin1",
            "location__admin2",
        )
        .defer(
            *(f"service__{name}" for name in UNUSED),
            *(f"service__organization__{name}" for name in UNUSED_ORGANIZATION),
        )
        .prefetch_related(
            "service__kept_records",
            "service__organization__kept_records",
            "location__kept_records",
        )
        .order_by("service__name_es", "location__name", "pk")
    )


def all_taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("code", "pk")


def all_terms() -> QuerySet[TaxonomyTerm]:
    return TERMS.order_by("taxonomy__code", "position", "code", "pk")


# --- Filters (the HSDS query parameters) ----------------------------------------------


def search_services(services: QuerySet[Any], text: str, prefix: str = "") -> QuerySet[Any]:
    """Accent- and case-insensitive: every folded word must appear in search_text. Like
    the finder, a selective word is looked up in the text index (``search_index``)."""
    words = query_words(text)
    indexed = indexed_texts(words)
    for word in words:
        services = services.filter(contains(word, indexed, prefix))
    return services


def _outer(prefix: str) -> str:
    """The outer query's service id: ``pk`` on services, ``service_id`` on links."""
    return "service_id" if prefix else "pk"


def _service_has_term(term_id: uuid.UUID, prefix: str) -> Q:
    """Services (or links, through ``prefix``) carrying the stored or synthetic term."""
    virtual = VIRTUAL_TERMS.get(term_id)
    if virtual is None:
        through = Service.terms.through
        return Q(
            Exists(
                through.objects.filter(
                    service_id=OuterRef(_outer(prefix)), taxonomyterm__uuid=term_id
                )
            )
        )
    if virtual.taxonomy_code == MODALITY:
        return Q(**{f"{prefix}{virtual.code}": True})
    if virtual.taxonomy_code == INTAKE:
        return Q(**{f"{prefix}intake_status": virtual.code})
    if virtual.taxonomy_code == FLAG:
        return Q(**{f"{prefix}illustrative": True})
    phones = Phone.objects.filter(service_id=OuterRef(_outer(prefix)), **{virtual.code: True})
    return Q(Exists(phones))


def _service_in_taxonomy(taxonomy_id: uuid.UUID, prefix: str) -> Q:
    virtual = VIRTUAL_TAXONOMY_IDS.get(taxonomy_id)
    if virtual is None:
        through = Service.terms.through
        return Q(
            Exists(
                through.objects.filter(
                    service_id=OuterRef(_outer(prefix)), taxonomyterm__taxonomy__uuid=taxonomy_id
                )
            )
        )
    if virtual.code in (MODALITY, INTAKE):  # every service has a modality and an intake
        return Q()
    if virtual.code == FLAG:
        return Q(**{f"{prefix}illustrative": True})
    assert virtual.code == PHONE_FEATURE
    phones = Phone.objects.filter(service_id=OuterRef(_outer(prefix))).filter(
        Q(whatsapp=True) | Q(free_line=True)
    )
    return Q(Exists(phones))


def filter_services(
    services: QuerySet[Any],
    *,
    search: str = "",
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    modified_after: datetime | None = None,
    prefix: str = "",
) -> QuerySet[Any]:
    """The HSDS service filters; ``prefix`` ("service__") applies them to links."""
    services = search_services(services, search, prefix)
    if taxonomy_term_id is not None:
        services = services.filter(_service_has_term(taxonomy_term_id, prefix))
    if taxonomy_id is not None:
        services = services.filter(_service_in_taxonomy(taxonomy_id, prefix))
    if organization_id is not None:
        services = services.filter(**{f"{prefix}organization__uuid": organization_id})
    if modified_after is not None:
        moved_location = ServiceAtLocation.objects.filter(
            service_id=OuterRef(_outer(prefix)), location__updated_at__gte=modified_after
        )
        services = services.filter(
            Q(**{f"{prefix}updated_at__gte": modified_after}) | Q(Exists(moved_location))
        )
    return services
