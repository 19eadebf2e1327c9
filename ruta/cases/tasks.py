"""Background work of case management (django-tasks).

``send_case_reminders`` (daily, through the management command of the same name)
notifies caseworkers of overdue actions and follow-ups due today or earlier.
``anonymise_expired_cases`` (daily, through the management command of the same name)
anonymises the closed cases whose organization's retention period has ended.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ruta.cases import retention
from ruta.cases.work import reminder_counts
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind


@task()
def send_case_reminders() -> int:
    """One in-app reminder per caseworker with overdue actions or follow-ups."""
    today = timezone.localdate()
    created = 0
    for user, counts in reminder_counts(today):
        notify([user], NotificationKind.REMINDER, None, **counts)
        created += 1
    return created


@task()
def anonymise_expired_cases() -> int:
    """Anonymise every closed case past its organization's retention period; how many."""
    return retention.anonymise_expired(timezone.localdate())
