"""Import Open Referral HSDS 3.0 data: JSON or the tabular zip, checked before it is written.

Input
  * JSON: a list of services shaped as ``compiled/service.json`` (nested organization,
    phones, schedules, service_at_locations with their location, attributes with their
    taxonomy_term, languages, service_areas, cost_options, required_documents); a Page
    envelope (``contents``); or an object with ``services``, ``organizations`` (which may
    nest ``services`` and ``locations``), ``locations``, ``taxonomies`` and
    ``taxonomy_terms`` arrays.
  * The tabular zip: the CSV files of the HSDS data package (``services.csv``,
    ``phones.csv`` ...; the singular names ``service.csv`` ... are accepted too), with
    or without ``datapackage.json``, as ``export.py`` writes them.

Both are flattened into the same tables of records, then validated as a whole: required
fields, UUID syntax, types, formats, value ranges, lengths, duplicate ids within the
file, references (organizations and locations in the file or the database, taxonomy
terms by id or by taxonomy and code), and ids the database already gives to another
service. Every error is collected with its file, line (CSV) or record number (JSON),
field and a translated reason. Nothing is written unless there is no error; then one
transaction writes everything, idempotent on HSDS ids (our UUIDs): a re-import updates,
never duplicates. Services are saved through ``actions.save_service`` so the change
history, search text and audit trail record the importing user.

What is not imported (reported as warnings): phones and schedules not tied to a
service, monthly schedules, attributes of entities other than services and phones,
service areas and regions that match no administrative area. Import never creates
taxonomies or terms (coordinators curate them); it creates organizations that are
neither in the database nor named like one there (type NGO). A service's phones,
schedules, service_at_locations, service areas and terms are replaced by the file's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.models import User

import contextlib
import csv
import io
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import time
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruta.agencies.models import Organization, OrganizationType
from ruta.audit.actions import record
from ruta.directory import actions
from ruta.directory.hsds.mapping import (
    DAY_FROM_BYDAY,
    FLAG,
    HSDS_TO_STATUS,
    INTAKE,
    MODALITY,
    MODALITY_FIELDS,
    NAMESPACE,
    PHONE_FEATURE,
    VIRTUAL_TAXONOMIES,
    VIRTUAL_TAXONOMY_IDS,
    VIRTUAL_TERMS,
    VirtualTaxonomy,
    VirtualTerm,
    utc_offset,
)
from ruta.directory.models import (
    AdminArea,
    IntakeStatus,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from ruta.directory.text import fold
from ruta.lib.archives import ArchiveError, open_archive, read_member
from ruta.lib.clock import local_date, local_noon
from ruta.lib.sheets import unescape

Progress = Callable[[int], None]

# 20,000 services with every related table export to well under these; larger archives
# are refused from their declared sizes, before anything is unpacked.
MAX_MEMBER_BYTES = 48 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
DB_CHUNK = 500
FREE_WORDS = {"free", "free of charge", "gratuito", "gratuita", "gratis", "sin costo", "0"}
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
ZONE_RE = re.compile(r"\b([A-Z][A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)+)\b")
AREA_CODE_RE = re.compile(r"\b([A-Z]{2}-[A-Z0-9]{1,3})\b")
PCODE_RE = re.compile(r"P-code:\s*(\S+)")

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
}
# In JSON the same organization, location or term may appear nested many times.
REPEATABLE = {"organization", "location", "address", "accessibility", "taxonomy", "taxonomy_term"}
# A reference to a UUID found nowhere in the file is taken for a reference to a rejected id
# of the file when a few typing mistakes turn one into the other (two random UUIDs differ in
# about 34 of their 36 characters), in the tables whose records must be in the file.
NEAR_EDITS = 3
NEAR_TABLES = ("service", "service_at_location", "phone")
NEAR_CANDIDATES = 100
# The table each reference field points into (an attribute's link_id: its link_entity).
REFERENCES = {
    "organization_id": "organization",
    "parent_organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "phone_id": "phone",
    "taxonomy_term_id": "taxonomy_term",
    "parent_id": "taxonomy_term",
    "taxonomy_id": "taxonomy",
}


# --- Field rules --------------------------------------------------------------------


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


ID = F("uuid", required=True, nonempty=True)
REF = F("uuid")
NEEDED_REF = F("uuid", required=True, nonempty=True)
S = F()
AGE = F("integer", minimum=0, maximum=120)
PLACES = ("physical", "postal", "virtual")

SPECS: dict[str, dict[str, F]] = {
    "organization": {
        "id": ID,
        "name": F(required=True, nonempty=True, max_length=200),
        "alternate_name": F(max_length=30),
        "description": F(required=True),
        "email": F("email", max_length=254),
        "website": F("url", max_length=200),
        "parent_organization_id": REF,
    },
    "service": {
        "id": ID,
        "organization_id": NEEDED_REF,
        "program_id": REF,
        "name": F(required=True, nonempty=True, max_length=200),
        "alternate_name": F(max_length=200),
        "description": S,
        "url": F("url", max_length=200),
        "email": F("email", max_length=254),
        "status": F(required=True, nonempty=True, choices=tuple(HSDS_TO_STATUS)),
        "fees_description": S,
        "fees": S,
        "eligibility_description": S,
        "minimum_age": AGE,
        "maximum_age": AGE,
        "assured_date": F("date"),
        "assurer_email": F("email"),
        "alert": S,
        "last_modified": F("datetime"),
    },
    "location": {
        "id": ID,
        "location_type": F(required=True, nonempty=True, choices=PLACES),
        "organization_id": REF,
        "name": F(max_length=200),
        "alternate_name": S,
        "description": S,
        "transportation": F(max_length=300),
        "latitude": F("number", minimum=-90, maximum=90),
        "longitude": F("number", minimum=-180, maximum=180),
    },
    "address": {
        "id": ID,
        "location_id": NEEDED_REF,
        "attention": S,
        "address_1": F(required=True),
        "address_2": S,
        "city": F(required=True, max_length=120),
        "region": S,
        "state_province": F(required=True),
        "postal_code": F(required=True),
        "country": F("country", required=True, nonempty=True),
        "address_type": F(required=True, nonempty=True, choices=PLACES),
    },
    "accessibility": {
        "id": ID,
        "location_id": NEEDED_REF,
        "description": S,
        "details": S,
    },
    "service_at_location": {
        "id": ID,
        "service_id": NEEDED_REF,
        "location_id": NEEDED_REF,
        "description": F(max_length=300),
    },
    "phone": {
        "id": ID,
        "location_id": REF,
        "service_id": REF,
        "organization_id": REF,
        "contact_id": REF,
        "service_at_location_id": REF,
        "number": F(required=True, nonempty=True, max_length=40),
        "extension": F("integer", minimum=0, maximum=10**9),
        "type": S,
        "description": F(max_length=120),
    },
    "schedule": {
        "id": ID,
        "service_id": REF,
        "location_id": REF,
        "service_at_location_id": REF,
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
        "description": S,
        "opens_at": F("time"),
        "closes_at": F("time"),
        "notes": S,
    },
    "service_area": {
        "id": ID,
        "service_id": REF,
        "name": S,
        "description": S,
        "extent": S,
        "extent_type": S,
        "uri": S,
    },
    "language": {
        "id": ID,
        "service_id": REF,
        "location_id": REF,
        "phone_id": REF,
        "name": S,
        "code": S,
        "note": S,
    },
    "cost_option": {
        "id": ID,
        "service_id": NEEDED_REF,
        "valid_from": F("date"),
        "valid_to": F("date"),
        "option": S,
        "currency": S,
        "amount": F("number", minimum=0),
        "amount_description": S,
    },
    "required_document": {"id": ID, "service_id": REF, "document": S, "uri": S},
    "attribute": {
        "id": ID,
        "link_id": NEEDED_REF,
        "taxonomy_term_id": NEEDED_REF,
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
        "parent_id": REF,
        "taxonomy": S,
        "language": S,
        "taxonomy_id": REF,
        "term_uri": S,
    },
}


# --- Records and the report ---------------------------------------------------------


@dataclass
class Record:
    """One HSDS object found in the file, with where it was found."""

    table: str
    raw: dict[str, Any]
    file: str
    line: int
    path: str = ""  # JSON path inside the record, e.g. "phones[0]"
    from_csv: bool = False
    clean: dict[str, Any] = field(default_factory=dict)
    # Ids taken from the object this one is nested in: their errors belong to the parent.
    inherited: set[str] = field(default_factory=set)
    skip: set[str] = field(default_factory=set)
    # References to a record that is in the file but was rejected (field -> that record):
    # reported once, on the rejected record, instead of once per row that depends on it.
    blocked: dict[str, Record] = field(default_factory=dict)

    def where(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    @property
    def id(self) -> uuid.UUID | None:
        value = self.clean.get("id")
        return value if isinstance(value, uuid.UUID) else None


@dataclass
class Issue:
    file: str
    line: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "reason": self.reason}


@dataclass
class Report:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def error(self, rec: Record, name: str, reason: str) -> None:
        self.errors.append(Issue(rec.file, rec.line, rec.where(name), reason))

    def warn(self, rec: Record, name: str, reason: str) -> None:
        self.warnings.append(Issue(rec.file, rec.line, rec.where(name), reason))

    def file_error(self, file: str, line: int, reason: str, name: str = "") -> None:
        self.errors.append(Issue(file, line, name, reason))


@dataclass
class Result:
    valid: bool
    dry_run: bool
    format: str
    errors: list[Issue]
    warnings: list[Issue]
    counts: dict[str, int]

    def as_report(self, limit: int = 10_000) -> dict[str, Any]:
        """The JSON stored on the ImportJob (at most ``limit`` errors, with the total)."""
        return {
            "valid": self.valid,
            "dry_run": self.dry_run,
            "format": self.format,
            "error_total": len(self.errors),
            "errors": [issue.as_dict() for issue in self.errors[:limit]],
            "warning_total": len(self.warnings),
            "warnings": [issue.as_dict() for issue in self.warnings[:limit]],
            "counts": self.counts,
        }


# --- Reading the file ---------------------------------------------------------------


class Reader:
    """Turns a JSON document or a tabular zip into records, table by table."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.tables: dict[str, list[Record]] = defaultdict(list)
        self.format = "json"
        self._seen: dict[str, set[Any]] = defaultdict(set)
        # CSV rows that could not be read, kept so that rows referring to them are grouped.
        self.broken: dict[str, list[Record]] = defaultdict(list)

    def read(self, name: str, data: bytes) -> None:
        if data[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
            self.format = "tabular"
            self._read_zip(name, data)
        else:
            self._read_json(name, data)

    # JSON ---------------------------------------------------------------------------

    def _read_json(self, name: str, data: bytes) -> None:
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            self.report.file_error(name, 1, _("The file is not UTF-8 text."))
            return
        except json.JSONDecodeError as exc:
            self.report.file_error(
                name, exc.lineno, _("The file is not valid JSON: %(error)s") % {"error": exc.msg}
            )
            return
        arrays: dict[str, Any]
        if isinstance(document, list):
            arrays = {"services": document}
        elif isinstance(document, dict) and isinstance(document.get("contents"), list):
            arrays = {"services": document["contents"]}
        elif isinstance(document, dict) and "id" in document and "name" in document:
            arrays = {"services": [document]}
        elif isinstance(document, dict):
            arrays = document
        else:
            arrays = {}
        known = ("organizations", "taxonomies", "taxonomy_terms", "locations", "services")
        if not any(isinstance(arrays.get(key), list) for key in known):
            self.report.file_error(
                name,
                1,
                _(
                    "Expected a list of services or an object with services, organizations, "
                    "taxonomies or taxonomy_terms arrays."
                ),
            )
            return
        for key in known:
            items = arrays.get(key)
            if items is None:
                continue
            file = name if key == "services" and list(arrays) == ["services"] else f"{name}#{key}"
            if not isinstance(items, list):
                self.report.file_error(file, 1, _("Must be a list."), key)
                continue
            for index, item in enumerate(items, start=1):
                table = {
                    "organizations": "organization",
                    "taxonomies": "taxonomy",
                    "taxonomy_terms": "taxonomy_term",
                    "locations": "location",
                    "services": "service",
                }[key]
                self._object(table, item, file, index, "", {})

    def _object(
        self, table: str, item: Any, file: str, line: int, path: str, defaults: dict[str, Any]
    ) -> Record | None:
        """Add one JSON object (and what it nests) as records of ``table``."""
        if not isinstance(item, dict):
            rec = Record(table, {}, file, line, path)
            self.report.error(rec, "", _("Must be an object."))
            return None
        raw = {key: value for key, value in item.items() if not isinstance(value, list | dict)}
        rec = Record(table, raw, file, line, path)
        for key, value in defaults.items():
            if value is None:
                continue
            if raw.get(key) is None:
                raw[key] = value
                rec.inherited.add(key)
            elif str(raw[key]).strip().lower() != str(value).strip().lower():
                self.report.error(
                    rec,
                    key,
                    _("Does not match the object it is nested in (%(id)s).") % {"id": value},
                )
        if table in REPEATABLE and raw.get("id") is not None:
            key = str(raw["id"]).lower()
            if key in self._seen[table]:
                return rec  # the same entity again: the first occurrence is the one read
            self._seen[table].add(key)
        self.tables[table].append(rec)
        own_id = raw.get("id")

        def children(key: str, child: str, extra: dict[str, Any]) -> list[Record]:
            value = item.get(key)
            if value is None:
                return []
            where = f"{path}.{key}" if path else key
            if not isinstance(value, list):
                self.report.error(rec, key, _("Must be a list."))
                return []
            found = []
            for index, element in enumerate(value):
                child_rec = self._object(child, element, file, line, f"{where}[{index}]", extra)
                if child_rec is not None:
                    found.append(child_rec)
            return found

        def nested(key: str, child: str, extra: dict[str, Any]) -> dict[str, Any] | None:
            value = item.get(key)
            if value is None:
                return None
            where = f"{path}.{key}" if path else key
            if not isinstance(value, dict):
                self.report.error(rec, key, _("Must be an object."))
                return None
            self._object(child, value, file, line, where, extra)
            return value

        if table == "service":
            organization = nested("organization", "organization", {})
            if organization is not None and raw.get("organization_id") is None:
                raw["organization_id"] = organization.get("id")
                rec.inherited.add("organization_id")
            link = {"service_id": own_id}
            for key, child in (
                ("phones", "phone"),
                ("schedules", "schedule"),
                ("service_areas", "service_area"),
                ("languages", "language"),
                ("cost_options", "cost_option"),
                ("required_documents", "required_document"),
                ("service_at_locations", "service_at_location"),
            ):
                children(key, child, link)
            children("attributes", "attribute", {"link_id": own_id, "link_entity": "service"})
        elif table == "organization":
            children("services", "service", {"organization_id": own_id})
            children("locations", "location", {"organization_id": own_id})
        elif table == "service_at_location":
            location = nested("location", "location", {})
            if location is not None and raw.get("location_id") is None:
                raw["location_id"] = location.get("id")
                rec.inherited.add("location_id")
            service_id = raw.get("service_id")
            link = {"service_at_location_id": own_id, "service_id": service_id}
            children("phones", "phone", link)
            children("schedules", "schedule", link)
        elif table == "location":
            children("addresses", "address", {"location_id": own_id})
            children("accessibility", "accessibility", {"location_id": own_id})
        elif table == "phone":
            children("attributes", "attribute", {"link_id": own_id, "link_entity": "phone"})
        elif table == "attribute":
            term = nested("taxonomy_term", "taxonomy_term", {})
            if term is not None and raw.get("taxonomy_term_id") is None:
                raw["taxonomy_term_id"] = term.get("id")
                rec.inherited.add("taxonomy_term_id")
        elif table == "taxonomy_term":
            detail = nested("taxonomy_detail", "taxonomy", {})
            if detail is not None and raw.get("taxonomy_id") is None:
                raw["taxonomy_id"] = detail.get("id")
                rec.inherited.add("taxonomy_id")
        return rec

    # Tabular --------------------------------------------------------------------------

    def _read_zip(self, name: str, data: bytes) -> None:
        try:
            archive = open_archive(data, max_total=MAX_TOTAL_BYTES, max_member=MAX_MEMBER_BYTES)
        except ArchiveError as error:
            self.report.file_error(name, 1, str(error))
            return
        with archive:
            members = {PurePosixPath(info.filename).name: info for info in archive.infolist()}
            paths = dict(TABULAR_FILES)
            if "datapackage.json" in members:
                try:
                    package = json.loads(
                        read_member(archive, members["datapackage.json"], limit=MAX_MEMBER_BYTES)
                    )
                    for resource in package.get("resources", []):
                        if resource.get("name") in paths and resource.get("path"):
                            paths[resource["name"]] = PurePosixPath(resource["path"]).name
                except ArchiveError as error:
                    self.report.file_error("datapackage.json", 1, str(error))
                except (ValueError, AttributeError, TypeError):
                    self.report.file_error(
                        "datapackage.json", 1, _("datapackage.json is not valid JSON.")
                    )
            used = {"datapackage.json"}
            for table in TABLES:
                candidates = [paths[table], f"{table}.csv"]
                member = next((members[c] for c in candidates if c in members), None)
                if member is None:
                    continue
                used.add(PurePosixPath(member.filename).name)
                try:
                    content = read_member(archive, member, limit=MAX_MEMBER_BYTES)
                except ArchiveError as error:
                    self.report.file_error(member.filename, 1, str(error))
                    continue
                self._read_csv(table, PurePosixPath(member.filename).name, content)
            if not any(self.tables.values()) and not self.report.errors:
                self.report.file_error(name, 1, _("The archive holds no HSDS CSV file."))
            for other in sorted(set(members) - used):
                if other.endswith(".csv"):
                    self.report.warnings.append(
                        Issue(other, 1, "", _("Ruta does not import this file."))
                    )

    def _read_csv(self, table: str, file: str, data: bytes) -> None:
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.report.file_error(file, 1, _("The file is not UTF-8 text."))
            return
        reader = csv.reader(io.StringIO(content, newline=""))
        try:
            header = [column.strip() for column in next(reader)]
        except StopIteration:
            self.report.file_error(file, 1, _("The file is empty."))
            return
        except csv.Error as exc:
            self.report.file_error(file, 1, _("The CSV cannot be read: %(error)s") % {"error": exc})
            return
        specs = SPECS[table]
        missing = [name for name, spec in specs.items() if spec.required and name not in header]
        for column in missing:
            self.report.file_error(
                file,
                1,
                _("The required column %(column)s is missing.") % {"column": column},
                column,
            )
        seen_ids: set[str] = set()
        line = reader.line_num
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.report.file_error(
                    file, start, _("The CSV cannot be read: %(error)s") % {"error": exc}
                )
                break
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                self.report.file_error(
                    file,
                    start,
                    _("The row has %(found)s cells; the header has %(expected)s.")
                    % {"found": len(row), "expected": len(header)},
                )
                if "id" in header and header.index("id") < len(row):
                    cell = row[header.index("id")].strip()
                    self.broken[table].append(
                        Record(table, {"id": cell or None}, file, start, from_csv=True)
                    )
                continue
            # Ruta's own export neutralises formula-like text with an apostrophe: undone here.
            raw = {
                column: unescape(cell.strip()) or None
                for column, cell in zip(header, row, strict=True)
            }
            rec = Record(table, raw, file, start, from_csv=True, skip=set(missing))
            key = (raw.get("id") or "").lower()
            if key and key in seen_ids:
                self.report.error(rec, "id", _("This id appears more than once in the file."))
                continue
            seen_ids.add(key)
            self.tables[table].append(rec)


# --- Checking values ----------------------------------------------------------------

_url = URLValidator(schemes=["http", "https"])


def _number(value: Any, rec: Record) -> float | None:
    if rec.from_csv and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def parse_time(value: str) -> tuple[time, float | None] | None:
    """'08:00', '08:00:00', '08:00-05:00', '08:00Z' -> (time, UTC offset in hours or None)."""
    match = TIME_RE.match(value.strip())
    if match is None:
        return None
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours == 24 and minutes == 0 and seconds == 0:
        hours, minutes, seconds = 23, 59, 0
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    offset: float | None = None
    if match[4] == "Z":
        offset = 0.0
    elif match[4]:
        sign = -1 if match[4][0] == "-" else 1
        digits = match[4][1:].replace(":", "")
        offset = sign * (int(digits[:2]) + int(digits[2:]) / 60)
    return time(hours, minutes, seconds), offset


def _country(value: str) -> str | None:
    found = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    return found.alpha_2 if found else None


def check_fields(rec: Record, report: Report) -> None:
    """Check every known field of ``rec`` and store the typed values in ``rec.clean``."""
    for name, spec in SPECS[rec.table].items():
        value = rec.raw.get(name)
        if name in rec.skip:
            continue  # reported once for the whole file (a missing column)
        if name in rec.blocked:
            continue  # reported once, on the rejected record it refers to
        if name in rec.inherited and spec.kind == "uuid":
            # The parent reports its own id; a child only keeps it when it is valid.
            with contextlib.suppress(ValueError):
                rec.clean[name] = uuid.UUID(str(value))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.nonempty or (spec.required and not rec.from_csv and value is None):
                report.error(rec, name, _("This field is required."))
            elif isinstance(value, str) and spec.kind == "str":
                rec.clean[name] = ""
            continue
        if spec.kind in ("number", "integer"):
            number = _number(value, rec)
            if number is None:
                report.error(rec, name, _("Must be a number."))
                continue
            if spec.kind == "integer" and number != int(number):
                report.error(rec, name, _("Must be a whole number."))
                continue
            if (spec.minimum is not None and number < spec.minimum) or (
                spec.maximum is not None and number > spec.maximum
            ):
                report.error(
                    rec,
                    name,
                    _("Must be between %(low)s and %(high)s.")
                    % {"low": f"{spec.minimum:g}", "high": f"{spec.maximum:g}"},
                )
                continue
            rec.clean[name] = int(number) if spec.kind == "integer" else number
            continue
        if not isinstance(value, str):
            report.error(rec, name, _("Must be text."))
            continue
        value = value.strip()
        if spec.max_length and len(value) > spec.max_length:
            report.error(
                rec,
                name,
                _("Must have at most %(count)s characters (it has %(length)s).")
                % {"count": spec.max_length, "length": len(value)},
            )
            continue
        if spec.choices and value not in spec.choices:
            report.error(
                rec,
                name,
                _("Must be one of: %(choices)s.") % {"choices": ", ".join(spec.choices)},
            )
            continue
        cleaned: Any = value
        if spec.kind == "uuid":
            try:
                cleaned = uuid.UUID(value)
            except ValueError:
                report.error(rec, name, _("“%(value)s” is not a valid UUID.") % {"value": value})
                continue
        elif spec.kind == "email":
            try:
                validate_email(value)
            except ValidationError:
                report.error(rec, name, _("Not a valid e-mail address."))
                continue
        elif spec.kind == "url":
            try:
                _url(value)
            except ValidationError:
                report.error(rec, name, _("Not a valid web address (http or https)."))
                continue
        elif spec.kind == "date":
            try:
                cleaned = parse_date(value)
            except ValueError:
                cleaned = None
            if cleaned is None:
                report.error(rec, name, _("Not a valid date (YYYY-MM-DD)."))
                continue
        elif spec.kind == "datetime":
            try:
                cleaned = parse_datetime(value) or parse_date(value)
            except ValueError:
                cleaned = None
            if cleaned is None:
                report.error(rec, name, _("Not a valid ISO 8601 date and time."))
                continue
        elif spec.kind == "time":
            cleaned = parse_time(value)
            if cleaned is None:
                report.error(rec, name, _("Not a valid time (HH:MM, with an optional offset)."))
                continue
        elif spec.kind == "country":
            cleaned = _country(value)
            if cleaned is None:
                report.error(
                    rec,
                    name,
                    _("Not an ISO 3166-1 two-letter country code: %(value)s") % {"value": value},
                )
                continue
        rec.clean[name] = cleaned


# --- The plan: what would be written ------------------------------------------------


@dataclass
class ServicePlan:
    rec: Record
    key: uuid.UUID
    organization: uuid.UUID
    fields: dict[str, Any]
    terms: list[int] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)  # service_at_locations
    areas: list[dict[str, Any]] = field(default_factory=list)
    exists: bool = False


@dataclass
class LocationPlan:
    key: uuid.UUID
    organization: uuid.UUID
    fields: dict[str, Any]
    exists: bool = False


@dataclass
class OrganizationPlan:
    key: uuid.UUID
    fields: dict[str, Any]


@dataclass
class Plan:
    organizations: list[OrganizationPlan] = field(default_factory=list)
    locations: list[LocationPlan] = field(default_factory=list)
    services: list[ServicePlan] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "organizations_created": len(self.organizations),
            "locations_created": sum(1 for p in self.locations if not p.exists),
            "locations_updated": sum(1 for p in self.locations if p.exists),
            "services_created": sum(1 for p in self.services if not p.exists),
            "services_updated": sum(1 for p in self.services if p.exists),
            "phones": sum(len(p.phones) for p in self.services),
            "schedules": sum(len(p.schedules) for p in self.services),
            "service_at_locations": sum(len(p.links) for p in self.services),
            "terms": sum(len(p.terms) for p in self.services),
        }


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), DB_CHUNK):
        yield values[start : start + DB_CHUNK]


def _by_uuid(model: Any, ids: Iterable[uuid.UUID], *related: str) -> dict[uuid.UUID, Any]:
    found: dict[uuid.UUID, Any] = {}
    for chunk in _chunks(sorted(set(ids), key=str)):
        queryset = model.objects.filter(uuid__in=chunk)
        if related:
            queryset = queryset.select_related(*related)
        for obj in queryset:
            found[obj.uuid] = obj
    return found


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value.strip())
    except ValueError:
        return False
    return True


def _near(one: str, other: str, limit: int = NEAR_EDITS) -> bool:
    """True when at most ``limit`` insertions, deletions or substitutions turn one into other."""
    if abs(len(one) - len(other)) > limit:
        return False
    previous = list(range(len(other) + 1))
    for i, char in enumerate(one, start=1):
        current = [i]
        for j, other_char in enumerate(other, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other_char))
            )
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _id_key(value: Any) -> str:
    """How an id is matched to the references to it: a UUID in canonical form, else the text."""
    text = str(value).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text.lower()


class Planner:
    """Validates the records as a whole and, when nothing is wrong, builds the plan."""

    def __init__(
        self,
        tables: dict[str, list[Record]],
        report: Report,
        progress: Progress | None,
        broken: dict[str, list[Record]] | None = None,
    ) -> None:
        self.tables = tables
        self.report = report
        self.progress = progress or (lambda percent: None)
        self.broken = broken or {}

    def _ids(self, table: str) -> dict[uuid.UUID, Record]:
        found: dict[uuid.UUID, Record] = {}
        for rec in self.tables.get(table, []):
            if rec.id is None:
                continue
            if rec.id in found and table not in REPEATABLE:
                self.report.error(rec, "id", _("This id appears more than once in the file."))
                continue
            found.setdefault(rec.id, rec)
        return found

    def build(self) -> Plan | None:
        records = [rec for table in TABLES for rec in self.tables.get(table, [])]
        rejected = self._rejected_ids()
        present = {
            table: {
                _id_key(rec.raw["id"]) for rec in self.tables.get(table, []) if rec.raw.get("id")
            }
            for table in NEAR_TABLES
        }
        near: dict[tuple[str, str], Record | None] = {}
        for rec in records:
            self._block(rec, rejected, present, near)
        for index, rec in enumerate(records):
            check_fields(rec, self.report)
            if index % 500 == 0:
                self.progress(5 + 35 * index // max(1, len(records)))
        self.progress(40)
        self.orgs = self._ids("organization")
        self.services = self._ids("service")
        self.locations = self._ids("location")
        self.links = self._ids("service_at_location")
        self.phone_recs = self._ids("phone")
        self.file_terms = self._ids("taxonomy_term")
        self.file_taxonomies = self._ids("taxonomy")
        for table in ("schedule", "service_area", "language", "cost_option", "attribute"):
            self._ids(table)
        for table in ("required_document", "address", "accessibility"):
            self._ids(table)
        self._load_database()
        self.progress(50)
        plan = Plan()
        self._plan_organizations(plan)
        self._plan_locations(plan)
        self._plan_services(plan)
        self._report_dependants(records)
        self.progress(60)
        return None if self.report.errors else plan

    # Rejected records and the rows that depend on them -------------------------------

    def _rejected_ids(self) -> dict[str, dict[str, Record]]:
        """Records present in the file whose own id was refused (not a UUID, unreadable row),
        by table and id as written: references to them are not "unknown", they are blocked."""
        rejected: dict[str, dict[str, Record]] = defaultdict(dict)
        valid: dict[str, set[str]] = defaultdict(set)
        for table in TABLES:
            candidates = [
                *((rec, False) for rec in self.tables.get(table, [])),
                *((rec, True) for rec in self.broken.get(table, [])),
            ]
            for rec, broken in candidates:
                value = rec.raw.get("id")
                if "id" in rec.skip or value is None or not str(value).strip():
                    continue
                key = _id_key(value)
                if not broken and isinstance(value, str) and _is_uuid(value):
                    valid[table].add(key)  # checked and kept: references to it are resolved
                else:
                    rejected[table].setdefault(key, rec)
        for table, keys in valid.items():
            for key in keys:
                rejected[table].pop(key, None)
        return rejected

    def _block(
        self,
        rec: Record,
        rejected: dict[str, dict[str, Record]],
        present: dict[str, set[str]],
        near: dict[tuple[str, str], Record | None],
    ) -> None:
        """Mark the references of ``rec`` that point at a rejected record of the file."""
        for name, spec in SPECS[rec.table].items():
            if spec.kind != "uuid" or name == "id" or name in rec.inherited or name in rec.skip:
                continue
            value = rec.raw.get(name)
            if value is None or not str(value).strip():
                continue
            if name == "link_id":
                target = str(rec.raw.get("link_entity") or "").strip()
            else:
                target = REFERENCES.get(name, "")
            key = _id_key(value)
            parent = rejected.get(target, {}).get(key)
            if parent is None and target in NEAR_TABLES and key not in present[target]:
                if (target, key) not in near:
                    candidates = list(rejected.get(target, {}).items())[:NEAR_CANDIDATES]
                    near[target, key] = next(
                        (found for bad, found in candidates if _near(key, bad)), None
                    )
                parent = near[target, key]
            if parent is not None and parent is not rec:
                rec.blocked[name] = parent

    def _report_dependants(self, records: list[Record]) -> None:
        """One error per rejected record, next to its own: how many rows depend on it."""
        groups: dict[int, tuple[Record, dict[str, int]]] = {}
        for rec in records:
            for parent in {id(p): p for p in rec.blocked.values()}.values():
                files = groups.setdefault(id(parent), (parent, {}))[1]
                files[rec.file] = files.get(rec.file, 0) + 1
        if not groups:
            return
        last = {(issue.file, issue.line): n for n, issue in enumerate(self.report.errors)}
        after: dict[int, list[Issue]] = defaultdict(list)
        tail: list[Issue] = []
        for parent, files in groups.values():
            count = sum(files.values())
            values = {"count": count, "files": get_text_list(list(files), _("and"))}
            if parent.from_csv:
                reason = ngettext(
                    "%(count)s row in %(files)s refers to this id and was not checked further.",
                    "%(count)s rows in %(files)s refer to this id and were not checked further.",
                    count,
                )
            else:
                reason = ngettext(
                    "%(count)s record in %(files)s refers to this id and was not checked further.",
                    "%(count)s records in %(files)s refer to this id and were not checked further.",
                    count,
                )
            issue = Issue(parent.file, parent.line, parent.where("id"), reason % values)
            position = last.get((parent.file, parent.line))
            (tail if position is None else after[position]).append(issue)
        merged: list[Issue] = []
        for n, issue in enumerate(self.report.errors):
            merged.append(issue)
            merged.extend(after.get(n, []))
        self.report.errors[:] = [*merged, *tail]

    # Database ------------------------------------------------------------------------

    def _load_database(self) -> None:
        refs = {
            rec.clean.get("organization_id")
            for t in ("service", "location")
            for rec in self.tables.get(t, [])
        }
        self.db_orgs = _by_uuid(Organization, {*self.orgs, *(r for r in refs if r)})
        self.org_names = {
            fold(name): pk for pk, name in Organization.objects.values_list("uuid", "name")
        }
        location_refs = {
            rec.clean.get("location_id") for rec in self.tables.get("service_at_location", [])
        }
        self.db_locations = _by_uuid(Location, {*self.locations, *(r for r in location_refs if r)})
        self.db_services = _by_uuid(Service, self.services)
        child_ids = {
            model: _by_uuid(model, self._ids_of(table), "service")
            for model, table in (
                (Phone, "phone"),
                (Schedule, "schedule"),
                (ServiceAtLocation, "service_at_location"),
                (ServiceArea, "service_area"),
            )
        }
        self.db_children = child_ids
        self.db_terms = {
            term.uuid: term for term in TaxonomyTerm.objects.select_related("taxonomy")
        }
        self.db_taxonomies = list(Taxonomy.objects.all())
        self.areas = list(AdminArea.objects.all())

    def _ids_of(self, table: str) -> set[uuid.UUID]:
        return {rec.id for rec in self.tables.get(table, []) if rec.id is not None}

    def _taken(self, model: Any, rec: Record, service_id: uuid.UUID | None) -> bool:
        """True (and an error) when the database gives this id to another service."""
        obj = self.db_children[model].get(rec.id) if rec.id else None
        if obj is not None and obj.service.uuid != service_id:
            self.report.error(rec, "id", _("This id already belongs to another service."))
            return True
        return False

    # Organizations and locations -----------------------------------------------------

    def _plan_organizations(self, plan: Plan) -> None:
        for org_id, rec in self.orgs.items():
            if org_id in self.db_orgs:
                continue
            name = rec.clean.get("name", "")
            if fold(name) in self.org_names:
                self.report.error(
                    rec,
                    "name",
                    _("An organization with this name already exists with another id."),
                )
                continue
            self.org_names[fold(name)] = org_id  # two new organizations cannot share a name
            plan.organizations.append(
                OrganizationPlan(
                    org_id,
                    {
                        "name": name,
                        "acronym": rec.clean.get("alternate_name", ""),
                        "description_es": rec.clean.get("description", ""),
                        "email": rec.clean.get("email", ""),
                        "website": rec.clean.get("website", ""),
                    },
                )
            )

    def _organization_known(self, org_id: uuid.UUID | None) -> bool:
        return org_id is not None and (org_id in self.orgs or org_id in self.db_orgs)

    def _plan_locations(self, plan: Plan) -> None:
        addresses: dict[uuid.UUID, list[Record]] = defaultdict(list)
        for rec in self.tables.get("address", []):
            target = rec.clean.get("location_id")
            if target is None:
                continue
            if target not in self.locations:
                self.report.error(rec, "location_id", _("Unknown location."))
                continue
            addresses[target].append(rec)
        notes: dict[uuid.UUID, list[str]] = defaultdict(list)
        for rec in self.tables.get("accessibility", []):
            target = rec.clean.get("location_id")
            if target is None:
                continue
            if target not in self.locations:
                self.report.error(rec, "location_id", _("Unknown location."))
                continue
            text = "; ".join(
                v for v in (rec.clean.get("description"), rec.clean.get("details")) if v
            )
            if text:
                notes[target].append(text)
        first_service_org: dict[uuid.UUID, uuid.UUID] = {}
        # Locations linked to a service that was rejected: the organization may be its.
        orphaned: dict[uuid.UUID, Record | None] = {}
        for rec in self.tables.get("service_at_location", []):
            service = self.services.get(rec.clean.get("service_id"))  # type: ignore[arg-type]
            location_id = rec.clean.get("location_id")
            if service is not None and location_id and service.clean.get("organization_id"):
                first_service_org.setdefault(location_id, service.clean["organization_id"])
            elif location_id and ("service_id" in rec.blocked or "service_id" in rec.inherited):
                orphaned.setdefault(location_id, rec.blocked.get("service_id"))
        for location_id, rec in self.locations.items():
            if "organization_id" in rec.blocked:
                continue  # its organization was rejected: counted there
            org_id = rec.clean.get("organization_id")
            if org_id is not None and not self._organization_known(org_id):
                self.report.error(rec, "organization_id", _("Unknown organization."))
                continue
            existing = self.db_locations.get(location_id)
            org_id = org_id or (existing.organization.uuid if existing else None)
            org_id = org_id or first_service_org.get(location_id)
            if org_id is None and location_id in orphaned:
                parent = orphaned[location_id]
                if parent is not None:
                    rec.blocked["organization_id"] = parent
                continue  # its organization would come from a rejected service
            if org_id is None:
                self.report.error(rec, "organization_id", _("A location needs an organization_id."))
                continue
            fields = self._location_fields(rec, addresses.get(location_id, []), notes[location_id])
            if fields is not None:
                plan.locations.append(
                    LocationPlan(location_id, org_id, fields, exists=existing is not None)
                )

    def _location_fields(
        self, rec: Record, addresses: list[Record], notes: list[str]
    ) -> dict[str, Any] | None:
        fields: dict[str, Any] = {
            "latitude": rec.clean.get("latitude"),
            "longitude": rec.clean.get("longitude"),
            "transportation": rec.clean.get("transportation", ""),
            "address": "",
            "city": "",
            "admin1": None,
            "admin2": None,
        }
        addresses.sort(key=lambda a: a.clean.get("address_type") != "physical")
        if addresses:
            address = addresses[0]
            line = ", ".join(
                v for v in (address.clean.get("address_1"), address.clean.get("address_2")) if v
            )
            if len(line) > 300:
                self.report.error(
                    address, "address_1", _("The address is too long (at most 300 characters).")
                )
                return None
            country = address.clean.get("country", "PE")
            admin1 = self._area(country, address.clean.get("state_province", ""), level=1)
            if address.clean.get("state_province") and admin1 is None:
                self.report.warn(
                    address,
                    "state_province",
                    _("No region or province of %(country)s is called “%(name)s”; left empty.")
                    % {"country": country, "name": address.clean["state_province"]},
                )
            admin2 = self._area(country, address.clean.get("region", ""), level=2)
            fields.update(
                {
                    "address": line,
                    "city": address.clean.get("city", ""),
                    "country": country,
                    "admin1": admin1,
                    "admin2": admin2,
                }
            )
        name = rec.clean.get("name") or fields["address"] or fields["city"] or _("Location")
        fields["name"] = name[:200]
        accessibility = "; ".join(notes)
        if len(accessibility) > 300:
            self.report.error(
                rec,
                "accessibility",
                _("The accessibility notes are too long (at most 300 characters)."),
            )
            return None
        fields["accessibility"] = accessibility
        return fields

    def _area(self, country: str, value: str, *, level: int) -> AdminArea | None:
        if not value:
            return None
        wanted = fold(value)
        for area in self.areas:
            if area.country != country or area.level != level:
                continue
            if wanted in (
                fold(area.code),
                fold(area.name_es),
                fold(area.name_en),
                fold(area.pcode),
            ):
                return area
        return None

    # Taxonomy terms ------------------------------------------------------------------

    def _taxonomy(self, key: Any) -> Taxonomy | VirtualTaxonomy | None:
        """A stored or synthetic taxonomy from an id, a file taxonomy, a code, URI or name."""
        if isinstance(key, uuid.UUID):
            if key in VIRTUAL_TAXONOMY_IDS:
                return VIRTUAL_TAXONOMY_IDS[key]
            for taxonomy in self.db_taxonomies:
                if taxonomy.uuid == key:
                    return taxonomy
            rec = self.file_taxonomies.get(key)
            if rec is None:
                return None
            return self._taxonomy(rec.clean.get("uri") or None) or self._taxonomy(
                rec.clean.get("name") or None
            )
        if not key:
            return None
        wanted = fold(str(key))
        if str(key) in VIRTUAL_TAXONOMIES:
            return VIRTUAL_TAXONOMIES[str(key)]
        for taxonomy in self.db_taxonomies:
            if wanted in (
                fold(taxonomy.code),
                fold(taxonomy.uri),
                fold(taxonomy.name_es),
                fold(taxonomy.name_en),
            ):
                return taxonomy
        for virtual in VIRTUAL_TAXONOMIES.values():
            if wanted in (fold(virtual.name_es), fold(virtual.name_en)):
                return virtual
        return None

    def _term(self, term_id: uuid.UUID) -> TaxonomyTerm | VirtualTerm | None:
        if term_id in VIRTUAL_TERMS:
            return VIRTUAL_TERMS[term_id]
        if term_id in self.db_terms:
            return self.db_terms[term_id]
        rec = self.file_terms.get(term_id)
        if rec is None or not rec.clean.get("code"):
            return None
        taxonomy = self._taxonomy(rec.clean.get("taxonomy_id")) or self._taxonomy(
            rec.clean.get("taxonomy")
        )
        code = rec.clean["code"]
        if isinstance(taxonomy, VirtualTaxonomy):
            return next((t for t in taxonomy.terms if t.code == code), None)
        if taxonomy is None:
            return None
        return next(
            (t for t in self.db_terms.values() if t.taxonomy_id == taxonomy.pk and t.code == code),
            None,
        )

    def _unknown_term(self, rec: Record) -> None:
        term_id = rec.clean.get("taxonomy_term_id")
        definition = self.file_terms.get(term_id)  # type: ignore[arg-type]
        code = definition.clean.get("code") if definition else None
        self.report.error(
            rec,
            "taxonomy_term_id",
            _(
                "Unknown taxonomy term %(term)s: it is neither in Ruta nor found by taxonomy and code."
            )
            % {"term": f"{term_id} ({code})" if code else str(term_id)},
        )

    # Services ------------------------------------------------------------------------

    def _plan_services(self, plan: Plan) -> None:
        by_service: dict[str, dict[uuid.UUID, list[Record]]] = {
            table: defaultdict(list)
            for table in (
                "phone",
                "schedule",
                "service_area",
                "language",
                "cost_option",
                "required_document",
            )
        }
        sal_service = {link_id: rec.clean.get("service_id") for link_id, rec in self.links.items()}
        for table in by_service:
            for rec in self.tables.get(table, []):
                target = self._service_of(rec)
                if target is not None:
                    by_service[table][target].append(rec)
        links: dict[uuid.UUID, list[Record]] = defaultdict(list)
        for link_id, rec in self.links.items():
            service_id = sal_service[link_id]
            location_id = rec.clean.get("location_id")
            if service_id is None or location_id is None:
                if "service_id" in rec.blocked and location_id is not None:
                    self._check_location(rec, location_id)
                continue
            if service_id not in self.services:
                self.report.error(rec, "service_id", _("Unknown service: it is not in the file."))
                continue
            if not self._check_location(rec, location_id):
                continue
            if self._taken(ServiceAtLocation, rec, service_id):
                continue
            links[service_id].append(rec)
        attributes: dict[uuid.UUID, list[tuple[Record, Any]]] = defaultdict(list)
        phone_attributes: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for rec in self.tables.get("attribute", []):
            owner: uuid.UUID | None = rec.clean.get("link_id")
            entity: str = rec.clean.get("link_entity", "")
            if owner is None or rec.clean.get("taxonomy_term_id") is None:
                term_id = rec.clean.get("taxonomy_term_id")
                if "link_id" in rec.blocked and term_id is not None and self._term(term_id) is None:
                    self._unknown_term(rec)  # wrong whatever its owner
                continue
            if entity not in ("service", "phone"):
                self.report.warn(
                    rec,
                    "link_entity",
                    _("Attributes of %(entity)s are not imported.") % {"entity": entity},
                )
                continue
            known = self.services if entity == "service" else self.phone_recs
            if owner not in known:
                self.report.error(
                    rec,
                    "link_id",
                    _("Unknown %(entity)s: it is not in the file.") % {"entity": entity},
                )
                continue
            term = self._term(rec.clean["taxonomy_term_id"])
            if term is None:
                self._unknown_term(rec)
                continue
            if entity == "service":
                attributes[owner].append((rec, term))
            else:
                phone_attributes[owner].append(term)
        total = max(1, len(self.services))
        for index, (service_id, rec) in enumerate(self.services.items()):
            service_plan = self._service(
                rec,
                {table: by_service[table].get(service_id, []) for table in by_service},
                links.get(service_id, []),
                attributes.get(service_id, []),
                phone_attributes,
            )
            if service_plan is not None:
                plan.services.append(service_plan)
            if index % 200 == 0:
                self.progress(50 + 10 * index // total)

    def _check_location(self, rec: Record, location_id: uuid.UUID) -> bool:
        if location_id not in self.locations and location_id not in self.db_locations:
            self.report.error(rec, "location_id", _("Unknown location."))
            return False
        return True

    def _service_of(self, rec: Record) -> uuid.UUID | None:
        """The file's service a phone, schedule ... belongs to (None: skip it)."""
        service_id = rec.clean.get("service_id")
        link_id = rec.clean.get("service_at_location_id")
        if "service_id" in rec.blocked or "service_at_location_id" in rec.blocked:
            return None  # counted on the rejected record it refers to
        if service_id is not None:
            if service_id not in self.services:
                self.report.error(rec, "service_id", _("Unknown service: it is not in the file."))
                return None
            return service_id
        if link_id is not None:
            link = self.links.get(link_id)
            if link is not None and link.clean.get("service_id") not in self.services:
                # The service_at_location is in the file but was rejected (or its service
                # was): count this row there rather than call the link unknown.
                if "service_at_location_id" not in rec.inherited:
                    rec.blocked["service_at_location_id"] = link.blocked.get("service_id", link)
                return None
            if link is None:
                self.report.error(
                    rec,
                    "service_at_location_id",
                    _("Unknown service_at_location: it is not in the file."),
                )
                return None
            return link.clean["service_id"]
        if "service_id" in rec.inherited or rec.table == "cost_option":
            return None  # reported on the parent, or as a required field
        self.report.warn(rec, "service_id", _("Not linked to a service; not imported."))
        return None

    def _service(
        self,
        rec: Record,
        children: dict[str, list[Record]],
        links: list[Record],
        attributes: list[tuple[Record, Any]],
        phone_attributes: dict[uuid.UUID, list[Any]],
    ) -> ServicePlan | None:
        clean = rec.clean
        service_id = rec.id
        org_id = clean.get("organization_id")
        if service_id is None or org_id is None or "status" not in clean or "name" not in clean:
            return None
        if not self._organization_known(org_id):
            self.report.error(
                rec,
                "organization_id",
                _("Unknown organization: it is neither in the file nor in Ruta."),
            )
            return None
        errors_before = len(self.report.errors)
        existing = self.db_services.get(service_id)
        low, high = clean.get("minimum_age"), clean.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.report.error(
                rec, "maximum_age", _("The maximum age must not be below the minimum age.")
            )
        fields: dict[str, Any] = {
            "name_es": clean["name"],
            "name_en": clean.get("alternate_name", ""),
            "description_es": clean.get("description", ""),
            "url": clean.get("url", ""),
            "email": clean.get("email", ""),
            "status": HSDS_TO_STATUS[clean["status"]],
            "eligibility_es": clean.get("eligibility_description", ""),
            "minimum_age": low,
            "maximum_age": high,
            "intake_status": IntakeStatus.ACCEPTING,
            "intake_reason": "",
            "illustrative": False,
        }
        self._costs(rec, children["cost_option"], fields)
        documents = [d.clean.get("document", "") for d in children["required_document"]]
        documents = [d for d in documents if d]
        fields["documents_required"] = bool(documents)
        fields["required_documents"] = "; ".join(documents)
        if len(fields["required_documents"]) > 300:
            self.report.error(
                rec,
                "required_documents",
                _("The required documents are too long (at most 300 characters together)."),
            )
        fields["languages"] = self._languages(children["language"])
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
                    self.report.error(
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
        phones = []
        for phone in children["phone"]:
            if self._taken(Phone, phone, service_id):
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
        schedules, always_open, zone = self._schedules(children["schedule"], service_id, existing)
        fields["open_24_7"] = always_open
        if zone:
            fields["timezone"] = zone
        # HSDS keeps the day only, in the service's own time zone: the same day keeps our
        # exact time; another day is read as midday there.
        service_zone = zone or (existing.timezone if existing else "America/Lima")
        verified = existing.last_verified_at if existing else None
        assured = clean.get("assured_date")
        if assured and (verified is None or local_date(verified, service_zone) != assured):
            fields["last_verified_at"] = local_noon(assured, service_zone)
        areas: list[dict[str, Any]] = []
        for area_rec in children["service_area"]:
            if self._taken(ServiceArea, area_rec, service_id):
                continue
            area = self._service_area(area_rec)
            if area is not None and all(a["area"] != area for a in areas):
                areas.append({"uuid": area_rec.id, "area": area})
        plan_links = [
            {
                "uuid": link.id,
                "location": link.clean["location_id"],
                "description": link.clean.get("description", ""),
            }
            for link in links
        ]
        if len(self.report.errors) > errors_before:
            return None
        return ServicePlan(
            rec,
            service_id,
            org_id,
            fields,
            terms=sorted(set(terms)),
            phones=phones,
            schedules=schedules,
            links=plan_links,
            areas=areas,
            exists=existing is not None,
        )

    def _costs(self, rec: Record, options: list[Record], fields: dict[str, Any]) -> None:
        described = rec.clean.get("fees_description") or rec.clean.get("fees") or ""

        def free(option: Record) -> bool:
            amount = option.clean.get("amount")
            if amount is not None:
                return amount == 0
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
            self.report.error(
                rec, "fees_description", _("The fees are too long (at most 300 characters).")
            )
        fields["is_free"] = is_free
        fields["fee_detail"] = detail

    def _languages(self, records: list[Record]) -> list[str]:
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
                    self.report.warn(rec, "name", _("Unknown language; not imported."))
                    continue
            elif not code:
                continue
            if found is None:
                self.report.error(
                    rec, "code", _("Not an ISO 639 language code: %(code)s") % {"code": code}
                )
                continue
            value = getattr(found, "alpha_2", None) or found.alpha_3
            if value not in codes:
                codes.append(value)
        return codes

    def _schedules(
        self, records: list[Record], service_id: uuid.UUID, existing: Service | None
    ) -> tuple[list[dict[str, Any]], bool, str]:
        rows: list[dict[str, Any]] = []
        zone = ""
        offset: float | None = None
        for rec in records:
            if self._taken(Schedule, rec, service_id):
                continue
            clean = rec.clean
            if clean.get("freq", "WEEKLY") != "WEEKLY":
                self.report.warn(rec, "freq", _("Only weekly schedules are imported."))
                continue
            opens, closes = clean.get("opens_at"), clean.get("closes_at")
            if opens is None or closes is None:
                self.report.warn(
                    rec,
                    "opens_at",
                    _("A schedule without opening and closing times is not imported."),
                )
                continue
            days: list[int] = []
            for token in (clean.get("byday") or "").split(","):
                token = token.strip().upper()
                if not token:
                    continue
                if token not in DAY_FROM_BYDAY:
                    self.report.error(
                        rec,
                        "byday",
                        _("Unknown day “%(day)s”: use MO, TU, WE, TH, FR, SA, SU.")
                        % {"day": token},
                    )
                    days = []
                    break
                days.append(DAY_FROM_BYDAY[token])
            if not days:
                if not (clean.get("byday") or "").strip():
                    self.report.warn(rec, "byday", _("A schedule without days is not imported."))
                continue
            if opens[0] >= closes[0]:
                self.report.error(
                    rec,
                    "closes_at",
                    _("Must be after the opening time (split hours that pass midnight)."),
                )
                continue
            for text in (clean.get("notes", ""), clean.get("description", "")):
                for candidate in ZONE_RE.findall(text or ""):
                    try:
                        ZoneInfo(candidate)
                    except (KeyError, ValueError):
                        continue
                    zone = zone or candidate
            hours = clean.get("timezone")
            offset = hours if hours is not None else opens[1] if opens[1] is not None else offset
            for day in days:
                rows.append(
                    {
                        "uuid": rec.id
                        if len(days) == 1
                        else uuid.uuid5(NAMESPACE, f"schedule:{rec.id}:{day}"),
                        "weekday": day,
                        "opens_at": opens[0],
                        "closes_at": closes[0],
                    }
                )
        always = {
            row["weekday"]
            for row in rows
            if row["opens_at"] == time(0) and row["closes_at"] >= time(23, 59)
        }
        always_open = always == set(range(1, 8))
        if always_open:
            rows = [
                row
                for row in rows
                if not (row["opens_at"] == time(0) and row["closes_at"] >= time(23, 59))
            ]
        if not zone and offset is not None:
            current = existing.timezone if existing else "America/Lima"
            if utc_offset(current) == offset:
                zone = current
            elif offset == int(offset):
                zone = f"Etc/GMT{'-' if offset > 0 else '+'}{abs(int(offset))}" if offset else "UTC"
        return rows, always_open, zone

    def _service_area(self, rec: Record) -> AdminArea | None:
        texts = [rec.clean.get(name, "") or "" for name in ("description", "extent", "uri", "name")]
        for text in texts:
            for code in AREA_CODE_RE.findall(text):
                match = next((a for a in self.areas if a.code == code), None)
                if match is not None:
                    return match
            for pcode in PCODE_RE.findall(text):
                match = next((a for a in self.areas if pcode in (a.pcode, a.code)), None)
                if match is not None:
                    return match
        name = fold(rec.clean.get("name", "") or "")
        if name:
            matches = [a for a in self.areas if name in (fold(a.name_es), fold(a.name_en))]
            if len(matches) == 1:
                return matches[0]
        self.report.warn(
            rec, "name", _("No administrative area matches this service area; not imported.")
        )
        return None


# --- Writing ------------------------------------------------------------------------


@transaction.atomic
def apply_plan(plan: Plan, actor: User | None, progress: Progress | None = None) -> dict[str, int]:
    """Write a valid plan in one transaction; returns the counts."""
    progress = progress or (lambda percent: None)
    organizations = _by_uuid(
        Organization,
        {p.organization for p in plan.services} | {p.organization for p in plan.locations},
    )
    for org_plan in plan.organizations:
        organization = Organization.objects.create(
            uuid=org_plan.key, type=OrganizationType.NGO, **org_plan.fields
        )
        organizations[organization.uuid] = organization
        record("organization.imported", actor=actor, obj=organization, organization=organization)
    locations = _by_uuid(Location, {p.key for p in plan.locations})
    for location_plan in plan.locations:
        location = locations.get(location_plan.key) or Location(uuid=location_plan.key)
        location.organization = organizations[location_plan.organization]
        for name, value in location_plan.fields.items():
            setattr(location, name, value)
        location.save()
        locations[location.uuid] = location
    missing = {link["location"] for p in plan.services for link in p.links} - set(locations)
    locations.update(_by_uuid(Location, missing))
    existing = _by_uuid(Service, {p.key for p in plan.services}, "organization")
    total = max(1, len(plan.services))
    for index, service_plan in enumerate(plan.services):
        service = existing.get(service_plan.key) or Service(uuid=service_plan.key)
        before = actions.snapshot(service) if service.pk else None
        service.organization = organizations[service_plan.organization]
        for name, value in service_plan.fields.items():
            setattr(service, name, value)
        actions.save_service(
            actor, service, before=before, save_related=_related_writer(service_plan, locations)
        )
        if index % 50 == 0:
            progress(60 + 40 * index // total)
    counts = plan.counts()
    record("hsds.imported", actor=actor, details=counts)
    return counts


def _related_writer(
    plan: ServicePlan, locations: dict[uuid.UUID, Location]
) -> Callable[[Service], None]:
    def write(service: Service) -> None:
        service.terms.set(plan.terms)
        service.phones.all().delete()
        Phone.objects.bulk_create(Phone(service=service, **phone) for phone in plan.phones)
        service.schedules.all().delete()
        Schedule.objects.bulk_create(Schedule(service=service, **row) for row in plan.schedules)
        service.service_at_locations.all().delete()
        ServiceAtLocation.objects.bulk_create(
            ServiceAtLocation(
                uuid=link["uuid"],
                service=service,
                location=locations[link["location"]],
                description=link["description"],
            )
            for link in plan.links
        )
        service.service_areas.all().delete()
        ServiceArea.objects.bulk_create(
            ServiceArea(uuid=area["uuid"], service=service, area=area["area"])
            for area in plan.areas
        )

    return write


# --- Entry point --------------------------------------------------------------------


def run_import(
    data: bytes,
    filename: str,
    *,
    actor: User | None = None,
    dry_run: bool = True,
    progress: Progress | None = None,
) -> Result:
    """Read, check and (unless ``dry_run`` or anything is wrong) write an HSDS file."""
    progress = progress or (lambda percent: None)
    report = Report()
    reader = Reader(report)
    reader.read(filename, data)
    progress(5)
    plan = Planner(reader.tables, report, progress, reader.broken).build()
    counts = plan.counts() if plan is not None else {}
    valid = plan is not None and not report.errors
    if valid and not dry_run:
        assert plan is not None
        counts = apply_plan(plan, actor, progress)
    progress(100)
    return Result(
        valid=valid,
        dry_run=dry_run,
        format=reader.format,
        errors=report.errors,
        warnings=report.warnings,
        counts=counts,
    )
