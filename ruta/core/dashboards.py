"""What each role sees first. Later capabilities add their cards here."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from ruta.accounts.models import User

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.access import pending_role_grants
from ruta.core.homes import work_for
from ruta.helpline import access as helpline_access
from ruta.helpline.figures import monthly_volume
from ruta.helpline.work import desk_summary
from ruta.indicators.results import next_month
from ruta.indicators.summary import outcome_summary, running_projects
from ruta.lib.permissions import Cap, Role, user_can
from ruta.measure import facts
from ruta.measure.access import organization_scope
from ruta.measure.reach import last_full_month
from ruta.stabilisation.work import queue_summary
from ruta.statistics import access as statistics_access

INTRO: dict[str, Promise] = {
    Role.ADMIN: _("Manage organizations, accounts and the audit trail of the platform."),
    Role.COORDINATOR: _(
        "Keep the network's service map and referral pathways current, and run the "
        "community of practice."
    ),
    Role.AGENCY_ADMIN: _("Manage your organization's accounts and services."),
    Role.SUPERVISOR: _("Follow your team's cases, approvals and case conferences."),
    Role.CASEWORKER: _("Your cases, follow-ups and referrals for today."),
    Role.HELPLINE: _("Register helpline contacts and guide callers to services."),
    Role.ANALYST: _("Aggregated indicators for the network, never personal data."),
}

# Cards: (capability, title, description, url name or None while the module is coming)
CARDS: list[tuple[Cap, Any, Any, str | None]] = [
    (
        Cap.VIEW_ORGANIZATIONS,
        _("Organizations"),
        _("Member agencies of the network, with their contacts."),
        "agencies:organization_list",
    ),
    (
        Cap.MANAGE_AGENCY_USERS,
        _("Users"),
        _("Invite people, change roles, deactivate accounts, reset two-factor."),
        "accounts:user_list",
    ),
    (
        Cap.VIEW_AUDIT_LOG,
        _("Audit log"),
        _("Every login, permission denial and change, filterable and exportable."),
        "audit:event_list",
    ),
    (
        Cap.VIEW_DASHBOARD,
        _("Service directory"),
        _("Who offers what, where and for whom, always current."),
        "directory:service_list",
    ),
    (
        Cap.VIEW_DASHBOARD,
        _("Referral pathways"),
        _("Entry points and onward services by population profile."),
        "pathways:list",
    ),
    (
        Cap.VIEW_DASHBOARD,
        _("Coverage gaps"),
        _("Where no service exists for a need and a profile."),
        "reports:coverage",
    ),
    (
        Cap.MANAGE_DIRECTORY,
        _("Import HSDS data"),
        _("Load services from another Open Referral directory, with a dry run first."),
        "hsds_import:upload",
    ),
    (
        Cap.VIEW_CASES,
        _("Cases"),
        _("Survivor-centred case management: your caseload, plans and follow-ups."),
        "cases:case_list",
    ),
    # The helpline desk is not a card: its section shows the day's counts (``helpline``).
    (
        Cap.RECORD_ACTIVITIES,
        _("Group and community activities"),
        _("Support groups, psychoeducation, community events: sessions and people counted."),
        "activities:list",
    ),
    (
        Cap.VIEW_REACH,
        _("People reached"),
        _("Monthly and new beneficiaries without double counting, and the R4V 5W."),
        "measure:reach",
    ),
    (
        Cap.VIEW_STABILISATION,
        _("Cash-transfer stabilisation"),
        _(
            "People supported while their transfer is late (BP5_PC): the two indicators "
            "against the target, by territory and profile."
        ),
        "stabilisation:figures",
    ),
    (
        Cap.VIEW_REACH,
        _("Indicators and projects"),
        _("The IASC framework and the network's indicators by period, and projects' targets."),
        "indicators:catalogue",
    ),
]


def _reach_summary(user: User) -> dict[str, Any] | None:
    """Last month's people reached for a reader of figures (own agency or the network)."""
    if not user_can(user, Cap.VIEW_REACH):
        return None
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    summary = facts.summary(month, month, organization_scope(user))
    return {"month": month, "summary": summary, "freshness": facts.freshness(month)}


def _outcomes_and_helpline(user: User) -> dict[str, Any] | None:
    """For a reader of figures: the outcome measures over the last twelve full months, and
    the helpline's contacts in the last three (counts only, small ones as "<N")."""
    if not user_can(user, Cap.VIEW_REACH):
        return None
    last = last_full_month(timezone.localdate())
    start, end, outcomes = outcome_summary(organization_scope(user), last)
    helpline = None
    scope = helpline_access.figures_scope(user)
    if scope is not None:
        organization_id = None if scope == helpline_access.NETWORK else int(scope)
        first = next_month(last, -2)
        helpline = monthly_volume(organization_id, first, last)
    return {"start": start, "end": end, "outcomes": outcomes, "helpline": helpline}


def dashboard_for(user: User) -> dict[str, Any]:
    cards = [
        {"title": title, "text": text, "url": reverse(url) if url else None}
        for cap, title, text, url in CARDS
        if user_can(user, cap)
    ]
    cards += statistics_access.home_cards(user)
    # Caseworkers and supervisors start their day on the "today" page of case management.
    today_url = reverse("cases:today") if user_can(user, Cap.VIEW_CASES) else None
    # Helpline operators start theirs on the desk; supervisors see the desk's counts too.
    helpline = desk_summary(user) if user_can(user, Cap.HANDLE_HELPLINE) else None
    # The desk's stabilisation queue (cash-transfer beneficiaries whose payment is late).
    stabilisation = queue_summary(user) if helpline is not None else None
    if today_url is None and helpline is not None:
        today_url = reverse("helpline:desk")
    # Case-data roles waiting for a second person's confirmation.
    pending = 0
    if user_can(user, Cap.DECIDE_ROLE_GRANTS):
        pending = pending_role_grants(user).exclude(requested_by=user).exclude(user=user).count()
    projects, running = (
        running_projects(user, timezone.localdate()) if user_can(user, Cap.VIEW_REACH) else ([], 0)
    )
    return {
        "reach": _reach_summary(user),
        "outcomes": _outcomes_and_helpline(user),
        "projects": projects,
        "projects_running": running,
        "intro": INTRO.get(user.role, ""),
        "cards": cards,
        "today_url": today_url,
        "pending_role_grants": pending,
        "helpline": helpline,
        "stabilisation": stabilisation,
        # Each role's own work: counts and the next action (``homes``).
        **work_for(user),
    }
