"""Reading an HSDS file (JSON, or the tabular zip of CSV files) into records, table by table."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

from ruta.hsds.importer.fields import REPEATABLE, SPECS, TABLES, TABULAR_FILES
from ruta.hsds.importer.records import Record, Report
from ruta.hsds.mapping.kept import COMMON_LISTS, NESTED_LISTS
from ruta.lib.archives import ArchiveError, open_archive, open_member, read_member
from ruta.lib.issues import Issue
from ruta.lib.sheets import unescape

# 20,000 services with every related table export to well under these; larger archives
# are refused from their declared sizes, before anything is unpacked.
MAX_MEMBER_BYTES = 48 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024

# The top-level JSON arrays, in the order they are read, and the table of their items.
JSON_ARRAYS = {
    "organizations": "organization",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "locations": "location",
    "services": "service",
    "service_at_locations": "service_at_location",
    "programs": "program",
    "contacts": "contact",
    "funding": "funding",
    "organization_identifiers": "organization_identifier",
    "metadata": "metadata",
    "meta_table_descriptions": "meta_table_description",
    "phones": "phone",
    "schedules": "schedule",
    "attributes": "attribute",
}
# Fields that only one HSDS object has, telling a lone object (or a list item) apart.
SERVICE_ONLY = {
    "status",
    "program_id",
    "interpretation_services",
    "application_process",
    "fees_description",
    "wait_time",
    "fees",
    "accreditations",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "licenses",
    "alert",
    "last_modified",
    "service_areas",
    "service_at_locations",
    "organization",
    "cost_options",
    "required_documents",
    "program",
}
ORGANIZATION_ONLY = {
    "website",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "legal_status",
    "logo",
    "parent_organization_id",
    "programs",
    "organization_identifiers",
    "services",
    "locations",
}
# Kinds told apart only by common fields (a program: an organization_id and a name):
# in a list, such an item is of the kind of its neighbours.
GUESSED = {"contact", "program", "taxonomy"}
TERM_ONLY = {"code", "parent_id", "taxonomy", "taxonomy_detail", "taxonomy_id", "term_uri"}
# One object nested in another: its key, its table and the field of the outer object that
# takes its id (a service's ``organization`` gives the service its ``organization_id``).
NESTED_OBJECT = {
    "service": ("organization", "organization", "organization_id"),
    "service_at_location": ("location", "location", "location_id"),
    "attribute": ("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),
    "taxonomy_term": ("taxonomy_detail", "taxonomy", "taxonomy_id"),
}
# A service nests its program as well as its organization.
NESTED_THIRD = {"service": ("program", "program", "program_id")}
# A service_at_location (``service_at_location_full``) may nest its service as well.
NESTED_SECOND = {"service_at_location": ("service", "service", "service_id")}


def _inherited(table: str, child: str, raw: dict[str, Any], own_id: Any) -> dict[str, Any]:
    """The ids a nested item takes from the object it is nested in."""
    if child == "attribute":
        return {"link_id": own_id, "link_entity": table}
    if child == "metadata":
        return {"resource_id": own_id, "resource_type": table}
    if table == "service_at_location":
        return {"service_at_location_id": own_id, "service_id": raw.get("service_id")}
    return {f"{table}_id": own_id}


class Reader:
    """Turns a JSON document or a tabular zip into records, table by table."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.tables: dict[str, list[Record]] = defaultdict(list)
        self.format = "json"
        self._seen: dict[str, dict[str, Record]] = defaultdict(dict)
        self._unread_keys: set[tuple[str, str]] = set()
        # The tables of a tabular file (a table whose CSV file is absent is not emptied).
        self.csv_tables: set[str] | None = None
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
        arrays, loose = _arrays(document)
        if loose is not None:
            self._loose(name, loose)
        elif any(isinstance(arrays.get(key), list) for key in JSON_ARRAYS):
            self._named_arrays(name, arrays)
        else:
            self.report.file_error(
                name,
                1,
                _(
                    "Expected a list of services or an object with services, organizations, "
                    "taxonomies or taxonomy_terms arrays."
                ),
            )
            return
        if not any(self.tables.values()) and not self.report.errors:
            self.report.file_error(name, 1, _("The file holds no HSDS object that Ruta stores."))

    def _loose(self, name: str, items: list[Any]) -> None:
        """A lone object or a list (or Page) of objects: each one told apart by its fields.

        The items of one list are of one kind: an item that looks like no stored object
        among items that do (a service without its status) is checked as one of them."""
        shapes = [shape_of(item) for item in items]
        stored = Counter(table for table in shapes if table in SPECS).most_common(1)
        for index, (item, table) in enumerate(zip(items, shapes, strict=True), start=1):
            if stored and (table not in SPECS or (table in GUESSED and len(items) > 1)):
                table = stored[0][0]
            if table in SPECS:
                self._object(table, item, name, index, "", {})
            elif table is not None:
                self.report.warnings.append(
                    Issue(
                        name,
                        index,
                        "",
                        _("An HSDS %(entity)s: Ruta does not store it; not imported.")
                        % {"entity": table},
                    )
                )
            else:
                self.report.file_error(
                    name,
                    index,
                    _(
                        "Not an HSDS object Ruta recognises (a service, organization, location, "
                        "service_at_location, taxonomy or taxonomy_term)."
                    ),
                )

    def _named_arrays(self, name: str, arrays: dict[str, Any]) -> None:
        for key, table in JSON_ARRAYS.items():
            items = arrays.get(key)
            if items is None:
                continue
            file = name if key == "services" and list(arrays) == ["services"] else f"{name}#{key}"
            if not isinstance(items, list):
                self.report.file_error(file, 1, _("Must be a list."), key)
                continue
            for index, item in enumerate(items, start=1):
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
        self._inherit(rec, defaults)
        rec.lists = frozenset(key for key, value in item.items() if isinstance(value, list))
        if raw.get("id") is not None:
            key = str(raw["id"]).strip().lower()
            first = self._seen[table].get(key)
            if first is not None:
                # HSDS repeats an object by id wherever it belongs (a phone under its
                # service and under its service_at_location): one object, read once.
                if table in REPEATABLE:
                    return first
                self._merge(first, rec)
                rec = first
            else:
                self._seen[table][key] = rec
                self.tables[table].append(rec)
        else:
            self.tables[table].append(rec)
        own_id = rec.raw.get("id")
        read: set[str] = set()
        for nested in (NESTED_OBJECT, NESTED_SECOND, NESTED_THIRD):
            if table in nested:
                read.add(nested[table][0])
                self._nested_object(rec, item, *nested[table])
        lists = NESTED_LISTS.get(table, ())
        if table not in ("metadata", "meta_table_description"):
            lists = (*lists, *COMMON_LISTS[table in ("taxonomy", "taxonomy_term") :])
        for key, child in lists:
            read.add(key)
            self._nested_list(rec, item, key, child, _inherited(table, child, rec.raw, own_id))
        self._unread(rec, item, read)
        return rec

    def _merge(self, first: Record, again: Record) -> None:
        """Take the fields a repeated object adds; a value that differs is an error."""
        first.lists |= again.lists
        for name, value in again.raw.items():
            if value is None:
                continue
            mine = first.raw.get(name)
            if mine is None:
                first.raw[name] = value
                if name in again.inherited:
                    first.inherit(name)
            elif str(mine).strip().lower() != str(value).strip().lower():
                self.report.error(
                    again,
                    "id",
                    _(
                        "This id appears more than once in the file, with a different "
                        "%(field)s (“%(first)s”, then “%(again)s”)."
                    )
                    % {"field": name, "first": mine, "again": value},
                )

    def _unread(self, rec: Record, item: dict[str, Any], read: set[str]) -> None:
        """Report, once per kind of object, the nested HSDS objects Ruta does not store."""
        for key, value in item.items():
            if key in read or not isinstance(value, list | dict) or not value:
                continue
            if (rec.table, key) in self._unread_keys:
                continue
            self._unread_keys.add((rec.table, key))
            self.report.warn(
                rec,
                key,
                _("Ruta does not store the %(field)s of a %(entity)s; not imported.")
                % {"field": key, "entity": rec.table},
            )

    def _inherit(self, rec: Record, defaults: dict[str, Any]) -> None:
        """Fill the ids the object takes from its parent; a different value is an error."""
        for key, value in defaults.items():
            if value is None:
                continue
            if rec.raw.get(key) is None:
                rec.raw[key] = value
                rec.inherit(key)
            elif str(rec.raw[key]).strip().lower() != str(value).strip().lower():
                self.report.error(
                    rec,
                    key,
                    _("Does not match the object it is nested in (%(id)s).") % {"id": value},
                )

    def _nested_object(
        self, rec: Record, item: dict[str, Any], key: str, child: str, link: str
    ) -> None:
        value = item.get(key)
        if value is None:
            return
        if not isinstance(value, dict):
            self.report.error(rec, key, _("Must be an object."))
            return
        self._object(child, value, rec.file, rec.line, rec.where(key), {})
        if rec.raw.get(link) is None:
            rec.raw[link] = value.get("id")
            rec.inherit(link)

    def _nested_list(
        self, rec: Record, item: dict[str, Any], key: str, child: str, extra: dict[str, Any]
    ) -> None:
        value = item.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.report.error(rec, key, _("Must be a list."))
            return
        for index, element in enumerate(value):
            self._object(child, element, rec.file, rec.line, f"{rec.where(key)}[{index}]", extra)

    # Tabular --------------------------------------------------------------------------

    def _read_zip(self, name: str, data: bytes) -> None:
        try:
            archive = open_archive(data, max_total=MAX_TOTAL_BYTES, max_member=MAX_MEMBER_BYTES)
        except ArchiveError as error:
            self.report.file_error(name, 1, str(error))
            return
        with archive:
            members = {PurePosixPath(info.filename).name: info for info in archive.infolist()}
            paths = self._package_paths(archive, members)
            used = {"datapackage.json"}
            self.csv_tables = set()
            for table in TABLES:
                candidates = [paths[table], f"{table}.csv"]
                member = next((members[c] for c in candidates if c in members), None)
                if member is None:
                    continue
                used.add(PurePosixPath(member.filename).name)
                self.csv_tables.add(table)
                self._read_member(archive, member, table)
            if not any(self.tables.values()) and not self.report.errors:
                self.report.file_error(name, 1, _("The archive holds no HSDS CSV file."))
            for other in sorted(set(members) - used):
                if other.endswith(".csv"):
                    self.report.warnings.append(
                        Issue(other, 1, "", _("Ruta does not import this file."))
                    )

    def _package_paths(
        self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]
    ) -> dict[str, str]:
        """The CSV file of each table: the HSDS names, or those ``datapackage.json`` gives."""
        paths = dict(TABULAR_FILES)
        if "datapackage.json" not in members:
            return paths
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
            self.report.file_error("datapackage.json", 1, _("datapackage.json is not valid JSON."))
        return paths

    def _read_member(self, archive: zipfile.ZipFile, member: zipfile.ZipInfo, table: str) -> None:
        """Read one CSV member as a stream (never decoded whole). A member that turns out
        damaged, too large or not UTF-8 part way is reported alone, as if read first:
        what was read of it is dropped."""
        file = PurePosixPath(member.filename).name
        records, errors = len(self.tables[table]), len(self.report.errors)
        broken = len(self.broken[table])
        failure: tuple[str, str] | None = None
        try:
            with open_member(archive, member, limit=MAX_MEMBER_BYTES) as stream:
                text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
                self._read_csv(table, file, text)
        except ArchiveError as error:
            failure = (member.filename, str(error))
        except UnicodeDecodeError:
            failure = (file, _("The file is not UTF-8 text."))
        if failure is not None:
            del self.tables[table][records:]
            del self.report.errors[errors:]
            del self.broken[table][broken:]
            self.report.file_error(failure[0], 1, failure[1])

    def _read_csv(self, table: str, file: str, content: Iterable[str]) -> None:
        reader = csv.reader(content)
        try:
            header = tuple(column.strip() for column in next(reader))
        except StopIteration:
            self.report.file_error(file, 1, _("The file is empty."))
            return
        except csv.Error as exc:
            self.report.file_error(file, 1, _("The CSV cannot be read: %(error)s") % {"error": exc})
            return
        missing = [name for name, spec in SPECS[table].items() if spec.required]
        missing = [name for name in missing if name not in header]
        for column in missing:
            self.report.file_error(
                file,
                1,
                _("The required column %(column)s is missing.") % {"column": column},
                column,
            )
        skip = frozenset(missing)
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
            if any(cell.strip() for cell in row):
                self._row(table, file, start, header, row, skip, seen_ids)

    def _row(
        self,
        table: str,
        file: str,
        start: int,
        header: tuple[str, ...],
        row: list[str],
        skip: frozenset[str],
        seen_ids: set[str],
    ) -> None:
        """Add one CSV row as a record (or report why it cannot be read)."""
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
            return
        # Ruta's own export neutralises formula-like text with an apostrophe: undone here.
        # An empty cell is left out (``raw.get`` gives None for it, as for an absent
        # column; ``columns`` says which the file has): most cells of an HSDS file are
        # empty, and a dict of every column for each of its rows would hold them all.
        raw: dict[str, Any] = {}
        for column, cell in zip(header, row, strict=True):
            if cell and (value := unescape(cell.strip())):
                raw[column] = value
        rec = Record(table, raw, file, start, from_csv=True, skip=skip, columns=header)
        key = (raw.get("id") or "").lower()
        if key and key in seen_ids:
            self.report.error(rec, "id", _("This id appears more than once in the file."))
            return
        seen_ids.add(key)
        self.tables[table].append(rec)


def _arrays(document: Any) -> tuple[dict[str, Any], list[Any] | None]:
    """The named arrays of a JSON document, or its objects when they are not named."""
    if isinstance(document, list):
        return {}, document
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        return {}, document["contents"]  # a Page: organization_list, service_list ...
    if isinstance(document, dict) and "id" in document:
        return {}, [document]  # one object: service_full, organization_full, location ...
    if isinstance(document, dict):
        return document, None
    return {}, None


def shape_of(item: Any) -> str | None:
    """The HSDS object an unnamed JSON object is, from the fields only it has."""
    if not isinstance(item, dict):
        return "service"  # reported as "Must be an object" where services are expected
    keys = set(item)
    if "location_type" in keys or keys & {"addresses", "accessibility", "latitude"}:
        return "location"
    if keys & SERVICE_ONLY:
        return "service"
    if isinstance(item.get("service"), dict) or isinstance(item.get("location"), dict):
        return "service_at_location"
    if {"service_id", "location_id"} <= keys:
        return "service_at_location"
    if keys & TERM_ONLY:
        return "taxonomy_term"
    if keys & ORGANIZATION_ONLY:
        return "organization"
    if keys & {"title", "department"}:
        return "contact"
    if {"organization_id", "name"} <= keys:
        return "program"
    if "version" in keys:
        return "taxonomy"
    if {"name", "description"} <= keys:
        return "organization"
    if "name" in keys:
        return "service"  # a service without its status: reported as such
    return None
