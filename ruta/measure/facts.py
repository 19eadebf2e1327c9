"""Monthly reach facts: the reach model computed ahead, read by every page of figures.

The live computation (``reach.compute``) reads every source from the start of the
reporting year on each call. The facts hold its result per month and cell
(``ReachFact``), plus what keeps them exact when only some months are recomputed:

- for each reporting year, the digest of every pseudonymous key within its place and
  the first month it was reached there (``ReachKey``). Recomputing the months from M to
  December of a year reads the sources for those months only; a key already reached
  before M in that year (a ``ReachKey`` with an earlier first month) is not new.
- a month whose records change is marked dirty (``DirtyMonth``) by signals on the
  source records, in the same transaction as the change. Since "new" in a month depends
  on the earlier months of its year, a dirty month M is recomputed with every later
  month of its year. The current month is always recomputed: an open case reaches its
  client in every month it stays open, without any record changing.

``refresh()`` (the ``refresh_reach_facts`` command and the task of the same name) does
the work; ``figures()`` and ``summary()`` read; ``freshness()`` says how fresh they are.
The property tests check that for random datasets the facts equal the live computation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db import transaction
from django.db.models import CharField, F, Model, Q, Sum, Value
from django.db.models.functions import Cast
from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils import timezone

from ruta.measure.models import GROUPS, DirtyMonth, FactsState, ReachFact, ReachKey
from ruta.measure.reach import Cell, Figure, Summary, month_end
from ruta.measure.registry import ReachRow, SexAge, rows

BATCH = 2000


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    month = month_of(first)
    while month <= last:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


# --- marking changed months ---------------------------------------------------------------


def mark_dirty(days: Iterable[dt.date]) -> None:
    """Mark the months of ``days`` for the next refresh (in the caller's transaction)."""
    months = {month_of(day) for day in days}
    if not months:
        return
    known = set(DirtyMonth.objects.filter(month__in=months).values_list("month", flat=True))
    DirtyMonth.objects.bulk_create(DirtyMonth(month=m) for m in sorted(months - known))


def watch(model: type[Model], months: Callable[[Any], Iterable[dt.date]], old: bool) -> None:
    """Mark the months ``months(instance)`` when an instance of ``model`` is saved or
    deleted; with ``old``, also the months of its stored version before a save (a date
    that moves leaves its former month changed too). A source registered from an app above
    watches its own records with it (``ruta.stabilisation.hooks``)."""

    def before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw or instance.pk is None:
            return
        stored = sender._default_manager.filter(pk=instance.pk).first()
        if stored is not None:
            mark_dirty(months(stored))

    def changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:
            mark_dirty(months(instance))

    uid = f"measure-facts-{model._meta.label_lower}"
    if old:
        pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid + "-old")
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-saved")
    pre_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-deleted")


def _case_months(case: Any) -> Iterator[dt.date]:
    end = max(case.closed_on or timezone.localdate(), case.opened_on)
    return months_between(case.opened_on, end)


def contact_days(contact: Any) -> list[dt.date]:
    """The day a helpline contact started (none before it has started)."""
    return [timezone.localdate(contact.started_at)] if contact.started_at else []


def connect_signals() -> None:
    """Watch the built-in sources' records (called from ``MeasureConfig.ready``)."""
    from ruta.activities.models import Activity, Attendance, Participant, Session, SessionCount
    from ruta.cases.models import Case, Client
    from ruta.helpline.models import Contact

    def session_day(mark: Any) -> list[dt.date]:
        found = Session.objects.filter(pk=mark.session_id).values_list("date", flat=True)
        return list(found)

    def activity_days(activity: Any) -> list[dt.date]:
        return list(Session.objects.filter(activity=activity).values_list("date", flat=True))

    def participant_days(person: Any) -> Iterable[dt.date]:
        return Attendance.objects.filter(participant=person).values_list("session__date", flat=True)

    def client_months(client: Any) -> Iterator[dt.date]:
        for case in Case.objects.filter(client=client).only("opened_on", "closed_on"):
            yield from _case_months(case)

    watch(SessionCount, session_day, old=False)
    watch(Attendance, session_day, old=False)
    watch(Session, lambda session: [session.date], old=True)
    watch(Activity, activity_days, old=False)
    watch(Participant, participant_days, old=False)
    watch(Case, _case_months, old=True)
    watch(Client, client_months, old=False)
    watch(Contact, contact_days, old=True)


# --- computing ------------------------------------------------------------------------------


def _digest(cell: Cell, key: str) -> str:
    text = "|".join(
        (
            str(cell.organization_id),
            cell.admin1,
            cell.admin2,
            cell.sector,
            cell.population_type,
            key,
        )
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _cell(row: ReachRow) -> Cell:
    return Cell(
        row.month, row.organization_id, row.admin1, row.admin2, row.sector, row.population_type
    )


def compute_months(
    reach: Iterable[ReachRow], known: Callable[[set[str]], set[str]]
) -> tuple[list[Figure], dict[str, dt.date]]:
    """The figures of the months of ``reach`` and the keys first reached in them.

    ``known(digests)`` answers which of ``digests`` were reached earlier in the same
    reporting year (before the first month of ``reach``): those are not new. The result
    equals ``reach.compute_rows`` on the same months (see the property tests).
    """
    figures: dict[Cell, Figure] = {}
    people: dict[Cell, dict[str, ReachRow]] = defaultdict(dict)
    for row in sorted(reach, key=lambda r: r.day):
        cell = _cell(row)
        if row.person_key is None:
            figure = figures.setdefault(cell, Figure(cell))
            figure.total += row.count
            figure.new += row.count
            figure.not_deduplicated += row.count
            figure.lgbtiq += row.lgbtiq
            figure.disability += row.disability
            if row.sex_age:
                figure.total_by_group[row.sex_age] += row.count
                figure.new_by_group[row.sex_age] += row.count
        else:
            people[cell][row.person_key] = row
    digests = {cell: {key: _digest(cell, key) for key in keyed} for cell, keyed in people.items()}
    earlier = known({d for by_key in digests.values() for d in by_key.values()})
    first: dict[str, dt.date] = {}
    for cell in sorted(people):  # month first: a key's first month comes first
        for digest in digests[cell].values():
            if digest not in earlier:
                first.setdefault(digest, cell.month)
    for cell, keyed in people.items():
        figure = figures.setdefault(cell, Figure(cell))
        for key, row in keyed.items():
            group = row.sex_age or SexAge.OTHER
            figure.total += 1
            figure.total_by_group[group] += 1
            figure.lgbtiq += min(row.lgbtiq, 1)
            figure.disability += min(row.disability, 1)
            if first.get(digests[cell][key]) == cell.month:
                figure.new += 1
                figure.new_by_group[group] += 1
    return [figures[cell] for cell in sorted(figures)], first


def _fact(figure: Figure) -> ReachFact:
    cell = figure.cell
    fact = ReachFact(
        month=cell.month,
        organization_id=cell.organization_id,
        admin1=cell.admin1,
        admin2=cell.admin2,
        sector=cell.sector,
        population_type=cell.population_type,
        total=figure.total,
        new=figure.new,
        anonymous=figure.not_deduplicated,
        lgbtiq=figure.lgbtiq,
        disability=figure.disability,
    )
    for group in GROUPS:
        setattr(fact, f"total_{group}", figure.total_by_group[group])
        setattr(fact, f"new_{group}", figure.new_by_group[group])
    return fact


def rebuild(first_month: dt.date) -> int:
    """Recompute ``first_month`` and every later month of its year; the number of facts."""
    first_month = month_of(first_month)
    year = first_month.year
    last_month = dt.date(year, 12, 1)

    def known(digests: set[str]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(digests)
        for start in range(0, len(ordered), BATCH):
            found.update(
                ReachKey.objects.filter(
                    year=year,
                    first_month__lt=first_month,
                    digest__in=ordered[start : start + BATCH],
                ).values_list("digest", flat=True)
            )
        return found

    with transaction.atomic():
        figures, first = compute_months(rows(first_month, month_end(last_month)), known)
        ReachKey.objects.filter(year=year, first_month__gte=first_month).delete()
        ReachKey.objects.bulk_create(
            (ReachKey(year=year, digest=d, first_month=m) for d, m in first.items()),
            batch_size=BATCH,
        )
        ReachFact.objects.filter(month__range=(first_month, last_month)).delete()
        ReachFact.objects.bulk_create((_fact(f) for f in figures), batch_size=BATCH)
    return len(figures)


@dataclass
class Refreshed:
    starts: list[dt.date]  # per year, the first month recomputed (to December)
    facts: int


def refresh(months: Iterable[dt.date] = (), *, current: bool = True) -> Refreshed:
    """Recompute the dirty months, ``months`` and (with ``current``) this month, each with
    the rest of its year; then clear the marks read and stamp the time."""
    started = timezone.now()
    marks = list(DirtyMonth.objects.values_list("pk", "month"))
    wanted = {month_of(m) for m in months} | {m for _pk, m in marks}
    if current:
        wanted.add(month_of(timezone.localdate()))
    starts: dict[int, dt.date] = {}
    for month in wanted:
        starts[month.year] = min(month, starts.get(month.year, month))
    total = 0
    for year in sorted(starts):
        total += rebuild(starts[year])
    DirtyMonth.objects.filter(pk__in=[pk for pk, _m in marks]).delete()
    FactsState.objects.update_or_create(pk=1, defaults={"refreshed_at": started})
    return Refreshed(sorted(starts.values()), total)


CELL_COLUMNS = ("month", "organization_id", "admin1", "admin2", "sector", "population_type")

# --- reading --------------------------------------------------------------------------------


def _scoped(
    first_month: dt.date, last_month: dt.date, organization_ids: frozenset[int] | None
) -> Any:
    found = ReachFact.objects.filter(month__range=(month_of(first_month), month_of(last_month)))
    if organization_ids is not None:
        found = found.filter(organization_id__in=organization_ids)
    return found


FIGURE_COLUMNS = (
    *CELL_COLUMNS,
    "total",
    "new",
    "anonymous",
    "lgbtiq",
    "disability",
    *(f"total_{g}" for g in GROUPS),
    *(f"new_{g}" for g in GROUPS),
)
FigureRow = tuple[Any, ...]


def figure_rows(
    first_month: dt.date,
    last_month: dt.date | None = None,
    organization_ids: frozenset[int] | None = None,
    **filters: Any,
) -> list[FigureRow]:
    """The facts of the months as plain tuples (``FIGURE_COLUMNS``) in the order of their
    cells: what a page that shows a few of thousands turns into figures (``figure_of``)
    only for the rows it shows."""
    facts = _scoped(first_month, last_month or first_month, organization_ids).filter(**filters)
    # Fetched at once (a month is a few thousand tuples, a year tens of thousands): a
    # server-side cursor would cost a round trip to declare it and one per chunk.
    rows = list(facts.order_by().values_list(*FIGURE_COLUMNS))
    rows.sort(key=itemgetter(0, 1, 2, 3, 4, 5))  # the order of Cell's fields
    return rows


_GIRL, _BOY, _WOMAN, _MAN, _OTHER = GROUPS


def figure_of(row: FigureRow) -> Figure:
    """The figure of a row of ``FIGURE_COLUMNS``. Written out by position: a year of a
    network is tens of thousands of figures, and slices, keywords and zips cost as much
    again as the figures themselves."""
    return Figure(
        Cell(row[0], row[1], row[2], row[3], row[4], row[5]),
        row[6],  # total
        row[7],  # new
        row[8],  # not_deduplicated
        {_GIRL: row[11], _BOY: row[12], _WOMAN: row[13], _MAN: row[14], _OTHER: row[15]},
        {_GIRL: row[16], _BOY: row[17], _WOMAN: row[18], _MAN: row[19], _OTHER: row[20]},
        row[9],  # lgbtiq
        row[10],  # disability
    )


def figures(
    first_month: dt.date,
    last_month: dt.date | None = None,
    organization_ids: frozenset[int] | None = None,
    **filters: Any,
) -> list[Figure]:
    """What ``reach.compute`` gives for the same months, read from the facts (as tuples:
    a year of a network is tens of thousands of rows, too many for model instances)."""
    return [
        figure_of(row) for row in figure_rows(first_month, last_month, organization_ids, **filters)
    ]


def summary(
    first_month: dt.date,
    last_month: dt.date | None = None,
    organization_ids: frozenset[int] | None = None,
) -> Summary:
    """Sums over the cells of the months, as ``reach.summarise`` does, in one query."""
    sums = _scoped(first_month, last_month or first_month, organization_ids).aggregate(
        total=Sum("total"), new=Sum("new"), anonymous=Sum("anonymous")
    )
    return Summary(sums["total"] or 0, sums["new"] or 0, sums["anonymous"] or 0)


@dataclass
class Freshness:
    refreshed_at: dt.datetime | None
    pending: list[dt.date]  # months changed since, within the months asked about

    @property
    def computed(self) -> bool:
        return self.refreshed_at is not None


def freshness(first_month: dt.date | None = None, last_month: dt.date | None = None) -> Freshness:
    state = FactsState.objects.filter(pk=1).first()
    marks = DirtyMonth.objects.all()
    if first_month is not None:
        # A change in an earlier month of the same year changes who is new later on.
        marks = marks.filter(
            Q(month__gte=month_of(first_month).replace(month=1))
            & Q(month__lte=month_of(last_month or first_month))
        )
    pending = sorted(set(marks.values_list("month", flat=True)))
    return Freshness(state.refreshed_at if state else None, pending)


def regions(
    first_month: dt.date, last_month: dt.date, organization_ids: frozenset[int] | None = None
) -> list[str]:
    """The admin1 codes that have figures in the months (for a filter's choices)."""
    found = _scoped(first_month, last_month, organization_ids).exclude(admin1="")
    return list(found.order_by().values_list("admin1", flat=True).distinct())


@dataclass(frozen=True)
class Total:
    key: Any  # the month, sector, admin1 code or population type
    total: int
    new: int
    anonymous: int

    @property
    def not_deduplicated_pct(self) -> int:
        return round(100 * self.anonymous / self.total) if self.total else 0


def every_month(totals: list[Total], start: dt.date, end: dt.date) -> list[Total]:
    """Every month of the period, one without records as zeros: a series over time that
    skipped them would draw a quiet month as if it were not in the period. A total is
    counted in the month its key falls in."""
    found: dict[dt.date, Total] = {}
    for total in totals:
        month = month_of(total.key)
        seen = found.get(month, Total(month, 0, 0, 0))
        found[month] = Total(
            month, seen.total + total.total, seen.new + total.new, seen.anonymous + total.anonymous
        )
    return [found.get(month) or Total(month, 0, 0, 0) for month in months_between(start, end)]


BREAKDOWNS = ("month", "sector", "admin1", "population_type", "organization_id")


def reporting_organizations(first_month: dt.date, last_month: dt.date) -> int:
    """How many organizations reached somebody in the months."""
    found = _scoped(first_month, last_month, None).filter(total__gt=0).order_by()
    count: int = found.values("organization_id").distinct().count()
    return count


def breakdown(
    by: str,
    first_month: dt.date,
    last_month: dt.date,
    organization_ids: frozenset[int] | None = None,
    **filters: Any,
) -> list[Total]:
    """Sums over the cells of the months, grouped by one dimension, in one query."""
    return breakdowns((by,), first_month, last_month, organization_ids, **filters)[by]


def _key_of(by: str, text: str) -> Any:
    if by == "month":
        return dt.date.fromisoformat(str(text)[:10])
    return int(text) if by == "organization_id" else text


def breakdowns(
    bys: Iterable[str],
    first_month: dt.date,
    last_month: dt.date,
    organization_ids: frozenset[int] | None = None,
    **filters: Any,
) -> dict[str, list[Total]]:
    """``breakdown`` by each of ``bys`` over the same cells, in one statement: the
    groupings' UNION ALL, each key as text (a page of charts makes one round trip)."""
    wanted = list(dict.fromkeys(bys))
    if not wanted or any(by not in BREAKDOWNS for by in wanted):
        raise ValueError(wanted)
    cells = _scoped(first_month, last_month, organization_ids).filter(**filters).order_by()
    parts = [
        cells.annotate(
            by=Value(by, output_field=CharField()),
            key=Cast(by, CharField()) if by in ("month", "organization_id") else F(by),
        )
        .values("by", "key")
        .annotate(t=Sum("total"), n=Sum("new"), a=Sum("anonymous"))
        for by in wanted
    ]
    found: dict[str, list[Total]] = {by: [] for by in wanted}
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for row in union:
        by = row["by"]
        found[by].append(
            Total(_key_of(by, row["key"]), row["t"] or 0, row["n"] or 0, row["a"] or 0)
        )
    for totals in found.values():
        totals.sort(key=lambda total: str(total.key))
    return found
