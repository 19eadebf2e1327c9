"""Navigation built from the permission matrix, so people only see what they can open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ruta.lib.permissions import Cap, user_can

# (url name, label, capability or None for any logged-in user)
NAV_ITEMS: list[tuple[str, Any, Cap | None]] = [
    ("core:dashboard", _("Home"), Cap.VIEW_DASHBOARD),
    ("cases:case_list", _("Cases"), Cap.VIEW_CASES),
    ("referrals:inbox", _("Referrals"), Cap.VIEW_CASES),
    ("conferences:my_conferences", _("Case conferences"), Cap.VIEW_CASES),
    ("transfers:inbox", _("Transfers"), Cap.SUPERVISE_CASES),
    ("helpline:desk", _("Helpline"), Cap.HANDLE_HELPLINE),
    ("directory:service_list", _("Services"), None),
    ("pathways:list", _("Referral pathways"), None),
    ("reports:coverage", _("Coverage gaps"), None),
    ("network:network_list", _("Community of practice"), None),
    ("practices:catalogue", _("Good practices"), None),
    ("trainings:course_list", _("Trainings"), None),
    ("agencies:organization_list", _("Organizations"), Cap.VIEW_ORGANIZATIONS),
    ("accounts:user_list", _("Users"), Cap.MANAGE_AGENCY_USERS),
    ("audit:event_list", _("Audit log"), Cap.VIEW_AUDIT_LOG),
]


# The pages behind "My account" in the header.
ACCOUNT_VIEWS = frozenset(
    {
        "accounts:security",
        "accounts:two_factor_setup",
        "accounts:recovery_codes",
        "accounts:password_change",
    }
)


def _is_current(item: str, current: str) -> bool:
    """A list's item also stands for its pages: "accounts:user_list" for "accounts:user_*"."""
    if current == item:
        return True
    return item.endswith("_list") and current.startswith(item.removesuffix("list"))


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    items = []
    for name, label, cap in NAV_ITEMS:
        if cap is None or user_can(user, cap):
            items.append(
                {"url": reverse(name), "label": label, "current": _is_current(name, current)}
            )
    return {
        "nav_items": items,
        "account_current": current in ACCOUNT_VIEWS,
        # The directory's coordinator tools (imports, gazetteer) in its sub-navigation.
        "can_manage_directory": user_can(user, Cap.MANAGE_DIRECTORY),
    }
