"""Deployment checks: `manage.py check --deploy --database default` fails on unsafe set-ups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_secrets(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        errors.append(Error("SECRET_KEY is the demo key.", id="ruta.E001"))
    if not settings.RUTA_FIELD_KEYS or settings.DEMO_FIELD_KEY in settings.RUTA_FIELD_KEYS:
        errors.append(Error("RUTA_FIELD_KEYS is missing or holds the demo key.", id="ruta.E002"))
    return errors


@register(Tags.database, deploy=True)
def check_demo_users(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Error]:
    if not databases or settings.DEBUG:
        return []
    from ruta.accounts.startup import demo_users_present

    if demo_users_present():
        return [
            Error(
                "Demo accounts exist but DEBUG is false: remove them (`manage.py remove_demo`).",
                id="ruta.E003",
            )
        ]
    return []
