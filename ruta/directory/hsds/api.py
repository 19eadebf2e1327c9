"""The public Open Referral HSDS 3.0 read API under /api/hsds/.

Paths, query parameters and the Page envelope follow the HSDS ``openapi.json``. Public
and read-only: no session, no CSRF, ``Access-Control-Allow-Origin: *``; only published
data (see ``queries.py``). Unknown or unpublished ids answer 404 ``{"message": ...}``;
malformed parameters answer 400 ``{"message": ...}``. ``page`` and ``per_page`` take any
whole number, as HSDS types them: below 1 counts as 1, larger than the limits as the limit
(``per_page`` at most 500, ``page`` at most a billion); a page past the last is empty.

Parameters the data cannot honour are accepted and ignored, and documented as such:
``postcode`` and ``proximity`` (Ruta stores no postcodes; use the finder's "near me").
``format=ndjson`` streams every result, one JSON object a line, without the envelope.
``lang=es|en`` (a Ruta extension) chooses the language of names; Spanish by default,
the other language goes in ``alternate_name``.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.directory.hsds import export, mapping, queries
from ruta.directory.hsds.mapping import (
    HSDS_PROFILE,
    HSDS_VERSION,
    VIRTUAL_TAXONOMIES,
    VIRTUAL_TAXONOMY_IDS,
    VIRTUAL_TERMS,
    Context,
    VirtualTerm,
)
from ruta.directory.models import Taxonomy, TaxonomyTerm
from ruta.lib.clock import utc_instant
from ruta.lib.permissions import PUBLIC, HasCapability
from ruta.lib.text import fold, query_words

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
MINIMAL_PER_PAGE = 10_000  # "aim to return all services within one page"
MAX_PAGE = 1_000_000_000  # larger page numbers ask for this one (empty unless a vast list)
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
STREAM_CHUNK = 500
TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off", ""}


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


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ParseError(_("%(name)s must be true or false.") % {"name": name})


def _uuid(request: Request, name: str) -> uuid.UUID | None:
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


def _modified_after(request: Request) -> datetime | None:
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


def _lookup_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound() from None


def _matches(words: list[str], *values: str) -> bool:
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


# --- OpenAPI documentation ------------------------------------------------------------

TAGS = ["HSDS 3.0"]


def _query(name: str, kind: Any, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


P_SEARCH = _query(
    "search", OpenApiTypes.STR, "Full text search, accent- and case-insensitive, es and en."
)
P_PAGE = _query(
    "page",
    OpenApiTypes.INT,
    "Page number from 1 (lower numbers count as 1); a page past the last one is empty.",
)
P_PER_PAGE = _query(
    "per_page",
    OpenApiTypes.INT,
    f"Results a page (default {DEFAULT_PER_PAGE}, clamped to 1…{MAX_PER_PAGE}).",
)
P_FORMAT = _query(
    "format", OpenApiTypes.STR, "json (default) or ndjson: every result, one a line, no envelope."
)
P_LANG = _query("lang", OpenApiTypes.STR, "Ruta extension: es (default) or en for names.")
P_TERM = _query("taxonomy_term_id", OpenApiTypes.UUID, "Services with this taxonomy term.")
P_TAXONOMY = _query("taxonomy_id", OpenApiTypes.UUID, "Services with any term of this taxonomy.")
P_ORGANIZATION = _query(
    "organization_id", OpenApiTypes.UUID, "Services this organization provides."
)
P_MODIFIED = _query(
    "modified_after", OpenApiTypes.DATETIME, "Changed on or after this ISO 8601 date-time."
)
P_MINIMAL = _query(
    "minimal",
    OpenApiTypes.BOOL,
    "Only id, name, status and last_modified (name and status are required by HSDS's "
    "service_list.json), up to 10,000 a page.",
)
P_FULL = _query("full", OpenApiTypes.BOOL, "Fully nested objects.")
P_FULL_SERVICE = _query(
    "full_service", OpenApiTypes.BOOL, "Organizations with fully nested services."
)
P_POSTCODE = _query("postcode", OpenApiTypes.STR, "Accepted and ignored: Ruta stores no postcodes.")
P_PROXIMITY = _query("proximity", OpenApiTypes.STR, "Accepted and ignored (needs a postcode).")
P_TOP_ONLY = _query("top_only", OpenApiTypes.BOOL, "Only terms without a parent.")
P_PARENT = _query("parent_id", OpenApiTypes.UUID, "Terms whose parent has this id.")
LIST_PARAMS = [P_SEARCH, P_PAGE, P_PER_PAGE, P_FORMAT, P_LANG]

PAGE_EXAMPLE = {
    "total_items": 1,
    "total_pages": 1,
    "page_number": 1,
    "size": 1,
    "first_page": True,
    "last_page": True,
    "empty": False,
    "contents": ["…"],
}
NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Unknown or unpublished id.",
    examples=[OpenApiExample("Not found", {"message": "Not found.", "code": "not_found"})],
)


def _page_doc(description: str) -> dict[int, OpenApiResponse]:
    return {
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=description,
            examples=[OpenApiExample("Page", PAGE_EXAMPLE)],
        )
    }


def _object_doc(description: str, example: dict[str, Any]) -> dict[int, OpenApiResponse]:
    return {
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=description,
            examples=[OpenApiExample("Example", example)],
        ),
        404: NOT_FOUND,
    }


SERVICE_EXAMPLE = {
    "id": "ac148810-d857-441c-9679-408f346de14b",
    "organization_id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
    "name": "Apoyo psicológico individual",
    "alternate_name": "Individual psychological support",
    "status": "active",
    "last_modified": "2026-01-01T12:00:00Z",
}


class RootView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getAPIMetaInformation",
        summary="Information about this API and its relationship with HSDS.",
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                examples=[
                    OpenApiExample(
                        "API",
                        {
                            "version": HSDS_VERSION,
                            "profile": HSDS_PROFILE,
                            "openapi_url": "https://ruta.example.org/api/v1/schema/?format=json",
                        },
                    )
                ],
            )
        },
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": HSDS_VERSION,
                "profile": HSDS_PROFILE,
                "openapi_url": request.build_absolute_uri(reverse("api:schema") + "?format=json"),
            }
        )


class ServiceListView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getPaginatedListOfServices",
        summary="Paginated services (one-to-one fields; fully nested with full=true).",
        parameters=[
            *LIST_PARAMS,
            P_TERM,
            P_TAXONOMY,
            P_ORGANIZATION,
            P_MODIFIED,
            P_MINIMAL,
            P_FULL,
        ],
        responses=_page_doc("A Page whose contents are services (compiled/service_list.json)."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        services = queries.filter_services(
            queries.published_services(),
            search=request.query_params.get("search", ""),
            taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
            taxonomy_id=_uuid(request, "taxonomy_id"),
            organization_id=_uuid(request, "organization_id"),
            modified_after=_modified_after(request),
        )
        if _flag(request, "minimal"):
            # HSDS says "just id and modified date", but its response schema
            # (service_list.json) requires name and status too: those four, then.
            rows = services.select_related(None).only(
                "uuid", "name_es", "name_en", "status", "updated_at"
            )
            return page_response(
                request,
                rows,
                lambda service: mapping.service_minimal_dict(service, ctx),
                default_per_page=MINIMAL_PER_PAGE,
                max_per_page=MINIMAL_PER_PAGE,
            )
        if _flag(request, "full"):
            return page_response(
                request,
                queries.with_full_service(services),
                lambda service: mapping.service_full(service, ctx),
            )
        return page_response(request, services, lambda s: mapping.service_list_dict(s, ctx))


class ServiceDetailView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getFullyNestedServiceById",
        summary="A fully nested service (compiled/service.json).",
        parameters=[P_LANG],
        responses=_object_doc("A fully nested service.", SERVICE_EXAMPLE),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        service = (
            queries.with_full_service(queries.published_services())
            .filter(uuid=_lookup_id(id))
            .first()
        )
        if service is None:
            raise NotFound()
        return Response(mapping.service_full(service, ctx))


class OrganizationListView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getPaginatedListOfOrganizations",
        summary="Paginated active organizations (organization_list.json; full=true nests).",
        parameters=[*LIST_PARAMS, P_FULL, P_FULL_SERVICE],
        responses=_page_doc("A Page whose contents are organizations."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        organizations = queries.published_organizations()
        words = query_words(request.query_params.get("search", ""))
        if words:
            found = [
                pk
                for pk, name, acronym in organizations.values_list("pk", "name", "acronym")
                if _matches(words, name, acronym)
            ]
            organizations = organizations.filter(pk__in=found)
        full_service = _flag(request, "full_service")
        if full_service or _flag(request, "full"):
            return page_response(
                request,
                queries.with_full_organization(organizations, full_service=full_service),
                lambda org: mapping.organization_full(
                    org, ctx, org.hsds_services, org.hsds_locations, full_service=full_service
                ),
            )
        return page_response(request, organizations, lambda o: mapping.organization_dict(o, ctx))


class OrganizationDetailView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getOrganizationById",
        summary="A fully nested organization (compiled/organization.json).",
        parameters=[P_FULL_SERVICE, P_LANG],
        responses=_object_doc(
            "A fully nested organization with its published services.",
            {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "CARE Perú"},
        ),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        full_service = _flag(request, "full_service")
        organization = (
            queries.with_full_organization(
                queries.published_organizations(), full_service=full_service
            )
            .filter(uuid=_lookup_id(id))
            .first()
        )
        if organization is None:
            raise NotFound()
        return Response(
            mapping.organization_full(
                organization,
                ctx,
                organization.hsds_services,  # type: ignore[attr-defined]
                organization.hsds_locations,  # type: ignore[attr-defined]
                full_service=full_service,
            )
        )


class ServiceAtLocationListView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getPaginatedListOfServiceAtLocation",
        summary="Paginated services at locations (service_at_location_list.json).",
        parameters=[
            *LIST_PARAMS,
            P_TERM,
            P_TAXONOMY,
            P_ORGANIZATION,
            P_MODIFIED,
            P_FULL,
            P_POSTCODE,
            P_PROXIMITY,
        ],
        responses=_page_doc("A Page whose contents are service_at_location objects."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        links = queries.filter_services(
            queries.published_service_at_locations(),
            search=request.query_params.get("search", ""),
            taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
            taxonomy_id=_uuid(request, "taxonomy_id"),
            organization_id=_uuid(request, "organization_id"),
            modified_after=_modified_after(request),
            prefix="service__",
        )
        if _flag(request, "full"):
            return page_response(
                request,
                queries.with_full_service(links, prefix="service__"),
                lambda sal: mapping.sal_full(sal, ctx),
            )
        return page_response(request, links, lambda sal: mapping.sal_list_dict(sal, ctx))


class ServiceAtLocationDetailView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getServiceAtLocationWithNestedDataById",
        summary="A fully nested service_at_location (compiled/service_at_location.json).",
        description=(
            "HSDS 3.0's openapi.json names compiled/service.json here, which cannot describe "
            "a service_at_location; Ruta answers with compiled/service_at_location.json."
        ),
        parameters=[P_LANG],
        responses=_object_doc(
            "A fully nested service_at_location.",
            {"id": "e94c9f38-1e8f-4564-91d4-d53501ab1765", "service": SERVICE_EXAMPLE},
        ),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        link = (
            queries.with_full_service(queries.published_service_at_locations(), prefix="service__")
            .filter(uuid=_lookup_id(id))
            .first()
        )
        if link is None:
            raise NotFound()
        return Response(mapping.sal_full(link, ctx))


def _taxonomies() -> list[Any]:
    return [*queries.all_taxonomies(), *VIRTUAL_TAXONOMIES.values()]


class TaxonomyListView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getPaginatedListOfTaxonomies",
        summary="Paginated taxonomies, stored and synthetic (taxonomy.json).",
        parameters=LIST_PARAMS,
        responses=_page_doc("A Page whose contents are taxonomies."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        words = query_words(request.query_params.get("search", ""))
        taxonomies = [
            t for t in _taxonomies() if _matches(words, t.code, t.name_es, t.name_en, t.uri)
        ]
        return page_response(request, taxonomies, lambda t: mapping.taxonomy_dict(t, ctx))


class TaxonomyDetailView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getTaxonomyById",
        summary="A taxonomy (taxonomy.json).",
        parameters=[P_LANG],
        responses=_object_doc(
            "A taxonomy.",
            {"id": "5c4d79d7-cc55-470e-9f1f-8cad074e4892", "name": "Need / sector"},
        ),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        key = _lookup_id(id)
        taxonomy: Any = VIRTUAL_TAXONOMY_IDS.get(key) or Taxonomy.objects.filter(uuid=key).first()
        if taxonomy is None:
            raise NotFound()
        return Response(mapping.taxonomy_dict(taxonomy, ctx))


class TaxonomyTermListView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getPaginatedListOfTaxonomyTerms",
        summary="Paginated taxonomy terms, stored and synthetic (taxonomy_term.json).",
        description="top_only keeps the terms without a parent (top-level terms).",
        parameters=[*LIST_PARAMS, P_TAXONOMY, P_TOP_ONLY, P_PARENT],
        responses=_page_doc("A Page whose contents are taxonomy terms."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        taxonomy_id = _uuid(request, "taxonomy_id")
        parent_id = _uuid(request, "parent_id")
        top_only = _flag(request, "top_only")
        words = query_words(request.query_params.get("search", ""))
        terms: Iterable[TaxonomyTerm | VirtualTerm] = [
            *queries.all_terms(),
            *VIRTUAL_TERMS.values(),
        ]
        selected = [
            term
            for term in terms
            if (taxonomy_id is None or term.taxonomy.uuid == taxonomy_id)
            and (parent_id is None or (term.parent is not None and term.parent.uuid == parent_id))
            and (not top_only or term.parent is None)
            and _matches(words, term.code, term.name_es, term.name_en)
        ]
        return page_response(request, selected, lambda t: mapping.term_dict(t, ctx))


class TaxonomyTermDetailView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getTaxonomyTermById",
        summary="A taxonomy term (taxonomy_term.json).",
        parameters=[P_LANG],
        responses=_object_doc(
            "A taxonomy term.",
            {"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "code": "women", "name": "Mujeres"},
        ),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        key = _lookup_id(id)
        term: Any = VIRTUAL_TERMS.get(key) or queries.all_terms().filter(uuid=key).first()
        if term is None:
            raise NotFound()
        return Response(mapping.term_dict(term, ctx))


class ExportView(HsdsView):
    """The HSDS tabular data package of everything published, as a zip."""

    @extend_schema(
        tags=TAGS,
        operation_id="hsds_exportTabular",
        summary="HSDS 3.0 tabular export: CSV files and datapackage.json in a zip.",
        parameters=[P_LANG],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="application/zip")},
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        archive, _counts = export.export_file(ctx)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return FileResponse(
            archive,
            as_attachment=True,
            filename=f"ruta-hsds-{stamp}.zip",
            content_type="application/zip",
        )
