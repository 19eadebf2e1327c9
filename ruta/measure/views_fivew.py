"""The 5W submission pages: an organization's months and their status, one month to
review and submit (or correct), the spreadsheet import, and the coordinator's
consolidation with its downloads. Counts only, never a person."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ruta.agencies.models import Organization
from ruta.audit.actions import record
from ruta.lib.permissions import Cap, capability_required
from ruta.measure import fivew, fivew_import, submissions
from ruta.measure.fivew_models import FiveWSubmission
from ruta.measure.forms_fivew import ImportForm, SubmitForm
from ruta.measure.views import PeriodForm, _month
from ruta.ui.forms import error_summary

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest
    from ruta.accounts.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_organization(user: User) -> Organization:
    if not submissions.may_submit(user) or user.organization is None:
        raise Http404
    return user.organization


def _month_or_404(text: str) -> dt.date:
    month = submissions.parse_month(text)
    if month is None or month.year < 2000:
        raise Http404
    return month


@capability_required(Cap.SUBMIT_FIVEW)
@require_GET
def months_view(request: AuthenticatedRequest) -> HttpResponse:
    organization = _own_organization(request.user)
    form = PeriodForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["month"]:  # "another month": go to its page
        return redirect("measure:fivew_month", month=form.cleaned_data["month"].strftime("%Y-%m"))
    return render(
        request,
        "measure/fivew_months.html",
        {
            "form": form,
            "organization": organization,
            "statuses": submissions.statuses(organization, submissions.recent_months(12)),
        },
    )


def _month_page(
    request: AuthenticatedRequest,
    organization: Organization,
    month: dt.date,
    form: SubmitForm,
    status: int = 200,
) -> HttpResponse:
    history = submissions.versions(organization, month)
    latest = history[0] if history else None
    shown: FiveWSubmission | None = latest
    wanted = request.GET.get("version", "")
    if wanted:
        shown = next((s for s in history if str(s.version) == wanted), None)
        if shown is None:
            raise Http404
    if shown is not None:
        rows = shown.rows
    else:
        own = frozenset({organization.pk})
        rows = submissions.live_rows(month, own, exact=True).get(organization.pk, [])
    return render(
        request,
        "measure/fivew_month.html",
        {
            "organization": organization,
            "month": month,
            "status": submissions.MonthStatus(month, latest),
            "shown": shown,
            "history": history,
            "columns": fivew.columns(),
            "rows": submissions.as_lists(rows),
            "ended": submissions.has_ended(month),
            "form": form,
            "errors": error_summary(form),
        },
        status=status,
    )


@capability_required(Cap.SUBMIT_FIVEW)
@require_http_methods(["GET", "POST"])
def month_view(request: AuthenticatedRequest, month: str) -> HttpResponse:
    organization = _own_organization(request.user)
    day = _month_or_404(month)
    correction = FiveWSubmission.objects.filter(organization=organization, month=day).exists()
    form = SubmitForm(request.POST if request.method == "POST" else None, correction=correction)
    if request.method != "POST":
        return _month_page(request, organization, day, form)
    if form.is_valid():
        try:
            submission = submissions.submit(request.user, day, form.cleaned_data.get("reason", ""))
        except submissions.SubmissionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The 5W of %(month)s is submitted (version %(version)s).")
                % {"month": month, "version": submission.version},
            )
            return redirect("measure:fivew_month", month=month)
    return _month_page(request, organization, day, form, status=400)


@capability_required(Cap.SUBMIT_FIVEW)
@require_http_methods(["GET", "POST"])
def import_view(request: AuthenticatedRequest) -> HttpResponse:
    _own_organization(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = fivew_import.import_fivew(
                    request.user, upload.name or "", upload.read(), form.cleaned_data["reason"]
                )
            except submissions.SubmissionError as error:
                form.add_error("file", str(error))
            else:
                if result.ok:
                    for submission in result.submissions:
                        messages.success(
                            request,
                            _("The 5W of %(month)s is submitted (version %(version)s).")
                            % {
                                "month": submission.month.strftime("%Y-%m"),
                                "version": submission.version,
                            },
                        )
                    return redirect("measure:fivew_months")
    return render(
        request,
        "measure/fivew_import.html",
        {"form": form, "result": result, "errors": error_summary(form)},
        status=status,
    )


def _grid(months: list[dt.date]) -> list[tuple[Organization, list[FiveWSubmission | None]]]:
    """Every active organization (and any that submitted) by month: its latest version."""
    latest: dict[tuple[int, dt.date], FiveWSubmission] = {}
    found = FiveWSubmission.objects.filter(month__in=months).order_by("month", "version")
    for submission in found.only("organization_id", "month", "version", "uuid"):
        latest[(submission.organization_id, submission.month)] = submission
    submitted = {org_id for org_id, _m in latest}
    organizations = Organization.objects.filter(active=True) | Organization.objects.filter(
        pk__in=submitted
    )
    return [
        (org, [latest.get((org.pk, month)) for month in months])
        for org in organizations.distinct().order_by("name")
    ]


@capability_required(Cap.CONSOLIDATE_FIVEW)
@require_GET
def consolidated_view(request: AuthenticatedRequest) -> HttpResponse:
    form, month = _month(request.GET)
    months = [month]
    for _step in range(5):
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    parts = submissions.consolidated(month)
    return render(
        request,
        "measure/fivew_consolidated.html",
        {
            "form": form,
            "month": month,
            "months": months,
            "grid": _grid(months),
            "parts": parts,
            "row_count": sum(len(part.rows) for part in parts),
        },
    )


@capability_required(Cap.CONSOLIDATE_FIVEW)
@require_GET
def consolidated_download_view(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, month = _month(request.GET)
    rows = submissions.consolidated_rows(month)
    if fmt == "csv":
        content, kind = fivew.as_csv(month, None, rows=rows), "text/csv; charset=utf-8"
    else:
        content, kind = fivew.as_xlsx(month, None, rows=rows), XLSX
    record(
        "measure.fivew_consolidated_exported",
        actor=request.user,
        details={"month": month.strftime("%Y-%m"), "format": fmt, "rows": len(rows)},
    )
    response = HttpResponse(content, content_type=kind)
    name = f"ruta-5w-consolidated-{month.strftime('%Y-%m')}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
