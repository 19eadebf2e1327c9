"""Who sees which cases. Deny by default; forbidden and missing both answer 404.

A caseworker sees the open or closed cases of their own organization assigned to them;
a supervisor sees every case of their organization. Nobody else sees any case data:
not platform admins, coordinators, agency admins, analysts, helpline operators nor
any other agency. Every read goes through ``read_case`` (or ``audit_case_read``),
which writes ``case.read`` to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from ruta.audit.actions import record
from ruta.cases.models import Case
from ruta.lib.permissions import Cap, Role, user_can

if TYPE_CHECKING:
    from ruta.accounts.models import User

CASE_READ = "case.read"
CASE_LIST_READ = "case.list_read"


def visible_cases(user: User) -> QuerySet[Case]:
    if not user_can(user, Cap.VIEW_CASES):
        return Case.objects.none()
    cases = Case.objects.filter(organization_id=user.organization_id)
    if user_can(user, Cap.SUPERVISE_CASES):
        return cases
    if user.role == Role.CASEWORKER:
        return cases.filter(caseworker_id=user.pk)
    return Case.objects.none()


def can_supervise(user: User, case: Case) -> bool:
    return user_can(user, Cap.SUPERVISE_CASES) and case.organization_id == user.organization_id


def get_case(user: User, case_uuid: Any, queryset: QuerySet[Case] | None = None) -> Case:
    """The case if ``user`` may see it, else 404 (whether missing or forbidden)."""
    base = visible_cases(user)
    if queryset is not None:
        base = queryset & base
    case = (
        base.select_related("client", "caseworker", "supervisor", "organization")
        .filter(uuid=case_uuid)
        .first()
    )
    if case is None:
        raise Http404
    return case


def audit_case_read(request: Any, case: Case, what: str = "case") -> None:
    record(
        CASE_READ,
        request=request,
        obj=case,
        organization=case.organization,
        details={"what": what, "path": request.path[:200]},
    )


def audit_list_read(request: Any, what: str, cases: Iterable[Any]) -> None:
    """One event for a page or API answer that shows several cases: the ids of the cases
    shown (``cases`` holds cases, or records with a ``case``), not one event per row."""
    ids = sorted(
        {str((item if isinstance(item, Case) else item.case).uuid) for item in cases if item}
    )
    if ids:
        record(
            CASE_LIST_READ,
            request=request,
            organization=getattr(request.user, "organization", None),
            details={"what": what, "count": len(ids), "cases": ids},
        )


def read_case(request: Any, case_uuid: Any) -> Case:
    """Fetch a case for the request's user and audit the read."""
    case = get_case(request.user, case_uuid)
    audit_case_read(request, case)
    return case


def supervisors_of(organization_id: int) -> QuerySet[Any]:
    from ruta.accounts.models import User

    return User.objects.filter(
        organization_id=organization_id, role=Role.SUPERVISOR, is_active=True
    )


def caseworkers_of(organization_id: int) -> QuerySet[Any]:
    from ruta.accounts.models import User

    return User.objects.filter(
        organization_id=organization_id, role=Role.CASEWORKER, is_active=True
    ).order_by("full_name", "email")
