"""Whole public pages kept for the directory's version: the finder, the service pages and
the HSDS API answer a repeated request without searching or rendering again.

A page is kept under its directory version (``version.directory_token``, which triggers
change on every write to the directory's tables), so a change shows on the very next
request, in every process, whoever made it. The key also holds everything else the page
depends on: the full path with its query, the language, the host and scheme (the API
writes absolute links), what the client accepts (the API's formats), whether htmx asked
for the results only, and, for the finder's pages, the current minute (the "open now"
marks and today's hours move with the clock, at minute boundaries).

Only anonymous GET and HEAD requests without a session or credentials are served from it
(a signed-in professional's page shows more), and only plain 200 answers that set no
cookie are kept. Searches are not logged here either: keys are hashes, and entries expire.
Pages live in a cache of their own (``CACHES["pages"]``), so that a burst of distinct
searches does not push out what every request needs from the default one (the finder's
choices).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from ruta.directory.version import directory_token

# An entry of an old version is never read again: it only waits to be evicted. An hour
# bounds that; a page of one minute (a finder search, with the words searched for in its
# search box) lives that minute only.
TIMEOUT = 60 * 60
MINUTE = 60
# Response headers a kept page carries again (the rest is set per request by middleware).
KEPT_HEADERS = ("Content-Type", "Vary", "Content-Language", "Permissions-Policy")


def _enabled() -> bool:
    return bool(settings.RUTA_PUBLIC_PAGE_CACHE)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not _enabled():
        return False
    if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _key(request: HttpRequest, name: str, token: int, by_minute: bool) -> str:
    parts = [
        name,
        str(token),
        get_language() or "",
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
        request.META.get("HTTP_HX_REQUEST", ""),
        request.META.get("HTTP_HX_HISTORY_RESTORE_REQUEST", ""),
        timezone.now().strftime("%Y%m%d%H%M") if by_minute else "",
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"ruta:page:{name}:{token}:{digest}"


def _kept(response: Any) -> dict[str, Any] | None:
    """What is kept of ``response``, or None when it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if getattr(response, "render", None) is not None and not response.is_rendered:
        response.render()  # a DRF or template response, rendered now to keep its bytes
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return {"content": response.content, "headers": headers}


def _served(kept: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(kept["content"])
    for name, value in kept["headers"].items():
        response[name] = value
    return response


def cache_public_page(
    name: str, *, by_minute: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Keep the pages of a public view for the directory's version (and, ``by_minute``,
    the current minute)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            token = directory_token()
            if token is None:
                return view(request, *args, **kwargs)
            key = _key(request, name, token, by_minute)
            pages = caches["pages"]
            kept = pages.get(key)
            if kept is not None:
                return _served(kept)
            response = view(request, *args, **kwargs)
            stored = _kept(response)
            if stored is not None:
                pages.set(key, stored, MINUTE if by_minute else TIMEOUT)
            return response

        return wrapped

    return decorator
