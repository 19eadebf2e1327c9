"""The API's error body, as the OpenAPI schema documents it.

Every error of ``/api/v1/`` is JSON with a human-readable ``message`` (see
``ruta.core.api.exception_handler``); validation errors add ``errors`` (field to
messages), some refusals a machine-readable ``code``, and the domain refusals of the
case, referral, transfer and conference APIs repeat the message as ``detail``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    message = serializers.CharField(help_text="What went wrong, for the person.")
    code = serializers.CharField(required=False, help_text="A machine-readable reason.")
    # Declared fields leave the class, so ``Serializer.errors`` is untouched at run time.
    errors = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="Invalid input: the messages of each field."
    )
    detail = serializers.CharField(required=False, help_text="The message again (older key).")


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)
