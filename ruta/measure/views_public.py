"""The network's public dashboard (``ruta.measure.public``): a page anyone may read while a
coordinator keeps it on, each chart beside its table and a CSV of that table; and the
coordinator's switch on the reach dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ruta.lib.charts import Series, grouped_columns, ranked_bars
from ruta.lib.permissions import Cap, capability_required, public
from ruta.lib.sheets import csv_response
from ruta.measure import public as public_figures
from ruta.measure.views_dashboard import Chart, labels_for

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

CHARTS = ("months", "admin1", "sector", "population_type")


def _charts(page: public_figures.PublicFiguresPage) -> list[Chart]:
    limit = page.limit
    header = _("New beneficiaries")
    charts = []
    title = _("New beneficiaries each month")
    charts.append(
        Chart(
            "months",
            title,
            # A hidden month is drawn as no column: its table row says "<N".
            grouped_columns(
                [cell.key.strftime("%Y-%m") for cell in page.months],
                [Series(header, [cell.value or 0 for cell in page.months])],
                title=title,
                desc=_("One column per month; hidden small counts have no column."),
                ident="public-months",
            ),
            [_("Month"), header],
            [[date_format(c.key, "YEAR_MONTH_FORMAT"), c.shown(limit)] for c in page.months],
            csv_url=reverse("measure:public_csv", args=["months"]),
            csv_rows=[[c.key.strftime("%Y-%m"), c.shown(limit)] for c in page.months],
        )
    )
    titles = {
        "admin1": _("New beneficiaries by region"),
        "sector": _("New beneficiaries by sector"),
        "population_type": _("New beneficiaries by population type"),
    }
    for name in ("admin1", "sector", "population_type"):
        cells = page.by[name]
        labels = labels_for(name, [cell.key for cell in cells])
        rows = [
            [labels.get(cell.key, cell.key) or _("Unknown"), cell.shown(limit)] for cell in cells
        ]
        charts.append(
            Chart(
                name,
                titles[name],
                ranked_bars(
                    [
                        (labels.get(cell.key, cell.key) or _("Unknown"), cell.value)
                        for cell in cells
                        if cell.value is not None
                    ],
                    title=titles[name],
                    desc=_("Ranked bars, largest first; hidden small counts have no bar."),
                    ident=f"public-{name}",
                ),
                [_("Name"), header],
                rows,
                csv_url=reverse("measure:public_csv", args=[name]),
            )
        )
    return charts


def _page_or_404() -> public_figures.PublicFiguresPage:
    if not public_figures.is_public():
        raise Http404
    return public_figures.figures(timezone.localdate())


@public
@require_GET
def public_view(request: HttpRequest) -> HttpResponse:
    page = _page_or_404()
    return render(
        request,
        "measure/public.html",
        {
            "page": page,
            "charts": _charts(page),
            "base_template": "base.html" if request.user.is_authenticated else "public_base.html",
        },
    )


@public
@require_GET
def public_csv_view(request: HttpRequest, chart: str) -> HttpResponse:
    if chart not in CHARTS:
        raise Http404
    page = _page_or_404()
    found = next(c for c in _charts(page) if c.ident == chart)
    name = f"ruta-public-{chart}-{page.start:%Y-%m}-{page.end:%Y-%m}.csv"
    return csv_response(found.headers, found.csv_rows or found.rows, name)


# Consolidating the network's figures (the 5W) and deciding what the network publishes are
# the same stewardship: the coordinators'.
@capability_required(Cap.CONSOLIDATE_FIVEW)
@require_POST
def public_switch_view(request: AuthenticatedRequest) -> HttpResponse:
    enabled = request.POST.get("enabled") == "on"
    public_figures.set_public(request.user, enabled)
    messages.success(
        request,
        _("The public dashboard is on: anyone can read it.")
        if enabled
        else _("The public dashboard is off."),
    )
    return redirect("measure:dashboard")
