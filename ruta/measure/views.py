"""People reached (monthly, de-duplicated) and the R4V 5W report with its downloads."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ruta.activities.models import PopulationType, Sector
from ruta.agencies.models import Organization
from ruta.audit.actions import record
from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, capability_required, user_can
from ruta.measure import facts, fivew, submissions
from ruta.measure.access import organization_scope
from ruta.measure.reach import last_full_month, summarise

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class MonthField(forms.DateField):
    input_formats = ["%Y-%m"]
    widget = MonthInput


class PeriodForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)


def _month(params: Any) -> tuple[PeriodForm, dt.date]:
    month = last_full_month(timezone.localdate())
    # Unasked, the month input shows the month the page is drawn for.
    form = PeriodForm(params or None, initial={"month": month})
    if form.is_valid() and form.cleaned_data["month"]:
        month = form.cleaned_data["month"].replace(day=1)
    return form, month


def _organizations(scope: frozenset[int] | None) -> dict[int, Organization]:
    orgs = (
        Organization.objects.all() if scope is None else Organization.objects.filter(pk__in=scope)
    )
    return {org.pk: org for org in orgs}


@capability_required(Cap.VIEW_REACH)
@require_GET
def reach_view(request: AuthenticatedRequest) -> HttpResponse:
    form, month = _month(request.GET)
    scope = organization_scope(request.user)
    figures = facts.figures(month, month, scope)
    names = {pk: str(org) for pk, org in _organizations(scope).items()}
    sectors, populations = dict(Sector.choices), dict(PopulationType.choices)
    return render(
        request,
        "measure/reach.html",
        {
            "form": form,
            "month": month,
            "figures": [
                (
                    f,
                    names.get(f.cell.organization_id, ""),
                    sectors.get(f.cell.sector, f.cell.sector),
                    populations.get(f.cell.population_type, f.cell.population_type),
                )
                for f in figures
            ],
            "summary": summarise(figures),
            "network_wide": scope is None,
            "freshness": facts.freshness(month),
        },
    )


@capability_required(Cap.VIEW_REACH)
@require_GET
def fivew_view(request: AuthenticatedRequest) -> HttpResponse:
    form, month = _month(request.GET)
    scope = organization_scope(request.user)
    return render(
        request,
        "measure/fivew.html",
        {
            "form": form,
            "month": month,
            "columns": fivew.columns(),
            # A network's month holds thousands of rows: the page shows them 100 at a time
            # (the downloads hold them all). Submitted months show their snapshot.
            "rows": (page := paginate(request, submissions.ReportRows(month, scope), per_page=100)),
            "page": page,
            "query": querystring_without_page(request),
            "network_wide": scope is None,
            "freshness": facts.freshness(month),
            "may_submit": submissions.may_submit(request.user),
            "may_consolidate": user_can(request.user, Cap.CONSOLIDATE_FIVEW),
        },
    )


@capability_required(Cap.VIEW_REACH)
@require_GET
def fivew_download_view(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, month = _month(request.GET)
    scope = organization_scope(request.user)
    rows = submissions.report_rows(month, scope)  # submitted months: the snapshot
    if fmt == "csv":
        content, kind = fivew.as_csv(month, scope, rows), "text/csv; charset=utf-8"
    else:
        content = fivew.as_xlsx(month, scope, rows)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record(
        "measure.fivew_exported",
        actor=request.user,
        details={"month": month.strftime("%Y-%m"), "format": fmt, "network_wide": scope is None},
    )
    response = HttpResponse(content, content_type=kind)
    name = f"ruta-5w-{month.strftime('%Y-%m')}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
