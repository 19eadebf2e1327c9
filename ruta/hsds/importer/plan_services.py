"""Planning the services: each service's rows gathered from every table, then checked."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from ruta.directory.models import Phone, ServiceAtLocation
from ruta.hsds.importer.index import Index
from ruta.hsds.importer.plan import Plan, by_uuid
from ruta.hsds.importer.records import Progress, Record
from ruta.hsds.importer.service_fields import service_plan

# The tables whose rows belong to one service (directly or through a service_at_location).
SERVICE_TABLES = (
    "phone",
    "schedule",
    "service_area",
    "language",
    "cost_option",
    "required_document",
)

Children = dict[str, dict[uuid.UUID, list[Record]]]

# The array of a JSON service that holds the rows of each table.
LIST_KEYS = {
    "phone": "phones",
    "schedule": "schedules",
    "service_area": "service_areas",
    "language": "languages",
    "cost_option": "cost_options",
    "required_document": "required_documents",
    "service_at_location": "service_at_locations",
    "attribute": "attributes",
}


def given_tables(ix: Index, rec: Record, found: dict[str, bool]) -> set[str]:
    """The tables the file gives for one service. Absent is not empty: a table the file
    does not give (no CSV file; no array in the JSON service, no row pointing at it)
    leaves what the service has; a given one, even empty, replaces it."""
    given = {table for table, any_row in found.items() if any_row}
    for table, key in LIST_KEYS.items():
        if key in rec.lists or (ix.csv_tables is not None and table in ix.csv_tables):
            given.add(table)
    return given


def plan_services(ix: Index, plan: Plan, progress: Progress) -> None:
    by_service: Children = {table: defaultdict(list) for table in SERVICE_TABLES}
    for table in by_service:
        for rec in ix.tables.get(table, []):
            target = _service_of(ix, rec)
            if target is not None:
                by_service[table][target].append(rec)
    links = _links(ix)
    attributes, phone_attributes = _attributes(ix)
    total = max(1, len(ix.services))
    for index, (service_id, rec) in enumerate(ix.services.items()):
        children = {table: by_service[table].get(service_id, []) for table in by_service}
        own_links = links.get(service_id, [])
        own_attributes = attributes.get(service_id, [])
        rows = {
            **{table: bool(records) for table, records in children.items()},
            "service_at_location": bool(own_links),
            "attribute": bool(own_attributes),
        }
        found = service_plan(
            ix,
            rec,
            children,
            own_links,
            own_attributes,
            phone_attributes,
            given_tables(ix, rec, rows),
        )
        if found is not None:
            plan.services.append(found)
        if index % 200 == 0:
            progress(50 + 10 * index // total)


def _links(ix: Index) -> dict[uuid.UUID, list[Record]]:
    """The file's service_at_locations by service (the unknown or taken ones reported)."""
    links: dict[uuid.UUID, list[Record]] = defaultdict(list)
    for rec in ix.links.values():
        service_id = rec.clean.get("service_id")
        location_id = rec.clean.get("location_id")
        if service_id is None or location_id is None:
            if "service_id" in rec.blocked and location_id is not None:
                ix.check_location(rec, location_id)
            continue
        if service_id not in ix.services:
            ix.report.error(rec, "service_id", _("Unknown service: it is not in the file."))
            continue
        if not ix.check_location(rec, location_id):
            continue
        if ix.taken(ServiceAtLocation, rec, service_id):
            continue
        links[service_id].append(rec)
    return links


def _attributes(
    ix: Index,
) -> tuple[dict[uuid.UUID, list[tuple[Record, Any]]], dict[uuid.UUID, list[Any]]]:
    """The terms of each service (with their attribute) and of each phone."""
    attributes: dict[uuid.UUID, list[tuple[Record, Any]]] = defaultdict(list)
    phone_attributes: dict[uuid.UUID, list[Any]] = defaultdict(list)
    records = ix.tables.get("attribute", [])
    phones_elsewhere = {
        rec.clean.get("link_id")
        for rec in records
        if rec.clean.get("link_entity") == "phone" and rec.clean.get("link_id") not in ix.phone_recs
    }
    stored_phones = set(by_uuid(Phone, {p for p in phones_elsewhere if p is not None}))
    for rec in records:
        owner: uuid.UUID | None = rec.clean.get("link_id")
        entity: str = rec.clean.get("link_entity", "")
        if owner is None or rec.clean.get("taxonomy_term_id") is None:
            term_id = rec.clean.get("taxonomy_term_id")
            if "link_id" in rec.blocked and term_id is not None and ix.term(term_id) is None:
                ix.unknown_term(rec)  # wrong whatever its owner
            continue
        if entity not in ("service", "phone"):
            continue  # kept as received with what it describes
        known = ix.services if entity == "service" else ix.phone_recs
        if owner in stored_phones:
            # The file does not give that phone (no phones table): it keeps its features.
            ix.report.warn(
                rec, "link_id", _("The phone is not in the file; its attribute is not imported.")
            )
            continue
        if owner not in known:
            ix.report.error(
                rec,
                "link_id",
                _("Unknown %(entity)s: it is not in the file.") % {"entity": entity},
            )
            continue
        term = ix.term(rec.clean["taxonomy_term_id"])
        if term is None and rec.clean["taxonomy_term_id"] in ix.file_terms:
            continue  # a term of the file's own taxonomy: kept as received, with the term
        if term is None:
            ix.unknown_term(rec)
            continue
        if entity == "service":
            attributes[owner].append((rec, term))
        else:
            phone_attributes[owner].append(term)
    return attributes, phone_attributes


def _service_of(ix: Index, rec: Record) -> uuid.UUID | None:
    """The file's service a phone, schedule ... belongs to (None: skip it)."""
    service_id: uuid.UUID | None = rec.clean.get("service_id")
    link_id = rec.clean.get("service_at_location_id")
    if "service_id" in rec.blocked or "service_at_location_id" in rec.blocked:
        return None  # counted on the rejected record it refers to
    if service_id is not None:
        if service_id not in ix.services:
            ix.report.error(rec, "service_id", _("Unknown service: it is not in the file."))
            return None
        return service_id
    if link_id is not None:
        link = ix.links.get(link_id)
        if link is not None and link.clean.get("service_id") not in ix.services:
            # The service_at_location is in the file but was rejected (or its service
            # was): count this row there rather than call the link unknown.
            if "service_at_location_id" not in rec.inherited:
                rec.block("service_at_location_id", link.blocked.get("service_id", link))
            return None
        if link is None:
            ix.report.error(
                rec,
                "service_at_location_id",
                _("Unknown service_at_location: it is not in the file."),
            )
            return None
        linked: uuid.UUID = link.clean["service_id"]
        return linked
    if "service_id" in rec.inherited or rec.table == "cost_option":
        return None  # reported on the parent, or as a required field
    if any(rec.clean.get(name) for name in ("location_id", "organization_id", "contact_id")):
        return None  # kept as received with its location, organization or contact
    if rec.clean.get("phone_id"):
        return None  # a phone's language: kept as received with its phone
    ix.report.warn(rec, "service_id", _("Not linked to a service; not imported."))
    return None
