"""Start-up check of an app process: refuse production traffic while demo accounts exist."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import DatabaseError


def demo_users_present() -> bool:
    from ruta.accounts.models import User  # the app registry is ready only at call time

    try:
        return User.objects.filter(is_demo=True).exists()
    except DatabaseError:  # not migrated yet: nothing to refuse
        return False


def verify_production() -> None:
    if not settings.DEBUG and demo_users_present():
        raise ImproperlyConfigured(
            "Demo accounts exist but DEBUG is false. Remove them with "
            "`manage.py remove_demo` before serving."
        )
