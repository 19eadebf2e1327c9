"""Log in with e-mail and password; demo accounts only while RUTA_DEMO is on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        email: str | None = None,
        **kwargs: Any,
    ) -> Any:
        return super().authenticate(request, username=username or email, password=password)

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        if getattr(user, "is_demo", False) and not settings.RUTA_DEMO:
            return False
        return (
            bool(getattr(user, "is_active", False))
            and getattr(user, "organization_id", None) is not None
        )
