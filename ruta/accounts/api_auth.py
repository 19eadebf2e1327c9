"""DRF authentication with hashed, expiring bearer tokens (``Authorization: Token <key>``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from ruta.accounts.models import ApiToken


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user", "user__organization")
            .filter(digest=ApiToken.digest_of(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        user = token.user
        from ruta.accounts.backends import EmailBackend

        if not EmailBackend().user_can_authenticate(user):
            raise exceptions.AuthenticationFailed(_("This account is inactive."))
        if not token.is_current():  # expired, or the account's credentials changed since
            ApiToken.objects.filter(pk=token.pk).delete()
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token
