"""Authentication signals and refused capabilities feed the audit trail (the only signals
Ruta listens to)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ruta.audit.actions import record, record_denial
from ruta.lib.permissions import access_denied

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def _user_for(credentials: dict[str, Any]) -> Any:
    email = (credentials.get("username") or credentials.get("email") or "").strip()
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).first()


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
    record("auth.login", actor=user, request=request, obj=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: AbstractBaseUser | None, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", actor=user, request=request, obj=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    user = _user_for(credentials)
    record(
        "auth.login_failed",
        actor=user,
        request=request,
        obj=user,
        details={"known_account": user is not None},
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    user = _user_for({"username": username})
    record(
        "auth.locked_out",
        actor=user,
        request=request,
        obj=user,
        details={"known_account": user is not None},
    )


@receiver(access_denied)
def _access_denied(sender: Any, request: Any, rule: str, **kwargs: Any) -> None:
    record_denial(request, rule)
