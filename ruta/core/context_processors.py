"""Navigation built from the permission matrix, so people only see what they can open.

Links are grouped by job (cases, referrals, the network, the directory, reports,
administration); a group shows only the links the person's role may open, and a group
with one link left is shown as that link alone.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ruta.lib.permissions import Cap, user_can

# (url name, label, capability or None for any logged-in user)
NavItem = tuple[str, Any, Cap | None]

HOME_ITEM: NavItem = ("core:dashboard", _("Home"), Cap.VIEW_DASHBOARD)

# (group key, group label, items)
NAV_GROUPS: list[tuple[str, Any, list[NavItem]]] = [
    (
        "cases",
        _("Cases"),
        [
            ("cases:case_list", _("Cases"), Cap.VIEW_CASES),
            ("conferences:my_conferences", _("Case conferences"), Cap.VIEW_CASES),
            ("transfers:inbox", _("Transfers"), Cap.SUPERVISE_CASES),
            ("helpline:desk", _("Helpline"), Cap.HANDLE_HELPLINE),
            ("stabilisation:programmes", _("Cash-transfer stabilisation"), Cap.HANDLE_HELPLINE),
            ("activities:list", _("Group and community activities"), Cap.RECORD_ACTIVITIES),
        ],
    ),
    (
        "referrals",
        _("Referrals"),
        [
            ("referrals:inbox", _("Referrals"), Cap.VIEW_CASES),
            ("pathways:list", _("Referral pathways"), None),
        ],
    ),
    (
        "network",
        _("Network and practice"),
        [
            ("network:network_list", _("Community of practice"), None),
            ("practices:catalogue", _("Good practices"), None),
            ("trainings:course_list", _("Trainings"), None),
        ],
    ),
    (
        "directory",
        _("Directory"),
        [("directory:service_list", _("Services"), None)],
    ),
    (
        "reports",
        _("Reports"),
        [
            ("reports:coverage", _("Coverage gaps"), None),
            ("measure:reach", _("People reached"), Cap.VIEW_REACH),
            ("indicators:catalogue", _("Indicators and projects"), Cap.VIEW_REACH),
            ("helpline:figures", _("Helpline figures"), Cap.VIEW_AGGREGATES),
            ("stabilisation:figures", _("Stabilisation figures"), Cap.VIEW_STABILISATION),
        ],
    ),
    (
        "admin",
        _("Administration"),
        [
            ("agencies:organization_list", _("Organizations"), Cap.VIEW_ORGANIZATIONS),
            ("accounts:user_list", _("Users"), Cap.MANAGE_AGENCY_USERS),
            ("audit:event_list", _("Audit log"), Cap.VIEW_AUDIT_LOG),
        ],
    ),
]

# Every link of the menu, in order (the permissions tests walk this list).
NAV_ITEMS: list[NavItem] = [HOME_ITEM] + [item for _k, _l, items in NAV_GROUPS for item in items]


_NAV_NAMES = frozenset(name for name, _label, _cap in NAV_ITEMS)

# The pages behind "My account" in the header.
ACCOUNT_VIEWS = frozenset(
    {
        "accounts:security",
        "accounts:two_factor_setup",
        "accounts:recovery_codes",
        "accounts:password_change",
    }
)


# The namespace whose every page a link stands for ("cases:*" for the case list).
_SECTION_OF: dict[str, str] = {
    "cases": "cases:case_list",
    "conferences": "conferences:my_conferences",
    "transfers": "transfers:inbox",
    "helpline": "helpline:desk",
    "activities": "activities:list",
    "measure": "measure:reach",
    "indicators": "indicators:catalogue",
    "referrals": "referrals:inbox",
    "pathways": "pathways:list",
    "network": "network:network_list",
    "practices": "practices:catalogue",
    "trainings": "trainings:course_list",
    "directory": "directory:service_list",
    "hsds_import": "directory:service_list",
    "gazetteer": "directory:service_list",
    "reports": "reports:coverage",
    "agencies": "agencies:organization_list",
    "audit": "audit:event_list",
}


def _is_current(item: str, current: str) -> bool:
    """A list's item also stands for its pages: "accounts:user_list" for "accounts:user_*"."""
    if current == item:
        return True
    if current in _NAV_NAMES:  # a page of the menu stands for itself only
        return False
    if item.endswith("_list") and current.startswith(item.removesuffix("list")):
        return True
    return _SECTION_OF.get(current.split(":", 1)[0]) == item


def _link(item: NavItem, current: str) -> dict[str, Any]:
    name, label, _cap = item
    return {"url": reverse(name), "label": label, "current": _is_current(name, current)}


def _allowed(user: Any, cap: Cap | None) -> bool:
    return cap is None or user_can(user, cap)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    home = _link(HOME_ITEM, current) if _allowed(user, HOME_ITEM[2]) else None
    groups = []
    for key, label, items in NAV_GROUPS:
        links = [_link(item, current) for item in items if _allowed(user, item[2])]
        if not links:
            continue
        # Only one page in a place: two "current" marks would be one too many.
        marked = False
        for link in links:
            link["current"] = link["current"] and not marked
            marked = marked or link["current"]
        groups.append({"key": key, "label": label, "links": links, "current": marked})
    flat = ([home] if home else []) + [link for group in groups for link in group["links"]]
    return {
        "nav_home": home,
        "nav_groups": groups,
        "nav_items": flat,
        "account_current": current in ACCOUNT_VIEWS,
        # The directory's coordinator tools (imports, gazetteer) in its sub-navigation.
        "can_manage_directory": user_can(user, Cap.MANAGE_DIRECTORY),
    }
