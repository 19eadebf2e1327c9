"""Full addresses for links that leave the page: e-mails, calendar files, certificates."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` as a full address: from the request when there is one, else from
    ``RUTA_BASE_URL`` (background tasks and generated files have no request)."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.RUTA_BASE_URL.rstrip("/") + path
