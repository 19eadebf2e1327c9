"""The HSDS 3.0 tables Ruta reads and the rules of each field, declared once per entity.

``SPECS`` drives everything that depends on a field: the required CSV columns (reading),
the value checks (``checks.check_fields``), the references between records (planning) and
the Ruta model field a value is copied to (``F.to``, see ``copied``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruta.hsds.mapping.vocabulary import DAY_FROM_BYDAY, HSDS_TO_STATUS

TABLES = (
    "organization",
    "taxonomy",
    "taxonomy_term",
    "service",
    "location",
    "address",
    "accessibility",
    "service_at_location",
    "phone",
    "schedule",
    "service_area",
    "language",
    "cost_option",
    "required_document",
    "attribute",
    # Kept as received (``ruta.hsds.models.KeptRecord``): Ruta has no model for them.
    "program",
    "contact",
    "funding",
    "organization_identifier",
    "metadata",
    "meta_table_description",
)
# HSDS data package file names (the singular ``<table>.csv`` is accepted as well).
TABULAR_FILES = {
    "organization": "organizations.csv",
    "service": "services.csv",
    "location": "locations.csv",
    "address": "addresses.csv",
    "accessibility": "accessibility.csv",
    "service_at_location": "service_at_location.csv",
    "phone": "phones.csv",
    "schedule": "schedules.csv",
    "service_area": "service_areas.csv",
    "language": "languages.csv",
    "cost_option": "cost_options.csv",
    "required_document": "required_documents.csv",
    "attribute": "attributes.csv",
    "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "program": "programs.csv",
    "contact": "contacts.csv",
    "funding": "funding.csv",
    "organization_identifier": "organization_identifiers.csv",
    "metadata": "metadata.csv",
    "meta_table_description": "meta_table_descriptions.csv",
}
# In JSON the same organization, location or term may appear nested many times.
REPEATABLE = {
    "organization",
    "location",
    "address",
    "accessibility",
    "taxonomy",
    "taxonomy_term",
    "program",
    "contact",
}


@dataclass(frozen=True)
class F:
    """One HSDS field: its kind, whether HSDS requires it, whether Ruta needs a value."""

    kind: str = "str"  # str uuid number integer email url date datetime time country
    required: bool = False
    nonempty: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # The Ruta model field that takes the checked value as it is (empty: handled in code).
    to: str = ""
    # The table a reference points into (an attribute's link_id: its link_entity).
    points_to: str = ""


ID = F("uuid", required=True, nonempty=True)
S = F()


def ref(table: str = "") -> F:
    return F("uuid", points_to=table)


def needed_ref(table: str = "") -> F:
    return F("uuid", required=True, nonempty=True, points_to=table)


def age(to: str) -> F:
    return F("integer", minimum=0, maximum=120, to=to)


PLACES = ("physical", "postal", "virtual")

SPECS: dict[str, dict[str, F]] = {
    "organization": {
        "id": ID,
        "name": F(required=True, nonempty=True, max_length=200, to="name"),
        # An acronym of at most 30 characters is Ruta's; any alternate name is kept.
        "alternate_name": S,
        "description": F(required=True, to="description_es"),
        "email": F("email", max_length=254, to="email"),
        "website": F("url", max_length=200, to="website"),
        "tax_status": S,
        "tax_id": S,
        "year_incorporated": F("number"),
        "legal_status": S,
        "logo": S,
        "uri": S,
        "parent_organization_id": ref("organization"),
    },
    "service": {
        "id": ID,
        "organization_id": needed_ref("organization"),
        "program_id": ref("program"),
        "name": F(required=True, nonempty=True, max_length=200, to="name_es"),
        # Another name, not the English one: kept as received.
        "alternate_name": S,
        "description": F(to="description_es"),
        "url": F("url", max_length=200, to="url"),
        "email": F("email", max_length=254, to="email"),
        "status": F(required=True, nonempty=True, choices=tuple(HSDS_TO_STATUS)),
        "interpretation_services": S,
        "application_process": S,
        "fees_description": S,
        "wait_time": S,
        "fees": S,
        "accreditations": S,
        "eligibility_description": F(to="eligibility_es"),
        "minimum_age": age("minimum_age"),
        "maximum_age": age("maximum_age"),
        "assured_date": F("date"),
        "assurer_email": F("email"),
        "licenses": S,
        "alert": S,
        "last_modified": F("datetime"),
    },
    "location": {
        "id": ID,
        "location_type": F(required=True, nonempty=True, choices=PLACES),
        "url": S,
        "organization_id": ref("organization"),
        "name": F(max_length=200),
        "alternate_name": S,
        "description": S,
        "transportation": F(max_length=300, to="transportation"),
        "latitude": F("number", minimum=-90, maximum=90, to="latitude"),
        "longitude": F("number", minimum=-180, maximum=180, to="longitude"),
        "external_identifier": S,
        "external_identifier_type": S,
    },
    "address": {
        "id": ID,
        "location_id": needed_ref("location"),
        "attention": S,
        "address_1": F(required=True),
        "address_2": S,
        "city": F(required=True, max_length=120),
        "region": S,
        "state_province": F(required=True),
        "postal_code": F(required=True, max_length=20),
        "country": F("country", required=True, nonempty=True),
        "address_type": F(required=True, nonempty=True, choices=PLACES),
    },
    "accessibility": {
        "id": ID,
        "location_id": needed_ref("location"),
        "description": S,
        "details": S,
        "url": S,
    },
    "service_at_location": {
        "id": ID,
        "service_id": needed_ref("service"),
        "location_id": needed_ref("location"),
        "description": F(max_length=300),
    },
    "phone": {
        "id": ID,
        "location_id": ref("location"),
        "service_id": ref("service"),
        "organization_id": ref("organization"),
        "contact_id": ref("contact"),
        "service_at_location_id": ref("service_at_location"),
        "number": F(required=True, nonempty=True, max_length=40),
        "extension": F("integer", minimum=0, maximum=10**9),
        "type": S,
        "description": S,
    },
    "schedule": {
        "id": ID,
        "service_id": ref("service"),
        "location_id": ref("location"),
        "service_at_location_id": ref("service_at_location"),
        "valid_from": F("date"),
        "valid_to": F("date"),
        "dtstart": F("date"),
        "until": F("date"),
        "timezone": F("number", minimum=-14, maximum=14),
        "count": F("number"),
        "wkst": F(choices=tuple(DAY_FROM_BYDAY)),
        "freq": F(choices=("WEEKLY", "MONTHLY")),
        "interval": F("number"),
        "byday": S,
        "byweekno": S,
        "bymonthday": S,
        "byyearday": S,
        "description": S,
        "opens_at": F("time"),
        "closes_at": F("time"),
        "schedule_link": S,
        "attending_type": S,
        "notes": S,
    },
    "service_area": {
        "id": ID,
        "service_id": ref("service"),
        "name": S,
        "description": S,
        "extent": S,
        "extent_type": S,
        "uri": S,
    },
    "language": {
        "id": ID,
        "service_id": ref("service"),
        "location_id": ref("location"),
        "phone_id": ref("phone"),
        "name": S,
        "code": S,
        "note": S,
    },
    "cost_option": {
        "id": ID,
        "service_id": needed_ref("service"),
        "valid_from": F("date"),
        "valid_to": F("date"),
        "option": S,
        "currency": S,
        "amount": F("number", minimum=0),
        "amount_description": S,
    },
    "required_document": {"id": ID, "service_id": ref("service"), "document": S, "uri": S},
    "attribute": {
        "id": ID,
        "link_id": needed_ref(),
        "taxonomy_term_id": needed_ref("taxonomy_term"),
        "link_type": S,
        "link_entity": F(required=True, nonempty=True),
        "value": S,
    },
    "taxonomy": {
        "id": ID,
        "name": F(required=True, nonempty=True),
        "description": F(required=True),
        "uri": S,
        "version": S,
    },
    "taxonomy_term": {
        "id": ID,
        "code": S,
        "name": F(required=True, nonempty=True),
        "description": F(required=True),
        "parent_id": ref("taxonomy_term"),
        "taxonomy": S,
        "language": S,
        "taxonomy_id": ref("taxonomy"),
        "term_uri": S,
    },
    "program": {
        "id": ID,
        "organization_id": ref("organization"),
        "name": F(required=True, nonempty=True),
        "alternate_name": S,
        "description": F(required=True),
    },
    "contact": {
        "id": ID,
        "organization_id": ref("organization"),
        "service_id": ref("service"),
        "service_at_location_id": ref("service_at_location"),
        "location_id": ref("location"),
        "name": S,
        "title": S,
        "department": S,
        "email": F("email"),
    },
    "funding": {
        "id": ID,
        "organization_id": ref("organization"),
        "service_id": ref("service"),
        "source": S,
    },
    "organization_identifier": {
        "id": ID,
        "organization_id": ref("organization"),
        "identifier_scheme": S,
        "identifier_type": F(required=True, nonempty=True),
        "identifier": F(required=True, nonempty=True),
    },
    "metadata": {
        "id": ID,
        "resource_id": F("uuid"),
        "resource_type": S,
        "last_action_date": F("date", required=True, nonempty=True),
        "last_action_type": F(required=True, nonempty=True),
        "field_name": F(required=True),
        "previous_value": F(required=True),
        "replacement_value": F(required=True),
        "updated_by": F(required=True, nonempty=True),
    },
    "meta_table_description": {
        "id": ID,
        "name": S,
        "language": S,
        "character_set": S,
    },
}


# Kinds whose missing value is copied as an empty text (the others as None).
TEXT_KINDS = ("str", "email", "url")


def copied(table: str, clean: dict[str, Any]) -> dict[str, Any]:
    """The Ruta model fields a record's checked values go to unchanged (``F.to``)."""
    return {
        spec.to: clean.get(name, "" if spec.kind in TEXT_KINDS else None)
        for name, spec in SPECS[table].items()
        if spec.to
    }
