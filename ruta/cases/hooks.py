"""What cases plug into the apps below them: the texts of the case notifications, the case
pages they link to and the today page, and the producers of the case list and survivor's
record exports (registered in ``CasesConfig.ready()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruta.cases import secure_exports, survivor_record
from ruta.cases.access import visible_cases
from ruta.cases.models import ApprovalKind
from ruta.exports import registry as exports
from ruta.notifications import registry
from ruta.notifications.models import NotificationKind

if TYPE_CHECKING:
    from ruta.accounts.models import User


def _what(details: dict[str, Any]) -> str:
    kind = details.get("kind", "")
    return str(ApprovalKind(kind).label) if kind in ApprovalKind.values else ""


def _count(details: dict[str, Any], key: str) -> int:
    try:
        return max(int(details.get(key, 0)), 0)
    except (TypeError, ValueError):
        return 0


def _approval_requested(details: dict[str, Any]) -> str:
    return _("Approval requested: %(what)s.") % {"what": _what(details)}


def _approved(details: dict[str, Any]) -> str:
    return _("Your request was approved: %(what)s.") % {"what": _what(details)}


def _returned(details: dict[str, Any]) -> str:
    return _("Your request was returned for changes: %(what)s. Read your supervisor's comment.") % {
        "what": _what(details)
    }


def _urgent_risk(details: dict[str, Any]) -> str:
    if details.get("measure"):
        return _(
            "Urgent risk: a PHQ-9 answer to item 9 was above 0. Follow the suicide and "
            "self-harm risk protocol now."
        )
    return _("Urgent risk: the case is at urgent risk level.")


def _assigned(details: dict[str, Any]) -> str:
    return _("A case was assigned to you.")


def _reminder(details: dict[str, Any]) -> str:
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


def case_urls(user: User, case_ids: set[int]) -> dict[int, str]:
    """The pages of the cases among ``case_ids`` that ``user`` may still open."""
    visible = visible_cases(user).filter(pk__in=case_ids).values_list("pk", "uuid")
    return {pk: reverse("cases:case_detail", args=[uuid]) for pk, uuid in visible}


def register() -> None:
    registry.register_text(NotificationKind.APPROVAL_REQUESTED, _approval_requested)
    registry.register_text(NotificationKind.APPROVED, _approved)
    registry.register_text(NotificationKind.RETURNED, _returned)
    registry.register_text(NotificationKind.URGENT_RISK, _urgent_risk)
    registry.register_text(NotificationKind.ASSIGNED, _assigned)
    registry.register_text(NotificationKind.REMINDER, _reminder)
    registry.register_case_urls(case_urls)
    registry.register_home("cases:today")
    exports.register(secure_exports.CASE_LIST_PRODUCER)
    exports.register(survivor_record.PRODUCER)
