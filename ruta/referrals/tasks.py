"""Background jobs for referrals: overdue alerts and the settling of copies whose consent to
share was withdrawn (both run by ``send_referral_alerts`` too)."""

from __future__ import annotations

from django_tasks import task

from ruta.referrals.actions import alert_overdue
from ruta.referrals.copies import settle_copies


@task()
def alert_overdue_referrals() -> int:
    return alert_overdue()


@task()
def settle_withdrawn_copies() -> dict[str, int]:
    return settle_copies()
