"""Supervision and daily work: today page, team view, approvals, notifications.

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
from django.db.models import Count, F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.cases import access, actions, work
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
    Notification,
    NotificationKind,
)
from ruta.lib.pagination import paginate
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
        [*day.urgent, *day.due_contacts, *day.overdue_actions, *day.returned, *day.pending],
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
            "between_agencies": _between_agencies(user),
        },
    )


def _between_agencies(user: User) -> dict[str, int]:
    """Referrals waiting for this person's answer and their open conference actions."""
    from ruta.conferences.work import open_actions_for
    from ruta.referrals.access import received_referrals
    from ruta.referrals.models import ReferralStatus
    from ruta.transfers.access import incoming_transfers
    from ruta.transfers.models import TransferStatus

    return {
        "referrals": received_referrals(user).filter(status=ReferralStatus.SENT).count(),
        "transfers": incoming_transfers(user).filter(status=TransferStatus.REQUESTED).count(),
        "conference_actions": open_actions_for(user).count(),
    }


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
    form = DecisionForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        approve = form.approve
        try:
            actions.decide_approval(
                user, approval, approve=approve, comment=form.cleaned_data["comment"]
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
            "is_pending": approval.state == ApprovalState.PENDING,
            **_what_is_asked(approval),
        },
    )


# --- Notifications ------------------------------------------------------------------
def _what(details: dict[str, Any]) -> str:
    kind = details.get("kind", "")
    return str(ApprovalKind(kind).label) if kind in ApprovalKind.values else ""


def _count(details: dict[str, Any], key: str) -> int:
    try:
        return max(int(details.get(key, 0)), 0)
    except (TypeError, ValueError):
        return 0


def _reminder_text(details: dict[str, Any]) -> str:
    overdue, due = _count(details, "overdue_actions"), _count(details, "due_contacts")
    parts = []
    if overdue:
        parts.append(
            ngettext(
                "%(count)s overdue plan action",
                "%(count)s overdue plan actions",
                overdue,
            )
            % {"count": overdue}
        )
    if due:
        parts.append(
            ngettext(
                "%(count)s contact due today or earlier",
                "%(count)s contacts due today or earlier",
                due,
            )
            % {"count": due}
        )
    if len(parts) == 2:
        return _("Reminder: you have %(first)s and %(second)s.") % {
            "first": parts[0],
            "second": parts[1],
        }
    if parts:
        return _("Reminder: you have %(items)s.") % {"items": parts[0]}
    return _("Reminder: look at your page for today.")


def _referral_text(details: dict[str, Any]) -> str:
    texts = {
        "sent": _("New referral %(ref)s for your organization."),
        "assigned": _("Referral %(ref)s was assigned to you."),
        "accepted": _("Referral %(ref)s was accepted."),
        "declined": _("Referral %(ref)s was declined. Read the reason."),
        "completed": _("Referral %(ref)s was completed. Read the feedback."),
        "revoked": _("Referral %(ref)s was revoked by the referring organization."),
        "overdue": _("Referral %(ref)s has had no answer in time."),
    }
    text = texts.get(details.get("event", ""), _("Referral %(ref)s was updated."))
    return text % {"ref": details.get("reference", "")}


def notification_link(details: dict[str, Any]) -> str:
    """The page a notification points to beyond its case (a referral, a conference...)."""
    name, target = details.get("link"), details.get("uuid")
    if not name or not target:
        return ""
    try:
        return reverse(name, args=[target])
    except NoReverseMatch:
        return ""


def notification_text(kind: str, details: dict[str, Any]) -> str:
    """The message of a notification, in the active language, from its kind and details."""
    what = _what(details)
    if kind == NotificationKind.APPROVAL_REQUESTED:
        return _("Approval requested: %(what)s.") % {"what": what}
    if kind == NotificationKind.APPROVED:
        return _("Your request was approved: %(what)s.") % {"what": what}
    if kind == NotificationKind.RETURNED:
        return _(
            "Your request was returned for changes: %(what)s. Read your supervisor's comment."
        ) % {"what": what}
    if kind == NotificationKind.URGENT_RISK:
        if details.get("measure"):
            return _(
                "Urgent risk: a PHQ-9 answer to item 9 was above 0. Follow the suicide and "
                "self-harm risk protocol now."
            )
        return _("Urgent risk: the case is at urgent risk level.")
    if kind == NotificationKind.ASSIGNED:
        return _("A case was assigned to you.")
    if kind == NotificationKind.REMINDER:
        return _reminder_text(details)
    if kind == NotificationKind.REFERRAL:
        return _referral_text(details)
    if kind == NotificationKind.TRANSFER:
        texts = {
            "requested": _("An agency asks yours to take a case over."),
            "accepted": _("A case your agency sent was accepted."),
            "declined": _("A transfer your agency requested was declined."),
            "cancelled": _("A transfer request to your agency was cancelled."),
        }
        return texts.get(details.get("event", ""), str(NotificationKind.TRANSFER.label))
    if kind == NotificationKind.CONFERENCE:
        return _("You are invited to a case conference on %(date)s (case %(ref)s).") % {
            "date": details.get("conference_on", ""),
            "ref": details.get("reference", ""),
        }
    return str(NotificationKind(kind).label) if kind in NotificationKind.values else ""


def _notifications(user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .annotate(case_code=F("case__code"), case_uuid=F("case__uuid"))
        .order_by("-created_at", "-id")
    )


@capability_required(Cap.VIEW_CASES)
@require_GET
def notifications_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    page = paginate(request, _notifications(user), per_page=30)
    items: list[Any] = list(page.object_list)
    case_ids = {n.case_id for n in items if n.case_id}
    visible = (
        set(access.visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True))
        if case_ids
        else set()
    )
    rows = [
        {
            "notification": n,
            "label": n.get_kind_display(),
            "text": notification_text(n.kind, n.details or {}),
            "case_code": getattr(n, "case_code", None),
            "case_url": case_url(getattr(n, "case_uuid", None)) if n.case_id in visible else "",
            "unread": n.read_at is None,
            "link": notification_link(n.details or {}),
        }
        for n in items
    ]
    return render(
        request,
        "cases/work/notifications.html",
        {"page": page, "rows": rows, "has_unread": any(r["unread"] for r in rows)},
    )


@capability_required(Cap.VIEW_CASES)
@require_POST
def notifications_read_view(request: AuthenticatedRequest) -> HttpResponse:
    count = actions.mark_notifications_read(request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.",
                "%(count)s notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return HttpResponseRedirect(reverse("cases:notifications"))
