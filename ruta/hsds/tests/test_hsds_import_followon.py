"""HSDS import: rows that depend on a rejected record are reported once, on that record."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from typing import Any

import pytest

from ruta.hsds.export import export_file
from ruta.hsds.importer import Issue, run_import
from ruta.hsds.tests.test_hsds_api import rich_service
from ruta.hsds.tests.test_hsds_import import ORG_ID, directory_counts, service_doc

pytestmark = pytest.mark.usefixtures("english")

Tables = dict[str, list[dict[str, str]]]


def exported(world: Any) -> tuple[Tables, str]:
    """One rich service exported as the tabular zip, as editable rows, and its id."""
    rich_service(world)
    archive, _counts = export_file()
    with zipfile.ZipFile(archive) as source:
        tables = {
            name: list(csv.DictReader(io.StringIO(source.read(name).decode())))
            for name in source.namelist()
            if name.endswith(".csv")
        }
    # The files it fills (the others, funding.csv ..., have only their header).
    tables = {name: rows for name, rows in tables.items() if rows}
    return tables, tables["services.csv"][0]["id"]


def zipped(tables: Tables, raw: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, rows in tables.items():
            text = io.StringIO()
            if rows:
                writer = csv.DictWriter(text, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            target.writestr(name, text.getvalue())
        for name, content in (raw or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def replace_everywhere(tables: Tables, old: str, new: str) -> None:
    for rows in tables.values():
        for row in rows:
            for column, value in row.items():
                if value == old:
                    row[column] = new


def on(errors: list[Issue], file: str, line: int | None = None) -> list[Issue]:
    return [i for i in errors if i.file == file and (line is None or i.line == line)]


def dependants(errors: list[Issue]) -> list[Issue]:
    return [i for i in errors if "refer to this id" in i.reason or "refers to this id" in i.reason]


def child_rows(tables: Tables, service_id: str) -> int:
    return sum(
        1
        for name, rows in tables.items()
        if name != "services.csv"
        for row in rows
        if service_id in (row.get("service_id"), row.get("link_id"))
    )


@pytest.mark.django_db
def test_rows_of_a_service_with_a_bad_id_are_reported_once_on_the_service(world: Any) -> None:
    tables, service_id = exported(world)
    replace_everywhere(tables, service_id, "not-a-uuid")
    depending = child_rows(tables, "not-a-uuid")
    assert depending >= 10
    phone = dict(tables["phones.csv"][0])
    # A row of its own that points at the rejected service and has its own mistake too.
    tables["phones.csv"].append({**phone, "id": str(uuid.uuid4()), "number": "9" * 41})
    # A row that points at a service found nowhere in the file.
    tables["phones.csv"].append({**phone, "id": str(uuid.uuid4()), "service_id": str(uuid.uuid4())})
    before = directory_counts()

    result = run_import(zipped(tables), "ruta.zip", dry_run=False)

    assert not result.valid
    assert directory_counts() == before
    service_errors = on(result.errors, "services.csv", 2)
    assert [i.reason for i in service_errors] == [
        "“not-a-uuid” is not a valid UUID.",
        f"{depending + 1} rows in service_at_location.csv, phones.csv, schedules.csv, "
        "service_areas.csv, languages.csv, cost_options.csv, required_documents.csv and "
        "attributes.csv refer to this id and were not checked further.",
    ]
    assert all(i.field == "id" for i in service_errors)
    phones = len(tables["phones.csv"])
    assert [(i.file, i.line, i.field) for i in result.errors if i.file != "services.csv"] == [
        ("phones.csv", phones, "number"),
        ("phones.csv", phones + 1, "service_id"),
    ]
    assert on(result.errors, "phones.csv", phones + 1)[0].reason == (
        "Unknown service: it is not in the file."
    )
    assert "not a valid UUID" not in " ".join(i.reason for i in result.errors[1:])


@pytest.mark.django_db
def test_a_mistyped_service_id_still_groups_the_rows_that_use_the_right_one(world: Any) -> None:
    tables, service_id = exported(world)
    depending = child_rows(tables, service_id)
    tables["services.csv"][0]["id"] = service_id[:-1] + "x"  # one key pressed wrong

    result = run_import(zipped(tables), "ruta.zip", dry_run=True)

    assert not result.valid
    assert {i.file for i in result.errors} == {"services.csv"}
    assert len(result.errors) == 2, result.errors
    (grouped,) = dependants(result.errors)
    assert (grouped.line, grouped.field) == (2, "id")
    assert grouped.reason.startswith(f"{depending} rows in service_at_location.csv, phones.csv")


@pytest.mark.django_db
def test_an_unreadable_service_row_groups_its_rows(world: Any) -> None:
    tables, service_id = exported(world)
    depending = child_rows(tables, service_id)
    services = tables.pop("services.csv")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(list(services[0]))
    writer.writerow([*services[0].values(), "one cell too many"])

    result = run_import(zipped(tables, {"services.csv": text.getvalue()}), "ruta.zip")

    assert [(i.file, i.line) for i in result.errors] == [("services.csv", 2)] * 2, result.errors
    assert "cells" in result.errors[0].reason
    assert result.errors[1].reason.startswith(f"{depending} rows in ")


@pytest.mark.django_db
def test_rows_of_a_rejected_service_at_location_are_grouped_on_it(world: Any) -> None:
    tables, _service_id = exported(world)
    link = tables["service_at_location.csv"][0]
    link["service_id"] = str(uuid.uuid4())  # a service that is nowhere: the link is rejected
    for table in ("phones.csv", "schedules.csv"):
        for row in tables[table]:
            row.update(service_id="", service_at_location_id=link["id"])
    moved = len(tables["phones.csv"]) + len(tables["schedules.csv"])

    result = run_import(zipped(tables), "ruta.zip")

    assert [(i.file, i.line, i.field) for i in result.errors] == [
        ("service_at_location.csv", 2, "service_id"),
        ("service_at_location.csv", 2, "id"),
    ], result.errors
    assert result.errors[0].reason == "Unknown service: it is not in the file."
    assert result.errors[1].reason == (
        f"{moved} rows in phones.csv and schedules.csv refer to this id and were not checked "
        "further."
    )


@pytest.mark.django_db
def test_json_records_of_a_rejected_location_are_grouped_on_it(world: Any) -> None:
    location = {
        "id": "loc-1",
        "location_type": "physical",
        "name": "Sede",
        "organization_id": ORG_ID,
    }
    services = []
    for name in ("Uno", "Dos"):
        doc = service_doc(name)
        doc["service_at_locations"] = [{"id": str(uuid.uuid4()), "location_id": "loc-1"}]
        services.append(doc)
    lost = service_doc("Tres")
    lost["service_at_locations"] = [{"id": str(uuid.uuid4()), "location_id": str(uuid.uuid4())}]
    document = {"locations": [location], "services": [*services, lost]}

    result = run_import(json.dumps(document).encode(), "x.json")

    assert [(i.file, i.line, i.field) for i in result.errors] == [
        ("x.json#locations", 1, "id"),
        ("x.json#locations", 1, "id"),
        ("x.json#services", 3, "service_at_locations[0].location_id"),
    ], result.errors
    assert result.errors[1].reason == (
        "2 records in x.json#services refer to this id and were not checked further."
    )
    assert result.errors[2].reason == "Unknown location."


@pytest.mark.django_db
def test_json_service_with_a_bad_id_reports_one_error_for_all_it_nests(world: Any) -> None:
    doc = service_doc(id="not-a-uuid")
    link = doc["service_at_locations"][0]
    link["phones"] = [{"id": str(uuid.uuid4()), "number": "+51 1 555 0000"}]
    link["schedules"] = [{"id": str(uuid.uuid4()), "byday": "MO", "opens_at": "09:00"}]

    result = run_import(json.dumps([doc]).encode(), "x.json")

    assert [(i.line, i.field, i.reason) for i in result.errors] == [
        (1, "id", "“not-a-uuid” is not a valid UUID.")
    ]
