"""Answers of /api/v1/ that no API view gives."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/v1/"


class ApiNotFoundMiddleware:
    """A path under /api/v1/ that matches no route (an identifier that is not a UUID, a
    mistyped path) answers like the API, JSON with a ``message``, not with a web page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return JsonResponse({"message": _("Not found.")}, status=404)
        return response
