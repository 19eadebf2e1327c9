"""Benchmark the pages of figures on a scratch database: a benchmark, not a timed test.

``manage.py bench_measure [--rows N] [--repeat R] [--postgres URL]`` never touches the
project database. It re-runs itself in a child process whose ``DATABASE_URL`` points at
a new scratch database: a temporary SQLite file, or with ``--postgres`` (a server URL
such as ``postgres://postgres@127.0.0.1:5432/postgres``) a new PostgreSQL database
``ruta_bench_<pid>`` that it drops afterwards. There it migrates, bulk-inserts a world of
N reach records (default 1,000,000: activity attendance, anonymous session counts,
helpline contacts and cases over 3 years, 30 organizations, 25 admin1 areas) with an
incident for each GBV case and the agencies' sharing protocols, builds the monthly reach
facts, and prints the median and p95, in milliseconds, of:

(a) the analyst's home, (b) the 5W for one month, (c) the 5W rows of a year, (d) the
reach dashboard for twelve months, (e) one indicator progress page (a project with three
computed indicators and a target for each quarter of a year), (f) the GBVIMS tables of
the last whole quarter as the analysts see them,

each beside its floor: the same aggregate over the same facts (or, for the GBVIMS
tables, the same records) as one raw SQL statement, timed in turns with the page (ratio
= page / floor). It also prints how long the facts took to build, an incremental
refresh of one changed month, and what the live computation of one month (what the
pages did before the facts) costs on the same data.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone

from ruta.lib.bench import child_environment, run_child, scratch_postgres

CHILD_FLAG = "RUTA_BENCH_MEASURE_DB"
HOST = "localhost"
TARGET_MS, TARGET_RATIO = 300.0, 2.0
ORGANIZATIONS, AREAS, YEARS = 30, 25, 3
BATCH = 5000


@dataclass
class Measure:
    label: str
    timings: list[float]
    floor: list[float]
    status: int | None = None

    @staticmethod
    def p95_of(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else math.nan

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        return self.p95_of(self.timings)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def ratio(self) -> float:
        return self.median / self.floor_median if self.floor_median else math.inf


class Command(BaseCommand):
    help = "Time the pages of figures over N reach records in a scratch database."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=1_000_000, help="reach records")
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per measure")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--postgres", help="server URL: benchmark on a scratch PostgreSQL")
        parser.add_argument(
            "--profile",
            choices=["a", "b", "d", "e", "f"],
            help="also print where one page's time goes (cProfile of its timed runs)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rows"] < 200 or options["repeat"] < 1:
            raise CommandError("Use at least 200 rows and 1 run.")
        if os.environ.get(CHILD_FLAG):
            self._child(options)
        else:
            self._spawn(options)

    # --- Parent: never opens the project database ---------------------------------------

    def _spawn(self, options: dict[str, Any]) -> None:
        cleanup: Callable[[], None]
        if options["postgres"]:
            url, cleanup = scratch_postgres(options["postgres"])
        else:
            handle, name = tempfile.mkstemp(prefix="ruta-bench-measure-", suffix=".sqlite3")
            os.close(handle)
            url = f"sqlite:///{name}"

            def cleanup() -> None:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{name}{suffix}").unlink(missing_ok=True)

        env = child_environment()
        env.update(
            {
                CHILD_FLAG: url,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "ruta.test_settings",
                "PYTHONUNBUFFERED": "1",
            }
        )
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_measure"]
        command += ["--rows", str(options["rows"]), "--repeat", str(options["repeat"])]
        command += ["--seed", str(options["seed"])]
        if options["profile"]:
            command += ["--profile", options["profile"]]
        try:
            returncode = run_child(command, env, self.stdout)
        finally:
            cleanup()
        if returncode:
            raise CommandError(f"The benchmark failed (exit status {returncode}).")

    # --- Child: works in the scratch database only ---------------------------------------

    def _child(self, options: dict[str, Any]) -> None:
        database = settings.DATABASES["default"]
        scratch = os.environ[CHILD_FLAG]
        if not (
            (database["ENGINE"].endswith("sqlite3") and scratch.endswith(str(database["NAME"])))
            or str(database["NAME"]).startswith("ruta_bench_")
        ):
            raise CommandError("Refusing to run: the database is not a scratch database.")
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter()
        rng = random.Random(options["seed"])  # noqa: S311
        world = generate(options["rows"], rng)
        gbv = generate_gbv(world, rng)
        generated = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        import sqlite3

        version = getattr(connection, "pg_version", None) or sqlite3.sqlite_version
        self.stdout.write(
            f"Ruta measure benchmark on {connection.vendor} {version} "
            f"(scratch database, DEBUG off), {os.cpu_count()} CPUs"
        )
        self.stdout.write(
            f"Generated {world['records']} reach records ({world['detail']}) in "
            f"{generated - migrated:.1f} s (migrate {migrated - started:.1f} s); "
            f"{gbv['incidents']} GBV incidents, {gbv['reporting']} with a consent for "
            f"anonymised reporting, {gbv['protocols']} sharing protocols."
        )
        from ruta.measure import facts

        begun = time.perf_counter()
        built = facts.refresh([dt.date(y, 1, 1) for y in world["years"]])
        self.stdout.write(
            f"Facts built for {len(world['years'])} years: {built.facts} facts in "
            f"{time.perf_counter() - begun:.1f} s."
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        month = world["last_month"]
        facts.mark_dirty([month.replace(month=max(1, month.month - 1))])
        begun = time.perf_counter()
        again = facts.refresh()
        self.stdout.write(
            f"Incremental refresh (one changed month, to December, and this month): "
            f"{again.facts} facts in {time.perf_counter() - begun:.2f} s."
        )
        measures = run_measures(world, options["repeat"], options["profile"], self.stdout)
        self._print(measures, options["repeat"])
        self._live(month)

    def _live(self, month: dt.date) -> None:
        from ruta.measure import reach

        runs = []
        for _ in range(2):
            begun = time.perf_counter()
            reach.compute(month, month)
            runs.append((time.perf_counter() - begun) * 1000)
        self.stdout.write(
            f"For comparison, the live computation of {month:%Y-%m} (what the pages did "
            f"before the facts): {min(runs):.0f} ms (best of 2)."
        )

    def _print(self, measures: list[Measure], repeat: int) -> None:
        width = max(len(m.label) for m in measures)
        self.stdout.write("")
        self.stdout.write(
            f"{'measure':<{width}}  {'median ms':>9}  {'p95 ms':>8}  {'floor med':>9}  "
            f"{'floor p95':>9}  {'ratio':>6}  status  target p95 <= {TARGET_MS:.0f} ms, "
            f"ratio <= {TARGET_RATIO:.0f}"
        )
        for m in measures:
            ok = m.p95 <= TARGET_MS and m.ratio <= TARGET_RATIO
            self.stdout.write(
                f"{m.label:<{width}}  {m.median:>9.1f}  {m.p95:>8.1f}  {m.floor_median:>9.1f}  "
                f"{Measure.p95_of(m.floor):>9.1f}  {m.ratio:>6.2f}  "
                f"{m.status if m.status is not None else '-':>6}  "
                f"{'ok' if ok else 'MISSED'}"
            )
        self.stdout.write(
            f"{repeat} timed runs each after 2 warm-ups, page and floor in turns. floor: the "
            "same aggregate over the same facts as one raw SQL statement (ratio = median / "
            "floor median)."
        )


# --- The scratch world -------------------------------------------------------------------


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _bulk(model: Any, objects: list[Any]) -> None:
    model.objects.bulk_create(objects, batch_size=BATCH)
    objects.clear()


def generate(rows: int, rng: random.Random) -> dict[str, Any]:
    """Bulk-insert ``rows`` reach records: 60% attendance of registered participants,
    12% anonymous session counts, 22% helpline contacts and 6% cases, over the three
    years to last month, for 30 organizations working in 25 admin1 areas."""
    from ruta.accounts.models import User
    from ruta.activities.models import (
        Activity,
        ActivityType,
        Attendance,
        Participant,
        PopulationType,
        Sector,
        Session,
        SessionCount,
        SexAge,
    )
    from ruta.agencies.models import Organization, OrganizationType
    from ruta.cases.models import AgeBand, Case, CaseType, Client, Sex
    from ruta.helpline.models import Contact
    from ruta.places.models import AdminArea

    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    first_day = last_month.replace(year=last_month.year - YEARS + 1, month=1)
    span = (last_month + dt.timedelta(days=27) - first_day).days

    def day() -> dt.date:
        return first_day + dt.timedelta(days=rng.randrange(span))

    areas = list(AdminArea.objects.filter(country="PE", level=1).order_by("code")[:AREAS])
    types = list(ActivityType.objects.all())
    sectors, populations = list(Sector.values), list(PopulationType.values)
    groups, bands = list(SexAge.values), [b for b in AgeBand.values if b]
    n_sessions = max(20, rows * 12 // 100)
    n_attendance = rows * 60 // 100
    n_contacts = rows * 22 // 100
    n_cases = max(5, rows * 6 // 100)
    with transaction.atomic():
        orgs = [
            Organization(
                uuid=_uuid(rng),
                name=f"Organización de prueba {n + 1:02d}",
                acronym=f"ORG{n + 1:02d}",
                type=rng.choice(OrganizationType.values),
                countries=["PE"],
                active=True,
            )
            for n in range(ORGANIZATIONS)
        ]
        Organization.objects.bulk_create(orgs)
        orgs = list(Organization.objects.filter(acronym__startswith="ORG").order_by("acronym"))
        users = [
            User.objects.create_user(
                email=f"bench{n}@example.org",
                password=None,
                role="caseworker",
                organization=org,
                full_name=f"Bench {n}",
            )
            for n, org in enumerate(orgs)
        ]
        analyst = User.objects.create_user(
            email="bench.analyst@example.org",
            password=None,
            role="analyst",
            organization=orgs[0],
            full_name="Analyst",
        )
        # Each organization works in three areas; about twenty activities each.
        places = {org.pk: rng.sample(areas, 3) for org in orgs}
        activities = [
            Activity(
                uuid=_uuid(rng),
                organization=org,
                activity_type=rng.choice(types),
                title=f"Grupo {n}",
                sector=rng.choice(sectors),
                admin1=rng.choice(places[org.pk]),
            )
            for org in orgs
            for n in range(20)
        ]
        Activity.objects.bulk_create(activities, batch_size=BATCH)
        sessions = [
            Session(uuid=_uuid(rng), activity=rng.choice(activities), date=day())
            for _ in range(n_sessions)
        ]
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        pending: list[Any] = []
        for session in sessions:
            counts = {g: rng.randint(0, 6) for g in ("girls", "boys", "women", "men")}
            pending.append(
                SessionCount(session=session, population_type=rng.choice(populations), **counts)
            )
            if len(pending) >= BATCH:
                _bulk(SessionCount, pending)
        _bulk(SessionCount, pending)
        # Registered participants: a pool per organization, each attending ~8 sessions.
        by_org: dict[int, list[Session]] = {}
        for session in sessions:
            by_org.setdefault(session.activity.organization_id, []).append(session)
        people: dict[int, list[Participant]] = {}
        for org in orgs:
            pool = [
                Participant(
                    uuid=_uuid(rng),
                    organization=org,
                    code_hash=f"{org.pk:04d}{n:060d}",
                    sex_age=rng.choice(groups),
                    population_type=rng.choice(populations),
                    lgbtiq=rng.random() < 0.05,
                    disability=rng.random() < 0.08,
                )
                for n in range(max(2, n_attendance // (ORGANIZATIONS * 8)))
            ]
            Participant.objects.bulk_create(pool, batch_size=BATCH)
            people[org.pk] = pool
        seen: set[tuple[int, int]] = set()
        made = 0
        while made < n_attendance:
            org = rng.choice(orgs)
            if org.pk not in by_org:
                continue
            session, person = rng.choice(by_org[org.pk]), rng.choice(people[org.pk])
            if (session.pk, person.pk) in seen:
                continue
            seen.add((session.pk, person.pk))
            pending.append(Attendance(session=session, participant=person))
            made += 1
            if len(pending) >= BATCH:
                _bulk(Attendance, pending)
        _bulk(Attendance, pending)
        seen.clear()
        zone = timezone.get_current_timezone()
        for _n in range(n_contacts):
            org = rng.choice(orgs)
            started = dt.datetime.combine(day(), dt.time(rng.randint(7, 21)), tzinfo=zone)
            pending.append(
                Contact(
                    uuid=_uuid(rng),
                    organization=org,
                    operator=users[orgs.index(org)],
                    started_at=started,
                    admin1=rng.choice(places[org.pk]).code,
                    population_type=rng.choice(populations),
                    sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                    age_band=rng.choice(bands),
                    phone_hash=f"{rng.randrange(n_contacts // 3 + 1):064d}"
                    if rng.random() < 0.6
                    else "",
                )
            )
            if len(pending) >= BATCH:
                _bulk(Contact, pending)
        _bulk(Contact, pending)
        clients: list[Any] = []
        for n in range(n_cases):
            org = rng.choice(orgs)
            client = Client(
                uuid=_uuid(rng),
                organization=org,
                sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                age_band=rng.choice(bands),
                population_type=rng.choice(populations),
                admin1=rng.choice(places[org.pk]).code,
            )
            clients.append(client)
            opened = day()
            closed = opened + dt.timedelta(days=rng.randint(10, 200))
            pending.append(
                Case(
                    uuid=_uuid(rng),
                    code=f"BENCH-{n:07d}",
                    organization=org,
                    client=client,
                    case_type=rng.choice(CaseType.values),
                    caseworker=users[orgs.index(org)],
                    created_by=users[orgs.index(org)],
                    opened_on=opened,
                    closed_on=closed if closed < today else None,
                    status="closed" if closed < today else "open",
                )
            )
            if len(pending) >= BATCH:
                Client.objects.bulk_create(clients, batch_size=BATCH)
                clients.clear()
                _bulk(Case, pending)
        Client.objects.bulk_create(clients, batch_size=BATCH)
        _bulk(Case, pending)
    records = len(sessions) + n_attendance + n_contacts + n_cases
    return {
        "records": records,
        "detail": (
            f"{n_attendance} attendances of {sum(len(p) for p in people.values())} participants, "
            f"{len(sessions)} session counts, {n_contacts} contacts, {n_cases} cases"
        ),
        "years": list(range(first_day.year, last_month.year + 1)),
        "last_month": last_month,
        "analyst": analyst,
    }


def generate_gbv(world: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The GBVIMS side of the world: an incident for each GBV case (most happened before
    the case was opened, some after), a consent to receive services for each case and,
    for seven cases in ten, one for anonymised reporting (one in ten of those withdrawn);
    an information sharing protocol for 24 of the 30 organizations, 20 of them sharing
    with the network's analysts, a few only from the middle of the first year."""
    from ruta.accounts.models import User
    from ruta.cases.models import (
        Case,
        CaseType,
        Consent,
        ConsentMethod,
        ConsentPurpose,
        GBVType,
        Incident,
        IncidentSetting,
        PerpetratorRelation,
    )

    # Through the app registry: measure sits below statistics in the layers.
    sharing_protocol = apps.get_model("statistics", "SharingProtocol")
    now = timezone.now()
    cases = Case.objects.filter(case_type=CaseType.GBV, code__startswith="BENCH-").order_by("pk")
    incidents: list[Any] = []
    consents: list[Any] = []
    made = reporting = 0
    with transaction.atomic():
        for case_id, opened, worker in cases.values_list("pk", "opened_on", "caseworker_id"):
            shift = rng.randint(1, 20) if rng.random() < 0.1 else -rng.randint(0, 60)
            incidents.append(
                Incident(
                    uuid=_uuid(rng),
                    case_id=case_id,
                    date=opened + dt.timedelta(days=shift),
                    setting=rng.choice(IncidentSetting.values),
                    perpetrator=rng.choice(PerpetratorRelation.values),
                    gbv_type=rng.choice(GBVType.values),
                    recorded_by_id=worker,
                )
            )
            consents.append(
                Consent(
                    uuid=_uuid(rng),
                    case_id=case_id,
                    purpose=ConsentPurpose.SERVICES,
                    method=ConsentMethod.VERBAL,
                    recorded_by_id=worker,
                )
            )
            if rng.random() < 0.7:
                withdrawn = rng.random() < 0.1
                consents.append(
                    Consent(
                        uuid=_uuid(rng),
                        case_id=case_id,
                        purpose=ConsentPurpose.REPORTING,
                        method=rng.choice(ConsentMethod.values),
                        recorded_by_id=worker,
                        withdrawn_at=now if withdrawn else None,
                        withdrawn_by_id=worker if withdrawn else None,
                    )
                )
                reporting += 1
            made += 1
            if len(incidents) >= BATCH:
                _bulk(Incident, incidents)
                _bulk(Consent, consents)
        _bulk(Incident, incidents)
        _bulk(Consent, consents)
        first = dt.date(world["years"][0], 1, 1)
        signers = {
            user.organization_id: user
            for user in User.objects.filter(email__startswith="bench", role="caseworker")
        }
        organizations = sorted(signers)[:24]
        sharing_protocol.objects.bulk_create(
            sharing_protocol(
                organization_id=org,
                share_with_analysts=n < 20,
                share_with_coordinator=True,
                share_with_public=n % 2 == 0,
                effective_from=first + dt.timedelta(days=180 if n % 6 == 5 else 0),
                threshold=5,
                signed_by=signers[org],
                signed_at=now,
            )
            for n, org in enumerate(organizations)
        )
    return {"incidents": made, "reporting": reporting, "protocols": len(organizations)}


# --- Measures ------------------------------------------------------------------------------


def _time(
    action: Callable[[], Any], floor: Callable[[], Any], repeat: int
) -> tuple[list[float], list[float], Any]:
    """The timings of ``repeat`` runs of ``action`` and of ``floor``, after two warm-ups
    each, taken in turns (action, floor, action, ...): on a machine shared with other
    work, a busy spell slows both alike and their ratio holds. Also the action's result."""
    result = action()
    action()
    floor()
    floor()
    timings: list[float] = []
    floors: list[float] = []
    for _ in range(repeat):
        for run, into in ((action, timings), (floor, floors)):
            started = time.perf_counter()
            run()
            into.append((time.perf_counter() - started) * 1000)
    return timings, floors, result


def _sql(statement: str, params: list[Any]) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    return run


MONTH_SUMS = "SELECT SUM(total), SUM(new), SUM(anonymous) FROM measure_reachfact WHERE month = %s"
FIVEW_ROWS = (
    "SELECT f.*, o.acronym, o.name, a.name_es, a.country FROM measure_reachfact f "
    "JOIN agencies_organization o ON o.id = f.organization_id "
    "LEFT JOIN directory_adminarea a ON a.code = f.admin1 "
    "WHERE f.month BETWEEN %s AND %s"
)
DASHBOARD = (
    "SELECT 'month', CAST(month AS VARCHAR(30)), SUM(total), SUM(new), SUM(anonymous) "
    "FROM measure_reachfact WHERE month BETWEEN %s AND %s GROUP BY month "
    "UNION ALL SELECT 'sector', sector, SUM(total), SUM(new), SUM(anonymous) "
    "FROM measure_reachfact WHERE month BETWEEN %s AND %s GROUP BY sector "
    "UNION ALL SELECT 'admin1', admin1, SUM(total), SUM(new), SUM(anonymous) "
    "FROM measure_reachfact WHERE month BETWEEN %s AND %s GROUP BY admin1 "
    "UNION ALL SELECT 'population', population_type, SUM(total), SUM(new), SUM(anonymous) "
    "FROM measure_reachfact WHERE month BETWEEN %s AND %s GROUP BY population_type"
)


# The helpline's contacts and risk alerts per month, as the home shows them for its last
# three full months (helpline.figures.monthly_volume).
HELPLINE_VOLUME = {
    "postgresql": (
        "SELECT date_trunc('month', c.started_at AT TIME ZONE %s) AS m, "
        "COUNT(DISTINCT c.id), COUNT(DISTINCT a.id) FROM helpline_contact c "
        "LEFT JOIN helpline_riskalert a ON a.contact_id = c.id "
        "WHERE c.started_at >= %s AND c.started_at < %s GROUP BY m"
    ),
    "sqlite": (
        "SELECT strftime('%%Y-%%m', c.started_at) AS m, "
        "COUNT(DISTINCT c.id), COUNT(DISTINCT a.id) FROM helpline_contact c "
        "LEFT JOIN helpline_riskalert a ON a.contact_id = c.id "
        "WHERE c.started_at >= %s AND c.started_at < %s GROUP BY m"
    ),
}


def _home_floor(month: dt.date) -> Callable[[], Any]:
    """The analyst's home shows last month's people reached and the helpline's volume of
    its last three full months (and the outcome measures, over cases the benchmark does
    not generate): its floor is those two aggregates, each as one raw SQL statement."""
    from ruta.measure.reach import last_full_month, month_end

    last = last_full_month(timezone.localdate())
    first = last
    for _ in range(2):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, zone)
    end = dt.datetime.combine(month_end(last) + dt.timedelta(days=1), dt.time.min, zone)
    reach = _sql(MONTH_SUMS, [month])
    zoned = [str(zone)] if connection.vendor == "postgresql" else []  # SQLite: UTC months
    volume = _sql(HELPLINE_VOLUME[connection.vendor], [*zoned, start, end])

    def run() -> Any:
        return reach(), volume()

    return run


def run_measures(
    world: dict[str, Any], repeat: int, profile: str | None = None, out: Any = None
) -> list[Measure]:
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice

    from ruta.lib.startup import freeze_startup_objects
    from ruta.measure import facts

    freeze_startup_objects()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    browser = Client(HTTP_HOST=HOST)
    analyst = world["analyst"]
    browser.force_login(analyst, backend="ruta.accounts.backends.EmailBackend")
    device, _created = StaticDevice.objects.get_or_create(
        user=analyst, name="bench", confirmed=True
    )
    session = browser.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    month = world["last_month"]
    year_start, year_end = month.replace(month=1), month.replace(month=12)
    first = (month.replace(day=1) - dt.timedelta(days=360)).replace(day=1)
    measures = []

    def page(label: str, url: str, floor: Callable[[], Any]) -> None:
        statuses: list[int] = []

        def get() -> int:
            status = int(browser.get(url).status_code)
            statuses.append(status)
            return status

        timings, floor_timings, status = _time(get, floor, repeat)
        measures.append(Measure(label, timings, floor_timings, status))
        if profile and label.startswith(f"({profile})"):
            _profile(label, get, repeat, out)

    page("(a) analyst's home", reverse("core:dashboard"), _home_floor(month))
    page(
        f"(b) 5W of {month:%Y-%m}",
        f"{reverse('measure:fivew')}?month={month:%Y-%m}",
        _sql(FIVEW_ROWS, [month, month]),
    )
    timings, floor, _found = _time(
        lambda: facts.figures(year_start, year_end),
        _sql(FIVEW_ROWS, [year_start, year_end]),
        repeat,
    )
    measures.append(Measure(f"(c) 5W rows of {month.year} (no page)", timings, floor))
    page(
        "(d) dashboard, 12 months",
        f"{reverse('measure:dashboard')}?start={first:%Y-%m}&end={month:%Y-%m}",
        _sql(DASHBOARD, [first, month] * 4),
    )
    project_url, project_floor = _indicator_project(world)
    page("(e) indicator progress, 3 x 4 quarters", project_url, project_floor)
    period = _last_quarter(month)
    page(
        f"(f) GBVIMS tables of {period.code}",
        f"{reverse('statistics:tables')}?period={period.code}",
        _gbv_floor(period),
    )
    return measures


@dataclass(frozen=True)
class Quarter:
    code: str  # YYYY-Qn, as the tables' period
    start: dt.date
    end: dt.date


def _last_quarter(month: dt.date) -> Quarter:
    """The last whole quarter up to ``month`` (the tables' default, but of the world's
    last month rather than of today)."""
    number = (month.month - 1) // 3 + (0 if month.month % 3 else 1)  # whole quarters
    year = month.year
    if number == 0:
        year, number = year - 1, 4
    start = dt.date(year, 3 * number - 2, 1)
    end = (start + dt.timedelta(days=92)).replace(day=1) - dt.timedelta(days=1)
    return Quarter(f"{year}-Q{number}", start, end)


def _profile(label: str, action: Callable[[], Any], repeat: int, out: Any) -> None:
    """The functions that take the most time over ``repeat`` more runs of ``action``."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        action()
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    out.write(f"\nWhere {label} spends its time ({repeat} runs, profiled):\n{text.getvalue()}")


def _gbv_statement(vendor: str) -> str:
    """The GBVIMS tables of a period for the analysts as one raw SQL statement: the
    incidents counted (an agency's ISP shares with the analysts from on or before the
    report date, an active consent for anonymised reporting), once, and the five
    incident tables and the referrals by answer over them."""
    if vendor == "postgresql":
        reported, month = "GREATEST(c.opened_on, i.date)", "to_char({}, 'YYYY-MM')"
        waited = f"{reported} - i.date"
        sent = "CAST(r.sent_at AT TIME ZONE %s AS DATE)"
    else:
        reported, month = "MAX(c.opened_on, i.date)", "strftime('%%Y-%%m', {})"
        waited = f"julianday({reported}) - julianday(i.date)"
        sent = "date(r.sent_at)"
    reporting = (
        "EXISTS (SELECT 1 FROM cases_consent k WHERE k.case_id = c.id "
        "AND k.purpose = 'reporting' AND k.withdrawn_at IS NULL)"
    )
    shared = (
        "JOIN statistics_sharingprotocol p ON p.organization_id = c.organization_id "
        "AND p.withdrawn_at IS NULL AND p.share_with_analysts"
    )
    delay = (
        "CASE WHEN waited <= 3 THEN '0-3' WHEN waited <= 5 THEN '4-5' "
        "WHEN waited <= 14 THEN '6-14' WHEN waited <= 30 THEN '15-30' ELSE '31+' END"
    )
    state = (
        "CASE WHEN r.status IN ('accepted', 'completed') THEN 'accepted' "
        "WHEN r.status = 'declined' THEN 'declined' WHEN r.status = 'revoked' "
        "THEN 'revoked' ELSE 'waiting' END"
    )
    # Constant fragments only: the dates and the time zone are parameters.
    return (
        "WITH counted AS (SELECT i.gbv_type, i.perpetrator, i.setting, l.sex, l.age_band, "  # noqa: S608
        f"{month.format(reported)} AS month, {waited} AS waited "
        f"FROM cases_incident i JOIN cases_case c ON c.id = i.case_id "
        f"JOIN cases_client l ON l.id = c.client_id {shared} "
        f"WHERE {reported} >= p.effective_from AND {reported} BETWEEN %s AND %s "
        f"AND {reporting}) "
        "SELECT 'type', gbv_type, sex, COUNT(*) FROM counted GROUP BY gbv_type, sex "
        "UNION ALL SELECT 'age', age_band, sex, COUNT(*) FROM counted GROUP BY age_band, sex "
        "UNION ALL SELECT 'perpetrator', perpetrator, month, COUNT(*) FROM counted "
        "GROUP BY perpetrator, month "
        "UNION ALL SELECT 'setting', setting, month, COUNT(*) FROM counted "
        "GROUP BY setting, month "
        f"UNION ALL SELECT 'delay', {delay}, month, COUNT(*) FROM counted "
        f"GROUP BY {delay}, month "
        f"UNION ALL SELECT 'referrals', {month.format(sent)}, {state}, COUNT(*) "
        f"FROM referrals_referral r JOIN cases_case c ON c.id = r.case_id {shared} "
        f"WHERE {sent} >= p.effective_from AND {sent} BETWEEN %s AND %s AND {reporting} "
        "GROUP BY 2, 3"  # by position: the time zone is a parameter each time it appears
    )


def _gbv_floor(period: Quarter) -> Callable[[], Any]:
    zone = str(timezone.get_current_timezone())
    if connection.vendor == "postgresql":  # the referrals' day in the local time zone
        params = [period.start, period.end, zone, zone, zone, period.start, period.end]
    else:  # SQLite: the day in UTC
        params = [period.start, period.end, period.start, period.end]
    return _sql(_gbv_statement(connection.vendor), params)


PROJECT_REACHED = (
    "SELECT 'reached', SUM(new), 0 FROM measure_reachfact "
    "WHERE organization_id = %s AND month BETWEEN %s AND %s"
)
PROJECT_HELD = (
    "SELECT 'held', COUNT(*), COUNT(DISTINCT s.activity_id) FROM activities_session s "
    "JOIN activities_activity a ON a.id = s.activity_id "
    "WHERE a.organization_id = %s AND s.date BETWEEN %s AND %s"
)


def _indicator_project(world: dict[str, Any]) -> tuple[str, Callable[[], Any]]:
    """A project of the analyst's organization reporting on people reached, activities
    held and sessions held, with a target for each quarter of last month's year; and its
    floor: the same twelve figures as one raw SQL statement. The models come through the
    app registry: the measure app sits below the indicators in the layers, and only this
    benchmark reaches up to them."""
    project_model = apps.get_model("indicators", "Project")
    line_model = apps.get_model("indicators", "ProjectIndicator")
    target_model = apps.get_model("indicators", "Target")
    indicator_model = apps.get_model("indicators", "Indicator")
    organization = world["analyst"].organization
    year = world["last_month"].year
    quarters = [
        (dt.date(year, first, 1), dt.date(year, last, day))
        for first, last, day in ((1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31))
    ]
    project = project_model.objects.create(
        organization=organization,
        name="Proyecto de prueba",
        donor="ECHO",
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
    )
    for position, code in enumerate(("R1", "R3", "R4")):
        line = line_model.objects.create(
            project=project,
            indicator=indicator_model.objects.get(framework__code="ruta-network", code=code),
            position=position,
        )
        target_model.objects.bulk_create(
            target_model(project_indicator=line, period_start=start, period_end=end, value=100)
            for start, end in quarters
        )
    parts, params = [], []
    for start, end in quarters:
        parts += [PROJECT_REACHED, PROJECT_HELD]
        params += [organization.pk, start, end] * 2
    url = reverse("indicators:project", kwargs={"project_uuid": project.uuid})
    return url, _sql(" UNION ALL ".join(parts), params)
