"""Planning the organizations the file creates and the locations it creates or updates."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from ruta.hsds.importer.fields import copied
from ruta.hsds.importer.index import Index
from ruta.hsds.importer.plan import LocationPlan, OrganizationPlan, Plan
from ruta.hsds.importer.records import Record
from ruta.lib.text import fold

ACRONYM_LENGTH = 30


def plan_organizations(ix: Index, plan: Plan) -> None:
    for org_id, rec in ix.orgs.items():
        if org_id in ix.db_orgs:
            continue
        name = rec.clean.get("name", "")
        if fold(name) in ix.org_names:
            ix.report.error(
                rec,
                "name",
                _("An organization with this name already exists with another id."),
            )
            continue
        ix.org_names[fold(name)] = org_id  # two new organizations cannot share a name
        fields = copied("organization", rec.clean)
        # Ruta's acronym is short; a longer alternate name is kept as received.
        alternate = rec.clean.get("alternate_name") or ""
        fields["acronym"] = alternate if len(alternate) <= ACRONYM_LENGTH else ""
        plan.organizations.append(OrganizationPlan(org_id, fields))


def plan_locations(ix: Index, plan: Plan) -> None:
    addresses = _by_location(ix, "address")
    notes: dict[uuid.UUID, list[str]] = defaultdict(list)
    for target, records in _by_location(ix, "accessibility").items():
        for rec in records:
            text = "; ".join(
                v for v in (rec.clean.get("description"), rec.clean.get("details")) if v
            )
            if text:
                notes[target].append(text)
    first_service_org, orphaned = _organizations_from_services(ix)
    for location_id, rec in ix.locations.items():
        if "organization_id" in rec.blocked:
            continue  # its organization was rejected: counted there
        org_id = rec.clean.get("organization_id")
        existing = ix.db_locations.get(location_id)
        known = existing.organization.uuid if existing else first_service_org.get(location_id)
        if org_id is not None and not ix.organization_known(org_id):
            if known is None:
                ix.report.error(rec, "organization_id", _("Unknown organization."))
                continue
            # HSDS allows a reference to an organization published elsewhere: the
            # location stays with the organization Ruta knows for it.
            ix.report.warn(
                rec,
                "organization_id",
                _(
                    "Unknown organization %(id)s: the location is kept with the organization "
                    "of its service."
                )
                % {"id": org_id},
            )
            org_id = None
        org_id = org_id or (existing.organization.uuid if existing else None)
        org_id = org_id or first_service_org.get(location_id)
        if org_id is None and location_id in orphaned:
            parent = orphaned[location_id]
            if parent is not None:
                rec.block("organization_id", parent)
            continue  # its organization would come from a rejected service
        if org_id is None:
            ix.report.error(rec, "organization_id", _("A location needs an organization_id."))
            continue
        fields = _location_fields(ix, rec, addresses.get(location_id, []), notes[location_id])
        if fields is not None:
            plan.locations.append(
                LocationPlan(location_id, org_id, fields, exists=existing is not None)
            )


def _by_location(ix: Index, table: str) -> dict[uuid.UUID, list[Record]]:
    """The file's addresses (or accessibility notes) by location; unknown ones reported."""
    found: dict[uuid.UUID, list[Record]] = defaultdict(list)
    for rec in ix.tables.get(table, []):
        target = rec.clean.get("location_id")
        if target is None:
            continue
        if target not in ix.locations:
            ix.report.error(rec, "location_id", _("Unknown location."))
            continue
        found[target].append(rec)
    return found


def _organizations_from_services(
    ix: Index,
) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, Record | None]]:
    """The organization of the first service at each location, and the locations linked
    to a rejected service (whose organization may have been that service's)."""
    first_service_org: dict[uuid.UUID, uuid.UUID] = {}
    orphaned: dict[uuid.UUID, Record | None] = {}
    for rec in ix.tables.get("service_at_location", []):
        service = ix.services.get(rec.clean.get("service_id"))  # type: ignore[arg-type]
        location_id = rec.clean.get("location_id")
        if service is not None and location_id and service.clean.get("organization_id"):
            first_service_org.setdefault(location_id, service.clean["organization_id"])
        elif location_id and ("service_id" in rec.blocked or "service_id" in rec.inherited):
            orphaned.setdefault(location_id, rec.blocked.get("service_id"))
    return first_service_org, orphaned


def _location_fields(
    ix: Index, rec: Record, addresses: list[Record], notes: list[str]
) -> dict[str, Any] | None:
    fields: dict[str, Any] = {
        **copied("location", rec.clean),
        "address": "",
        "city": "",
        "postal_code": "",
        "admin1": None,
        "admin2": None,
    }
    addresses.sort(key=lambda a: a.clean.get("address_type") != "physical")
    if addresses:
        address_fields = _address_fields(ix, addresses[0])
        if address_fields is None:
            return None
        fields.update(address_fields)
    name = rec.clean.get("name") or fields["address"] or fields["city"] or _("Location")
    fields["name"] = name[:200]
    accessibility = "; ".join(notes)
    if len(accessibility) > 300:
        ix.report.error(
            rec,
            "accessibility",
            _("The accessibility notes are too long (at most 300 characters)."),
        )
        return None
    fields["accessibility"] = accessibility
    return fields


def _address_fields(ix: Index, address: Record) -> dict[str, Any] | None:
    """The location fields one address gives (None, and an error, when it does not fit)."""
    line = ", ".join(
        v for v in (address.clean.get("address_1"), address.clean.get("address_2")) if v
    )
    if len(line) > 300:
        ix.report.error(
            address, "address_1", _("The address is too long (at most 300 characters).")
        )
        return None
    country = address.clean.get("country", "PE")
    admin1 = ix.area(country, address.clean.get("state_province", ""), level=1)
    if address.clean.get("state_province") and admin1 is None:
        ix.report.warn(
            address,
            "state_province",
            _("No region or province of %(country)s is called “%(name)s”; left empty.")
            % {"country": country, "name": address.clean["state_province"]},
        )
    admin2 = ix.area(country, address.clean.get("region", ""), level=2)
    return {
        "address": line,
        "city": address.clean.get("city", ""),
        "postal_code": address.clean.get("postal_code", ""),
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
    }
