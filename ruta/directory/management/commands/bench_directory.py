"""Benchmark the directory on a scratch database: a benchmark, not a timed test.

``manage.py bench_directory [--services N] [--repeat R]`` never touches the project
database: it re-runs itself in a child process whose ``DATABASE_URL`` points at a new
temporary SQLite file (settings ``ruta.test_settings``, DEBUG off), migrates it,
generates N services across Peru and Ecuador with a fixed random seed, and prints the
median and 95th percentile, in milliseconds, of:

(a) a finder text search in common words, (a2) one in everyday words the vocabulary
expands ("me pegan depresion"), (a3) one for a rare word (a place), (b) a filtered "near
me" search, (c) the HSDS ``/services`` page and (d) the matrix of a pathway with 15 organizations x 10 profiles, plus the query
count of each; all built on every run (``RUTA_PUBLIC_PAGE_CACHE`` off), then (e) the text
search again with whole pages kept (``directory.page_cache``), as a repeated query is
answered. A route that does not exist yet is reported as not available.

Beside each measure it prints, from the same run: the time of the page's own SQL replayed
without Python around it, and a floor, raw SQL written by hand for the same answer
(``ruta.directory.management.bench_floors``; for the finder, the same ids in the same
order, which the benchmark checks), with the page's median as a multiple of the floor's.

Run it like any other command (for development: ``DEBUG=true manage.py bench_directory``);
``--keep-db`` keeps the scratch file for ``EXPLAIN QUERY PLAN``.

``--database postgres`` runs it on PostgreSQL instead: a new database
``ruta_bench_directory_<pid>`` on the server of ``--postgres-url`` (default
``postgres://postgres@127.0.0.1:5432/postgres``), filled with COPY, vacuumed and analysed
before the timed runs, and dropped afterwards (``--keep-db`` keeps it).
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from ruta.directory.management.bench_floors import (
    Floor,
    near_floor,
    pathway_floor,
    replay_floor,
    text_floor,
)
from ruta.lib.bench import child_environment, run_child, scratch_postgres, vacuum_analyze
from ruta.lib.startup import freeze_startup_objects

CHILD_FLAG = "RUTA_BENCH_SCRATCH_DB"
HOST = "localhost"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_PREFIX = "ruta_bench_directory"
# The p95 each measure should stay under (issue #18): a page in a few times its SQL floor.
TARGETS_MS = {"a": 30.0, "a2": 30.0, "a3": 30.0, "b": 40.0, "c": 100.0, "d": 50.0, "e": 30.0}

# What generated services are called: (Spanish, English, sector code).
KINDS: list[tuple[str, str, str]] = [
    ("Apoyo psicológico", "Psychological support", "mental_health"),
    ("Apoyo psicosocial", "Psychosocial support", "psychosocial_support"),
    ("Atención psicológica", "Psychological care", "mental_health"),
    ("Primeros auxilios psicológicos", "Psychological first aid", "psychosocial_support"),
    ("Gestión de casos de VBG", "GBV case management", "gbv_case_management"),
    ("Orientación legal", "Legal advice", "legal"),
    ("Asesoría migratoria", "Migration advice", "documentation"),
    ("Atención médica", "Medical care", "medical"),
    ("Salud sexual y reproductiva", "Sexual and reproductive health", "srh"),
    ("Espacio amigable", "Child-friendly space", "child_protection"),
    ("Albergue temporal", "Temporary shelter", "shelter"),
    ("Transferencias monetarias", "Cash assistance", "cash"),
    ("Medios de vida", "Livelihoods", "livelihoods"),
    ("Canasta de alimentos", "Food baskets", "food"),
    ("Línea de orientación", "Helpline", "helpline"),
    ("Nivelación escolar", "Catch-up classes", "informal_education"),
    ("Recreación y deporte", "Recreation and sport", "recreation"),
]
FOR_WHOM: list[tuple[str, str]] = [
    ("para mujeres", "for women"),
    ("para niñas y niños", "for children"),
    ("para adolescentes", "for adolescents"),
    ("para personas en tránsito", "for people in transit"),
    ("para personas LGBTIQ+", "for LGBTIQ+ people"),
    ("para personas mayores", "for older persons"),
    ("comunitario", "in the community"),
    ("en frontera", "at the border"),
    ("itinerante", "mobile team"),
    ("en línea", "online"),
]
DESCRIPTIONS: list[tuple[str, str]] = [
    (
        "Atención gratuita y confidencial para personas refugiadas, migrantes y de la comunidad de acogida.",
        "Free, confidential help for refugees, migrants and the host community.",
    ),
    (
        "Sesiones individuales y grupales con derivación a servicios especializados cuando hace falta.",
        "Individual and group sessions with referral to specialised services when needed.",
    ),
    (
        "Orientación, acompañamiento y seguimiento con enfoque de género y centrado en la persona.",
        "Guidance, accompaniment and follow-up, gender-sensitive and person-centred.",
    ),
]


def _p95(timings: list[float]) -> float:
    if not timings:
        return math.nan
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Measure:
    label: str
    target: str
    timings: list[float]  # wall clock, ms
    cpu: list[float]  # CPU time of the process, ms
    queries: int | None
    status: int | None
    note: str = ""
    key: str = ""  # a, a2, b, c, d: its target in TARGETS_MS
    own_sql: list[float] = field(default_factory=list)  # the page's queries replayed, ms
    floor: list[float] = field(default_factory=list)  # the hand-written floor, ms
    floor_label: str = ""
    floor_agrees: bool | None = None  # the finder's floors: same ids in the same order

    @property
    def target_ms(self) -> float:
        return TARGETS_MS.get(self.key, 100.0)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor) if self.floor else math.nan

    @property
    def floor_p95(self) -> float:
        return _p95(self.floor)

    @property
    def own_sql_median(self) -> float:
        return statistics.median(self.own_sql) if self.own_sql else math.nan

    @property
    def median(self) -> float:
        return statistics.median(self.timings) if self.timings else math.nan

    @property
    def p95(self) -> float:
        return _p95(self.timings)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else math.nan


class Command(BaseCommand):
    help = (
        "Generate N services in a scratch database (SQLite or PostgreSQL) and print the median and p95 "
        "of the finder, a 'near me' search, the HSDS /services page and a pathway matrix."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, default=20000, help="services to generate")
        parser.add_argument("--repeat", type=int, default=30, help="timed runs per measure")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--keep-db",
            action="store_true",
            help="keep the scratch database and print where it is (for EXPLAIN)",
        )
        parser.add_argument(
            "--database",
            choices=("sqlite", "postgres"),
            default="sqlite",
            help="the scratch database: a SQLite file, or a new PostgreSQL database",
        )
        parser.add_argument(
            "--postgres-url",
            default=POSTGRES_SERVER,
            help="the PostgreSQL server on which --database postgres creates its database",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["services"] < 20 or options["repeat"] < 1:
            raise CommandError("Use at least 20 services and 1 run.")
        if os.environ.get(CHILD_FLAG):
            self._run_in_scratch_database(options)
        else:
            self._spawn(options)

    # --- Parent: never opens the project database ---------------------------------------

    def _spawn(self, options: dict[str, Any]) -> None:
        cleanup: Callable[[], None]
        if options["database"] == "postgres":
            url, drop = scratch_postgres(options["postgres_url"], prefix=POSTGRES_PREFIX)
            scratch, where = url, f"PostgreSQL database {urlsplit(url).path.lstrip('/')}"
            cleanup = drop
        else:
            handle, name = tempfile.mkstemp(prefix="ruta-bench-", suffix=".sqlite3")
            os.close(handle)
            path = Path(name)
            scratch, url, where = str(path), f"sqlite:///{path}", str(path)

            def cleanup() -> None:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

        env = child_environment()
        env.update(
            {
                CHILD_FLAG: scratch,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "ruta.test_settings",
                "PYTHONUNBUFFERED": "1",
            }
        )
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_directory",
            "--services",
            str(options["services"]),
            "--repeat",
            str(options["repeat"]),
            "--seed",
            str(options["seed"]),
        ]
        try:
            returncode = run_child(command, env, self.stdout)
        finally:
            if options["keep_db"]:
                self.stdout.write(f"Scratch database kept: {where}")
            else:
                cleanup()
        if returncode:
            raise CommandError(f"The benchmark failed (exit status {returncode}).")

    # --- Child: works in the scratch database only ---------------------------------------

    def _run_in_scratch_database(self, options: dict[str, Any]) -> None:
        if not _is_scratch(settings.DATABASES["default"], os.environ[CHILD_FLAG]):
            raise CommandError("Refusing to run: the database is not the scratch database.")
        count, repeat = options["services"], options["repeat"]
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter()
        generated = generate(count, random.Random(options["seed"]))  # noqa: S311  (not crypto)
        done = time.perf_counter()
        if connection.vendor == "postgresql":
            vacuum_analyze()  # rows written by COPY: visibility map and statistics
            number = int(getattr(connection, "pg_version", 0))
            version = f"PostgreSQL {number // 10000}.{number % 10000}"
        else:
            connection.cursor().execute("ANALYZE")
            version = f"SQLite {sqlite3.sqlite_version}"
        self.stdout.write(
            f"Ruta directory benchmark on {version} "
            f"(scratch database, DEBUG off), {os.cpu_count()} CPUs"
        )
        self.stdout.write(
            f"Generated {generated['services']} services ({generated['active']} active), "
            f"{generated['organizations']} organizations, {generated['locations']} locations, "
            f"{generated['schedules']} opening hours, {generated['phones']} phones, "
            f"{generated['terms']} classifications, {generated['cells']} pathway cells "
            f"in {done - migrated:.1f} s (migrate {migrated - started:.1f} s)."
        )
        lima = timezone.now().astimezone(ZoneInfo("America/Lima"))
        self.stdout.write(
            f"Runs per measure: {repeat} after 2 warm-up runs; local time in Lima "
            f"{lima:%a %H:%M} (matters for 'open now')."
        )
        measures = run_measures(generated, repeat)
        self._print(measures)

    def _print(self, measures: list[Measure]) -> None:
        width = max(len(m.label) for m in measures)
        self.stdout.write("")
        self.stdout.write(
            f"{'measure':<{width}}  {'median ms':>9}  {'p95 ms':>8}  {'cpu ms':>7}  "
            f"{'queries':>7}  {'status':>6}  {'own SQL':>7}  {'floor':>6}  {'floor p95':>9}  "
            f"{'x floor':>7}  target p95"
        )
        for m in measures:
            if not m.timings:
                self.stdout.write(f"{m.label:<{width}}  {m.note}")
                continue
            verdict = "ok" if m.p95 <= m.target_ms else "MISSED"
            ratio = m.median / m.floor_median if m.floor else math.nan
            self.stdout.write(
                f"{m.label:<{width}}  {m.median:>9.1f}  {m.p95:>8.1f}  {m.cpu_median:>7.1f}  "
                f"{m.queries if m.queries is not None else '-':>7}  "
                f"{m.status if m.status is not None else '-':>6}  "
                f"{m.own_sql_median:>7.1f}  {m.floor_median:>6.1f}  {m.floor_p95:>9.1f}  "
                f"{ratio:>7.1f}  <= {m.target_ms:.0f} ms {verdict}"
            )
        self.stdout.write("")
        self.stdout.write(
            "median and p95: wall clock; cpu ms: median CPU time of the process (Python, and "
            "SQLite when it is the database, run in it), the better guide when the machine "
            "is busy. own SQL: median of "
            "the page's queries replayed raw; floor: median (and p95) of raw SQL written by "
            "hand for the same answer; x floor: the page's median over the floor's."
        )
        for m in measures:
            self.stdout.write(
                f"{m.label}: {m.target}{f' — {m.note}' if m.note and m.timings else ''}"
            )
            if m.floor_label:
                agrees = {True: "same ids, same order", False: "DIFFERENT ids or order"}
                check = f" ({agrees[m.floor_agrees]})" if m.floor_agrees is not None else ""
                self.stdout.write(f"    floor: {m.floor_label}{check}")


def _is_scratch(database: dict[str, Any], scratch: str) -> bool:
    """Whether ``database`` is the scratch database the parent made: its SQLite file in
    the temporary folder, or its new PostgreSQL database."""
    name = str(database["NAME"])
    if connection.vendor == "sqlite":
        return name == scratch and scratch.startswith(tempfile.gettempdir())
    if connection.vendor == "postgresql":
        return name.startswith(POSTGRES_PREFIX + "_") and urlsplit(scratch).path == f"/{name}"
    return False


# --- Data generation ---------------------------------------------------------------------


# Values psycopg writes as they are: no Django conversion needed on PostgreSQL.
_PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "UUIDField",
}


def _store(model: Any, objects: list[Any], batch_size: int = 5000) -> None:
    """Insert ``objects``: on PostgreSQL with COPY (several times faster than INSERTs at
    200,000 services), elsewhere with ``bulk_create``."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=batch_size)
        return
    database = connections[connection.alias]  # the wrapper itself, not the proxy
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and getattr(objects[0], field.attname) is None)
    ]

    def converter(field: Any) -> Callable[[Any], Any]:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return lambda item: field.get_db_prep_save(field.pre_save(item, True), database)
        if field.get_internal_type() in _PLAIN_FIELDS and not field.choices:
            return lambda item: getattr(item, field.attname)
        return lambda item: field.get_db_prep_save(getattr(item, field.attname), database)

    converters = [converter(field) for field in fields]
    quote = database.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with database.cursor() as cursor:
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for item in objects:
                copy.write_row([convert(item) for convert in converters])
    for item in objects:  # saved, as bulk_create leaves them
        item._state.adding, item._state.db = False, database.alias


def _reset_sequences(*models: Any) -> None:
    """After rows inserted with their own ids, the next ids come after them (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def generate(count: int, rng: random.Random) -> dict[str, Any]:
    """Bulk-create ``count`` services with everything the finder and HSDS read."""
    from ruta.agencies.models import Organization, OrganizationType
    from ruta.directory.models import (
        IntakeStatus,
        Location,
        Phone,
        Schedule,
        Service,
        ServiceArea,
        ServiceAtLocation,
        ServiceStatus,
        TaxonomyTerm,
    )
    from ruta.directory.search_words import compose
    from ruta.places.models import AdminArea

    terms = list(TaxonomyTerm.objects.select_related("taxonomy"))
    by_taxonomy: dict[str, list[TaxonomyTerm]] = {}
    for term in terms:
        by_taxonomy.setdefault(term.taxonomy.code, []).append(term)
    term_by_code = {term.code: term for term in terms}
    areas = list(
        AdminArea.objects.filter(
            country__in=("PE", "EC"), level=1, latitude__isnull=False, longitude__isnull=False
        ).order_by("code")
    )
    areas_by_country = {
        country: [a for a in areas if a.country == country] for country in ("PE", "EC")
    }
    now = timezone.now()
    with transaction.atomic():
        # Organizations: about 60 services each, two thirds in Peru.
        organizations = []
        for n in range(max(30, count // 60)):
            country = "PE" if n % 3 else "EC"
            organizations.append(
                Organization(
                    id=n + 1,
                    uuid=_uuid(rng),
                    name=f"Organización de referencia {n + 1:04d}",
                    acronym=f"ORG{n + 1:04d}",
                    type=rng.choice(OrganizationType.values),
                    countries=[country],
                    website=f"https://org{n + 1:04d}.example.org",
                    active=True,
                )
            )
        _store(Organization, organizations, batch_size=1000)

        # Locations: 2 to 6 sites per organization, near their area's point.
        locations: list[Location] = []
        sites: dict[int, list[Location]] = {}
        for organization in organizations:
            country = organization.countries[0]
            for _ in range(rng.randint(2, 6)):
                area = rng.choice(areas_by_country[country])
                assert area.latitude is not None and area.longitude is not None
                location = Location(
                    id=len(locations) + 1,
                    uuid=_uuid(rng),
                    organization_id=organization.pk,
                    name=f"Sede {len(locations) + 1}",
                    address=f"Av. Ejemplo {rng.randint(100, 2999)}",
                    city=area.name_es,
                    country=country,
                    admin1_id=area.pk,
                    latitude=round(area.latitude + rng.uniform(-0.25, 0.25), 5),
                    longitude=round(area.longitude + rng.uniform(-0.25, 0.25), 5),
                )
                location.admin1 = area
                locations.append(location)
                sites.setdefault(organization.pk, []).append(location)
        _store(Location, locations, batch_size=2000)

        services: list[Service] = []
        through: list[Any] = []
        placed: list[ServiceAtLocation] = []
        schedules: list[Schedule] = []
        phones: list[Phone] = []
        reached: list[ServiceArea] = []
        by_organization: dict[int, list[Service]] = {}
        sectors, profiles, layers = (
            by_taxonomy["sector"],
            by_taxonomy["population"],
            by_taxonomy["iasc_layer"],
        )
        statuses = [ServiceStatus.ACTIVE] * 18 + [ServiceStatus.DRAFT, ServiceStatus.SUSPENDED]
        intakes = [IntakeStatus.ACCEPTING] * 16 + [IntakeStatus.WAITING_LIST] * 3
        intakes += [IntakeStatus.NOT_ACCEPTING]
        for n in range(count):
            organization = rng.choice(organizations)
            country = organization.countries[0]
            kind_es, kind_en, sector = rng.choice(KINDS)
            whom_es, whom_en = rng.choice(FOR_WHOM)
            description_es, description_en = rng.choice(DESCRIPTIONS)
            chosen_terms = {term_by_code[sector]}
            chosen_terms.update(rng.sample(sectors, rng.randint(0, 2)))
            chosen_terms.update(rng.sample(profiles, rng.randint(1, 4)))
            chosen_terms.update(rng.sample(layers, rng.randint(1, 2)))
            in_person = rng.random() < 0.8
            by_phone = rng.random() < 0.4 or not in_person
            is_free = rng.random() < 0.85
            documents = rng.random() < 0.2
            hours = rng.random()
            service = Service(
                id=n + 1,
                uuid=_uuid(rng),
                organization_id=organization.pk,
                name_es=f"{kind_es} {whom_es}",
                name_en=f"{kind_en} {whom_en}",
                description_es=description_es,
                description_en=description_en,
                status=rng.choice(statuses),
                intake_status=rng.choice(intakes),
                email=f"servicio{n + 1}@example.org",
                languages=["es"],
                is_free=is_free,
                fee_detail="" if is_free else f"S/ {rng.randint(5, 60)} por sesión",
                documents_required=documents,
                required_documents="Documento de identidad" if documents else "",
                in_person=in_person,
                by_phone=by_phone,
                online=rng.random() < 0.2,
                outreach=rng.random() < 0.1,
                open_24_7=hours < 0.1,
                timezone="America/Lima" if country == "PE" else "America/Guayaquil",
                illustrative=True,
                last_verified_at=now - timedelta(days=rng.randint(0, 200)),
            )
            its_sites = rng.sample(
                sites[organization.pk], min(len(sites[organization.pk]), rng.randint(1, 2))
            )
            for term in chosen_terms:
                through.append(
                    Service.terms.through(service_id=service.pk, taxonomyterm_id=term.pk)
                )
            for location in its_sites:
                assert location.admin1 is not None
                placed.append(
                    ServiceAtLocation(
                        uuid=_uuid(rng), service_id=service.pk, location_id=location.pk
                    )
                )
            # The words the editor's save would write (ruta.directory.search_words).
            service.search_text = compose(
                service,
                organization=organization,
                terms=chosen_terms,
                locations=its_sites,
                areas=[],
            )
            if 0.1 <= hours < 0.8:
                opens = clock(rng.choice((7, 8, 9)), rng.choice((0, 30)))
                closes = clock(rng.choice((13, 16, 17, 18, 20)))
                last_day = rng.choice((5, 5, 6))
                for weekday in range(1, last_day + 1):
                    schedules.append(
                        Schedule(
                            uuid=_uuid(rng),
                            service_id=service.pk,
                            weekday=weekday,
                            opens_at=opens,
                            closes_at=closes,
                        )
                    )
            for index in range(rng.randint(1, 2)):
                phones.append(
                    Phone(
                        uuid=_uuid(rng),
                        service_id=service.pk,
                        number=f"+51 900 {n % 1000:03d} {index:03d}",
                        whatsapp=rng.random() < 0.5,
                        free_line=rng.random() < 0.05,
                    )
                )
            if not in_person:
                for area in rng.sample(areas_by_country[country], 3):
                    reached.append(
                        ServiceArea(uuid=_uuid(rng), service_id=service.pk, area_id=area.pk)
                    )
            services.append(service)
            by_organization.setdefault(organization.pk, []).append(service)
        _store(Service, services, batch_size=1000)
        _store(Service.terms.through, through)
        _store(ServiceAtLocation, placed)
        _store(Schedule, schedules)
        _store(Phone, phones)
        _store(ServiceArea, reached)
        _reset_sequences(Organization, Location, Service)

        # A pathway with the 15 Peruvian organizations that have most services, x 10 profiles.
        peruvian = [o for o in organizations if o.countries == ["PE"]]
        rows = sorted(peruvian, key=lambda o: -len(by_organization.get(o.pk, [])))[:15]
        pathway, cells = _pathway(rng, rows, profiles[:10], by_organization, now)
    lima = next(a for a in areas if a.code == "PE-LMA")
    return {
        "services": len(services),
        "active": sum(1 for s in services if s.status == ServiceStatus.ACTIVE),
        "organizations": len(organizations),
        "locations": len(locations),
        "schedules": len(schedules),
        "phones": len(phones),
        "terms": len(through),
        "cells": cells,
        "pathway": pathway,
        "near": (lima.latitude, lima.longitude),
    }


def _pathway(
    rng: random.Random,
    rows: list[Any],
    profiles: list[Any],
    by_organization: dict[int, list[Any]],
    now: Any,
) -> tuple[uuid.UUID, int]:
    """A published pathway of ``rows`` x ``profiles``, each cell pointing at 1-2 services.

    Pathways sit above the directory: their models are looked up by name, not imported,
    so the directory does not depend on them (the benchmark measures their page too).
    """
    pathway_model = apps.get_model("pathways", "Pathway")
    cell_model = apps.get_model("pathways", "PathwayCell")
    roles = [value for value, _label in cell_model._meta.get_field("role").choices or ()]
    pathway = pathway_model.objects.create(
        uuid=_uuid(rng),
        title_es="Ruta de referencia para el benchmark",
        title_en="Benchmark pathway",
        theme="gbv",
        country="PE",
        status="published",
        illustrative=True,
        verified_at=now,
    )
    pathway.organizations.set(rows)
    cells = [
        cell_model(
            pathway=pathway,
            organization_id=organization.pk,
            profile_id=profile.pk,
            role=rng.choice(roles),
        )
        for organization in rows
        for profile in profiles
    ]
    cell_model.objects.bulk_create(cells)
    cell_services = []
    for cell in cell_model.objects.filter(pathway=pathway):
        own = by_organization.get(cell.organization_id, [])
        for service in rng.sample(own, min(len(own), rng.randint(1, 2))):
            cell_services.append(
                cell_model.services.through(pathwaycell_id=cell.pk, service_id=service.pk)
            )
    cell_model.services.through.objects.bulk_create(cell_services)
    return pathway.uuid, len(cells)


# --- Measures ----------------------------------------------------------------------------


def _route(names: list[str], args: list[Any], path: str) -> str | None:
    """The URL of the first route name that reverses, else ``path`` if it resolves."""
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def _time(
    action: Callable[[], int | None], repeat: int
) -> tuple[list[float], list[float], int | None, list[dict[str, str]]]:
    """Warm up twice, record the queries of one run, then time ``repeat`` runs.

    Returns wall-clock and CPU milliseconds per run (CPU time of this process: Python and
    SQLite, which run in it; on a busy machine it is the better guide), status, queries.
    """
    action()
    action()
    with CaptureQueriesContext(connection) as queries:
        status = action()
    captured = list(queries.captured_queries)  # now: the next request resets the query log
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu, status, captured


def _time_floor(floor: Floor, repeat: int) -> list[float]:
    floor.run()
    floor.run()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        floor.run()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _http(client: Any, url: str) -> Callable[[], int | None]:
    def get() -> int | None:
        return int(client.get(url).status_code)

    return get


def _page(label: str, key: str, client: Any, url: str, repeat: int) -> Measure:
    wall, cpu, status, captured = _time(_http(client, url), repeat)
    note = "" if status == 200 else f"answered {status}, not a page of results"
    measure = Measure(label, f"GET {url}", wall, cpu, len(captured), status, note, key=key)
    measure.own_sql = _time_floor(replay_floor(captured), repeat)
    return measure


def _with_floor(
    measure: Measure, floor: Floor, repeat: int, expected: list[Any] | None = None
) -> Measure:
    measure.floor = _time_floor(floor, repeat)
    measure.floor_label = floor.label
    if expected is not None:
        measure.floor_agrees = floor.ids() == expected
    return measure


def run_measures(generated: dict[str, Any], repeat: int) -> list[Measure]:
    """Every page as it is built (whole public pages are not kept meanwhile: each timed run
    searches and renders), then a repeated search answered from its kept page."""
    from django.test import override_settings

    with override_settings(RUTA_PUBLIC_PAGE_CACHE=False):
        measures = _built_pages(generated, repeat)
    client = Client(HTTP_HOST=HOST)
    finder = reverse("finder:search")
    measure = _page(
        "(e) finder text search, page kept", "e", client, f"{finder}?q=apoyo+psicologico", repeat
    )
    measure.floor, measure.floor_label = measure.own_sql, "the page's own SQL replayed"
    measure.note = "the kept page, read once per minute and per directory version"
    measures.append(measure)
    return measures


def _built_pages(generated: dict[str, Any], repeat: int) -> list[Measure]:

    from ruta.directory.access import public_services
    from ruta.directory.models import Service, TaxonomyTerm
    from ruta.directory.search import FinderQuery, expand_query, find_services
    from ruta.directory.search_index import indexed_texts
    from ruta.directory.views_public import COUNT_CAP
    from ruta.places.models import AdminArea

    # What ruta/wsgi.py does before the first request of a served process.
    freeze_startup_objects()
    # Like Django's TestCase: keep one connection for all requests, so that the queries of
    # a request can be counted (a reconnection would clear the query log).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(HTTP_HOST=HOST)
    latitude, longitude = generated["near"]
    now = timezone.now()
    measures = []

    near_query = f"profile=women&admin1=PE-LMA&lat={latitude}&lon={longitude}&free=on&open_now=on"
    near_floor_ = near_floor(
        term_id=TaxonomyTerm.objects.get(taxonomy__code="population", code="women").pk,
        area_id=AdminArea.objects.get(code="PE-LMA").pk,
        near=(latitude, longitude),
        # What the generator wrote: the one who writes the query knows the data.
        zones=sorted(set(Service.objects.values_list("timezone", flat=True))),
        now=now,
        cap=COUNT_CAP,
    )

    def text(words: str) -> Floor:
        expansion = expand_query(words)
        texts = [*expansion.words, *(phrase for _pk, phrase in expansion.phrases)]
        return text_floor(expansion, COUNT_CAP, indexed_texts(texts))

    finder = reverse("finder:search")
    for label, key, query, finder_query, floor in (
        (
            "(a) finder text search",
            "a",
            "q=apoyo+psicologico",
            FinderQuery(text="apoyo psicologico"),
            text("apoyo psicologico"),
        ),
        (
            "(a2) finder everyday words",
            "a2",
            "q=me+pegan+depresion",
            FinderQuery(text="me pegan depresion"),
            text("me pegan depresion"),
        ),
        (
            "(a3) finder rare word",
            "a3",
            "q=tumbes",
            FinderQuery(text="tumbes"),
            text("tumbes"),
        ),
        (
            "(b) filtered search near me",
            "b",
            near_query,
            FinderQuery(
                profile="women",
                admin1="PE-LMA",
                near=(latitude, longitude),
                free=True,
                open_now=True,
            ),
            near_floor_,
        ),
    ):
        measure = _page(label, key, client, f"{finder}?{query}", repeat)
        found = find_services(public_services(), finder_query, now=now)
        expected = list(found.values_list("pk", flat=True)[: COUNT_CAP + 1])
        measures.append(_with_floor(measure, floor, repeat, expected))

    hsds = _route(
        ["hsds:services", "hsds:service_list", "hsds:service-list"], [], "/api/hsds/services"
    )
    if hsds is None:
        measures.append(
            Measure(
                "(c) HSDS /services page",
                "/api/hsds/services",
                [],
                [],
                None,
                None,
                "not available yet",
            )
        )
    else:
        measure = _page("(c) HSDS /services page", "c", client, hsds, repeat)
        measure.floor, measure.floor_label = measure.own_sql, "the page's own SQL replayed"
        measures.append(measure)

    pathway = generated["pathway"]
    matrix = _route(
        ["pathways:detail", "pathways:pathway_detail", "pathways:matrix", "pathways:pathway"],
        [pathway],
        f"/rutas/{pathway}/",
    )
    label = "(d) pathway matrix 15 orgs x 10 profiles"
    if matrix is None:
        measures.append(
            Measure(label, f"/rutas/{pathway}/", [], [], None, None, "not available yet")
        )
    else:
        pathway_id = apps.get_model("pathways", "Pathway").objects.get(uuid=pathway).pk
        measure = _page(label, "d", client, matrix, repeat)
        measures.append(_with_floor(measure, pathway_floor(pathway_id), repeat))
    return measures
