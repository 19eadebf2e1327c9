"""The one permission matrix: roles by capabilities.

Read the table below as the policy. Every view is wrapped by ``capability_required``
(or marked ``public`` / ``authenticated``) and every API view carries
``required_capability``; the test suite walks every URL and fails on a route without
a rule. Object-level scoping (own organization, own cases) lives in each app's
``access.py``; this module only answers "may this role do this kind of thing at all".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.dispatch import Signal
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from rest_framework.request import Request
    from rest_framework.views import APIView


class Role(models.TextChoices):
    ADMIN = "admin", _("Platform administrator")
    COORDINATOR = "coordinator", _("Network coordinator")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SUPERVISOR = "supervisor", _("Case supervisor")
    CASEWORKER = "caseworker", _("Caseworker")
    HELPLINE = "helpline", _("Helpline operator")
    ANALYST = "analyst", _("M&E analyst")


class Cap(StrEnum):
    """Capabilities. Names say what, the matrix says who."""

    VIEW_DASHBOARD = "view_dashboard"
    VIEW_ORGANIZATIONS = "view_organizations"
    MANAGE_ORGANIZATIONS = "manage_organizations"
    SET_CASE_RETENTION = "set_case_retention"
    MANAGE_ALL_USERS = "manage_all_users"
    MANAGE_AGENCY_USERS = "manage_agency_users"
    DECIDE_ROLE_GRANTS = "decide_role_grants"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_DIRECTORY = "manage_directory"
    MANAGE_AGENCY_SERVICES = "manage_agency_services"
    MANAGE_PATHWAYS = "manage_pathways"
    MANAGE_PRACTICE_HUB = "manage_practice_hub"
    MANAGE_MEMBERSHIP = "manage_membership"
    SUBMIT_PRACTICES = "submit_practices"
    VIEW_CASES = "view_cases"
    SUPERVISE_CASES = "supervise_cases"
    HANDLE_HELPLINE = "handle_helpline"
    VIEW_AGGREGATES = "view_aggregates"
    RECORD_ACTIVITIES = "record_activities"
    VIEW_REACH = "view_reach"
    VIEW_STABILISATION = "view_stabilisation"
    SUBMIT_FIVEW = "submit_fivew"
    CONSOLIDATE_FIVEW = "consolidate_fivew"
    MANAGE_INDICATORS = "manage_indicators"
    MANAGE_PROJECTS = "manage_projects"
    USE_API = "use_api"


# What each capability lets a person do, as the permissions page says it: a name and one
# line. Every capability has its entry (the matrix parser checks).
CAP_LABELS: dict[Cap, tuple[Any, Any]] = {
    Cap.VIEW_DASHBOARD: (
        _("Home page"),
        _("Open the staff home page with the cards of their role."),
    ),
    Cap.VIEW_ORGANIZATIONS: (
        _("See organizations"),
        _("See the list of member organizations and their details."),
    ),
    Cap.MANAGE_ORGANIZATIONS: (
        _("Manage organizations"),
        _("Add organizations to the network, edit them and deactivate them."),
    ),
    Cap.SET_CASE_RETENTION: (
        _("Set case retention"),
        _("Choose how many years closed cases are kept before their personal data is erased."),
    ),
    Cap.MANAGE_ALL_USERS: (
        _("Manage all accounts"),
        _("Create, change and deactivate the accounts of every organization."),
    ),
    Cap.MANAGE_AGENCY_USERS: (
        _("Manage the agency's accounts"),
        _("Create, change and deactivate the accounts of their own organization."),
    ),
    Cap.DECIDE_ROLE_GRANTS: (
        _("Confirm role grants"),
        _("Confirm or refuse a role that gives an account more access to case data."),
    ),
    Cap.VIEW_AUDIT_LOG: (
        _("Read the audit log"),
        _("Read who did what and when, across the installation."),
    ),
    Cap.MANAGE_DIRECTORY: (
        _("Manage the directory"),
        _("Edit every service of the directory, its places and its vocabularies."),
    ),
    Cap.MANAGE_AGENCY_SERVICES: (
        _("Manage the agency's services"),
        _("Publish and update their own organization's services and places."),
    ),
    Cap.MANAGE_PATHWAYS: (
        _("Manage referral pathways"),
        _("Draft, publish and update the referral pathways."),
    ),
    Cap.MANAGE_PRACTICE_HUB: (
        _("Manage the practice hub"),
        _("Review, publish and edit the good practices of the network."),
    ),
    Cap.MANAGE_MEMBERSHIP: (
        _("Manage memberships"),
        _("Manage their organization's memberships of the networks."),
    ),
    Cap.SUBMIT_PRACTICES: (
        _("Submit practices"),
        _("Propose a good practice of their organization for the hub."),
    ),
    Cap.VIEW_CASES: (
        _("Work on cases"),
        _("Open and follow the cases assigned to them, and refer them to services."),
    ),
    Cap.SUPERVISE_CASES: (
        _("Supervise cases"),
        _("See every case of their organization, assign them and approve closures."),
    ),
    Cap.HANDLE_HELPLINE: (
        _("Answer the helpline"),
        _("Record helpline contacts, hand them on, and follow the programmes' beneficiaries."),
    ),
    Cap.VIEW_AGGREGATES: (
        _("See anonymous figures"),
        _("See the helpline and training figures, small numbers hidden, never a person."),
    ),
    Cap.RECORD_ACTIVITIES: (
        _("Record activities"),
        _("Record group activities and their attendance."),
    ),
    Cap.VIEW_REACH: (
        _("See people reached"),
        _("See the people reached, the referral flows and the dashboard figures."),
    ),
    Cap.VIEW_STABILISATION: (
        _("See stabilisation figures"),
        _("See the figures of the stabilisation programmes, never a person."),
    ),
    Cap.SUBMIT_FIVEW: (
        _("Submit the 5W"),
        _("Send their organization's 5W report (who does what, where, when, for whom)."),
    ),
    Cap.CONSOLIDATE_FIVEW: (
        _("Consolidate the 5W"),
        _("Check the organizations' 5W reports and consolidate them for the network."),
    ),
    Cap.MANAGE_INDICATORS: (
        _("Manage indicators"),
        _("Choose the indicators, their definitions and targets, and record results."),
    ),
    Cap.MANAGE_PROJECTS: (
        _("Manage projects"),
        _("Record projects, their indicators and their progress."),
    ),
    Cap.USE_API: (
        _("Use the API"),
        _("Read and write through the API what their role allows on the pages."),
    ),
}


# fmt: off
# Columns: admin, coordinator, agency_admin, supervisor, caseworker, helpline, analyst.
# "x" grants, "." denies. Case data is never granted to admin, coordinator,
# agency_admin or analyst: they work with the directory, people and aggregates.
_MATRIX = """
capability              adm coo aga sup cas hel ana
view_dashboard           x   x   x   x   x   x   x
view_organizations       x   x   x   x   x   x   x
manage_organizations     x   x   .   .   .   .   .
set_case_retention       x   .   x   .   .   .   .
manage_all_users         x   .   .   .   .   .   .
manage_agency_users      x   .   x   .   .   .   .
decide_role_grants       x   .   x   x   .   .   .
view_audit_log           x   .   .   .   .   .   .
manage_directory         x   x   .   .   .   .   .
manage_agency_services   x   x   x   .   .   .   .
manage_pathways          x   x   .   .   .   .   .
manage_practice_hub      x   x   .   .   .   .   .
manage_membership        x   x   x   .   .   .   .
submit_practices         x   x   x   .   .   .   .
view_cases               .   .   .   x   x   .   .
supervise_cases          .   .   .   x   .   .   .
handle_helpline          .   .   .   x   .   x   .
view_aggregates          x   x   .   x   .   .   x
record_activities        .   x   .   x   x   .   .
view_reach               .   x   x   x   .   .   x
view_stabilisation       .   x   .   x   .   x   x
submit_fivew             .   x   x   .   .   .   .
consolidate_fivew        .   x   .   .   .   .   .
manage_indicators        .   x   .   .   .   .   .
manage_projects          .   x   x   .   .   .   .
use_api                  x   x   x   x   x   x   x
"""
# fmt: on

_COLUMNS = [
    Role.ADMIN,
    Role.COORDINATOR,
    Role.AGENCY_ADMIN,
    Role.SUPERVISOR,
    Role.CASEWORKER,
    Role.HELPLINE,
    Role.ANALYST,
]


def _parse(table: str) -> dict[Cap, frozenset[str]]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    matrix: dict[Cap, frozenset[str]] = {}
    for row in rows:
        cap, marks = Cap(row[0]), row[1:]
        if len(marks) != len(_COLUMNS) or set(marks) - {"x", "."}:
            raise ValueError(f"Malformed permission row: {row}")
        matrix[cap] = frozenset(
            role.value for role, mark in zip(_COLUMNS, marks, strict=True) if mark == "x"
        )
    missing = set(Cap) - set(matrix)
    if missing:
        raise ValueError(f"Capabilities without a row in the matrix: {sorted(missing)}")
    unlabelled = set(Cap) - set(CAP_LABELS)
    if unlabelled:
        raise ValueError(f"Capabilities without a label: {sorted(unlabelled)}")
    return matrix


MATRIX: dict[Cap, frozenset[str]] = _parse(_MATRIX)

# Roles that touch case data must use two-factor authentication when it is required, and
# so must every role that can create or grant such a role (platform and agency admins):
# otherwise a password alone would be enough to hand somebody the agency's cases.
TWO_FACTOR_ROLES = frozenset(
    {Role.ADMIN, Role.AGENCY_ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.HELPLINE}
)

# How much case data a role reaches. Giving an account a role of higher rank than it had
# (or creating an account with a ranked role), or making it an agency admin, is a "role
# grant" (see ``is_role_grant``): it is audited, announced to the agency's supervisors and
# admins and, when RUTA_CONFIRM_ROLE_GRANTS is on, waits for a second person's
# confirmation. Lowering a role takes effect at once.
CASE_ACCESS_RANK: dict[str, int] = {Role.HELPLINE: 1, Role.CASEWORKER: 2, Role.SUPERVISOR: 3}


def case_access_rank(role: str | None) -> int:
    return CASE_ACCESS_RANK.get(role or "", 0)


def raises_case_access(previous: str | None, role: str) -> bool:
    """True when moving from ``previous`` (None or "" for a new account) to ``role``
    reaches more case data."""
    return case_access_rank(role) > case_access_rank(previous)


def is_role_grant(previous: str | None, role: str) -> bool:
    """True when giving ``role`` to an account that had ``previous`` (None or "" for a new
    account) is a role grant: it reaches more case data, or it makes the account an agency
    admin, who may grant those roles and confirm grants (otherwise one admin could create a
    second admin account and confirm their own requests with it)."""
    if role in (Role.AGENCY_ADMIN, Role.ADMIN):  # they grant roles and confirm grants
        return previous != role
    return raises_case_access(previous, role)


# Which roles each role may give to somebody else. Nobody grants a role above their own;
# network-wide roles are granted by platform admins only.
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.ADMIN: tuple(Role.values),
    Role.AGENCY_ADMIN: (Role.AGENCY_ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.HELPLINE),
}


def role_can(role: str | None, cap: Cap) -> bool:
    return role is not None and role in MATRIX[cap]


# ``user`` is Any below: lib imports no app, and any object answers (a User, an
# AnonymousUser, None): what lacks ``is_authenticated`` or ``role`` is refused.
def user_can(user: Any, cap: Cap) -> bool:
    """True when ``user`` is an active, authenticated account whose role grants ``cap``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return role_can(getattr(user, "role", None), cap)


def grantable_roles(user: Any) -> tuple[str, ...]:
    if not getattr(user, "is_authenticated", False):
        return ()
    return GRANTABLE_ROLES.get(user.role, ())


@dataclass(frozen=True)
class MatrixRow:
    """One capability of the matrix as the permissions page shows it."""

    capability: str
    label: Any
    description: Any
    allowed: list[bool]  # one per role, in the order of ``matrix_roles()``


def matrix_roles() -> list[tuple[str, Any]]:
    """The matrix's columns: (role, its name)."""
    return [(role.value, role.label) for role in _COLUMNS]


def matrix_rows() -> list[MatrixRow]:
    """The matrix as rows of booleans with each capability's name, for the permissions page
    and tests."""
    return [
        MatrixRow(
            capability=cap.value,
            label=CAP_LABELS[cap][0],
            description=CAP_LABELS[cap][1],
            allowed=[role.value in MATRIX[cap] for role in _COLUMNS],
        )
        for cap in Cap
    ]


# --- Rules attached to views ------------------------------------------------
# A view's rule is one of: a Cap, PUBLIC (anyone, no login) or AUTHENTICATED (any
# logged-in user, whatever the role). The route test reads ``view.ruta_rule``.
PUBLIC = "public"
AUTHENTICATED = "authenticated"

V = TypeVar("V", bound=Callable[..., Any])


def public(view: V) -> V:
    view.ruta_rule = PUBLIC  # type: ignore[attr-defined]
    return view


def _to_login(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path())


def login_only(view: V) -> V:
    """Any logged-in user; the view scopes what it shows to that user."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _to_login(request)
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    wrapped.ruta_rule = AUTHENTICATED  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


# Sent with ``request`` and ``rule`` (the capability's value) whenever a role is refused; the
# audit app records it (``ruta/audit/receivers.py``), so this policy module imports no app.
access_denied = Signal()


# Case data and helpline contacts: a role without the capability is answered as if nothing
# were there (404), like a case of another agency, so no page tells these routes apart from
# missing ones.
HIDDEN_WHEN_DENIED = frozenset(
    {Cap.VIEW_CASES, Cap.SUPERVISE_CASES, Cap.HANDLE_HELPLINE, Cap.VIEW_STABILISATION}
)


def capability_required(cap: Cap) -> Callable[[V], V]:
    """Anonymous users go to the login page; a logged-in role without ``cap`` gets 403
    (404 for the capabilities in ``HIDDEN_WHEN_DENIED``)."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return _to_login(request)
            if not user_can(request.user, cap):
                access_denied.send(sender=capability_required, request=request, rule=cap.value)
                if cap in HIDDEN_WHEN_DENIED:
                    raise Http404
                raise PermissionDenied
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        wrapped.ruta_rule = cap  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


class DenyAll(BasePermission):
    """The API default: a view that forgot its rule serves nobody."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return False


class HasCapability(BasePermission):
    """API permission reading ``view.required_capability`` (a Cap, PUBLIC or AUTHENTICATED)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        rule = getattr(view, "required_capability", None)
        if rule == PUBLIC:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        if rule == AUTHENTICATED:
            return True
        if isinstance(rule, Cap) and user_can(request.user, rule):
            return True
        if isinstance(rule, Cap):
            access_denied.send(sender=HasCapability, request=request, rule=rule.value)
            if rule in HIDDEN_WHEN_DENIED:
                raise NotFound
        return False
