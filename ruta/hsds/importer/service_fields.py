"""One service's plan: its own fields and the rows of the tables that belong to it."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from ruta.directory.models import IntakeStatus, Phone, Service, ServiceArea, TaxonomyTerm
from ruta.hsds.importer.fields import copied
from ruta.hsds.importer.index import Index
from ruta.hsds.importer.plan import ServicePlan
from ruta.hsds.importer.records import Record
from ruta.hsds.importer.schedules import holidays_note, plan_schedules
from ruta.hsds.mapping.vocabulary import (
    FLAG,
    HSDS_TO_STATUS,
    INTAKE,
    MODALITY,
    MODALITY_FIELDS,
    PHONE_FEATURE,
    VirtualTerm,
)
from ruta.lib.clock import local_date, local_noon
from ruta.lib.text import fold
from ruta.places.models import AdminArea

# The tables whose rows belong to a service, each kept when the file does not give it.
NESTED_TABLES = (
    "phone",
    "schedule",
    "service_area",
    "language",
    "cost_option",
    "required_document",
    "service_at_location",
    "attribute",
)
FREE_WORDS = {"free", "free of charge", "gratuito", "gratuita", "gratis", "sin costo", "0"}
AREA_CODE_RE = re.compile(r"\b([A-Z]{2}-[A-Z0-9]{1,3})\b")
PCODE_RE = re.compile(r"P-code:\s*(\S+)")


def service_plan(
    ix: Index,
    rec: Record,
    children: dict[str, list[Record]],
    links: list[Record],
    attributes: list[tuple[Record, Any]],
    phone_attributes: dict[uuid.UUID, list[Any]],
    given: set[str] | None = None,
) -> ServicePlan | None:
    """The plan of one service, or None when it (or a row of it) has an error.

    ``given``: the tables the file gives for the service; an existing service keeps
    the rows (and the fields drawn from them) of every other table."""
    clean = rec.clean
    service_id = rec.id
    org_id = clean.get("organization_id")
    if service_id is None or org_id is None or "status" not in clean or "name" not in clean:
        return None
    if not ix.organization_known(org_id):
        ix.report.error(
            rec,
            "organization_id",
            _("Unknown organization: it is neither in the file nor in Ruta."),
        )
        return None
    errors_before = len(ix.report.errors)
    existing = ix.db_services.get(service_id)
    kept = set() if existing is None or given is None else set(NESTED_TABLES) - given
    fields = _own_fields(ix, rec, children, kept)
    terms = None if "attribute" in kept else _terms(ix, attributes, fields, existing)
    phones = None
    if "phone" not in kept:
        phones = _phones(ix, children["phone"], service_id, phone_attributes)
    schedules, zone = None, ""
    if "schedule" not in kept:
        schedules, always_open, zone = plan_schedules(
            ix, children["schedule"], service_id, existing
        )
        fields["open_24_7"] = always_open
        fields["holidays_note"] = holidays_note(children["schedule"])
        if zone:
            fields["timezone"] = zone
    _verified(clean, fields, zone, existing)
    areas = None if "service_area" in kept else _areas(ix, children["service_area"], service_id)
    plan_links = None
    if "service_at_location" not in kept:
        plan_links = [
            {
                "uuid": link.id,
                "location": link.clean["location_id"],
                "description": link.clean.get("description", ""),
            }
            for link in links
        ]
    if len(ix.report.errors) > errors_before:
        return None
    return ServicePlan(
        rec,
        service_id,
        org_id,
        fields,
        terms=terms,
        phones=phones,
        schedules=schedules,
        links=plan_links,
        areas=areas,
        exists=existing is not None,
    )


def _own_fields(
    ix: Index, rec: Record, children: dict[str, list[Record]], kept: set[str]
) -> dict[str, Any]:
    """The service's fields from its own record, its costs, documents and languages
    (those drawn from a ``kept`` table are left as they are)."""
    clean = rec.clean
    low, high = clean.get("minimum_age"), clean.get("maximum_age")
    if low is not None and high is not None and low > high:
        ix.report.error(rec, "maximum_age", _("The maximum age must not be below the minimum age."))
    fields: dict[str, Any] = {
        **copied("service", clean),
        "status": HSDS_TO_STATUS[clean["status"]],
    }
    if "attribute" not in kept:  # the intake and flag terms are attributes
        fields.update(
            {"intake_status": IntakeStatus.ACCEPTING, "intake_reason": "", "illustrative": False}
        )
    if "cost_option" not in kept or {"fees", "fees_description"} & set(rec.given()):
        _costs(ix, rec, children["cost_option"], fields)
    if "required_document" not in kept:
        documents = [d.clean.get("document", "") for d in children["required_document"]]
        documents = [d for d in documents if d]
        fields["documents_required"] = bool(documents)
        fields["required_documents"] = "; ".join(documents)
        if len(fields["required_documents"]) > 300:
            ix.report.error(
                rec,
                "required_documents",
                _("The required documents are too long (at most 300 characters together)."),
            )
    if "language" not in kept:
        fields["languages"] = _languages(ix, children["language"])
    return fields


def _terms(
    ix: Index, attributes: list[tuple[Record, Any]], fields: dict[str, Any], existing: Any
) -> list[int]:
    """The stored terms of the service; the synthetic ones set its modality, intake, flag."""
    terms: list[int] = []
    modality: set[str] = set()
    for attribute, term in attributes:
        if isinstance(term, TaxonomyTerm):
            terms.append(term.pk)
        elif term.taxonomy_code == MODALITY:
            modality.add(term.code)
        elif term.taxonomy_code == INTAKE:
            fields["intake_status"] = term.code
            reason = attribute.clean.get("value", "") or ""
            if len(reason) > 300:
                ix.report.error(
                    attribute,
                    "value",
                    _("Must have at most %(count)s characters (it has %(length)s).")
                    % {"count": 300, "length": len(reason)},
                )
            fields["intake_reason"] = reason
        elif term.taxonomy_code == FLAG:
            fields["illustrative"] = True
    if modality:
        fields.update({name: name in modality for name in MODALITY_FIELDS})
    elif existing is None:
        fields["in_person"] = True
    return sorted(set(terms))


def _phones(
    ix: Index,
    records: list[Record],
    service_id: uuid.UUID,
    phone_attributes: dict[uuid.UUID, list[Any]],
) -> list[dict[str, Any]]:
    phones = []
    for phone in records:
        if ix.taken(Phone, phone, service_id):
            continue
        features = {
            t.code
            for t in (phone_attributes.get(phone.id, []) if phone.id else [])
            if isinstance(t, VirtualTerm) and t.taxonomy_code == PHONE_FEATURE
        }
        extension = phone.clean.get("extension")
        phones.append(
            {
                "uuid": phone.id,
                "number": phone.clean.get("number", ""),
                "extension": "" if extension is None else str(extension)[:10],
                "description": phone.clean.get("description", ""),
                "whatsapp": "whatsapp" in features,
                "free_line": "free_line" in features,
            }
        )
    return phones


def _verified(
    clean: dict[str, Any], fields: dict[str, Any], zone: str, existing: Service | None
) -> None:
    """HSDS keeps the day only, in the service's own time zone: the same day keeps our
    exact time; another day is read as midday there."""
    service_zone = zone or (existing.timezone if existing else "America/Lima")
    verified = existing.last_verified_at if existing else None
    assured = clean.get("assured_date")
    if assured and (verified is None or local_date(verified, service_zone) != assured):
        fields["last_verified_at"] = local_noon(assured, service_zone)


def _costs(ix: Index, rec: Record, options: list[Record], fields: dict[str, Any]) -> None:
    described = rec.clean.get("fees_description") or rec.clean.get("fees") or ""

    def free(option: Record) -> bool:
        amount = option.clean.get("amount")
        if amount is not None:
            return bool(amount == 0)
        return fold(option.clean.get("option", "")) in FREE_WORDS | {""}

    if options:
        is_free = all(free(option) for option in options)
    else:
        is_free = not described or fold(described) in FREE_WORDS
    detail = ""
    if not is_free:
        if described and fold(described) not in FREE_WORDS:
            detail = described
        else:
            parts = []
            for option in options:
                amount = option.clean.get("amount")
                bits = [
                    option.clean.get("option", ""),
                    f"{amount:g} {option.clean.get('currency', '')}".strip() if amount else "",
                    option.clean.get("amount_description", ""),
                ]
                parts.append(" ".join(bit for bit in bits if bit))
            detail = "; ".join(p for p in parts if p) or _("Fee")
    if len(detail) > 300:
        ix.report.error(
            rec, "fees_description", _("The fees are too long (at most 300 characters).")
        )
    fields["is_free"] = is_free
    fields["fee_detail"] = detail


def _languages(ix: Index, records: list[Record]) -> list[str]:
    codes: list[str] = []
    for rec in records:
        code = (rec.clean.get("code") or "").lower()
        found = None
        if len(code) == 2:
            found = pycountry.languages.get(alpha_2=code)
        elif len(code) == 3:
            found = pycountry.languages.get(alpha_3=code)
        elif not code and rec.clean.get("name"):
            try:
                found = pycountry.languages.lookup(rec.clean["name"])
            except LookupError:
                ix.report.warn(rec, "name", _("Unknown language; not imported."))
                continue
        elif not code:
            continue
        if found is None:
            ix.report.error(
                rec, "code", _("Not an ISO 639 language code: %(code)s") % {"code": code}
            )
            continue
        value = getattr(found, "alpha_2", None) or found.alpha_3
        if value not in codes:
            codes.append(value)
    return codes


def _areas(ix: Index, records: list[Record], service_id: uuid.UUID) -> list[dict[str, Any]]:
    areas: list[dict[str, Any]] = []
    for area_rec in records:
        if ix.taken(ServiceArea, area_rec, service_id):
            continue
        area = _service_area(ix, area_rec)
        if area is not None and all(a["area"] != area for a in areas):
            areas.append({"uuid": area_rec.id, "area": area})
    return areas


def _service_area(ix: Index, rec: Record) -> AdminArea | None:
    texts = [rec.clean.get(name, "") or "" for name in ("description", "extent", "uri", "name")]
    for text in texts:
        for code in AREA_CODE_RE.findall(text):
            match = next((a for a in ix.areas if a.code == code), None)
            if match is not None:
                return match
        for pcode in PCODE_RE.findall(text):
            match = next((a for a in ix.areas if pcode in (a.pcode, a.code)), None)
            if match is not None:
                return match
    name = fold(rec.clean.get("name", "") or "")
    if name:
        matches = [a for a in ix.areas if name in (fold(a.name_es), fold(a.name_en))]
        if len(matches) == 1:
            return matches[0]
    ix.report.warn(
        rec,
        "name",
        _(
            "No administrative area matches this service area: kept as published and "
            "exported back, but Ruta's search does not use it."
        ),
    )
    return None
