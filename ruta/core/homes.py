"""The work waiting for each role on its home page: counts, each with where to do it.

Each line is ``{"key", "count", "label", "url"}``; the first line with work is the
home's next action. Every count is one query (a few for a whole home), whatever the
caseload: ``test_homes`` pins the numbers.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from ruta.accounts.access import pending_role_grants
from ruta.cases import access as case_access
from ruta.cases.models import ApprovalRequest, ApprovalState, CaseStatus, RiskLevel
from ruta.cases.work import overdue_actions, pending_approvals, team_rows
from ruta.directory.access import stale_services
from ruta.directory.models import Service
from ruta.lib.permissions import Cap, Role, user_can
from ruta.network.models import Meeting
from ruta.pathways.models import Pathway, PathwayStatus
from ruta.practices.models import Practice, PracticeStatus
from ruta.referrals.access import received_referrals
from ruta.referrals.models import ReferralStatus

if TYPE_CHECKING:
    from ruta.accounts.models import User

Line = dict[str, Any]


def _line(key: str, count: int, label: str, url: str) -> Line:
    return {"key": key, "count": count, "label": label, "url": url}


def _case_lines(user: User, today: dt.date) -> list[Line]:
    cases = case_access.visible_cases(user).filter(status=CaseStatus.OPEN)
    case_list = reverse("cases:case_list")
    due = cases.filter(next_contact_on__lte=today).count()
    late = overdue_actions(cases, today).count()
    asked_again = ApprovalRequest.objects.filter(
        case=OuterRef("case"),
        kind=OuterRef("kind"),
        target_uuid=OuterRef("target_uuid"),
        requested_at__gt=OuterRef("requested_at"),
    )
    returned = (
        ApprovalRequest.objects.filter(
            case__in=cases.values("pk"), requested_by=user, state=ApprovalState.RETURNED
        )
        .exclude(Exists(asked_again))
        .count()
    )
    waiting = received_referrals(user).filter(status=ReferralStatus.SENT).count()
    lines = [
        _line(
            "due_contacts",
            due,
            ngettext("contact due today", "contacts due today", due),
            f"{case_list}?attention=contact",
        ),
        _line(
            "overdue_actions",
            late,
            ngettext("overdue action", "overdue actions", late),
            f"{case_list}?attention=late",
        ),
        _line(
            "returned_approvals",
            returned,
            ngettext("approval returned to you", "approvals returned to you", returned),
            reverse("cases:today"),
        ),
        _line(
            "referrals_waiting",
            waiting,
            ngettext(
                "referral waiting for an answer",
                "referrals waiting for an answer",
                waiting,
            ),
            f"{reverse('referrals:inbox')}?status=sent",
        ),
    ]
    if user_can(user, Cap.SUPERVISE_CASES):
        approvals = pending_approvals(cases).count()
        urgent = cases.filter(risk_level=RiskLevel.URGENT).count()
        lines = [
            _line(
                "pending_approvals",
                approvals,
                ngettext("approval waiting", "approvals waiting", approvals),
                f"{reverse('cases:team')}#approvals",
            ),
            _line(
                "urgent_cases",
                urgent,
                ngettext("urgent case", "urgent cases", urgent),
                f"{case_list}?risk={RiskLevel.URGENT}",
            ),
            *lines,
        ]
    return lines


def _coordinator_lines(now: dt.datetime) -> list[Line]:
    stale = stale_services(Service.objects.all()).count()
    limit = now - timedelta(days=settings.RUTA_VERIFY_DAYS)
    checks = Pathway.objects.filter(status=PathwayStatus.PUBLISHED, verified_at__lt=limit).count()
    review = Practice.objects.filter(status=PracticeStatus.SUBMITTED).count()
    return [
        _line(
            "stale_services",
            stale,
            ngettext("directory entry to verify", "directory entries to verify", stale),
            f"{reverse('directory:service_list')}?stale=on",
        ),
        _line(
            "pathway_checks",
            checks,
            ngettext("pathway due for a check", "pathways due for a check", checks),
            reverse("pathways:list"),
        ),
        _line(
            "practices_to_review",
            review,
            ngettext("practice to review", "practices to review", review),
            reverse("practices:manage"),
        ),
    ]


def _agency_admin_lines(user: User) -> list[Line]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ruta.accounts.models import User as UserModel

    grants = pending_role_grants(user).exclude(requested_by=user).exclude(user=user).count()
    device = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    without = (
        UserModel.objects.filter(organization_id=user.organization_id, is_active=True)
        .exclude(Exists(device))
        .count()
    )
    to_confirm = stale_services(
        Service.objects.filter(organization_id=user.organization_id)
    ).count()
    return [
        _line(
            "role_grants",
            grants,
            ngettext("role grant to confirm", "role grants to confirm", grants),
            reverse("accounts:role_grant_list"),
        ),
        _line(
            "without_two_factor",
            without,
            ngettext("account without two-factor", "accounts without two-factor", without),
            reverse("accounts:user_list"),
        ),
        _line(
            "services_to_confirm",
            to_confirm,
            ngettext("service to confirm", "services to confirm", to_confirm),
            f"{reverse('directory:service_list')}?stale=on",
        ),
    ]


def work_for(user: User) -> dict[str, Any]:
    """The lines of ``user``'s home, the next action, and the role's extras."""
    now = timezone.now()
    today = timezone.localdate()
    lines: list[Line] = []
    extras: dict[str, Any] = {}
    if user_can(user, Cap.VIEW_CASES):
        lines += _case_lines(user, today)
    if user.role == Role.SUPERVISOR:
        # Overdue work per caseworker: the team rows with something late.
        extras["team_overdue"] = [
            row for row in team_rows(user.organization_id, today) if row.overdue_actions
        ]
    if user.role == Role.COORDINATOR:
        lines += _coordinator_lines(now)
        extras["next_meeting"] = (
            Meeting.objects.filter(starts_at__gte=now).order_by("starts_at").first()
        )
    if user.role == Role.AGENCY_ADMIN:
        lines += _agency_admin_lines(user)
    next_line = next((line for line in lines if line["count"]), None)
    return {"work_lines": lines, "next_line": next_line, **extras}
