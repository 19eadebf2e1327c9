"""Supervision and daily work: today page, team view, approvals.

Thin views: ``access`` scopes every case, ``work`` answers the questions about a
caseload in a fixed number of queries, ``actions`` makes every change. Lists show case
codes only, never a client's name or narrative.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest
    from ruta.accounts.models import User

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.cases import access, actions, extensions, risks, work
from ruta.cases.forms_work import ApprovalRequestForm, DecisionForm
from ruta.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalState,
    Assessment,
    Closure,
    Goal,
    NeedDomain,
    NeedLevel,
)
from ruta.lib.permissions import Cap, capability_required, user_can

CASE_DETAIL = "cases:case_detail"
CASE_LIST = "cases:case_list"


def case_url(case_uuid: Any) -> str:
    return reverse(CASE_DETAIL, args=[case_uuid])


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


# --- Today -------------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_GET
def today_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    today = timezone.localdate()
    day = work.today_for(user, access.visible_cases(user), today)
    access.audit_list_read(
        request,
        "today",
        [
            *day.urgent,
            *day.due_contacts,
            *day.overdue_actions,
            *day.returned,
            *day.pending,
            *day.data_requests,
        ],
    )
    return render(
        request,
        "cases/work/today.html",
        {
            "today": today,
            "day": day,
            "is_supervisor": user_can(user, Cap.SUPERVISE_CASES),
            "nothing": not (
                day.urgent or day.due_contacts or day.overdue_actions or day.returned or day.pending
            ),
            "between_agencies": extensions.today_lines(user),
        },
    )


# --- Team -------------------------------------------------------------------------------
@capability_required(Cap.SUPERVISE_CASES)
@require_GET
def team_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    today = timezone.localdate()
    rows = work.team_rows(user.organization_id, today)
    queue = list(work.pending_approvals(access.visible_cases(user))[: work.LIST_LIMIT])
    access.audit_list_read(request, "team", queue)
    return render(
        request,
        "cases/work/team.html",
        {
            "today": today,
            "rows": rows,
            "queue": queue,
            "case_list_url": reverse(CASE_LIST),
            "totals": {
                "open_cases": sum(r.open_cases for r in rows),
                "urgent": sum(r.urgent for r in rows),
                "overdue_actions": sum(r.overdue_actions for r in rows),
                "due_contacts": sum(r.due_contacts for r in rows),
                "pending_approvals": sum(r.pending_approvals for r in rows),
            },
        },
    )


# --- Approvals --------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_POST
def approval_request_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    """Send the latest assessment or the action plan of a case to a supervisor."""
    user: User = request.user
    case = access.get_case(user, case_uuid)
    form = ApprovalRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to send for approval."))
    else:
        kind = form.cleaned_data["kind"]
        try:
            actions.request_approval(user, case, kind, form.cleaned_data["target"])
        except actions.CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Sent for approval: %(what)s. Your supervisor has been notified.")
                % {"what": ApprovalKind(kind).label},
            )
    return HttpResponseRedirect(case_url(case.uuid) + "#approvals")


def _approval_for(user: User, approval_uuid: Any) -> ApprovalRequest:
    """The approval if its case is visible to ``user``, else 404 (missing or forbidden)."""
    approval = (
        ApprovalRequest.objects.filter(uuid=approval_uuid, case__in=access.visible_cases(user))
        .select_related("case", "case__organization", "requested_by", "decided_by")
        .first()
    )
    if approval is None:
        raise Http404
    return approval


def _what_is_asked(approval: ApprovalRequest) -> dict[str, Any]:
    """Coded facts about the record to approve (no narrative: that is on the case page)."""
    case = approval.case
    if approval.kind == ApprovalKind.ASSESSMENT:
        assessment = Assessment.objects.filter(case=case, uuid=approval.target_uuid).first()
        if assessment is None:
            return {}
        levels = dict(NeedLevel.choices)
        needs = [
            (label, levels.get(assessment.needs.get(code, ""), "—"))
            for code, label in NeedDomain.choices
        ]
        return {"assessment": assessment, "needs": needs}
    if approval.kind == ApprovalKind.ACTION_PLAN:
        goals = (
            Goal.objects.filter(plan__case=case, plan__uuid=approval.target_uuid)
            .annotate(action_count=Count("actions"))
            .order_by("id")
            .only("id", "need")
        )
        return {"goals": list(goals)}
    closure = Closure.objects.filter(case=case, uuid=approval.target_uuid).first()
    return {"closure": closure} if closure else {}


@capability_required(Cap.SUPERVISE_CASES)
@require_http_methods(["GET", "POST"])
def approval_decide_view(request: AuthenticatedRequest, approval_uuid: Any) -> HttpResponse:
    user: User = request.user
    approval = _approval_for(user, approval_uuid)
    is_pending = approval.state == ApprovalState.PENDING
    # A pending closure shows the case's open risks as they are now, on every view.
    closing = is_pending and approval.kind == ApprovalKind.CLOSURE
    open_risks = risks.open_risks(approval.case) if closing else []
    urgent_risks = risks.blocking(open_risks)
    form = DecisionForm(
        request.POST or None,
        initial={"next": request.GET.get("next", "")},
        urgent_risk=bool(urgent_risks),
    )
    if request.method == "POST" and form.is_valid():
        approve = form.approve
        try:
            actions.decide_approval(
                user,
                approval,
                approve=approve,
                comment=form.cleaned_data["comment"],
                risk_override_reason=form.cleaned_data.get("risk_override_reason") or "",
            )
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            code = approval.case.code
            if approve:
                text = _("Approved: %(what)s of case %(code)s.")
            else:
                text = _("Returned to the caseworker: %(what)s of case %(code)s.")
            messages.success(request, text % {"what": approval.get_kind_display(), "code": code})
            target = _safe_next(request, form.cleaned_data.get("next", ""))
            return HttpResponseRedirect(target or reverse("cases:team"))
    access.audit_case_read(request, approval.case, what="approval")
    return render(
        request,
        "cases/work/approval_decide.html",
        {
            "approval": approval,
            "case": approval.case,
            "case_url": case_url(approval.case.uuid),
            "form": form,
            "is_pending": is_pending,
            "closing": closing,
            "open_risks": open_risks,
            "urgent_risks": urgent_risks,
            **_what_is_asked(approval),
        },
    )
