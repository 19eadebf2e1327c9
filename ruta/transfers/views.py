"""Pages of in-country transfers: request from a case, the inbox, a transfer, its answers,
and what the sending agency keeps afterwards.

Views are thin: objects come from ``access`` (missing or forbidden: 404), changes from
``actions``. A refused step re-renders the form with the message and what was typed;
a step the transfer's status does not allow answers 409.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ruta.audit.actions import record
from ruta.cases.access import CASE_READ, audit_case_read, audit_list_read, get_case
from ruta.lib.permissions import Cap, capability_required
from ruta.transfers import access, actions
from ruta.transfers.actions import IllegalTransition, TransferError
from ruta.transfers.forms import AcceptForm, CancelForm, DeclineForm, RequestForm
from ruta.transfers.models import Transfer, TransferStatus
from ruta.ui.forms import error_summary

GET_POST = require_http_methods(["GET", "POST"])


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def transfer_url(transfer: Transfer) -> str:
    return reverse("transfers:detail", kwargs={"transfer_uuid": transfer.uuid})


def _refused(form: Any, error: TransferError) -> int:
    form.add_error(None, str(error))
    return 409 if isinstance(error, IllegalTransition) else 200


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def request_view(request: HttpRequest, case_uuid: UUID) -> HttpResponse:
    user: Any = request.user
    case = get_case(user, case_uuid)
    status = 200
    form = RequestForm(_data(request), organization_id=case.organization_id)
    if request.method == "POST":
        if form.is_valid():
            try:
                transfer = actions.request_transfer(
                    user, case, form.cleaned_data["to_organization"], form.cleaned_data["reason"]
                )
            except TransferError as error:
                status = _refused(form, error)
            else:
                messages.success(
                    request,
                    _("The transfer was requested. %(org)s will accept or decline it.")
                    % {"org": transfer.to_organization.name},
                )
                return redirect(transfer_url(transfer))
    else:
        audit_case_read(request, case, what="transfer")
    pending = Transfer.objects.filter(case=case, status=TransferStatus.REQUESTED).first()
    return render(
        request,
        "transfers/request_form.html",
        {"case": case, "form": form, "errors": error_summary(form), "pending": pending},
        status=status,
    )


@capability_required(Cap.SUPERVISE_CASES)
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    incoming = list(access.incoming_transfers(user))
    outgoing = list(
        access.with_related(
            access.visible_transfers(user).filter(
                from_organization_id=user.organization_id, status=TransferStatus.REQUESTED
            )
        )
    )
    recent = list(
        access.with_related(
            access.visible_transfers(user).exclude(status=TransferStatus.REQUESTED)
        ).order_by("-decided_at", "-id")[:20]
    )
    audit_list_read(request, "transfer_inbox", [*incoming, *outgoing, *recent])
    return render(
        request,
        "transfers/inbox.html",
        {"incoming": incoming, "outgoing": outgoing, "recent": recent},
    )


def _detail_context(user: Any, transfer: Transfer) -> dict[str, Any]:
    receiver = transfer.to_organization_id == user.organization_id
    sender = transfer.from_organization_id == user.organization_id
    return {
        "transfer": transfer,
        "receiver": receiver,
        "sender": sender,
        "can_answer": receiver and transfer.is_pending,
        "can_cancel": sender and transfer.is_pending,
        "show_reason": access.reason_visible(user, transfer),
    }


@capability_required(Cap.SUPERVISE_CASES)
@require_GET
def detail_view(request: HttpRequest, transfer_uuid: UUID) -> HttpResponse:
    transfer = access.get_transfer(request.user, transfer_uuid)
    access.audit_transfer_read(request, transfer)
    return render(request, "transfers/detail.html", _detail_context(request.user, transfer))


def _answer_view(
    request: HttpRequest,
    transfer_uuid: UUID,
    *,
    form_class: Any,
    run: Any,
    texts: dict[str, str],
    side: str,
    form_kwargs: Any = None,
) -> HttpResponse:
    """An answer page; only the side that may take the step sees it (else 404)."""
    user: Any = request.user
    transfer = access.get_transfer(user, transfer_uuid)
    side_org = transfer.to_organization_id if side == "receiver" else transfer.from_organization_id
    if side_org != user.organization_id:
        raise Http404
    if request.method == "GET":
        access.audit_transfer_read(request, transfer)
    extra = form_kwargs(transfer) if form_kwargs else {}
    form = form_class(_data(request), **extra)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            run(user, transfer, form.cleaned_data)
        except TransferError as error:
            status = _refused(form, error)
        else:
            messages.success(request, texts["success"])
            return redirect(texts.get("next") or transfer_url(transfer))
    return render(
        request,
        "transfers/answer_form.html",
        {
            **_detail_context(user, transfer),
            "form": form,
            "errors": error_summary(form),
            "title": texts["title"],
            "lead": texts["lead"],
            "submit": texts["submit"],
            "action": request.path,
        },
        status=status,
    )


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def accept_view(request: HttpRequest, transfer_uuid: UUID) -> HttpResponse:
    return _answer_view(
        request,
        transfer_uuid,
        form_class=AcceptForm,
        side="receiver",
        form_kwargs=lambda transfer: {"organization_id": transfer.to_organization_id},
        run=lambda user, transfer, data: actions.accept_transfer(
            user, transfer, data["caseworker"]
        ),
        texts={
            "success": _("The case is now your agency's. The caseworker was notified."),
            "title": _("Accept the transfer"),
            "lead": _(
                "Your agency becomes responsible for the case and its full history. "
                "Choose who takes it."
            ),
            "submit": _("Accept and assign"),
        },
    )


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def decline_view(request: HttpRequest, transfer_uuid: UUID) -> HttpResponse:
    return _answer_view(
        request,
        transfer_uuid,
        form_class=DeclineForm,
        side="receiver",
        run=lambda user, transfer, data: actions.decline_transfer(user, transfer, data["reason"]),
        texts={
            "success": _("The transfer was declined. The sending agency was notified."),
            "title": _("Decline the transfer"),
            "lead": _("The case stays with the sending agency."),
            "submit": _("Decline"),
        },
    )


@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def cancel_view(request: HttpRequest, transfer_uuid: UUID) -> HttpResponse:
    return _answer_view(
        request,
        transfer_uuid,
        form_class=CancelForm,
        side="sender",
        run=lambda user, transfer, data: actions.cancel_transfer(user, transfer),
        texts={
            "success": _("The transfer request was cancelled."),
            "title": _("Cancel the transfer request"),
            "lead": _("The case stays with your agency. The receiving agency is told."),
            "submit": _("Cancel the request"),
        },
    )


# --- What the sending agency keeps ------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_GET
def transferred_out_list_view(request: HttpRequest) -> HttpResponse:
    transfers = list(
        access.with_related(access.transferred_out(request.user)).order_by("-decided_at", "-id")
    )
    audit_list_read(request, "transferred_out", transfers)
    return render(request, "transfers/transferred_out_list.html", {"transfers": transfers})


@capability_required(Cap.VIEW_CASES)
@require_GET
def transferred_out_view(request: HttpRequest, transfer_uuid: UUID) -> HttpResponse:
    transfer = access.get_transferred_out(request.user, transfer_uuid)
    record(
        CASE_READ,
        request=request,
        obj=transfer.case,
        organization=transfer.from_organization,
        details={"what": "transferred_out", "path": request.path[:200]},
    )
    return render(
        request,
        "transfers/transferred_out.html",
        {"transfer": transfer, "entries": access.own_entries(transfer)},
    )
