"""Writing and reviewing practices: agency admins draft and submit their organization's
practices; coordinators review, return, publish and unpublish. A step that the
workflow does not allow answers 409 with the reason, on the practice's page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, capability_required, user_can
from ruta.practices import actions
from ruta.practices.access import get_workable_practice, workable_practices
from ruta.practices.actions import PracticeError
from ruta.practices.forms import AttachmentForm, CommentForm, PracticeForm
from ruta.practices.models import PracticeStatus
from ruta.practices.views_public import render_detail

GET_POST = require_http_methods(["GET", "POST"])


@capability_required(Cap.SUBMIT_PRACTICES)
def manage_list_view(request: AuthenticatedRequest) -> HttpResponse:
    practices = workable_practices(request.user).select_related("owner").order_by("-updated_at")
    status = request.GET.get("status", "")
    if status in PracticeStatus.values:
        practices = practices.filter(status=status)
    page = paginate(request, practices, per_page=50)
    return render(
        request,
        "practices/manage_list.html",
        {
            "page": page,
            "status": status,
            "statuses": PracticeStatus.choices,
            "querystring": querystring_without_page(request),
            "hub": user_can(request.user, Cap.MANAGE_PRACTICE_HUB),
        },
    )


def _save(request: HttpRequest, form: PracticeForm, save: Callable[[], Any]) -> Any:
    try:
        return save()
    except PracticeError as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in form.fields else None
                for message in errors:
                    form.add_error(target, message)
        else:
            form.add_error(None, error)
    return None


def _form_page(
    request: HttpRequest, form: PracticeForm, practice: Any, status: int
) -> HttpResponse:
    return render(
        request, "practices/form.html", {"form": form, "practice": practice}, status=status
    )


@capability_required(Cap.SUBMIT_PRACTICES)
@GET_POST
def practice_create_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        form = PracticeForm(request.POST, user=request.user)
        if form.is_valid():
            practice = _save(
                request, form, lambda: actions.create_practice(request.user, form.values())
            )
            if practice is not None:
                messages.success(request, _("The practice was saved as a draft."))
                return redirect(practice.get_absolute_url())
        return _form_page(request, form, None, 400 if form.errors else 200)
    return _form_page(request, PracticeForm(user=request.user), None, 200)


@capability_required(Cap.SUBMIT_PRACTICES)
@GET_POST
def practice_edit_view(request: AuthenticatedRequest, practice_uuid: UUID) -> HttpResponse:
    practice = get_workable_practice(request.user, practice_uuid)
    if request.method == "POST":
        form = PracticeForm(request.POST, instance=practice, user=request.user)
        if form.is_valid():
            saved = _save(
                request,
                form,
                lambda: actions.update_practice(request.user, practice, form.values()),
            )
            if saved is not None:
                messages.success(request, _("The practice was saved."))
                return redirect(saved.get_absolute_url())
            practice.refresh_from_db()
            status = 409 if practice.status != PracticeStatus.DRAFT else 400
            return _form_page(request, form, practice, status)
        return _form_page(request, form, practice, 400)
    form = PracticeForm(instance=practice, user=request.user)
    status = 200
    if practice.status != PracticeStatus.DRAFT:
        form.add_error(
            None, _("Only drafts can be changed. Ask a coordinator to return the practice first.")
        )
    return _form_page(request, form, practice, status)


# --- Workflow steps -------------------------------------------------------------------

_SUCCESS = {
    "submit": gettext_lazy("The practice was submitted for review."),
    "review": gettext_lazy("The practice was marked as reviewed."),
    "return": gettext_lazy("The practice was returned to its authors with your comments."),
    "publish": gettext_lazy("The practice is published in the catalogue."),
    "unpublish": gettext_lazy("The practice was taken out of the catalogue and is a draft again."),
}


def _step(request: AuthenticatedRequest, practice_uuid: UUID, step: str) -> HttpResponse:
    practice = get_workable_practice(request.user, practice_uuid)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if step == "submit":
            actions.submit_practice(request.user, practice)
        elif step == "review":
            actions.review_practice(request.user, practice, comment)
        elif step == "return":
            actions.return_practice(request.user, practice, comment)
        elif step == "publish":
            actions.publish_practice(request.user, practice, comment)
        elif step == "unpublish":
            actions.unpublish_practice(request.user, practice, comment)
        else:  # pragma: no cover - the URLs name every step
            raise Http404
    except PracticeError as error:
        return render_detail(
            request, practice_uuid, error=str(error), status=409, comment_form=form
        )
    messages.success(request, _SUCCESS[step])
    return redirect(practice.get_absolute_url())


@capability_required(Cap.SUBMIT_PRACTICES)
@require_POST
def practice_submit_view(request: AuthenticatedRequest, practice_uuid: UUID) -> HttpResponse:
    return _step(request, practice_uuid, "submit")


@capability_required(Cap.MANAGE_PRACTICE_HUB)
@require_POST
def practice_review_view(request: AuthenticatedRequest, practice_uuid: UUID) -> HttpResponse:
    return _step(request, practice_uuid, "review")


@capability_required(Cap.MANAGE_PRACTICE_HUB)
@require_POST
def practice_return_view(request: AuthenticatedRequest, practice_uuid: UUID) -> HttpResponse:
    return _step(request, practice_uuid, "return")


@capability_required(Cap.MANAGE_PRACTICE_HUB)
@require_POST
def practice_publish_view(request: AuthenticatedRequest, practice_uuid: UUID) -> HttpResponse:
    return _step(request, practice_uuid, "publish")


@capability_required(Cap.MANAGE_PRACTICE_HUB)
@require_POST
def practice_unpublish_view(request: AuthenticatedRequest, practice_uuid: UUID) -> HttpResponse:
    return _step(request, practice_uuid, "unpublish")


# --- Attachments ----------------------------------------------------------------------


@capability_required(Cap.SUBMIT_PRACTICES)
@require_POST
def attachment_add_view(request: AuthenticatedRequest, practice_uuid: UUID) -> HttpResponse:
    practice = get_workable_practice(request.user, practice_uuid)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_detail(request, practice_uuid, status=400, attachment_form=form)
    try:
        actions.add_attachment(request.user, practice, form.cleaned_data["file"])
    except PracticeError as error:
        form.add_error("file", str(error))
        status = 409 if practice.status != PracticeStatus.DRAFT else 400
        return render_detail(request, practice_uuid, status=status, attachment_form=form)
    messages.success(request, _("The file was attached."))
    return redirect(f"{practice.get_absolute_url()}#attachments")


@capability_required(Cap.SUBMIT_PRACTICES)
@require_POST
def attachment_remove_view(
    request: AuthenticatedRequest, practice_uuid: UUID, attachment_uuid: UUID
) -> HttpResponse:
    practice = get_workable_practice(request.user, practice_uuid)
    attachment = practice.attachments.filter(uuid=attachment_uuid).first()
    if attachment is None:
        raise Http404
    try:
        actions.remove_attachment(request.user, attachment)
    except PracticeError as error:
        return render_detail(request, practice_uuid, error=str(error), status=409)
    messages.success(request, _("The file was removed."))
    return redirect(f"{practice.get_absolute_url()}#attachments")
