"""Background work of the staff directory (django-tasks): reminders about stale entries.

``send_stale_reminders`` runs daily (the ``send_stale_reminders`` management command,
called by cron or a systemd timer, enqueues it). It e-mails each organization's agency
admins the list of their services that have not been verified for ``RUTA_VERIFY_DAYS``
days, and every coordinator one digest of all of them; a service is not reminded again
within ``REMIND_EVERY_DAYS``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from ruta.directory import actions
from ruta.directory.access import stale_services
from ruta.directory.models import Service, ServiceStatus
from ruta.lib.permissions import Role

if TYPE_CHECKING:
    from ruta.accounts.models import User

REMIND_EVERY_DAYS = 7


def services_to_remind(now: Any = None) -> list[Service]:
    """Active services not verified for RUTA_VERIFY_DAYS and not reminded in the last week."""
    now = now or timezone.now()
    recent = now - timedelta(days=REMIND_EVERY_DAYS)
    active = Service.objects.filter(status=ServiceStatus.ACTIVE, organization__active=True)
    services = stale_services(active, now=now).filter(
        Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=recent)
    )
    return list(services.select_related("organization").order_by("organization__name", "name_es"))


def _link(base_url: str, service: Service) -> str:
    path = reverse("directory:service_detail", kwargs={"service_uuid": service.uuid})
    return f"{base_url.rstrip('/')}{path}"


def _message(
    user: User, services: list[Service], base_url: str, *, coordinator: bool
) -> EmailMessage:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        items = [
            {
                "service": service,
                "name": service.name,
                "organization": service.organization.display_name,
                "verified": service.last_verified_at,
                "link": _link(base_url, service),
            }
            for service in services
        ]
        context = {
            "user": user,
            "items": items,
            "count": len(items),
            "coordinator": coordinator,
            "days": settings.RUTA_VERIFY_DAYS,
            "list_link": f"{base_url.rstrip('/')}{reverse('directory:service_list')}?stale=1",
        }
        subject = render_to_string("directory/email/stale_subject.txt", context).strip()
        body = render_to_string("directory/email/stale_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@task()
def send_stale_reminders(base_url: str = "") -> dict[str, int]:
    """E-mail the digests, mark the services as reminded and audit one event per organization.

    ``base_url`` (e.g. https://ruta.example.org) makes the links absolute; it defaults to
    the ``RUTA_BASE_URL`` setting when that exists.
    """
    from ruta.accounts.models import User

    base_url = base_url or str(getattr(settings, "RUTA_BASE_URL", "") or "")
    now = timezone.now()
    services = services_to_remind(now)
    if not services:
        return {"services": 0, "organizations": 0, "emails": 0}
    by_organization: dict[Any, list[Service]] = defaultdict(list)
    for service in services:
        by_organization[service.organization].append(service)
    admins: dict[int, list[Any]] = defaultdict(list)
    for admin in User.objects.filter(
        role=Role.AGENCY_ADMIN,
        is_active=True,
        organization_id__in=[organization.pk for organization in by_organization],
    ).order_by("email"):
        admins[admin.organization_id].append(admin)
    coordinators = list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("email")
    )

    messages = [
        _message(admin, by_organization[organization], base_url, coordinator=False)
        for organization in by_organization
        for admin in admins[organization.pk]
    ]
    messages += [
        _message(coordinator, services, base_url, coordinator=True) for coordinator in coordinators
    ]
    sent = get_connection().send_messages(messages) if messages else 0
    for organization, reminded in by_organization.items():
        actions.mark_stale_reminded(
            organization,
            reminded,
            recipients=len(admins[organization.pk]) + len(coordinators),
            now=now,
        )
    return {
        "services": len(services),
        "organizations": len(by_organization),
        "emails": int(sent or 0),
    }
