"""What needs doing: a caseworker's day, a supervisor's team, reminders.

Each function runs a fixed number of queries whatever the caseload (pinned by tests):
aggregates are computed in the database, lists are bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from ruta.cases.models import (
    ActionStatus,
    ApprovalRequest,
    ApprovalState,
    Case,
    CaseStatus,
    Consent,
    ConsentPurpose,
    FollowUp,
    PlanAction,
    RiskLevel,
)
from ruta.lib.permissions import Role

if TYPE_CHECKING:
    from ruta.accounts.models import User

LIST_LIMIT = 50


OPEN_ACTION_STATES = [ActionStatus.PENDING, ActionStatus.IN_PROGRESS]


def refresh_due_dates(cases: QuerySet[Case]) -> int:
    """Recompute the copies on ``cases``, in one UPDATE: ``next_contact_on``, the next contact
    the latest follow-up set, and ``next_action_due_on``, the earliest due date of a pending
    or in-progress plan action. Called by every action that adds or changes either."""
    latest_follow_up = (
        FollowUp.objects.filter(case=OuterRef("pk"))
        .order_by("-happened_on", "-id")
        .values("next_contact_on")[:1]
    )
    first_due = (
        PlanAction.objects.filter(
            case=OuterRef("pk"), status__in=OPEN_ACTION_STATES, due_on__isnull=False
        )
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return cases.order_by().update(
        next_contact_on=Subquery(latest_follow_up), next_action_due_on=Subquery(first_due)
    )


def refresh_case_due_dates(case: Case) -> None:
    """``refresh_due_dates`` for one case, and the same values on the instance in hand."""
    refresh_due_dates(Case.objects.filter(pk=case.pk))
    case.refresh_from_db(fields=["next_contact_on", "next_action_due_on"])


def _late(today: dt.date) -> Q:
    """A pending or in-progress action past its due date, on a case whose earliest open
    action is late (the copy on the case narrows the search to those cases)."""
    return Q(case__next_action_due_on__lt=today, due_on__lt=today, status__in=OPEN_ACTION_STATES)


def overdue_actions(cases: QuerySet[Case], today: dt.date) -> QuerySet[PlanAction]:
    """Late pending or in-progress actions of ``cases``."""
    return PlanAction.objects.filter(_late(today), case__in=cases.values("pk"))


@dataclass
class Today:
    urgent: list[Case]
    due_contacts: list[Case]
    overdue_actions: list[PlanAction]
    returned: list[ApprovalRequest]
    pending: list[ApprovalRequest]
    data_requests: list[Case] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def today_for(user: User, cases: QuerySet[Case], today: dt.date) -> Today:
    """The caseworker's day over ``cases`` (already scoped by ``access.visible_cases``)."""
    open_cases = cases.filter(status=CaseStatus.OPEN)
    urgent = list(
        open_cases.filter(risk_level=RiskLevel.URGENT).order_by("-updated_at")[:LIST_LIMIT]
    )
    due = list(
        open_cases.filter(next_contact_on__lte=today).order_by("next_contact_on", "pk")[:LIST_LIMIT]
    )
    actions = list(
        overdue_actions(open_cases, today).select_related("case").order_by("due_on")[:LIST_LIMIT]
    )
    asked_again = ApprovalRequest.objects.filter(
        case=OuterRef("case"),
        kind=OuterRef("kind"),
        target_uuid=OuterRef("target_uuid"),
        requested_at__gt=OuterRef("requested_at"),
    )
    returned = list(
        ApprovalRequest.objects.filter(
            case__in=open_cases.values("pk"),
            requested_by=user,
            state=ApprovalState.RETURNED,
        )
        .exclude(Exists(asked_again))  # sent again since: no longer waiting on the caseworker
        .select_related("case")
        .order_by("-decided_at")[:LIST_LIMIT]
    )
    pending = list(pending_approvals(cases)[:LIST_LIMIT])
    data_requests = list(storage_choices_waiting(cases).order_by("pk")[:LIST_LIMIT])
    return Today(
        urgent=urgent,
        due_contacts=due,
        overdue_actions=actions,
        returned=returned,
        pending=pending,
        data_requests=data_requests,
    )


def storage_choices_waiting(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases whose storage consent was withdrawn with the survivor's choice (erase or keep
    anonymised) that a supervisor has not carried out yet (see ``retention``)."""
    storage = Consent.objects.filter(case=OuterRef("pk"), purpose=ConsentPurpose.STORAGE)
    return cases.filter(
        Exists(storage.filter(withdrawn_at__isnull=False).exclude(storage_choice="")),
        ~Exists(storage.filter(withdrawn_at__isnull=True)),
        anonymised_at__isnull=True,
    )


def pending_approvals(cases: QuerySet[Case]) -> QuerySet[ApprovalRequest]:
    """Requests waiting for a decision on ``cases``, oldest first (the supervisor's queue)."""
    return (
        ApprovalRequest.objects.filter(case__in=cases.values("pk"), state=ApprovalState.PENDING)
        .select_related("case", "requested_by")
        .order_by("requested_at", "id")
    )


@dataclass
class TeamRow:
    caseworker: Any
    open_cases: int
    urgent: int
    overdue_actions: int
    due_contacts: int
    pending_approvals: int


def team_rows(organization_id: int, today: dt.date) -> list[TeamRow]:
    """Caseload per caseworker of an organization, from three grouped queries."""
    from ruta.accounts.models import User

    people = list(
        User.objects.filter(
            organization_id=organization_id,
            role__in=[Role.CASEWORKER, Role.SUPERVISOR],
            is_active=True,
        ).order_by("full_name", "email")
    )
    open_cases = Case.objects.filter(organization_id=organization_id, status=CaseStatus.OPEN)
    per_worker = {
        row["caseworker"]: row
        for row in open_cases.values("caseworker").annotate(
            total=Count("id"),
            urgent=Count("id", filter=Q(risk_level=RiskLevel.URGENT)),
            due=Count("id", filter=Q(next_contact_on__lte=today)),
        )
    }
    overdue = {
        row["case__caseworker"]: row["n"]
        for row in PlanAction.objects.filter(
            _late(today), case__organization_id=organization_id, case__status=CaseStatus.OPEN
        )
        .values("case__caseworker")
        .annotate(n=Count("id"))
    }
    pending = {
        row["case__caseworker"]: row["n"]
        for row in ApprovalRequest.objects.filter(
            case__organization_id=organization_id,
            case__status=CaseStatus.OPEN,
            state=ApprovalState.PENDING,
        )
        .values("case__caseworker")
        .annotate(n=Count("id"))
    }
    rows = []
    for person in people:
        stats: dict[str, Any] = dict(per_worker.get(person.pk, {}))
        if person.role == Role.SUPERVISOR and not stats:
            continue
        rows.append(
            TeamRow(
                caseworker=person,
                open_cases=stats.get("total", 0),
                urgent=stats.get("urgent", 0),
                overdue_actions=overdue.get(person.pk, 0),
                due_contacts=stats.get("due", 0),
                pending_approvals=pending.get(person.pk, 0),
            )
        )
    return rows


def reminder_counts(today: dt.date) -> Iterator[tuple[Any, dict[str, int]]]:
    """(caseworker, counts) for everyone with overdue actions or contacts due today."""
    from ruta.accounts.models import User

    open_cases = Case.objects.filter(status=CaseStatus.OPEN)
    overdue = {
        row["case__caseworker"]: row["n"]
        for row in overdue_actions(open_cases, today)
        .values("case__caseworker")
        .annotate(n=Count("id"))
    }
    due = {
        row["caseworker"]: row["n"]
        for row in open_cases.filter(next_contact_on__lte=today)
        .values("caseworker")
        .annotate(n=Count("id"))
    }
    ids = set(overdue) | set(due)
    for user in User.objects.filter(pk__in=ids, is_active=True).order_by("pk"):
        yield (
            user,
            {"overdue_actions": overdue.get(user.pk, 0), "due_contacts": due.get(user.pk, 0)},
        )


def needing_attention(cases: QuerySet[Case], what: str | None, today: dt.date) -> QuerySet[Case]:
    """``cases`` narrowed to those the today page and the team view count under ``what``:
    "contact" (next contact due today or earlier), "late" (an open plan action past its due
    date), "approval" (a request waiting for the supervisor); anything else keeps all."""
    if what == "contact":
        return cases.filter(next_contact_on__lte=today)
    if what == "late":
        return cases.filter(next_action_due_on__lt=today)
    if what == "approval":
        pending = ApprovalRequest.objects.filter(case=OuterRef("pk"), state=ApprovalState.PENDING)
        return cases.filter(Exists(pending))
    return cases
