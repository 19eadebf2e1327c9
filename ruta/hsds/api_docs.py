"""The OpenAPI description of the HSDS views: tags, parameters, examples, responses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from ruta.hsds.api_base import DEFAULT_PER_PAGE, MAX_PER_PAGE

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


def page_doc(description: str) -> dict[int, OpenApiResponse]:
    return {
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=description,
            examples=[OpenApiExample("Page", PAGE_EXAMPLE)],
        )
    }


def object_doc(description: str, example: dict[str, Any]) -> dict[int, OpenApiResponse]:
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
