"""The OpenAPI schema of ``/api/v1/``: security and error answers from each view's rule.

drf-spectacular documents what a view declares; this class adds what every view of the
API can answer whatever it declares, so the schema covers each status the API sends:

- security: none for a public view without authenticators (the token exchange); optional
  (token, session or nothing) for the other public views; token or session otherwise;
- 400 for a request with a body or query parameters (invalid input);
- 401 wherever a token or session may be sent (missing, invalid or expired credentials);
- 403 for views behind a rule (a role without the capability, or a session without its
  CSRF token);
- 404 for views behind a rule (case data is hidden as missing) and for any path with an
  identifier or a paginated list.

Errors are ``ruta.lib.openapi.ErrorSerializer``. Operations outside ``/api/v1/`` (the
HSDS API) keep drf-spectacular's defaults.

Field mappings say what the API really sends and takes:

- a read-only choice of a model field that may be blank also documents ``""`` (DRF drops
  ``allow_blank`` from read-only fields, but the value is still there to read);
- a time of day is ``HH:MM[:SS[.ffffff]]`` without an offset (a wall-clock opening hour),
  not JSON Schema's ``time`` format, which requires one;
- input that DRF refuses as blank or empty says so (``minLength``, a non-space
  ``pattern``, ``minItems``).
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from ruta.lib.openapi import ErrorSerializer
from ruta.lib.permissions import PUBLIC

API_PREFIX = "/api/v1/"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

ERROR_DESCRIPTIONS = {
    "400": "The request is not valid; ``errors`` says which fields and why.",
    "401": "No credentials, or a token that is invalid or expired.",
    "403": "Your role may not do this, or the session's CSRF token is missing.",
    "404": "Not found, or out of your reach.",
}


TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def _model_field_blank(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    meta = getattr(field.parent, "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False


def _input_bounds(field: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """What DRF refuses and drf-spectacular leaves out: a blank text (also one of spaces
    only, when DRF trims it) and an empty list."""
    bounds: dict[str, Any] = {}
    if isinstance(field, serializers.CharField) and not field.allow_blank:
        if "minLength" not in schema:
            bounds["minLength"] = 1
        if field.trim_whitespace and "pattern" not in schema:
            bounds["pattern"] = r"\S"
    if isinstance(field, serializers.ListField) and not field.allow_empty:
        bounds.setdefault("minItems", 1)
    return bounds


class RutaAutoSchema(AutoSchema):
    def _in_api(self) -> bool:
        return bool(self.path.startswith(API_PREFIX))

    def _is_public(self) -> bool:
        return getattr(self.view, "required_capability", None) == PUBLIC

    def get_auth(self) -> list[dict[str, Any]]:
        auths: list[dict[str, Any]] = super().get_auth()
        if self._in_api() and self._is_public() and auths:
            # Anyone may call it; a token or session only changes what is shown.
            auths.append({})
        return auths

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        if isinstance(field, serializers.TimeField):
            return {"type": "string", "pattern": TIME_OF_DAY, "example": "08:30:00"}
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and _model_field_blank(field)
        ):
            field = copy.copy(field)
            field.allow_blank = True
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and not field.read_only:
            schema = {**schema, **_input_bounds(field, schema)}
        return schema

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        authenticated = bool(self.view.get_authenticators())
        has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        has_path_id = "{" in self.path
        codes = []
        if self.method in BODY_METHODS or has_query:
            codes.append("400")
        if authenticated:
            codes.append("401")
        if not self._is_public():
            codes += ["403", "404"]
        elif has_path_id or has_query:
            codes.append("404")
        return codes

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None or not self._in_api():
            return operation
        responses = operation["responses"]
        for code in self._error_codes(operation):
            if code not in responses:
                responses[code] = {
                    **self._get_response_for_code(ErrorSerializer, code),
                    "description": ERROR_DESCRIPTIONS[code],
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation
