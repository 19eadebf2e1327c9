"""Our directory models as Open Referral HSDS 3.0 objects (and the ids that tie them).

The same dictionaries feed the read API (JSON) and the tabular export (one CSV row per
flat object), so both always agree.

Ids
  HSDS ids are our UUIDs. Where HSDS has an object we keep as a field (an address, an
  accessibility note, a language, a cost option, a required document, an attribute
  link), the id is a UUID5 of ``NAMESPACE`` and the owner's UUID, so it is stable across
  requests and exports.

Synthetic taxonomies
  Modality (in person, phone, online, outreach), intake status, phone features
  (WhatsApp, free line) and the "illustrative example" flag are plain fields in our
  model. HSDS expresses such facts as ``attributes`` pointing at ``taxonomy_term``s, so
  we publish four fixed taxonomies whose ids are ``uuid5(NAMESPACE, "taxonomy:<code>")``
  and whose terms are ``uuid5(NAMESPACE, "term:<taxonomy code>:<term code>")``. They are
  served by ``/taxonomies`` and ``/taxonomy_terms`` like the stored vocabularies and the
  importer understands them, so an export imports back without loss.

Time zones
  HSDS ``schedule.timezone`` is a number (UTC offset in hours) and ``opens_at`` carries
  the offset (``08:00-05:00``). The IANA zone name of the service goes in ``notes``
  (``Time zone: America/Lima``) so the importer can restore it exactly.

Status
  active -> active, suspended -> temporarily closed, closed -> defunct, draft -> inactive
  (drafts are never published, so the last one only matters for completeness).

What an import received
  Given back wherever Ruta's own rendering did not change since the import (an edit in
  Ruta wins): ``kept``.

The parts: ``vocabulary`` (the fixed ids, statuses, days and synthetic taxonomies, also
used by the importer), ``common`` (context, helpers, terms and attributes), ``flat`` (one
flat object per row), ``compiled`` (the fully nested objects) and ``kept`` (what an
import received, laid over them).
"""

from __future__ import annotations

from ruta.hsds.mapping.common import (
    Context,
    alternate,
    area_label,
    attribute_dict,
    compact,
    iso_datetime,
    language_name,
    or_none,
    phone_attributes,
    service_attributes,
    service_terms,
    taxonomy_dict,
    taxonomy_label,
    term_dict,
    text,
)
from ruta.hsds.mapping.compiled import (
    location_full,
    organization_full,
    sal_full,
    sal_list_dict,
    service_full,
)
from ruta.hsds.mapping.flat import (
    accessibility_dict,
    address_dict,
    always_open_dict,
    cost_option_dicts,
    fees_description,
    language_dicts,
    location_dict,
    organization_dict,
    organization_uri,
    phone_dict,
    phrases,
    required_document_dicts,
    sal_dict,
    schedule_dict,
    schedules,
    service_alert,
    service_area_dict,
    service_list_dict,
    service_minimal_dict,
)
from ruta.hsds.mapping.vocabulary import (
    ALL_DAYS,
    BYDAY,
    DAY_FROM_BYDAY,
    FLAG,
    HSDS_PROFILE,
    HSDS_TO_STATUS,
    HSDS_VERSION,
    INTAKE,
    LANGUAGES,
    MODALITY,
    MODALITY_FIELDS,
    NAMESPACE,
    PHONE_FEATURE,
    STATUS_TO_HSDS,
    VIRTUAL_TAXONOMIES,
    VIRTUAL_TAXONOMY_IDS,
    VIRTUAL_TERMS,
    VirtualTaxonomy,
    VirtualTerm,
    offset_suffix,
    synthetic_id,
    utc_offset,
    virtual_term,
)

__all__ = [
    "ALL_DAYS",
    "BYDAY",
    "DAY_FROM_BYDAY",
    "FLAG",
    "HSDS_PROFILE",
    "HSDS_TO_STATUS",
    "HSDS_VERSION",
    "INTAKE",
    "LANGUAGES",
    "MODALITY",
    "MODALITY_FIELDS",
    "NAMESPACE",
    "PHONE_FEATURE",
    "STATUS_TO_HSDS",
    "VIRTUAL_TAXONOMIES",
    "VIRTUAL_TAXONOMY_IDS",
    "VIRTUAL_TERMS",
    "Context",
    "VirtualTaxonomy",
    "VirtualTerm",
    "accessibility_dict",
    "address_dict",
    "alternate",
    "always_open_dict",
    "area_label",
    "attribute_dict",
    "compact",
    "cost_option_dicts",
    "fees_description",
    "iso_datetime",
    "language_dicts",
    "language_name",
    "location_dict",
    "location_full",
    "offset_suffix",
    "or_none",
    "organization_dict",
    "organization_full",
    "organization_uri",
    "phone_attributes",
    "phone_dict",
    "phrases",
    "required_document_dicts",
    "sal_dict",
    "sal_full",
    "sal_list_dict",
    "schedule_dict",
    "schedules",
    "service_alert",
    "service_area_dict",
    "service_attributes",
    "service_full",
    "service_list_dict",
    "service_minimal_dict",
    "service_terms",
    "synthetic_id",
    "taxonomy_dict",
    "taxonomy_label",
    "term_dict",
    "text",
    "utc_offset",
    "virtual_term",
]
