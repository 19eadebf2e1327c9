"""Import Open Referral HSDS 3.0 data: JSON or the tabular zip, checked before it is written.

Input
  * JSON, in any shape of the HSDS 3.0 examples: a list or a Page envelope
    (``contents``) of objects, or one object (``service_full``, ``organization_full``
    with its services and locations, ``organization_list``, ``location``,
    ``service_at_location_full``/``_list`` with their service and location,
    ``taxonomy_term_list``, a program ...); each object is told apart by the fields only
    its kind has (``reading.shape_of``), the items of one list being of one kind. Also an
    object with arrays of any HSDS entity (``services``, ``organizations``, ``funding``,
    ``meta_table_descriptions`` ...).
  * The tabular zip: the CSV files of the HSDS data package (``services.csv``,
    ``phones.csv`` ...; the singular names ``service.csv`` ... are accepted too), with
    or without ``datapackage.json``, as ``export.py`` writes them.

Both are flattened into the same tables of records, then validated as a whole: required
fields, UUID syntax, types, formats, value ranges, lengths, duplicate ids within the
file, references (organizations and locations in the file or the database, taxonomy
terms by id or by taxonomy and code), and ids the database already gives to another
service. An object HSDS repeats by id (a phone under its service and under its
service_at_location) is read once, the copies merged; copies that contradict each other
are an error. A location whose organization is published elsewhere keeps the
organization of its service (a warning). Every error is collected with its file, line
(CSV) or record number (JSON), field and a translated reason. Nothing is written unless
there is no error; then one transaction writes everything, idempotent on HSDS ids (our
UUIDs): a re-import updates, never duplicates. Each table is written for all services at
once (COPY on PostgreSQL, executemany on SQLite: ``ruta.lib.bulk``), then the change
history, search text and audit trail of every service are computed from what was
written, as ``actions.save_service`` records them for one service, with the importing
user (``actions.record_bulk_saves``): the queries do not grow with the services. A zip's
CSV files are read as streams, never unpacked whole.

Nothing HSDS defines is lost: besides what Ruta makes of it (its services, hours,
phones ...), every object of the file is kept as received (``keeping``, into
``ruta.hsds.models.KeptRecord``) and the export gives it back wherever Ruta's data did
not change since (``ruta.hsds.mapping.kept``): fields Ruta has no column for, objects
it has no model for (funding, programs, contacts, metadata ...), a schedule ``byday
TH,FR`` as one schedule. A field HSDS does not define is reported (it cannot be
stored). Warnings say what Ruta itself does not use: monthly schedules, service areas
and regions that match no administrative area, terms Ruta's taxonomies lack (import
never creates taxonomies or terms: coordinators curate them). HSDS's alternate_name is
kept as received, not taken for the English name. Import creates organizations that
are neither in the database nor named like one there (type NGO), with the alternate
name as acronym when it is short enough. Absent is not empty: a service's
phones, schedules, service_at_locations, service areas, languages, documents, costs and
terms are replaced by the file's only when the file gives that table for the service
(the JSON array is present, even empty, or rows point at the service, or the zip has
the CSV file); otherwise the service keeps them.

The parts, in the order they run: ``reading`` (the file into ``records``), ``checks``
(each value against ``fields``, the rules of every HSDS field, declared once),
``planner`` (``references``, ``index``, ``plan_places``, ``plan_services`` with
``service_fields`` and ``schedules``: the whole file checked, the ``plan`` built) and
``applying`` (the plan written in one transaction, ``keeping`` last).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ruta.hsds.importer.applying import apply_plan
from ruta.hsds.importer.planner import Planner
from ruta.hsds.importer.reading import Reader
from ruta.hsds.importer.records import Progress, Report, Result
from ruta.lib.issues import Issue

if TYPE_CHECKING:
    from ruta.accounts.models import User

__all__ = ["Issue", "Progress", "Result", "run_import"]


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
    plan = Planner(reader.tables, report, progress, reader.broken, reader.csv_tables).build()
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
