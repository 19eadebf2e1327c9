"""Whole public pages kept in Django's cache for the directory's current version.

A repeated finder search (the same words and filters, in the same language) is answered
from the cache instead of being searched and rendered again. What makes that safe:

- **Only anonymous GET requests.** A signed-in person's page carries their name, their
  language form with its CSRF token and links of their role; it is never cached or served
  from the cache.
- **The directory's version is in the key** (``version.directory_token``: a row that
  triggers change on every write to the directory's tables), so a change made by any
  process shows on the next request anywhere.
- **The minute is in the key** where the page depends on the clock ("open now", the
  cards' "closes at"): opening hours have minute precision, so a page is never older than
  the minute it was built in.
- **The key is a hash**: the words searched for are not readable in the cache's keys, and
  an entry lives ``TIMEOUT`` seconds at most (it cannot be served after its minute anyway).
  The pages themselves hold the words in the search box, as the browser's own page does;
  with a shared cache (Redis) they sit in its memory for that minute.

Pages live in the ``pages`` cache (settings.CACHES), apart from the finder's choices.
Only responses with status 200 and no cookie are kept. Middleware still runs on every
answer, cached or not, so security headers and the CSP are those of the current request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.translation import get_language

from ruta.directory.version import directory_token

TIMEOUT = 60
# Request headers that change what a public page answers (htmx asks for the results only).
VARY_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_HISTORY_RESTORE_REQUEST", "HTTP_HX_TARGET")

View = Callable[..., HttpResponse]


def page_key(request: HttpRequest, token: int, *, by_minute: bool) -> str:
    """The cache key of this request's page for directory version ``token``."""
    query = sorted((name, value) for name in request.GET for value in request.GET.getlist(name))
    parts = [
        request.scheme or "",
        request.get_host(),
        request.path,
        repr(query),
        get_language() or "",
        *(request.META.get(header, "") for header in VARY_HEADERS),
        str(token),
    ]
    if by_minute:
        parts.append(timezone.now().strftime("%Y-%m-%dT%H:%M"))
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"ruta:page:{digest}"


def cached_public_page(*, by_minute: bool) -> Callable[[View], View]:
    """Serve an anonymous GET of the decorated view from the cache when the directory
    has not changed (and, with ``by_minute``, within the same minute)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "GET" or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            token = directory_token()
            if token is None:
                return view(request, *args, **kwargs)
            key = page_key(request, token, by_minute=by_minute)
            pages = caches["pages"]
            kept: HttpResponse | None = pages.get(key)
            if kept is not None:
                return kept
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies or response.streaming:
                return response

            def keep(rendered: HttpResponse) -> None:
                pages.set(key, rendered, TIMEOUT)

            # An API view's response is rendered after the view returns (as the cache
            # middleware does, keep it once it is).
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.add_post_render_callback(keep)
            else:
                keep(response)
            return response

        return wrapper

    return decorate
