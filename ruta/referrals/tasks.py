"""Background jobs for referrals: overdue alerts (run by ``send_referral_alerts`` too)."""

from __future__ import annotations

from django_tasks import task

from ruta.referrals.actions import alert_overdue


@task()
def alert_overdue_referrals() -> int:
    return alert_overdue()
