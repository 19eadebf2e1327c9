"""Limits beside django-axes' account + address lockout.

- Credential stuffing spreads guesses over many addresses: an account whose failures from
  all addresses together reach ``RUTA_ACCOUNT_FAILURE_LIMIT`` within the lockout window is
  refused everywhere until the window passes (higher than the per-address limit, so one
  stranger cannot lock a colleague out with a handful of tries).
- Password-reset e-mails: at most ``RESETS_PER_ACCOUNT`` an hour for one address and
  ``RESETS_PER_CLIENT`` an hour from one connection. Past that the page answers the same
  and no e-mail goes out, so nobody learns which addresses have accounts.
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from ruta.audit.actions import client_ip
from ruta.audit.models import AuditEvent
from ruta.lib.crypto import keyed_hash

RESETS_PER_ACCOUNT = 3
RESETS_PER_CLIENT = 10
RESET_EVENT = "auth.password_reset_requested"


def account_failures(email: str) -> int:
    """Failed logins for ``email`` from every address within the lockout window."""
    now = timezone.now()
    live = Q(expiration__expires_at__gt=now) | Q(
        expiration__isnull=True, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    )
    attempts = AccessAttempt.objects.filter(live, username__iexact=email.strip())
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def account_locked(email: str) -> bool:
    return bool(email) and account_failures(email) >= settings.RUTA_ACCOUNT_FAILURE_LIMIT


def reset_key(email: str) -> str:
    """How the audit trail tells one address's reset requests apart without holding it."""
    return keyed_hash(f"password-reset:{email.strip().lower()}")[:32]


def reset_allowed(request: HttpRequest, email: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = AuditEvent.objects.filter(action=RESET_EVENT, occurred_at__gte=since)
    if recent.filter(details__account=reset_key(email)).count() >= RESETS_PER_ACCOUNT:
        return False
    ip = client_ip(request)
    return not (ip and recent.filter(ip_address=ip).count() >= RESETS_PER_CLIENT)
