"""What every HSDS view shares: parameter parsing, the base view, the Page envelope."""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase, StreamingHttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.hsds import mapping
from ruta.hsds.mapping import (
    Context,
)
from ruta.lib.clock import utc_instant
from ruta.lib.permissions import PUBLIC, HasCapability
from ruta.lib.text import fold

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
MINIMAL_PER_PAGE = 10_000  # "aim to return all services within one page"
MAX_PAGE = 1_000_000_000  # larger page numbers ask for this one (empty unless a vast list)
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
STREAM_CHUNK = 500
TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off"}


class IgnoreFormatNegotiation(DefaultContentNegotiation):
    """HSDS uses ``?format=`` for json/ndjson; DRF must not read it as a renderer."""

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


# --- Parameter parsing -------------------------------------------------------------------


def flag(request: Request, name: str) -> bool:
    """A true/false query parameter: absent is false; present, it must say which
    (``full=`` alone is a 400, as the HSDS OpenAPI's boolean asks)."""
    if name not in request.query_params:
        return False
    value = request.query_params.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ParseError(_("%(name)s must be true or false.") % {"name": name})


def uuid_param(request: Request, name: str) -> uuid.UUID | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ParseError(_("%(name)s must be a UUID.") % {"name": name}) from None


def _clamped_int(request: Request, name: str, default: int, highest: int) -> int:
    """A whole number clamped to 1…``highest``; absent means ``default``, other text is 400.

    HSDS types ``page`` and ``per_page`` as any integer and documents only 200 answers, so
    every integer gets a page: 0 and below ask for the first, too many ask for the most.
    """
    if name not in request.query_params:
        return default
    value = request.query_params[name].strip()
    if not WHOLE_NUMBER.fullmatch(value):
        raise ParseError(_("%(name)s must be a whole number.") % {"name": name})
    digits = value.lstrip("+-").lstrip("0")
    if value.startswith("-") or not digits:
        return 1
    if len(digits) > len(str(highest)):  # never turn thousands of digits into an int
        return highest
    return max(1, min(int(digits), highest))


def modified_after(request: Request) -> datetime | None:
    value = request.query_params.get("modified_after", "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ParseError(_("modified_after must be an ISO 8601 date or date and time."))
    return utc_instant(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def lookup_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound() from None


def matches(words: list[str], *values: str) -> bool:
    haystack = fold(" ".join(value for value in values if value))
    return all(word in haystack for word in words)


# --- Views ---------------------------------------------------------------------------


class HsdsView(APIView):
    """Public, read-only, JSON only, readable from any origin."""

    authentication_classes: list[Any] = []
    permission_classes = [HasCapability]
    required_capability = PUBLIC
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreFormatNegotiation

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def context(self) -> Context:
        language = self.request.query_params.get("lang", "es").strip().lower() or "es"
        if language not in mapping.LANGUAGES:
            raise ParseError(_("lang must be es or en."))
        base = self.request.build_absolute_uri("/").rstrip("/")
        return Context(language=language, base_url=base)


def _stream(items: Any, serialize: Callable[[Any], dict[str, Any]]) -> Iterator[bytes]:
    if isinstance(items, QuerySet):
        start = 0
        while True:
            chunk = list(items[start : start + STREAM_CHUNK])
            for item in chunk:
                yield (json.dumps(serialize(item), ensure_ascii=False) + "\n").encode()
            if len(chunk) < STREAM_CHUNK:
                return
            start += STREAM_CHUNK
    for item in items:
        yield (json.dumps(serialize(item), ensure_ascii=False) + "\n").encode()


def page_response(
    request: Request,
    items: QuerySet[Any] | list[Any],
    serialize: Callable[[Any], dict[str, Any]],
    *,
    default_per_page: int = DEFAULT_PER_PAGE,
    max_per_page: int = MAX_PER_PAGE,
) -> HttpResponseBase:
    """The HSDS Page envelope around one page of ``items`` (or an ndjson stream)."""
    output = request.query_params.get("format", "json").strip().lower() or "json"
    if output == "ndjson":
        response = StreamingHttpResponse(
            _stream(items, serialize), content_type="application/x-ndjson; charset=utf-8"
        )
        return response
    if output != "json":
        raise ParseError(_("format must be json or ndjson."))
    page = _clamped_int(request, "page", 1, MAX_PAGE)
    per_page = _clamped_int(request, "per_page", default_per_page, max_per_page)
    total = items.count() if isinstance(items, QuerySet) else len(items)
    total_pages = max(1, math.ceil(total / per_page))
    contents = []
    if page <= total_pages:  # past the last page: empty, and no query with a vast OFFSET
        offset = (page - 1) * per_page
        contents = [serialize(item) for item in items[offset : offset + per_page]]
    return Response(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )
