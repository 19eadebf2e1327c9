"""The public catalogue at /practicas/: faceted search, a page per practice, exports.

Everyone sees published practices; people who work on practices (the owning agency's
admins, coordinators) also reach drafts through the same page, anybody else gets 404.
Searches are not logged.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, public, user_can
from ruta.practices import exports
from ruta.practices.access import (
    can_work_on,
    get_visible_practice,
    public_practices,
    visible_practices,
)
from ruta.practices.actions import allowed_steps
from ruta.practices.evidence import evidence_for
from ruta.practices.forms import AttachmentForm, CommentForm
from ruta.practices.search import (
    PracticeQuery,
    facets,
    find_practices,
    with_card_data,
    with_full_data,
)
from ruta.practices.sheet import country_names, organization_names, practice_sheet

PER_PAGE = 20
# Exports are public: bound the work one request can ask for (PDF rendering is slow).
XLSX_LIMIT = 1000
PDF_LIMIT = 100


def _base_template(request: HttpRequest) -> str:
    return "base.html" if request.user.is_authenticated else "public_base.html"


def _selection(request: HttpRequest) -> tuple[PracticeQuery, Any]:
    query = PracticeQuery.from_params(request.GET)
    return query, find_practices(public_practices(), query)


def _facet_links(query: PracticeQuery, facet_list: list[Any]) -> None:
    """Each facet value gets the query string that toggles it (page reset)."""
    from urllib.parse import urlencode

    base = query.params()
    for facet in facet_list:
        for value in facet.values:
            params = dict(base)
            if value.selected:
                params.pop(facet.name, None)
            else:
                params[facet.name] = value.value
            value.link = "?" + urlencode(params)


@public
@require_GET
def catalogue_view(request: HttpRequest) -> HttpResponse:
    query, selection = _selection(request)
    page = paginate(request, with_card_data(selection), per_page=PER_PAGE)
    facet_list = facets(selection, query)
    _facet_links(query, facet_list)
    cards = [
        {
            "practice": practice,
            "organizations": organization_names(practice),
            "countries": country_names(practice),
        }
        for practice in page
    ]
    export_query = querystring_without_page(request)
    return render(
        request,
        "practices/catalogue.html",
        {
            "query": query,
            "page": page,
            "cards": cards,
            "facets": facet_list,
            "querystring": export_query,
            "hidden_params": [(k, v) for k, v in query.params().items() if k != "q"],
            "base_template": _base_template(request),
            "can_submit": user_can(request.user, Cap.SUBMIT_PRACTICES),
        },
    )


@public
@require_GET
def practice_detail_view(request: HttpRequest, practice_uuid: UUID) -> HttpResponse:
    return render_detail(request, practice_uuid)


def render_detail(
    request: HttpRequest,
    practice_uuid: UUID,
    *,
    error: str = "",
    status: int = 200,
    comment_form: CommentForm | None = None,
    attachment_form: AttachmentForm | None = None,
) -> HttpResponse:
    practice = get_visible_practice(request.user, practice_uuid)
    practice = with_full_data(visible_practices(request.user)).get(pk=practice.pk)
    worker = can_work_on(request.user, practice)
    context: dict[str, Any] = {
        "practice": practice,
        "sheet": practice_sheet(practice),
        "attachments": list(practice.attachments.all()),
        "evidence": evidence_for(practice, request.user),
        "worker": worker,
        "error": error,
        "base_template": _base_template(request),
    }
    if worker:
        context.update(
            {
                "steps": allowed_steps(practice),
                "hub": user_can(request.user, Cap.MANAGE_PRACTICE_HUB),
                "reviews": list(practice.reviews.select_related("reviewer")),
                "comment_form": comment_form or CommentForm(),
                "attachment_form": attachment_form or AttachmentForm(),
            }
        )
    template = "practices/detail.html" if worker else "practices/public_detail.html"
    return render(request, template, context, status=status)


@public
@require_GET
def attachment_view(
    request: HttpRequest, practice_uuid: UUID, attachment_uuid: UUID
) -> FileResponse:
    practice = get_visible_practice(request.user, practice_uuid)
    attachment = practice.attachments.filter(uuid=attachment_uuid).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export_selection(request: HttpRequest, limit: int) -> list[Any]:
    _query, selection = _selection(request)
    return list(with_full_data(selection)[:limit])


@public
@require_GET
def export_xlsx_view(request: HttpRequest) -> HttpResponse:
    content = exports.practices_xlsx(_export_selection(request, XLSX_LIMIT))
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("xlsx")}"'
    return response


@public
@require_GET
def export_pdf_view(request: HttpRequest) -> HttpResponse:
    content = exports.practices_pdf(_export_selection(request, PDF_LIMIT))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("pdf")}"'
    return response
