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
from collections.abc import Iterable
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
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest, TruncMonth
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


def sharing_protocols(audience: str) -> list[SharingProtocol]:
    field = {"analysts": "share_with_analysts", "coordinator": "share_with_coordinator"}.get(
        audience, "share_with_public"
    )
    return list(SharingProtocol.objects.filter(withdrawn_at__isnull=True, **{field: True}))


def _shared(protocols: list[SharingProtocol], organization: str, report_date: str) -> Q:
    """Rows of an agency whose ISP covers them; nothing at all without one."""
    condition = Q(pk__in=[])
    for protocol in protocols:
        condition |= Q(
            **{
                organization: protocol.organization_id,
                f"{report_date}__gte": protocol.effective_from,
            }
        )
    return condition


def counted_incidents(audience: str, period: Period) -> QuerySet[Incident]:
    protocols = sharing_protocols(audience)
    consent = Consent.objects.filter(
        case=OuterRef("case"), purpose=ConsentPurpose.REPORTING, withdrawn_at__isnull=True
    )
    incidents = Incident.objects.annotate(
        report_date=Greatest(F("case__opened_on"), F("date"), output_field=DateField()),
        consented=Exists(consent),
    )
    return incidents.filter(
        _shared(protocols, "case__organization", "report_date"),
        consented=True,
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
    pairs: Iterable[Any],
    row_field: str,
    column_field: str,
    rows: list[str],
    columns: list[str],
) -> list[list[int]]:
    counts = [[0] * len(columns) for _row in rows]
    for item in pairs:  # one item per (row, column) group: the aggregate, not the records
        counts[rows.index(item[row_field])][columns.index(item[column_field])] = item["n"]
    return counts


def _month_code(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value.strftime("%Y-%m"))


def compute(audience: str, period: Period) -> list[RawTable]:
    """The raw tables of ``period`` for ``audience`` (every count is one SQL aggregate)."""
    incidents = counted_incidents(audience, period)
    months = [(m.strftime("%Y-%m"), m.strftime("%Y-%m")) for m in period.months]
    month_codes = [code for code, _l in months]
    types = list(GBVType.choices)
    tables = []
    sexes = SEXES
    by_type = incidents.annotate(sex=_sex_expression()).values("gbv_type", "sex")
    tables.append(
        RawTable(
            "type_by_sex",
            _("Incidents by type of GBV and survivor's sex"),
            _("Type of GBV"),
            types,
            sexes,
            _matrix(
                by_type.annotate(n=Count("id")),
                "gbv_type",
                "sex",
                [c for c, _l in types],
                [c for c, _l in sexes],
            ),
            False,
        )
    )
    bands = list(AgeBand.choices)
    by_band = incidents.annotate(sex=_sex_expression()).values("case__client__age_band", "sex")
    tables.append(
        RawTable(
            "age_by_sex",
            _("Incidents by survivor's age band and sex"),
            _("Age band"),
            bands,
            sexes,
            _matrix(
                by_band.annotate(n=Count("id")),
                "case__client__age_band",
                "sex",
                [c for c, _l in bands],
                [c for c, _l in sexes],
            ),
            False,
        )
    )
    monthly = incidents.annotate(month=TruncMonth("report_date", output_field=DateField()))
    for code, title, header, field, choices in (
        (
            "perpetrator",
            _("Incidents by relationship of the perpetrator"),
            _("Relationship"),
            "perpetrator",
            list(PerpetratorRelation.choices),
        ),
        ("setting", _("Incidents by place"), _("Place"), "setting", list(IncidentSetting.choices)),
    ):
        pairs = [
            {field: item[field], "month": _month_code(item["month"]), "n": item["n"]}
            for item in monthly.values(field, "month").annotate(n=Count("id"))
        ]
        tables.append(
            RawTable(
                code,
                title,
                header,
                choices,
                months,
                _matrix(pairs, field, "month", [c for c, _l in choices], month_codes),
                True,
            )
        )
    delays = [
        {"delay": item["delay"], "month": _month_code(item["month"]), "n": item["n"]}
        for item in monthly.annotate(
            waited=ExpressionWrapper(F("report_date") - F("date"), output_field=DurationField())
        )
        .annotate(delay=_delay_expression())
        .values("delay", "month")
        .annotate(n=Count("id"))
    ]
    delay_rows = [(code, label) for code, label, _d in DELAYS]
    tables.append(
        RawTable(
            "delay",
            _("Time from incident to report"),
            _("Time"),
            delay_rows,
            months,
            _matrix(delays, "delay", "month", [c for c, _l in delay_rows], month_codes),
            True,
        )
    )
    tables.append(_referrals(audience, period, months))
    return tables


def _referrals(audience: str, period: Period, months: list[tuple[str, str]]) -> RawTable:
    protocols = sharing_protocols(audience)
    consent = Consent.objects.filter(
        case=OuterRef("case"), purpose=ConsentPurpose.REPORTING, withdrawn_at__isnull=True
    )
    referrals = Referral.objects.annotate(
        sent_on=TruncMonth("sent_at", output_field=DateField()), consented=Exists(consent)
    ).filter(
        _shared(protocols, "case__organization", "sent_at__date"),
        consented=True,
        sent_at__date__gte=period.start,
        sent_at__date__lte=period.end,
    )
    state = Case(
        When(
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED], then=Value("accepted")
        ),
        When(status=ReferralStatus.DECLINED, then=Value("declined")),
        When(status=ReferralStatus.REVOKED, then=Value("revoked")),
        default=Value("waiting"),
    )
    pairs = [
        {"month": _month_code(item["sent_on"]), "state": item["state"], "n": item["n"]}
        for item in referrals.annotate(state=state)
        .values("sent_on", "state")
        .annotate(n=Count("id"))
    ]
    return RawTable(
        "referrals",
        _("Services referred, by answer (the total is the services referred)"),
        _("Month"),
        months,
        REFERRAL_STATES,
        _matrix(pairs, "month", "state", [c for c, _l in months], [c for c, _l in REFERRAL_STATES]),
        False,
    )


def threshold_for(audience: str) -> int:
    """The strictest threshold among the ISPs that share with ``audience``."""
    from ruta.statistics.suppression import DEFAULT_THRESHOLD

    return max([p.threshold for p in sharing_protocols(audience)], default=DEFAULT_THRESHOLD)


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
