"""Benchmark the case pages on a scratch caseload built in the current database.

``manage.py bench_cases [--cases 100000] [--repeat 30] [--keep] [--i-know]`` builds, in
the database the settings point at, 5 agencies with 200 caseworkers and their
supervisors and N cases with realistic records (consents, incidents, assessments,
action plans with some actions overdue, follow-ups with the next contact, outcome
measures, approvals, closures), all with ``bulk_create``. Then, with Django's test
client, logged in (second factor verified) as a caseworker and as a supervisor, it
prints the median and 95th percentile in milliseconds and the query count of:

  the caseworker's today page, the case list filtered by risk and stage, a case page,
  and the supervisor's team view.

Safety: it refuses to run unless the database's name contains "bench" or "test" (or
it is an in-memory SQLite database), or ``--i-know`` is given; and everything it writes
happens inside one transaction that is rolled back at the end (``--keep`` commits it,
for EXPLAIN). Works on SQLite and PostgreSQL; the database vendor is printed.

Personal fields are encrypted by the model fields as usual; to keep generation fast,
the same plain text is encrypted once and its token reused (the benchmark measures
reads, and each token still opens with the field keys).
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ruta.accounts.models import User
from ruta.agencies.models import Organization, OrganizationType
from ruta.cases.instruments import score
from ruta.cases.models import (
    ActionPlan,
    ApprovalRequest,
    Assessment,
    Case,
    Client,
    Closure,
    Consent,
    FollowUp,
    Goal,
    Incident,
    MeasureResult,
    NeedDomain,
    PlanAction,
    age_band_for,
)
from ruta.cases.work import refresh_due_dates
from ruta.lib import crypto
from ruta.lib.bench import require_static_manifest, vacuum_analyze
from ruta.lib.crypto import keyed_hash
from ruta.lib.permissions import Role
from ruta.lib.startup import freeze_startup_objects
from ruta.notifications.models import Notification

AGENCIES = 5
TARGET_MS = 150.0
CHUNK = 2000
LIST_QUERY = "risk=urgent&stage=assessment"


class Rollback(Exception):
    """Raised inside the scratch transaction to undo everything the benchmark wrote."""


# --- Measures ------------------------------------------------------------------------------


@dataclass
class Measure:
    label: str
    target: str
    timings: list[float] = field(default_factory=list)
    queries: int | None = None
    status: int | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.timings) if self.timings else math.nan

    @property
    def p95(self) -> float:
        if not self.timings:
            return math.nan
        ordered = sorted(self.timings)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


PAGES = (
    ("caseworker today page", "cases:today"),
    ("case list risk=urgent stage=assessment", "cases:case_list"),
    ("case page", "cases:case_detail"),
    ("supervisor team view", "cases:team"),
)


def _reverse(name: str, case_uuid: uuid.UUID | None = None) -> str | None:
    """The path of a route by name, or None while nobody has built it."""
    attempts: list[dict[str, Any]] = [{}]
    if case_uuid is not None:
        attempts = [
            {"kwargs": {"case_uuid": case_uuid}},
            {"kwargs": {"uuid": case_uuid}},
            {"args": [case_uuid]},
        ]
    for attempt in attempts:
        try:
            return reverse(name, **attempt)
        except NoReverseMatch:
            continue
    return None


class Command(BaseCommand):
    help = (
        "Build a scratch caseload (5 agencies, 200 caseworkers, N cases) in the current "
        "database, inside a transaction rolled back at the end, and print the median and "
        "p95 of the today page, the filtered case list, a case page and the team view."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000, help="cases to generate")
        parser.add_argument("--caseworkers", type=int, default=200, help="caseworkers")
        parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="commit the scratch caseload instead of rolling it back (for EXPLAIN)",
        )
        parser.add_argument(
            "--i-know",
            action="store_true",
            dest="i_know",
            help="run on a database whose name says neither 'bench' nor 'test'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, repeat = options["cases"], options["repeat"]
        caseworkers = options["caseworkers"]
        if count < 100 or repeat < 1 or caseworkers < AGENCIES:
            raise CommandError(
                f"Use at least 100 cases, {AGENCIES} caseworkers and 1 timed request."
            )
        name = str(connection.settings_dict["NAME"] or "")
        scratch = (
            "bench" in name.lower()
            or "test" in name.lower()
            or (connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name))
        )
        if not scratch and not options["i_know"]:
            raise CommandError(
                f"Refusing to run on the database {name!r}: its name contains neither "
                "'bench' nor 'test'. Point DATABASE_URL at a scratch database, or pass "
                "--i-know (the caseload is still rolled back unless --keep)."
            )
        require_static_manifest()
        self.stdout.write(f"Ruta case benchmark on {_vendor()} database {name!r}")
        try:
            with transaction.atomic():
                self._run(count, caseworkers, repeat, options["seed"])
                if not options["keep"]:
                    raise Rollback
        except Rollback:
            self.stdout.write("Scratch caseload rolled back.")
            done = vacuum_analyze()
            if done:
                self.stdout.write(done)
        else:
            self.stdout.write("Scratch caseload kept (committed).")

    def _run(self, count: int, caseworkers: int, repeat: int, seed: int) -> None:
        started = time.perf_counter()
        world = generate(count, caseworkers, random.Random(seed))  # noqa: S311  (not crypto)
        built = time.perf_counter()
        _analyze()
        self.stdout.write(
            f"Generated {world.totals['cases']} cases for {world.totals['caseworkers']} "
            f"caseworkers and {world.totals['supervisors']} supervisors in {AGENCIES} "
            f"agencies: " + ", ".join(f"{v} {k}" for k, v in world.totals.items() if k != "cases")
        )
        self.stdout.write(
            f"in {built - started:.1f} s; measured caseworker has "
            f"{world.main_caseload} cases; {repeat} timed requests per page after 2 warm-ups; "
            f"DEBUG {'on' if settings.DEBUG else 'off'}."
        )
        measures = run_measures(world, repeat)
        width = max(len(label) for label, _name in PAGES)
        self.stdout.write("")
        self.stdout.write(
            f"{'page':<{width}}  {'median ms':>9}  {'p95 ms':>8}  {'queries':>7}  "
            f"{'status':>6}  target p95 <= {TARGET_MS:.0f} ms"
        )
        for m in measures:
            if not m.timings:
                self.stdout.write(f"{m.label:<{width}}  {m.note}")
                continue
            verdict = "ok" if m.p95 <= TARGET_MS else "over"
            self.stdout.write(
                f"{m.label:<{width}}  {m.median:>9.1f}  {m.p95:>8.1f}  {m.queries:>7}  "
                f"{m.status:>6}  {verdict}{f' ({m.note})' if m.note else ''}"
            )
        self.stdout.write("")
        for m in measures:
            self.stdout.write(f"{m.label}: {m.target}")


def _vendor() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"sqlite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        version = connection.pg_version  # type: ignore[attr-defined]
        return f"postgresql {version // 10000}.{version % 10000}"
    return connection.vendor


def _analyze() -> None:
    """Fresh planner statistics, so the plans are those of a real caseload."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            # Inside the transaction ANALYZE samples the rows this transaction wrote.
            cursor.execute("ANALYZE")


# --- Data generation ----------------------------------------------------------------------

FIRST_NAMES = ["María", "Ana", "Luisa", "Carmen", "Rosa", "Yulimar", "Daniela", "José"]
LAST_NAMES = ["Pérez Gómez", "Rodríguez", "Hernández Díaz", "Martínez", "Torres Rivas"]
NOTES = [
    "Llamada de seguimiento; la persona se siente más tranquila.",
    "Visita domiciliaria; se revisó el plan de seguridad.",
    "Acompañamiento al centro de salud.",
    "Sesión de apoyo psicosocial individual.",
]
RISK_REASONS = ["Amenazas de la ex pareja", "Sin lugar seguro para dormir", "Ideación suicida"]
NARRATIVES = ["Necesidades de protección y salud; red de apoyo limitada."]
GOALS = ["Estar a salvo en casa", "Acceder a atención de salud", "Regularizar documentos"]
ACTIONS = ["Referir a albergue", "Acompañar a la fiscalía", "Cita en el centro de salud"]
PROS = ["Protección inmediata"]
CONS = ["Miedo a represalias"]
RISK_WEIGHTS = {"low": 35, "medium": 35, "high": 20, "urgent": 10}
PHYSICAL_ANSWERS = {"penetration": False, "sexual_contact": False, "physical": True}
OPEN_STAGES = ["intake", "assessment", "action_plan", "implementation", "follow_up"]


@contextmanager
def _reused_tokens() -> Iterator[None]:
    """Encrypt each distinct plain text once while generating; restore afterwards."""
    original = crypto.encrypt
    tokens: dict[str, str] = {}

    def encrypt(plain: str) -> str:
        token = tokens.get(plain)
        if token is None:
            token = tokens[plain] = original(plain)
        return token

    crypto.encrypt = encrypt
    try:
        yield
    finally:
        crypto.encrypt = original


def _saved(model: Any, objs: list[Any]) -> list[Any]:
    """bulk_create, making sure every object has its primary key afterwards."""
    model.objects.bulk_create(objs, batch_size=CHUNK)
    if objs and objs[0].pk is None:  # a backend that cannot return ids from bulk inserts
        ids = dict(model.objects.filter(uuid__in=[o.uuid for o in objs]).values_list("uuid", "pk"))
        for obj in objs:
            obj.pk = ids[obj.uuid]
    return objs


@dataclass
class World:
    caseworker: Any
    supervisor: Any
    rich_case: uuid.UUID
    main_caseload: int
    totals: dict[str, int]


def generate(count: int, caseworker_count: int, rng: random.Random) -> World:
    with _reused_tokens():
        return _generate(count, caseworker_count, rng)


def _generate(count: int, caseworker_count: int, rng: random.Random) -> World:
    tag = uuid.uuid4().hex[:6].upper()
    today = timezone.localdate()
    totals: dict[str, int] = {}

    def add(key: str, n: int) -> None:
        totals[key] = totals.get(key, 0) + n

    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Agencia de prueba {tag}-{n + 1}",
                acronym=f"B{tag}{n + 1}",
                type=OrganizationType.NGO,
                countries=["PE"],
            )
            for n in range(AGENCIES)
        ]
    )
    agencies = list(Organization.objects.filter(acronym__startswith=f"B{tag}").order_by("pk"))
    password = make_password(None)
    people = []
    for n in range(caseworker_count):
        agency = agencies[n % AGENCIES]
        people.append(
            User(
                email=f"cw{n}.{tag.lower()}@bench.invalid",
                full_name=f"Gestora {n:03d}",
                organization=agency,
                role=Role.CASEWORKER,
                password=password,
            )
        )
    supervisors_per_agency = max(1, caseworker_count // 100)
    for agency in agencies:
        for n in range(supervisors_per_agency):
            people.append(
                User(
                    email=f"sup{n}.{agency.acronym.lower()}@bench.invalid",
                    full_name=f"Supervisora {agency.acronym} {n}",
                    organization=agency,
                    role=Role.SUPERVISOR,
                    password=password,
                )
            )
    people = _saved(User, people)
    workers = [p for p in people if p.role == Role.CASEWORKER]
    supervisors = {
        a.pk: [p for p in people if p.role == Role.SUPERVISOR and p.organization_id == a.pk]
        for a in agencies
    }
    add("caseworkers", len(workers))
    add("supervisors", sum(len(s) for s in supervisors.values()))
    main, main_supervisor = workers[0], supervisors[agencies[0].pk][0]

    # The measured caseworker carries a caseload a little above the average; the others
    # share the rest round-robin.
    main_caseload = 30 + count // caseworker_count
    owners = [main] * main_caseload + [
        workers[1 + n % (len(workers) - 1)] for n in range(count - main_caseload)
    ]
    sequence: dict[int, int] = {}
    rich_case: uuid.UUID | None = None
    risks, weights = list(RISK_WEIGHTS), list(RISK_WEIGHTS.values())

    for start in range(0, count, CHUNK):
        chunk_owners = owners[start : start + CHUNK]
        clients, cases = [], []
        for offset, owner in enumerate(chunk_owners):
            n = start + offset
            age = rng.choice([4, 9, 13, 16, 19, 24, 31, 38, 45, 52, 67])
            clients.append(
                Client(
                    organization_id=owner.organization_id,
                    given_names=rng.choice(FIRST_NAMES),
                    family_names=rng.choice(LAST_NAMES),
                    phone="+51 900 000 000",
                    address="Calle Ficticia 123",
                    document_type="passport",
                    document_number=f"BENCH{n}",
                    document_hash=keyed_hash(f"BENCH{tag}{n}"),
                    sex=rng.choice(["female", "female", "female", "male"]),
                    age=age,
                    age_band=age_band_for(age),
                    nationality=rng.choice(["VE", "VE", "CO", "PE"]),
                    population_type=rng.choice(["in_destination", "in_transit", "host"]),
                    languages=["es"],
                    admin1="PE15",
                    safe_to_call=rng.random() < 0.7,
                    code_word="girasol",
                )
            )
        clients = _saved(Client, clients)
        for offset, (owner, client) in enumerate(zip(chunk_owners, clients, strict=True)):
            n = start + offset
            is_main = owner.pk == main.pk
            position = n if is_main else -1  # the main caseworker's cases are the first ones
            closed = position < 0 and rng.random() < 0.6
            risk = rng.choices(risks, weights)[0]
            stage = "closure" if closed else rng.choice(OPEN_STAGES)
            # A guaranteed mix on the measured caseworker's first cases.
            if position == 0:
                risk, stage, closed = "urgent", "implementation", False
            elif position in (1, 6):
                risk, stage, closed = "urgent", "assessment", False
            opened = today - dt.timedelta(days=rng.randint(10, 700))
            sequence[owner.organization_id] = sequence.get(owner.organization_id, 0) + 1
            acronym = next(a.acronym for a in agencies if a.pk == owner.organization_id)
            cases.append(
                Case(
                    code=f"{acronym}-{opened.year}-{sequence[owner.organization_id]:06d}",
                    organization_id=owner.organization_id,
                    client=client,
                    case_type=rng.choice(["gbv", "gbv", "mhpss", "child_protection"]),
                    status="closed" if closed else "open",
                    stage=stage,
                    risk_level=risk,
                    risk_reason=rng.choice(RISK_REASONS) if risk != "low" else "",
                    caseworker=owner,
                    supervisor=supervisors[owner.organization_id][0],
                    opened_on=opened,
                    closed_on=opened + dt.timedelta(days=rng.randint(5, 120)) if closed else None,
                    created_by=owner,
                )
            )
        cases = _saved(Case, cases)
        add("cases", len(cases))
        if rich_case is None and cases[0].caseworker_id == main.pk:
            rich_case = cases[0].uuid
        _records(cases, agencies, supervisors, rng, add, main)

    notifications = [
        Notification(recipient=person, kind="reminder", details={"overdue_actions": 1})
        for person in workers
        for _ in range(3)
    ]
    Notification.objects.bulk_create(notifications, batch_size=CHUNK)
    add("notifications", len(notifications))
    assert rich_case is not None
    return World(main, main_supervisor, rich_case, main_caseload, totals)


def _records(
    cases: list[Any],
    agencies: list[Any],
    supervisors: dict[int, list[Any]],
    rng: random.Random,
    add: Callable[[str, int], None],
    main: Any,
) -> None:
    """The records of one chunk of cases, by stage; the main caseworker's first gets plenty."""
    today, now, domains = timezone.localdate(), timezone.now(), NeedDomain.values
    consents, incidents, assessments, follow_ups, measures = [], [], [], [], []
    plans, closures, approvals = [], [], []
    goal_specs: list[tuple[Any, Any, int]] = []  # (plan, case, number of actions)
    stage_rank = {s: i for i, s in enumerate([*OPEN_STAGES, "closure"])}
    for case in cases:
        rich = case.caseworker_id == main.pk and case.code.endswith("-000001")
        rank = stage_rank[case.stage]
        child = case.client.age_band in ("0-5", "6-11", "12-14")
        giver = "caregiver" if child else "self"
        assent = "given" if case.client.age_band in ("6-11", "12-14") else ""
        purposes = ["services", "storage"] + (["reporting"] if rng.random() < 0.5 else [])
        if rich:
            purposes += ["share", "reporting"]
        for purpose in purposes:
            withdrawn = purpose == "reporting" and rng.random() < 0.1
            consents.append(
                Consent(
                    case=case,
                    purpose=purpose,
                    recipient=rng.choice(agencies) if purpose == "share" else None,
                    given_by=giver,
                    method=rng.choice(["verbal", "written"]),
                    child_assent=assent,
                    recorded_by=case.caseworker,
                    withdrawn_at=now if withdrawn else None,
                    withdrawn_by=case.caseworker if withdrawn else None,
                )
            )
        if case.case_type == "gbv":
            for _ in range(2 if rich else 1):
                incidents.append(
                    Incident(
                        case=case,
                        date=case.opened_on - dt.timedelta(days=rng.randint(1, 60)),
                        setting=rng.choice(["home", "street", "transit"]),
                        perpetrator=rng.choice(["partner", "family", "stranger"]),
                        gbv_type="physical_assault",
                        proposed_type="physical_assault",
                        classifier_answers=PHYSICAL_ANSWERS,
                        description="Relato ficticio",
                        recorded_by=case.caseworker,
                    )
                )
        if rank >= 1:
            for k in range(2 if rich else 1):
                assessment = Assessment(
                    case=case,
                    assessed_on=case.opened_on + dt.timedelta(days=k + 1),
                    needs={d: rng.choice(["none", "low", "medium", "high"]) for d in domains},
                    risk_level=case.risk_level,
                    narrative=NARRATIVES[0],
                    state="approved" if rank >= 2 else rng.choice(["draft", "pending"]),
                    created_by=case.caseworker,
                )
                assessments.append(assessment)
            if rich:  # its latest assessment waits for approval
                assessment.state = "pending"
            if assessment.state in ("pending", "approved"):
                decided = assessment.state == "approved"
                approvals.append(
                    ApprovalRequest(
                        case=case,
                        kind="assessment",
                        target_uuid=assessment.uuid,
                        state=assessment.state,
                        requested_by=case.caseworker,
                        decided_by=supervisors[case.organization_id][0] if decided else None,
                        decided_at=now if decided else None,
                    )
                )
        if rank >= 2:
            state = "approved" if rank >= 3 else rng.choice(["draft", "pending", "returned"])
            plan = ActionPlan(case=case, state=state)
            plans.append(plan)
            for _ in range(3 if rich else rng.randint(1, 2)):
                goal_specs.append((plan, case, 3 if rich else rng.randint(1, 3)))
            if rich:  # returned to the caseworker with a comment
                plan.state = state = "returned"
            if state != "draft":
                decided = state != "pending"
                approvals.append(
                    ApprovalRequest(
                        case=case,
                        kind="action_plan",
                        target_uuid=plan.uuid,
                        state=state,
                        requested_by=case.caseworker,
                        decided_by=supervisors[case.organization_id][0] if decided else None,
                        decided_at=now if decided else None,
                        comment="Revisar plazos" if state == "returned" else "",
                    )
                )
        n_follow = 6 if rich else (rng.randint(0, 4) if rank >= 1 else rng.randint(0, 1))
        for k in range(n_follow):
            happened = min(today, case.opened_on + dt.timedelta(days=7 * (k + 1)))
            latest = k == n_follow - 1
            next_contact = None
            if latest and case.status == "open":
                next_contact = today + dt.timedelta(days=rng.randint(-10, 20))
            follow_ups.append(
                FollowUp(
                    case=case,
                    kind=rng.choice(["visit", "call", "session", "accompaniment"]),
                    happened_on=happened,
                    note=rng.choice(NOTES),
                    next_contact_on=next_contact,
                    recorded_by=case.caseworker,
                )
            )
        if case.case_type == "mhpss" or rich or rng.random() < 0.2:
            for k in range(6 if rich else rng.randint(1, 2)):
                instrument = ["who5", "phq9", "gad7"][k % 3]
                items = {"who5": 5, "phq9": 9, "gad7": 7}[instrument]
                answers = [rng.randint(0, 3) for _ in range(items)]
                if instrument == "phq9":
                    answers[8] = 0
                scored = score(instrument, answers)
                measures.append(
                    MeasureResult(
                        case=case,
                        instrument=instrument,
                        answers=answers,
                        score=scored.score,
                        band=scored.band.code,
                        flagged=scored.flagged,
                        administered_on=case.opened_on + dt.timedelta(days=14 * (k // 3)),
                        administered_by=case.caseworker,
                    )
                )
        if case.status == "closed":
            closure = Closure(
                case=case,
                reason=rng.choice(["needs_met", "request", "lost_contact", "relocated"]),
                satisfaction=rng.choice(["very", "satisfied", "neutral", "not_asked"]),
                note="Cierre ficticio",
                state="approved",
                requested_by=case.caseworker,
            )
            closures.append(closure)
            approvals.append(
                ApprovalRequest(
                    case=case,
                    kind="closure",
                    target_uuid=closure.uuid,
                    state="approved",
                    requested_by=case.caseworker,
                    decided_by=supervisors[case.organization_id][0],
                    decided_at=now,
                )
            )
    batches: list[tuple[Any, list[Any], str]] = [
        (Consent, consents, "consents"),
        (Incident, incidents, "incidents"),
        (Assessment, assessments, "assessments"),
        (FollowUp, follow_ups, "follow-ups"),
        (MeasureResult, measures, "measures"),
        (Closure, closures, "closures"),
        (ApprovalRequest, approvals, "approvals"),
    ]
    for model, objs, key in batches:
        model.objects.bulk_create(objs, batch_size=CHUNK)
        add(key, len(objs))
    _saved(ActionPlan, plans)
    goals = [
        Goal(plan=plan, need=rng.choice(domains), description=rng.choice(GOALS))
        for plan, _case, _n in goal_specs
    ]
    _saved(Goal, goals)
    plan_actions = []
    for goal, (_plan, case, n_actions) in zip(goals, goal_specs, strict=True):
        for _ in range(n_actions):
            due = today + dt.timedelta(days=rng.randint(-30, 45))
            # About a third of the actions are past due and still open: overdue.
            done = due < today and rng.random() < 0.5
            status = "done" if done else rng.choice(["pending", "in_progress"])
            plan_actions.append(
                PlanAction(
                    goal=goal,
                    case=case,
                    description=rng.choice(ACTIONS),
                    responsible=rng.choice(["Gestora", "Psicóloga", "Abogada"]),
                    due_on=due,
                    pros=PROS[0],
                    cons=CONS[0],
                    decision=rng.choice(["agreed", "agreed", "undecided"]),
                    status=status,
                )
            )
    PlanAction.objects.bulk_create(plan_actions, batch_size=CHUNK)
    add("action plans", len(plans))
    add("goals", len(goals))
    add("plan actions", len(plan_actions))
    # The copies the actions keep on each case (next contact, next action due).
    refresh_due_dates(Case.objects.filter(pk__in=[case.pk for case in cases]))


# --- Measuring --------------------------------------------------------------------------------


def _login(user: User) -> Any:
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice

    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    client = Client(HTTP_HOST=hosts[0] if hosts else "localhost", secure=True)
    client.force_login(user, backend="ruta.accounts.backends.EmailBackend")
    device = StaticDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def _measure(label: str, client: Any, url: str | None, name: str, repeat: int) -> Measure:
    if url is None:
        return Measure(label, name, note=f"missing (no route named {name} yet)")
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    measure = Measure(label, f"GET {url}", queries=len(captured.captured_queries))
    measure.status = response.status_code
    if response.status_code != 200:
        measure.note = f"answered {response.status_code}"
    for _ in range(repeat):
        begun = time.perf_counter()
        client.get(url)
        measure.timings.append((time.perf_counter() - begun) * 1000)
    return measure


def run_measures(world: World, repeat: int) -> list[Measure]:
    # What ruta/wsgi.py does before the first request of a served process.
    freeze_startup_objects()
    # Keep the one connection (and its open transaction) across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        caseworker, supervisor = _login(world.caseworker), _login(world.supervisor)
        today, listing, case_page, team = (name for _label, name in PAGES)
        case_list = _reverse(listing)
        urls = {
            today: (caseworker, _reverse(today)),
            listing: (caseworker, f"{case_list}?{LIST_QUERY}" if case_list else None),
            case_page: (caseworker, _reverse(case_page, world.rich_case)),
            team: (supervisor, _reverse(team)),
        }
        return [
            _measure(label, urls[name][0], urls[name][1], name, repeat) for label, name in PAGES
        ]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        gc.unfreeze()  # this command also runs inside the test process
