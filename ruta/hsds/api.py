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

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from ruta.directory.models import Taxonomy, TaxonomyTerm
from ruta.hsds import export, mapping, queries
from ruta.hsds.api_base import (
    MINIMAL_PER_PAGE,
    HsdsView,
    flag,
    lookup_id,
    matches,
    modified_after,
    page_response,
    uuid_param,
)
from ruta.hsds.api_docs import (
    LIST_PARAMS,
    P_FULL,
    P_FULL_SERVICE,
    P_LANG,
    P_MINIMAL,
    P_MODIFIED,
    P_ORGANIZATION,
    P_PARENT,
    P_POSTCODE,
    P_PROXIMITY,
    P_TAXONOMY,
    P_TERM,
    P_TOP_ONLY,
    SERVICE_EXAMPLE,
    TAGS,
    object_doc,
    page_doc,
)
from ruta.hsds.mapping import (
    HSDS_PROFILE,
    HSDS_VERSION,
    VIRTUAL_TAXONOMIES,
    VIRTUAL_TAXONOMY_IDS,
    VIRTUAL_TERMS,
    VirtualTerm,
)
from ruta.hsds.models import KeptRecord
from ruta.lib.text import query_words


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
        responses=page_doc("A Page whose contents are services (compiled/service_list.json)."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        services = queries.filter_services(
            queries.published_services(),
            search=request.query_params.get("search", ""),
            taxonomy_term_id=uuid_param(request, "taxonomy_term_id"),
            taxonomy_id=uuid_param(request, "taxonomy_id"),
            organization_id=uuid_param(request, "organization_id"),
            modified_after=modified_after(request),
        )
        if flag(request, "minimal"):
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
        if flag(request, "full"):
            return page_response(
                request,
                queries.with_full_service(services),
                lambda service: mapping.service_full(service, ctx),
            )
        return page_response(
            request, queries.with_kept(services), lambda s: mapping.service_list_dict(s, ctx)
        )


class ServiceDetailView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getFullyNestedServiceById",
        summary="A fully nested service (compiled/service.json).",
        parameters=[P_LANG],
        responses=object_doc("A fully nested service.", SERVICE_EXAMPLE),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        service = (
            queries.with_full_service(queries.published_services())
            .filter(uuid=lookup_id(id))
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
        responses=page_doc("A Page whose contents are organizations."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        organizations = queries.published_organizations()
        words = query_words(request.query_params.get("search", ""))
        if words:
            found = [
                pk
                for pk, name, acronym in organizations.values_list("pk", "name", "acronym")
                if matches(words, name, acronym)
            ]
            organizations = organizations.filter(pk__in=found)
        full_service = flag(request, "full_service")
        if full_service or flag(request, "full"):
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
        responses=object_doc(
            "A fully nested organization with its published services.",
            {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "CARE Perú"},
        ),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        full_service = flag(request, "full_service")
        organization = (
            queries.with_full_organization(
                queries.published_organizations(), full_service=full_service
            )
            .filter(uuid=lookup_id(id))
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
        responses=page_doc("A Page whose contents are service_at_location objects."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        links = queries.filter_services(
            queries.published_service_at_locations(),
            search=request.query_params.get("search", ""),
            taxonomy_term_id=uuid_param(request, "taxonomy_term_id"),
            taxonomy_id=uuid_param(request, "taxonomy_id"),
            organization_id=uuid_param(request, "organization_id"),
            modified_after=modified_after(request),
            prefix="service__",
        )
        if flag(request, "full"):
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
        responses=object_doc(
            "A fully nested service_at_location.",
            {"id": "e94c9f38-1e8f-4564-91d4-d53501ab1765", "service": SERVICE_EXAMPLE},
        ),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        link = (
            queries.with_full_service(queries.published_service_at_locations(), prefix="service__")
            .filter(uuid=lookup_id(id))
            .first()
        )
        if link is None:
            raise NotFound()
        return Response(mapping.sal_full(link, ctx))


def _taxonomies() -> list[Any]:
    return [*queries.all_taxonomies(), *VIRTUAL_TAXONOMIES.values()]


def _kept(entity: str, served: list[Any], words: list[str], *names: str) -> list[KeptRecord]:
    """The file's own taxonomies or terms an import kept (those of Ruta's vocabularies,
    ``served`` already, are not repeated)."""
    ids = {item.uuid for item in served}
    return [
        record
        for record in queries.unowned_records().filter(entity=entity)
        if record.hsds_id not in ids
        and matches(words, *(str(record.data.get(name, "")) for name in names))
    ]


def _kept_or(ctx: Any, render: Any) -> Any:
    return lambda obj: obj.data if isinstance(obj, KeptRecord) else render(obj, ctx)


class TaxonomyListView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getPaginatedListOfTaxonomies",
        summary="Paginated taxonomies, stored and synthetic (taxonomy.json).",
        parameters=LIST_PARAMS,
        responses=page_doc("A Page whose contents are taxonomies."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        words = query_words(request.query_params.get("search", ""))
        taxonomies = [
            t for t in _taxonomies() if matches(words, t.code, t.name_es, t.name_en, t.uri)
        ]
        taxonomies += _kept("taxonomy", _taxonomies(), words, "name", "uri")
        return page_response(request, taxonomies, _kept_or(ctx, mapping.taxonomy_dict))


class TaxonomyDetailView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getTaxonomyById",
        summary="A taxonomy (taxonomy.json).",
        parameters=[P_LANG],
        responses=object_doc(
            "A taxonomy.",
            {"id": "5c4d79d7-cc55-470e-9f1f-8cad074e4892", "name": "Need / sector"},
        ),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        key = lookup_id(id)
        taxonomy: Any = VIRTUAL_TAXONOMY_IDS.get(key) or Taxonomy.objects.filter(uuid=key).first()
        if taxonomy is None:
            kept = queries.unowned_records().filter(entity="taxonomy", hsds_id=key).first()
            if kept is None:
                raise NotFound()
            return Response(kept.data)
        return Response(mapping.taxonomy_dict(taxonomy, ctx))


class TaxonomyTermListView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getPaginatedListOfTaxonomyTerms",
        summary="Paginated taxonomy terms, stored and synthetic (taxonomy_term.json).",
        description="top_only keeps the terms without a parent (top-level terms).",
        parameters=[*LIST_PARAMS, P_TAXONOMY, P_TOP_ONLY, P_PARENT],
        responses=page_doc("A Page whose contents are taxonomy terms."),
    )
    def get(self, request: Request) -> HttpResponseBase:
        ctx = self.context()
        taxonomy_id = uuid_param(request, "taxonomy_id")
        parent_id = uuid_param(request, "parent_id")
        top_only = flag(request, "top_only")
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
            and matches(words, term.code, term.name_es, term.name_en)
        ]
        kept: list[Any] = [
            record
            for record in _kept("taxonomy_term", list(terms), words, "code", "name")
            if (taxonomy_id is None or record.data.get("taxonomy_id") == str(taxonomy_id))
            and (parent_id is None or record.data.get("parent_id") == str(parent_id))
            and (not top_only or not record.data.get("parent_id"))
        ]
        return page_response(request, [*selected, *kept], _kept_or(ctx, mapping.term_dict))


class TaxonomyTermDetailView(HsdsView):
    @extend_schema(
        tags=TAGS,
        operation_id="hsds_getTaxonomyTermById",
        summary="A taxonomy term (taxonomy_term.json).",
        parameters=[P_LANG],
        responses=object_doc(
            "A taxonomy term.",
            {"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "code": "women", "name": "Mujeres"},
        ),
    )
    def get(self, request: Request, id: str) -> Response:
        ctx = self.context()
        key = lookup_id(id)
        term: Any = VIRTUAL_TERMS.get(key) or queries.all_terms().filter(uuid=key).first()
        if term is None:
            kept = queries.unowned_records().filter(entity="taxonomy_term", hsds_id=key).first()
            if kept is None:
                raise NotFound()
            return Response(kept.data)
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
