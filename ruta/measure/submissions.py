"""Submitting the monthly 5W: an organization reviews the rows built from its records,
submits them as a frozen snapshot, and corrects a submitted month with a new version.

- ``submit`` freezes the live rows of a month that has ended (version 1); once a month is
  submitted its figures are the snapshot's, whatever is recorded afterwards;
- a correction (``submit`` again, or an import of the month) adds the next version and
  needs a reason; every version is kept;
- ``report`` gives, per organization, the latest submitted rows of a month or, for an
  organization that has not submitted it, the live draft, flagged as such;
- ``consolidated`` gives the latest submitted rows of every organization (the
  coordinator's consolidated 5W).

Every submission writes an audit event with ids, codes and counts only (the reason, free
text, stays in the submission).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, overload

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.agencies.models import Organization
from ruta.audit.actions import record
from ruta.lib.permissions import Cap, user_can
from ruta.measure import facts, fivew
from ruta.measure.fivew_models import FiveWSubmission, SubmissionSource
from ruta.measure.reach import compute, month_end
from ruta.places.models import AdminArea

if TYPE_CHECKING:
    from ruta.accounts.models import User

REASON_MAX = 1000


class SubmissionError(Exception):
    """A submission that cannot be made; ``str(error)`` is a message for the person."""


@cache
def tags() -> tuple[str, ...]:
    """The 5W's hashtags in column order: the same in every language, so worked out once
    rather than translating every header to read them."""
    return tuple(column.tag for column in fivew.columns())


def parse_month(text: str) -> dt.date | None:
    """``YYYY-MM`` as the first day of the month, or None."""
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None


def has_ended(month: dt.date) -> bool:
    return month_end(month) < timezone.localdate()


def may_submit(user: Any) -> bool:
    """Agency admins and coordinators submit their own organization's 5W."""
    return user_can(user, Cap.SUBMIT_FIVEW) and bool(getattr(user, "organization_id", None))


# --- Rows -------------------------------------------------------------------------------


def live_rows(
    month: dt.date, organization_ids: frozenset[int] | None, *, exact: bool = False
) -> dict[int, list[dict[str, Any]]]:
    """The live rows of the month by organization: as the 5W pages read them
    (``fivew.figures_for``) or, with ``exact``, computed from the records this instant
    (``reach.compute``), which is what an organization reviews and submits: a snapshot
    never freezes figures that a later refresh would have changed."""
    names = tags()
    if exact:
        found = compute(month, month, organization_ids)
    else:
        found = fivew.figures_for(month, organization_ids)
    by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for figure, row in zip(found, fivew.rows_for(found), strict=True):
        by_org[figure.cell.organization_id].append(dict(zip(names, row, strict=True)))
    return dict(by_org)


def as_lists(
    rows: list[dict[str, Any]], areas: dict[str, AdminArea] | None = None
) -> list[list[Any]]:
    """Rows keyed by hashtag as lists in the order of today's columns; the admin1 name
    is read from the gazetteer in the reader's language where the code is known
    (``areas``, by code, when the caller has read them already)."""
    names = tags()
    if areas is None:
        areas = AdminArea.objects.in_bulk(
            {row.get("#adm1+code") for row in rows}, field_name="code"
        )
    result = []
    for row in rows:
        values = dict(row)
        if values.get("#adm1+code") in areas:
            values["#adm1+name"] = areas[values["#adm1+code"]].name
        result.append([values.get(tag, "") for tag in names])
    return result


# --- Versions ---------------------------------------------------------------------------


def latest_versions(
    month: dt.date, organization_ids: frozenset[int] | None
) -> dict[int, FiveWSubmission]:
    """The latest version of the month per organization that has submitted it."""
    found = FiveWSubmission.objects.filter(month=month).select_related(
        "organization", "submitted_by"
    )
    if organization_ids is not None:
        found = found.filter(organization_id__in=organization_ids)
    latest: dict[int, FiveWSubmission] = {}
    for submission in found.order_by("organization_id", "version"):
        latest[submission.organization_id] = submission
    return latest


def versions(organization: Organization, month: dt.date) -> list[FiveWSubmission]:
    """Every version of the month, the latest first."""
    return list(
        FiveWSubmission.objects.filter(organization=organization, month=month)
        .select_related("submitted_by")
        .order_by("-version")
    )


@dataclass
class MonthStatus:
    month: dt.date
    latest: FiveWSubmission | None

    @property
    def state(self) -> str:
        if self.latest is None:
            return "draft"
        return "corrected" if self.latest.is_correction else "submitted"

    @property
    def label(self) -> str:
        if self.latest is None:
            return _("Draft")
        if self.latest.is_correction:
            return _("Corrected (version %(version)s)") % {"version": self.latest.version}
        return _("Submitted (version %(version)s)") % {"version": self.latest.version}


def statuses(organization: Organization, months: list[dt.date]) -> list[MonthStatus]:
    found = FiveWSubmission.objects.filter(
        organization=organization, month__in=months
    ).select_related("submitted_by")
    latest: dict[dt.date, FiveWSubmission] = {}
    for submission in found.order_by("month", "version"):
        latest[submission.month] = submission
    return [MonthStatus(month, latest.get(month)) for month in months]


def recent_months(count: int = 12) -> list[dt.date]:
    """The ``count`` months that ended last, the latest first."""
    month = timezone.localdate().replace(day=1)
    months = []
    for _step in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


def _add_version(
    actor: User,
    organization: Organization,
    month: dt.date,
    rows: list[dict[str, Any]],
    source: str,
    reason: str,
) -> FiveWSubmission:
    """The next version of the month; call inside a transaction."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()  # one at a time
    latest = (
        FiveWSubmission.objects.filter(organization=organization, month=month)
        .order_by("-version")
        .first()
    )
    reason = reason.strip()
    if latest is not None and not reason:
        raise SubmissionError(
            _("%(month)s is already submitted: a correction needs a reason.")
            % {"month": month.strftime("%Y-%m")}
        )
    if len(reason) > REASON_MAX:
        raise SubmissionError(
            _("The reason is longer than %(max)s characters.") % {"max": REASON_MAX}
        )
    try:
        with transaction.atomic():  # a savepoint: two people submitting at the same moment
            submission = FiveWSubmission.objects.create(
                organization=organization,
                month=month,
                version=latest.version + 1 if latest else 1,
                source=source,
                reason=reason if latest else "",
                rows=rows,
                submitted_by=actor,
                submitted_at=timezone.now(),
            )
    except IntegrityError as error:
        raise SubmissionError(
            _("Somebody submitted %(month)s at the same time: look at it again.")
            % {"month": month.strftime("%Y-%m")}
        ) from error
    record(
        "measure.fivew_corrected" if latest else "measure.fivew_submitted",
        actor=actor,
        obj=submission,
        organization=organization,
        details={
            "month": month.strftime("%Y-%m"),
            "version": submission.version,
            "source": source,
            "rows": len(rows),
            "replaces": str(latest.uuid) if latest else "",
        },
    )
    return submission


def _check(actor: User, month: dt.date) -> Organization:
    if not may_submit(actor):
        raise SubmissionError(_("Only agency admins and coordinators submit their 5W."))
    if not has_ended(month):
        raise SubmissionError(
            _("%(month)s has not ended yet: submit it once it is over.")
            % {"month": month.strftime("%Y-%m")}
        )
    assert actor.organization is not None  # may_submit checked it
    return actor.organization


def submit(actor: User, month: dt.date, reason: str = "") -> FiveWSubmission:
    """Freeze the live rows of ``month`` for the actor's organization: version 1, or the
    next version (a correction, ``reason`` required) when the month is already submitted."""
    organization = _check(actor, month)
    with transaction.atomic():
        own = frozenset({organization.pk})
        rows = live_rows(month, own, exact=True).get(organization.pk, [])
        return _add_version(actor, organization, month, rows, SubmissionSource.RECORDS, reason)


def submit_rows(
    actor: User, month_rows: dict[dt.date, list[dict[str, Any]]], reason: str
) -> list[FiveWSubmission]:
    """One version per month from imported rows, all or none."""
    organizations = {month: _check(actor, month) for month in month_rows}
    with transaction.atomic():
        return [
            _add_version(actor, organizations[month], month, rows, SubmissionSource.IMPORT, reason)
            for month, rows in sorted(month_rows.items())
        ]


# --- Reading a month ----------------------------------------------------------------------


@dataclass
class OrganizationReport:
    organization: Organization
    submission: FiveWSubmission | None
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        return self.submission is None

    @property
    def status(self) -> MonthStatus:
        month = self.submission.month if self.submission else dt.date(1, 1, 1)
        return MonthStatus(month, self.submission)


def _shown(
    latest: dict[int, FiveWSubmission], live: dict[int, list[Any]]
) -> list[tuple[Organization, FiveWSubmission | None, list[Any]]]:
    """By organization name: each organization's latest submission of the month, or,
    when it has not submitted it, its live rows (an organization with neither is left
    out)."""
    organizations = Organization.objects.filter(pk__in=set(latest) | set(live))
    return [
        (org, latest[org.pk], list(latest[org.pk].rows))
        if org.pk in latest
        else (org, None, live.get(org.pk, []))
        for org in organizations.order_by("name")
    ]


def report(month: dt.date, organization_ids: frozenset[int] | None) -> list[OrganizationReport]:
    """Per organization: the latest submitted rows of the month, or the live draft of an
    organization that has not submitted it (an organization with neither is left out)."""
    latest = latest_versions(month, organization_ids)
    return [
        OrganizationReport(org, submission, rows)
        for org, submission, rows in _shown(latest, live_rows(month, organization_ids))
    ]


class ReportRows(Sequence[list[Any]]):
    """The month's rows as shown and downloaded (``report``: submitted snapshots where
    they exist, else the live draft), each built only when it is asked for: a page of a
    network's month shows 100 of its thousands of rows, and the live figures stay plain
    facts until a row of theirs is on the page."""

    def __init__(self, month: dt.date, organization_ids: frozenset[int] | None) -> None:
        latest = latest_versions(month, organization_ids)
        live: dict[int, list[facts.FigureRow]] = defaultdict(list)
        for row in facts.figure_rows(month, month, organization_ids):
            live[row[1]].append(row)  # by organization (FIGURE_COLUMNS)
        shown = _shown(latest, live)
        self.organizations = {org.pk: org for org, _submission, _rows in shown}
        self.items: list[dict[str, Any] | facts.FigureRow] = [
            item for _org, _submission, rows in shown for item in rows
        ]

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> list[Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[Any]]: ...

    def __getitem__(self, index: int | slice) -> list[Any] | list[list[Any]]:
        if isinstance(index, int):
            return self[index : index + 1 if index != -1 else None][0]
        chunk = self.items[index]
        figures = [facts.figure_of(item) for item in chunk if isinstance(item, tuple)]
        # The gazetteer's names of the chunk's regions, read once for both kinds of row.
        areas = AdminArea.objects.in_bulk(
            {item[2] if isinstance(item, tuple) else item.get("#adm1+code") for item in chunk},
            field_name="code",
        )
        names = tags()
        built = iter(
            dict(zip(names, row, strict=True))
            for row in fivew.rows_for(figures, self.organizations, areas)
        )
        return as_lists([next(built) if isinstance(item, tuple) else item for item in chunk], areas)


def report_rows(month: dt.date, organization_ids: frozenset[int] | None) -> list[list[Any]]:
    """The month's rows as shown and downloaded: submitted snapshots where they exist."""
    return ReportRows(month, organization_ids)[:]


def consolidated(month: dt.date) -> list[OrganizationReport]:
    """Every organization's latest submitted version of the month (no live rows)."""
    latest = latest_versions(month, None)
    return [
        OrganizationReport(submission.organization, submission, list(submission.rows))
        for submission in sorted(latest.values(), key=lambda s: s.organization.name)
    ]


def consolidated_rows(month: dt.date) -> list[list[Any]]:
    return as_lists([row for part in consolidated(month) for row in part.rows])
