"""The notifications page and marking them read. Thin views: texts and case links come
from the apps that send the notifications (``registry``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest
    from ruta.accounts.models import User

from typing import Any

from django.contrib import messages
from django.db.models import F, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ruta.lib.pagination import paginate
from ruta.lib.permissions import Cap, capability_required
from ruta.notifications import actions, registry
from ruta.notifications.models import Notification


def _notifications(user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .annotate(case_code=F("case__code"))
        .order_by("-created_at", "-id")
    )


@capability_required(Cap.VIEW_CASES)
@require_GET
def notifications_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    page = paginate(request, _notifications(user), per_page=30)
    items: list[Any] = list(page.object_list)
    case_ids = {n.case_id for n in items if n.case_id}
    case_urls = registry.case_urls(user, case_ids) if case_ids else {}
    rows = [
        {
            "notification": n,
            "label": n.get_kind_display(),
            "text": registry.notification_text(n.kind, n.details or {}),
            "case_code": getattr(n, "case_code", None),
            "case_url": case_urls.get(n.case_id, ""),
            "unread": n.read_at is None,
            "link": registry.notification_link(n.details or {}),
        }
        for n in items
    ]
    return render(
        request,
        "notifications/notifications.html",
        {
            "page": page,
            "rows": rows,
            "has_unread": any(r["unread"] for r in rows),
            "home_url": registry.home_url(),
        },
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
    return HttpResponseRedirect(reverse("notifications:list"))
