"""Indicators computed from Ruta's records: each one named here, tested on a known dataset.

A computation takes a ``Scope`` (the period's first and last day, the organizations and
the regions it is limited to) and gives a ``Result``: the value, and for a percentage
its numerator and denominator, plus a breakdown where the indicator asks for one. Counts
only: a computation reads records but never returns anything about a person.

Where a figure cannot be limited to a territory (a training certificate has no region)
the result says so (``territory_applied`` False) rather than quietly counting everything.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.activities.models import Activity, Attendance, Sector, SessionCount
from ruta.activities.models import Session as ActivitySession
from ruta.cases.instruments import SCALES
from ruta.cases.models import ApprovalState, Case, Closure, Instrument, MeasureResult, Satisfaction
from ruta.indicators.models import Unit
from ruta.measure import facts
from ruta.measure.models import ReachFact
from ruta.referrals.models import Channel, Referral
from ruta.stabilisation.models import (
    CheckOutcome,
    LeftReason,
    NeedsCheck,
    QueueEntry,
    StabilisationContact,
)
from ruta.trainings.models import Certificate

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Scope:
    start: dt.date
    end: dt.date
    organization_ids: frozenset[int] | None = None  # None: every organization
    admin1: frozenset[str] | None = None  # None: everywhere


@dataclass(frozen=True)
class Result:
    value: Decimal | None  # None: nothing to measure in the period (no denominator)
    numerator: int | None = None
    denominator: int | None = None
    breakdown: tuple[tuple[str, int], ...] = ()
    territory_applied: bool = True
    not_deduplicated: int = 0  # people counted from anonymous counts (may be counted twice)


@dataclass(frozen=True)
class Computation:
    code: str
    label: Any
    explanation: Any
    unit: str
    function: Callable[[Scope], Result] = field(repr=False)
    # The same results for several periods of one place in one query, where written.
    many: Callable[[Sequence[Scope]], list[Result]] | None = field(default=None, repr=False)
    do_not_call_in_templates = True  # a template reads its label and explanation

    def __call__(self, scope: Scope) -> Result:
        return self.function(scope)

    def over(self, scopes: Sequence[Scope]) -> list[Result]:
        """The result for each scope, equal to asking one by one (a test holds every batched
        computation to that): in one query when the scopes differ only in their period."""
        places = {(scope.organization_ids, scope.admin1) for scope in scopes}
        if self.many is not None and len(scopes) > 1 and len(places) == 1:
            return self.many(scopes)
        return [self.function(scope) for scope in scopes]


COMPUTATIONS: dict[str, Computation] = {}
# The computations that read the monthly reach facts rather than the records: a page that
# shows one says how fresh the facts are.
FROM_FACTS = frozenset({"people_reached"})


def computation(
    code: str, label: Any, explanation: Any, unit: str
) -> Callable[[Callable[[Scope], Result]], Callable[[Scope], Result]]:
    def register(function: Callable[[Scope], Result]) -> Callable[[Scope], Result]:
        COMPUTATIONS[code] = Computation(code, label, explanation, unit, function)
        return function

    return register


def batched(
    code: str,
) -> Callable[
    [Callable[[Sequence[Scope]], list[Result]]], Callable[[Sequence[Scope]], list[Result]]
]:
    """Register the one-query form of the computation ``code`` (registered above it)."""

    def register(
        function: Callable[[Sequence[Scope]], list[Result]],
    ) -> Callable[[Sequence[Scope]], list[Result]]:
        COMPUTATIONS[code] = replace(COMPUTATIONS[code], many=function)
        return function

    return register


def _span(scopes: Sequence[Scope]) -> Scope:
    """One scope over every period of ``scopes`` (which share their place)."""
    first = scopes[0]
    return Scope(
        min(s.start for s in scopes),
        max(s.end for s in scopes),
        first.organization_ids,
        first.admin1,
    )


def choices() -> list[tuple[str, Any]]:
    return [("", _("Entered by hand"))] + [(c.code, c.label) for c in COMPUTATIONS.values()]


def percent(numerator: int, denominator: int) -> Result:
    if not denominator:
        return Result(None, numerator, denominator)
    value = (Decimal(100) * numerator / denominator).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    return Result(value, numerator, denominator)


def _orgs(found: QuerySet[Any], scope: Scope, field_name: str) -> QuerySet[Any]:
    if scope.organization_ids is not None:
        found = found.filter(**{f"{field_name}__in": scope.organization_ids})
    return found


def _regions(found: QuerySet[Any], scope: Scope, field_name: str) -> QuerySet[Any]:
    if scope.admin1 is not None:
        found = found.filter(**{f"{field_name}__in": scope.admin1})
    return found


def _day_bounds(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    """The period as an aware half-open interval of datetimes in the current time zone."""
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(scope.start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high


# --- people reached ----------------------------------------------------------------------


@computation(
    "people_reached",
    _("People reached"),
    _(
        "New beneficiaries of the period's months, by sector (the R4V consolidated figure: "
        "a person is counted in the first month of the reporting year they were reached, "
        "once per sector and place). Read from the monthly reach facts; a period is taken "
        "in whole months."
    ),
    Unit.COUNT,
)
def people_reached(scope: Scope) -> Result:
    filters: dict[str, Any] = {}
    if scope.admin1 is not None:
        filters["admin1__in"] = scope.admin1
    totals = facts.breakdown("sector", scope.start, scope.end, scope.organization_ids, **filters)
    return _reached([(t.key, t.total, t.new, t.anonymous) for t in totals])


def _reached(by_sector: Sequence[tuple[str, int, int, int]]) -> Result:
    """People reached from (sector, total, new, anonymous) sums, sorted by sector."""
    labels = dict(Sector.choices)
    new = sum(row[2] for row in by_sector)
    # The share that could not be de-duplicated, on the same basis (anonymous of total).
    monthly = sum(row[1] for row in by_sector)
    anonymous = sum(row[3] for row in by_sector)
    not_deduplicated = round(new * anonymous / monthly) if monthly else 0
    breakdown = tuple((str(labels.get(key, key)), n) for key, _t, n, _a in by_sector if n)
    return Result(Decimal(new), breakdown=breakdown, not_deduplicated=not_deduplicated)


@batched("people_reached")
def people_reached_over(scopes: Sequence[Scope]) -> list[Result]:
    span = _span(scopes)
    found = ReachFact.objects.filter(
        month__range=(facts.month_of(span.start), facts.month_of(span.end))
    )
    found = _regions(_orgs(found, span, "organization_id"), span, "admin1")
    rows = list(
        found.order_by()
        .values_list("month", "sector")
        .annotate(t=Sum("total"), n=Sum("new"), a=Sum("anonymous"))
    )
    results = []
    for scope in scopes:
        first, last = facts.month_of(scope.start), facts.month_of(scope.end)
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for month, sector, total, new, anonymous in rows:
            if first <= month <= last:
                for index, value in enumerate((total, new, anonymous)):
                    sums[sector][index] += value or 0
        by_sector = [(key, sums[key][0], sums[key][1], sums[key][2]) for key in sorted(sums)]
        results.append(_reached(by_sector))
    return results


@computation(
    "people_reached_by_layer",
    _("People reached by group and community activities, by IASC layer"),
    _(
        "Registered participants counted once each (by their pseudonymous code) plus the "
        "people of anonymous session counts, in the sessions held in the period; an "
        "activity in two layers counts its people in both, so the layers do not add up to "
        "the total."
    ),
    Unit.COUNT,
)
def people_reached_by_layer(scope: Scope) -> Result:
    sessions = _regions(
        _orgs(
            ActivitySession.objects.filter(date__range=(scope.start, scope.end)),
            scope,
            "activity__organization_id",
        ),
        scope,
        "activity__admin1__code",
    )
    layers_of = dict(
        Activity.objects.filter(sessions__in=sessions).distinct().values_list("pk", "layers")
    )
    keys: dict[int, set[str]] = defaultdict(set)
    every_key: set[str] = set()
    for activity_id, key in Attendance.objects.filter(session__in=sessions).values_list(
        "session__activity_id", "participant__code_hash"
    ):
        every_key.add(key)
        for layer in layers_of.get(activity_id) or []:
            keys[int(layer)].add(key)
    anonymous: dict[int, int] = defaultdict(int)
    anonymous_total = 0
    groups = ("girls", "boys", "women", "men", "other")
    for row in SessionCount.objects.filter(session__in=sessions).values(
        "session__activity_id", *groups
    ):
        people = sum(row[g] for g in groups)
        anonymous_total += people
        for layer in layers_of.get(row["session__activity_id"]) or []:
            anonymous[int(layer)] += people
    layers = sorted(set(keys) | set(anonymous))
    breakdown = tuple(
        (str(_("Layer %(layer)s") % {"layer": layer}), len(keys[layer]) + anonymous[layer])
        for layer in layers
    )
    total = len(every_key) + anonymous_total
    return Result(Decimal(total), breakdown=breakdown, not_deduplicated=anonymous_total)


# --- cases -------------------------------------------------------------------------------


def _open_cases(scope: Scope) -> QuerySet[Case]:
    found = Case.objects.filter(opened_on__lte=scope.end).exclude(closed_on__lt=scope.start)
    return _regions(_orgs(found, scope, "organization_id"), scope, "client__admin1")


@computation(
    "cases_safety_plan_pct",
    _("% of cases with a safety plan"),
    _("Of the cases open at some time in the period, those that have a safety plan."),
    Unit.PERCENT,
)
def cases_safety_plan_pct(scope: Scope) -> Result:
    cases = _open_cases(scope)
    return percent(cases.filter(safety_plan__isnull=False).count(), cases.count())


def _first_and_last(scope: Scope, instrument: str) -> Iterable[tuple[Any, Any]]:
    """(first, last) results of each case with two or more results of ``instrument``
    whose last result falls in the period."""
    # Only cases measured within the period can have their last result in it: the others'
    # results are never read (a network's whole history otherwise, on every home page).
    in_period = MeasureResult.objects.filter(
        instrument=instrument, administered_on__range=(scope.start, scope.end)
    ).values("case_id")
    results = MeasureResult.objects.filter(
        instrument=instrument,
        administered_on__lte=scope.end,
        case__in=_orgs(Case.objects.filter(pk__in=in_period), scope, "organization_id"),
    )
    results = _regions(results, scope, "case__client__admin1")
    by_case: dict[int, list[tuple[int, str]]] = defaultdict(list)
    last_day: dict[int, dt.date] = {}
    for case_id, score, band, day in results.order_by(
        "case_id", "administered_on", "id"
    ).values_list("case_id", "score", "band", "administered_on"):
        by_case[case_id].append((score, band))
        last_day[case_id] = day
    for case_id, measured in by_case.items():
        if len(measured) >= 2 and last_day[case_id] >= scope.start:
            yield measured[0], measured[-1]


WHO5_GAIN = 10  # points of the 0-100 percentage score


@computation(
    "who5_improved_pct",
    _("% of people whose WHO-5 well-being rose by 10 points or more"),
    _(
        "Of the cases with two or more WHO-5 results whose last result falls in the period, "
        "those whose last percentage score is at least 10 points above the first."
    ),
    Unit.PERCENT,
)
def who5_improved_pct(scope: Scope) -> Result:
    pairs = list(_first_and_last(scope, Instrument.WHO5))
    improved = sum(1 for first, last in pairs if last[0] - first[0] >= WHO5_GAIN)
    return percent(improved, len(pairs))


def _band_down(scope: Scope, instrument: str) -> Result:
    order = {band.code: index for index, band in enumerate(SCALES[instrument].bands)}
    pairs = list(_first_and_last(scope, instrument))
    lower = sum(1 for first, last in pairs if order.get(last[1], 0) < order.get(first[1], 0))
    return percent(lower, len(pairs))


@computation(
    "phq9_band_down_pct",
    _("% of people whose PHQ-9 severity fell at least one band"),
    _(
        "Of the cases with two or more PHQ-9 results whose last result falls in the period, "
        "those whose last severity band is lower than the first."
    ),
    Unit.PERCENT,
)
def phq9_band_down_pct(scope: Scope) -> Result:
    return _band_down(scope, Instrument.PHQ9)


@computation(
    "gad7_band_down_pct",
    _("% of people whose GAD-7 severity fell at least one band"),
    _(
        "Of the cases with two or more GAD-7 results whose last result falls in the period, "
        "those whose last severity band is lower than the first."
    ),
    Unit.PERCENT,
)
def gad7_band_down_pct(scope: Scope) -> Result:
    return _band_down(scope, Instrument.GAD7)


@computation(
    "satisfied_at_closure_pct",
    _("% of survivors satisfied at closure"),
    _(
        "Of the cases closed in the period (closure approved) whose survivor was asked, "
        "those who said they were satisfied or very satisfied."
    ),
    Unit.PERCENT,
)
def satisfied_at_closure_pct(scope: Scope) -> Result:
    # The closure that stands: a reopened case keeps its earlier closure approved (with
    # ``reopened_at`` set), which would count the case twice when it closes again.
    closures = Closure.objects.filter(
        state=ApprovalState.APPROVED,
        reopened_at__isnull=True,
        case__closed_on__range=(scope.start, scope.end),
    ).exclude(satisfaction=Satisfaction.NOT_ASKED)
    closures = _regions(
        _orgs(closures, scope, "case__organization_id"), scope, "case__client__admin1"
    )
    answers = list(closures.values_list("satisfaction", flat=True))
    satisfied = sum(
        1 for answer in answers if answer in (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)
    )
    return percent(satisfied, len(answers))


# --- referrals ---------------------------------------------------------------------------


def _referrals_received(scope: Scope) -> QuerySet[Referral]:
    """Referrals sent on Ruta in the period. A printed referral goes to an organization
    with no one on Ruta to answer it: no acceptance is ever recorded, even when the sender
    records that the service was given (the referrals' track record leaves them out too)."""
    low, high = _day_bounds(scope)
    found = Referral.objects.filter(channel=Channel.ON_RUTA, sent_at__gte=low, sent_at__lt=high)
    found = _orgs(found, scope, "to_organization_id")
    return _regions(found, scope, "case__client__admin1")


@computation(
    "referrals_accepted_in_time_pct",
    _("% of referrals accepted within the agreed time"),
    _(
        "Of the referrals sent on Ruta in the period to the organization, those accepted "
        "before the answer was due. Referrals still waiting within their time are left out "
        "until they are answered or their time runs out; printed referrals are left out."
    ),
    Unit.PERCENT,
)
def referrals_accepted_in_time_pct(scope: Scope) -> Result:
    now = timezone.now()
    counted = _referrals_received(scope).exclude(
        Q(accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True)
        & Q(respond_by__gt=now)
    )
    rows = list(counted.values_list("accepted_at", "respond_by"))
    in_time = sum(1 for accepted, due in rows if accepted is not None and accepted <= due)
    return percent(in_time, len(rows))


@computation(
    "referrals_median_days_to_accept",
    _("Median time to accept a referral (days)"),
    _(
        "Over the referrals sent on Ruta in the period and accepted, the median time from "
        "sending to acceptance, in days."
    ),
    Unit.DAYS,
)
def referrals_median_days_to_accept(scope: Scope) -> Result:
    rows = _referrals_received(scope).filter(accepted_at__isnull=False)
    days = [
        (accepted - sent).total_seconds() / 86400
        for sent, accepted in rows.values_list("sent_at", "accepted_at")
        if accepted is not None
    ]
    if not days:
        return Result(None, denominator=0)
    value = Decimal(str(median(days))).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    return Result(value, denominator=len(days))


# --- trainings and activities ------------------------------------------------------------


@computation(
    "staff_trained",
    _("People trained (certificates issued)"),
    _(
        "People who received a course certificate in the period (revoked certificates "
        "left out), counted once each, by the organization they work for. A certificate "
        "has no region: the figure is never limited to a territory."
    ),
    Unit.COUNT,
)
def staff_trained(scope: Scope) -> Result:
    low, high = _day_bounds(scope)
    found = Certificate.objects.filter(
        issued_at__gte=low, issued_at__lt=high, revoked_at__isnull=True
    )
    found = _orgs(found, scope, "enrolment__person__organization_id")
    people = found.values("enrolment__person_id").distinct().count()
    return Result(Decimal(people), territory_applied=scope.admin1 is None)


def _sessions(scope: Scope) -> QuerySet[Any]:
    found = ActivitySession.objects.filter(date__range=(scope.start, scope.end))
    found = _orgs(found, scope, "activity__organization_id")
    return _regions(found, scope, "activity__admin1__code")


@computation(
    "activities_held",
    _("Group and community activities held"),
    _("Activities with at least one session in the period."),
    Unit.COUNT,
)
def activities_held(scope: Scope) -> Result:
    count = _sessions(scope).values("activity_id").distinct().count()
    return Result(Decimal(count))


@computation(
    "sessions_held",
    _("Activity sessions held"),
    _("Sessions of group and community activities held in the period."),
    Unit.COUNT,
)
def sessions_held(scope: Scope) -> Result:
    return Result(Decimal(_sessions(scope).count()))


def _per_period(scopes: Sequence[Scope], counted: Callable[[Q], Count]) -> list[Result]:
    """One count per scope's period over the sessions of their place, in one query."""
    periods = {
        f"p{index}": counted(Q(date__range=(scope.start, scope.end)))
        for index, scope in enumerate(scopes)
    }
    found = _sessions(_span(scopes)).aggregate(**periods)
    return [Result(Decimal(found[f"p{index}"] or 0)) for index in range(len(scopes))]


@batched("activities_held")
def activities_held_over(scopes: Sequence[Scope]) -> list[Result]:
    return _per_period(scopes, lambda period: Count("activity_id", distinct=True, filter=period))


@batched("sessions_held")
def sessions_held_over(scopes: Sequence[Scope]) -> list[Result]:
    return _per_period(scopes, lambda period: Count("pk", filter=period))


# --- cash-transfer stabilisation (BP5_PC) ------------------------------------------------


def _stabilisation(found: QuerySet[Any], scope: Scope, beneficiary: str) -> QuerySet[Any]:
    found = _orgs(found, scope, f"{beneficiary}programme__organization_id")
    return _regions(found, scope, f"{beneficiary}admin1")


@computation(
    "stabilisation_mechanisms_applied",
    _("Stabilisation mechanisms applied after a needs assessment"),
    _(
        "Stabilisation contacts made in the period with cash-transfer beneficiaries whose "
        "needs check, on or before the contact's day, found that stabilisation applies "
        "(BP5_PC indicator 1)."
    ),
    Unit.COUNT,
)
def stabilisation_mechanisms_applied(scope: Scope) -> Result:
    low, high = _day_bounds(scope)
    links = _stabilisation(
        StabilisationContact.objects.filter(
            contact__started_at__gte=low, contact__started_at__lt=high
        ),
        scope,
        "beneficiary__",
    )
    rows = list(links.values_list("beneficiary_id", "contact__started_at"))
    first_applies: dict[int, dt.date] = {}
    for beneficiary_id, checked_on in (
        NeedsCheck.objects.filter(
            beneficiary_id__in={b for b, _at in rows},
            outcome=CheckOutcome.APPLIES,
            checked_on__lte=scope.end,
        )
        .order_by("checked_on")
        .values_list("beneficiary_id", "checked_on")
    ):
        first_applies.setdefault(beneficiary_id, checked_on)
    applied = 0
    for beneficiary_id, started_at in rows:
        first = first_applies.get(beneficiary_id)
        if first is not None and first <= timezone.localtime(started_at).date():
            applied += 1
    return Result(Decimal(applied))


@computation(
    "people_stabilised_until_paid",
    _("People stabilised until their cash transfer arrived"),
    _(
        "Beneficiaries who left the stabilisation queue in the period because their payment "
        "was made, and who had at least one stabilisation contact while they waited for it "
        "(BP5_PC indicator 2), counted once each."
    ),
    Unit.COUNT,
)
def people_stabilised_until_paid(scope: Scope) -> Result:
    entries = _stabilisation(
        QueueEntry.objects.filter(
            left_reason=LeftReason.PAID,
            left_on__range=(scope.start, scope.end),
            contacts__isnull=False,
        ),
        scope,
        "beneficiary__",
    )
    people = entries.values("beneficiary_id").distinct().count()
    return Result(Decimal(people))
