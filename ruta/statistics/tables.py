"""The GBVIMS monthly/quarterly tables, counted in SQL, before any suppression.

What counts: incidents whose case belongs to an agency with an active ISP that shares with
the audience and whose ``effective_from`` is on or before the incident's report date, and
whose case holds an active (not withdrawn) consent for anonymised reporting. The report
date is the case's intake date (``opened_on``), or the incident's own date when it happened
after the case was opened. Referrals count when they were sent from such a case by such an
agency within the period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest, TruncDate, TruncMonth
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.cases.models import (
    AgeBand,
    Consent,
    ConsentPurpose,
    GBVType,
    Incident,
    IncidentSetting,
    PerpetratorRelation,
    Sex,
)
from ruta.referrals.models import Referral, ReferralStatus
from ruta.statistics.models import SharingProtocol

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Period:
    code: str  # YYYY-MM or YYYY-Qn
    start: dt.date
    end: dt.date  # inclusive

    @property
    def months(self) -> list[dt.date]:
        found, month = [], self.start
        while month <= self.end:
            found.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return found


def parse_period(code: str) -> Period | None:
    """``YYYY-MM`` or ``YYYY-Qn``; None for anything else."""
    code = (code or "").strip().upper()
    if match := _QUARTER.match(code):
        year, quarter = int(match[1]), int(match[2])
        start = dt.date(year, 3 * quarter - 2, 1)
    elif match := _MONTH.match(code):
        year, quarter = int(match[1]), 0
        start = dt.date(year, int(match[2]), 1)
    else:
        return None
    if not 2000 <= year <= 2100:
        return None
    months = 3 if quarter else 1
    end = start
    for _step in range(months):
        end = (end + dt.timedelta(days=32)).replace(day=1)
    return Period(code, start, end - dt.timedelta(days=1))


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_quarter() -> str:
    """The last whole quarter before today."""
    from django.utils import timezone

    today = timezone.localdate()
    first_of_quarter = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    return quarter_of(first_of_quarter - dt.timedelta(days=1))


DELAYS = [
    ("0-3", _("0-3 days"), 3),
    ("4-5", _("4-5 days"), 5),
    ("6-14", _("6-14 days"), 14),
    ("15-30", _("2 weeks to 1 month"), 30),
    ("31+", _("More than 1 month"), None),
]
REFERRAL_STATES = [
    ("accepted", pgettext_lazy("referrals", "Accepted")),
    ("declined", pgettext_lazy("referrals", "Declined")),
    ("waiting", _("Awaiting an answer")),
    ("revoked", pgettext_lazy("referrals", "Revoked")),
]


def _audience_field(audience: str) -> str:
    return {"analysts": "share_with_analysts", "coordinator": "share_with_coordinator"}.get(
        audience, "share_with_public"
    )


def sharing_protocols(audience: str) -> list[SharingProtocol]:
    field = _audience_field(audience)
    return list(SharingProtocol.objects.filter(withdrawn_at__isnull=True, **{field: True}))


def _shared(audience: str, reported: str) -> Exists:
    """Rows of a case whose agency's active ISP shares with ``audience`` from on or before
    the row's date ``reported`` (an annotation); nothing at all without one. A subquery
    rather than a condition per agency: the query stays the same size for any number of
    agencies, and the database joins it as it joins the rest."""
    return Exists(
        SharingProtocol.objects.filter(
            organization=OuterRef("case__organization"),
            withdrawn_at__isnull=True,
            effective_from__lte=OuterRef(reported),
            **{_audience_field(audience): True},
        )
    )


def _consented() -> Exists:
    return Exists(
        Consent.objects.filter(
            case=OuterRef("case"), purpose=ConsentPurpose.REPORTING, withdrawn_at__isnull=True
        )
    )


def counted_incidents(audience: str, period: Period) -> QuerySet[Incident]:
    incidents = Incident.objects.annotate(
        report_date=Greatest(F("case__opened_on"), F("date"), output_field=DateField())
    )
    return incidents.filter(
        _shared(audience, "report_date"),
        _consented(),
        report_date__gte=period.start,
        report_date__lte=period.end,
    )


SEXES = [*Sex.choices, ("unknown", _("Not recorded"))]


def _sex_expression() -> Case:
    return Case(
        *[When(case__client__sex=code, then=Value(code)) for code in Sex.values],
        default=Value("unknown"),
    )


def _delay_expression() -> Case:
    whens = [
        When(waited__lte=dt.timedelta(days=days), then=Value(code))
        for code, _l, days in DELAYS
        if days
    ]
    return Case(*whens, default=Value(DELAYS[-1][0]))


@dataclass
class RawTable:
    """Counts before suppression: rows by columns, labels translated at display."""

    code: str
    title: Any
    row_header: Any
    rows: list[tuple[str, Any]]
    columns: list[tuple[str, Any]]
    counts: list[list[int]]
    shared_columns: bool  # columns are the period's months (shared with other tables)


def _matrix(
    tally: Counter[tuple[str, str]], rows: list[str], columns: list[str]
) -> list[list[int]]:
    """The counts of ``tally`` (by row and column code) as rows by columns; a code that is
    neither a row nor a column of the table raises ``KeyError``."""
    counts = [[0] * len(columns) for _row in rows]
    row_at = {code: i for i, code in enumerate(rows)}
    column_at = {code: j for j, code in enumerate(columns)}
    for (row, column), n in tally.items():
        counts[row_at[row]][column_at[column]] = n
    return counts


def _month_code(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value.strftime("%Y-%m"))


# The tables of incidents, in the order they are shown (the referrals come last).
INCIDENT_TABLES = ("type_by_sex", "age_by_sex", "perpetrator", "setting", "delay")


def _combinations(incidents: QuerySet[Incident]) -> Any:
    """How many incidents share each combination of what the tables count them by: one
    query, whose rows are at most the incidents of the period, summed by each table."""
    return (
        incidents.annotate(
            sex=_sex_expression(),
            month=TruncMonth("report_date", output_field=DateField()),
            waited=ExpressionWrapper(F("report_date") - F("date"), output_field=DurationField()),
        )
        .annotate(delay=_delay_expression())
        .values(
            "gbv_type",
            "sex",
            "case__client__age_band",
            "perpetrator",
            "setting",
            "month",
            "delay",
        )
        .annotate(n=Count("id"))
        .order_by()
    )


def compute(audience: str, period: Period) -> list[RawTable]:
    """The raw tables of ``period`` for ``audience``: the incidents are counted once, by
    every combination of the tables' rows and columns, in one SQL aggregate (each table
    sums those counts), and the referrals in another."""
    months = [(m.strftime("%Y-%m"), m.strftime("%Y-%m")) for m in period.months]
    tallies: dict[str, Counter[tuple[str, str]]] = {code: Counter() for code in INCIDENT_TABLES}
    for item in _combinations(counted_incidents(audience, period)):
        n, sex, month = item["n"], item["sex"], _month_code(item["month"])
        tallies["type_by_sex"][(item["gbv_type"], sex)] += n
        tallies["age_by_sex"][(item["case__client__age_band"], sex)] += n
        tallies["perpetrator"][(item["perpetrator"], month)] += n
        tallies["setting"][(item["setting"], month)] += n
        tallies["delay"][(item["delay"], month)] += n
    delays = [(code, label) for code, label, _d in DELAYS]
    specs = (
        (
            "type_by_sex",
            _("Incidents by type of GBV and survivor's sex"),
            _("Type of GBV"),
            list(GBVType.choices),
            SEXES,
            False,
        ),
        (
            "age_by_sex",
            _("Incidents by survivor's age band and sex"),
            _("Age band"),
            list(AgeBand.choices),
            SEXES,
            False,
        ),
        (
            "perpetrator",
            _("Incidents by relationship of the perpetrator"),
            _("Relationship"),
            list(PerpetratorRelation.choices),
            months,
            True,
        ),
        (
            "setting",
            _("Incidents by place"),
            _("Place"),
            list(IncidentSetting.choices),
            months,
            True,
        ),
        ("delay", _("Time from incident to report"), _("Time"), delays, months, True),
    )
    tables = [
        RawTable(
            code,
            title,
            header,
            rows,
            columns,
            _matrix(tallies[code], [c for c, _l in rows], [c for c, _l in columns]),
            shared,
        )
        for code, title, header, rows, columns, shared in specs
    ]
    tables.append(_referrals(audience, period, months))
    return tables


def _referrals(audience: str, period: Period, months: list[tuple[str, str]]) -> RawTable:
    referrals = Referral.objects.annotate(
        sent_on=TruncMonth("sent_at", output_field=DateField()), sent_day=TruncDate("sent_at")
    ).filter(
        _shared(audience, "sent_day"),
        _consented(),
        sent_day__gte=period.start,
        sent_day__lte=period.end,
    )
    state = Case(
        When(
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED], then=Value("accepted")
        ),
        When(status=ReferralStatus.DECLINED, then=Value("declined")),
        When(status=ReferralStatus.REVOKED, then=Value("revoked")),
        default=Value("waiting"),
    )
    tally: Counter[tuple[str, str]] = Counter()
    for item in referrals.annotate(state=state).values("sent_on", "state").annotate(n=Count("id")):
        tally[(_month_code(item["sent_on"]), item["state"])] += item["n"]
    return RawTable(
        "referrals",
        _("Services referred, by answer (the total is the services referred)"),
        _("Month"),
        months,
        REFERRAL_STATES,
        _matrix(tally, [c for c, _l in months], [c for c, _l in REFERRAL_STATES]),
        False,
    )


def threshold_for(audience: str, protocols: list[SharingProtocol] | None = None) -> int:
    """The strictest threshold among the ISPs that share with ``audience`` (``protocols``,
    when the caller has read them already)."""
    from ruta.statistics.suppression import DEFAULT_THRESHOLD

    if protocols is None:
        protocols = sharing_protocols(audience)
    return max([p.threshold for p in protocols], default=DEFAULT_THRESHOLD)


def vocabulary(code: str) -> dict[str, Any]:
    """The row and column labels of the table ``code`` (months label themselves)."""
    return dict(
        {
            "type_by_sex": [*GBVType.choices, *SEXES],
            "age_by_sex": [*AgeBand.choices, *SEXES],
            "perpetrator": list(PerpetratorRelation.choices),
            "setting": list(IncidentSetting.choices),
            "delay": [(c, label) for c, label, _d in DELAYS],
            "referrals": list(REFERRAL_STATES),
        }.get(code, [])
    )
