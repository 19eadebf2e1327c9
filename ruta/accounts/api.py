"""API: obtain a token, and who am I."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.accounts import actions, throttle
from ruta.accounts.models import ApiToken
from ruta.audit.actions import record
from ruta.lib.permissions import AUTHENTICATED, PUBLIC, TWO_FACTOR_ROLES, HasCapability


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False)
    otp = serializers.CharField(required=False, allow_blank=True)


class MeSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    organization = inline_serializer(
        "MeOrganization",
        {
            "uuid": serializers.UUIDField(),
            "name": serializers.CharField(),
            "acronym": serializers.CharField(),
        },
    )
    language = serializers.CharField()
    two_factor_enabled = serializers.BooleanField()


class TokenView(APIView):
    """Exchange e-mail, password and (when enrolled) a TOTP code for an API token."""

    authentication_classes: list[Any] = []
    permission_classes = [HasCapability]
    required_capability = PUBLIC

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        # The Django request, so django-axes sees the attempt and can lock it out.
        # Lower-cased like the login form, so a lockout holds whatever the case typed.
        email = data["email"].strip().lower()
        if throttle.account_locked(email):
            from ruta.accounts.views import lockout_response

            return lockout_response(request._request, account_wide=True)  # type: ignore[return-value]
        user = authenticate(request._request, username=email, password=data["password"])
        if user is None:
            return Response(
                {
                    "message": _(
                        "The e-mail address or password is not correct, or the account is not active."
                    )
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if user.has_two_factor:
            device = actions.verify_second_factor(user, data.get("otp") or "")
            if device is None:
                record(
                    "2fa.failed",
                    actor=user,
                    request=request._request,
                    obj=user,
                    details={"channel": "api"},
                )
                return Response(
                    {"message": _("A valid two-factor code is required."), "code": "otp_required"},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        elif settings.RUTA_REQUIRE_2FA and user.role in TWO_FACTOR_ROLES:
            return Response(
                {
                    "message": _("Enrol in two-factor authentication on the website first."),
                    "code": "2fa_enrolment_required",
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        key = actions.issue_api_token(user, request._request)
        return Response({"token": key})


class MeView(APIView):
    permission_classes = [HasCapability]
    required_capability = AUTHENTICATED

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(actions.describe(request.user))  # type: ignore[arg-type]


class LogoutView(APIView):
    """Revoke the token this request was made with (other tokens and sessions stay)."""

    permission_classes = [HasCapability]
    required_capability = AUTHENTICATED

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        token = request.auth
        if isinstance(token, ApiToken):
            actions.revoke_api_token(request.user, token, request._request)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
