"""The referral network's flows over a period (``flows``), as a page and a CSV."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ruta.lib.charts import ranked_bars
from ruta.lib.permissions import Cap, capability_required
from ruta.lib.sheets import csv_response
from ruta.measure.access import organization_scope
from ruta.measure.flows import Flow, flows
from ruta.measure.reach import year_to
from ruta.measure.views_dashboard import MonthRangeForm

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest


class FlowsForm(MonthRangeForm):
    """The period of the flows."""


def _period(request: AuthenticatedRequest) -> tuple[FlowsForm, dt.date, dt.date]:
    this_month = timezone.localdate().replace(day=1)
    start = year_to(this_month)
    form = FlowsForm(request.GET or None, initial={"start": start, "end": this_month})
    return form, *form.months(start, this_month)


def _row(flow: Flow) -> list[object]:
    return [
        flow.sender,
        flow.receiver,
        flow.sent,
        flow.accepted,
        flow.declined,
        flow.waiting,
        flow.in_time,
        "" if flow.median_days is None else flow.median_days,
    ]


@capability_required(Cap.VIEW_REACH)
@require_GET
def flows_view(request: AuthenticatedRequest) -> HttpResponse:
    form, start, end = _period(request)
    scope = organization_scope(request.user)
    found = flows(start, end, scope)
    title = _("Referrals sent, by pair of organizations")
    return render(
        request,
        "measure/flows.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "flows": found,
            "network_wide": scope is None,
            "chart": ranked_bars(
                [(f"{flow.sender} → {flow.receiver}", flow.sent) for flow in found[:12]],
                title=title,
                desc=_("Ranked bars, largest first; the table below holds every figure."),
                ident="chart-flows",
            )
            if found
            else None,
            "chart_title": title,
            "query": request.GET.urlencode(),
        },
    )


@capability_required(Cap.VIEW_REACH)
@require_GET
def flows_csv_view(request: AuthenticatedRequest) -> HttpResponse:
    _form, start, end = _period(request)
    header = ["from", "to", "sent", "accepted", "declined", "waiting"]
    header += ["accepted_in_time", "median_days"]
    rows = [_row(flow) for flow in flows(start, end, organization_scope(request.user))]
    name = f"ruta-referral-flows-{start:%Y-%m}-{end:%Y-%m}.csv"
    return csv_response(header, rows, name)
