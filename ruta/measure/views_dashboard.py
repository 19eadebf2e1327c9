"""The analyst's dashboard of people reached: over time, by sector, by admin1 and by
population type, filtered by period, admin1, organization and sector (a GET form that
works without JavaScript). Each chart is server-rendered SVG beside its data table and a
CSV of that table. Read from the monthly facts; counts only, never a person.

Readers see what ``organization_scope`` gives them: analysts and the coordinator the
network, agency admins and supervisors their own organization.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ruta.activities.models import PopulationType, Sector
from ruta.agencies.models import Organization
from ruta.lib.charts import MapArea, Series, choropleth, grouped_columns, ranked_bars
from ruta.lib.geo import country_name
from ruta.lib.permissions import Cap, capability_required
from ruta.lib.sheets import csv_response
from ruta.measure import facts
from ruta.measure import public as public_figures
from ruta.measure.access import organization_scope
from ruta.measure.reach import last_full_month, month_end, year_to
from ruta.measure.views import MonthField
from ruta.places.boundaries import outlines
from ruta.places.models import AdminArea
from ruta.ui.forms import QuickSelect

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

CHARTS = ("time", "sector", "admin1", "population")
MAX_MONTHS = 36


class MonthRangeForm(forms.Form):
    """A period in whole months (a GET filter): the first before the last, at most
    ``MAX_MONTHS`` of them."""

    start = MonthField(label=gettext_lazy("From (month)"), required=False)
    end = MonthField(label=gettext_lazy("To (month)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The first month must come before the last."))
            if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                raise forms.ValidationError(
                    _("Choose at most %(count)s months.") % {"count": MAX_MONTHS}
                )
        return data

    def months(self, start: dt.date, end_month: dt.date) -> tuple[dt.date, dt.date]:
        """The first day of the first month and the last day of the last: the form's
        where it is valid and gives them, else ``start`` and ``end_month``."""
        if self.is_valid():
            end_month = (self.cleaned_data.get("end") or end_month).replace(day=1)
            start = (self.cleaned_data.get("start") or min(start, end_month)).replace(day=1)
        return start, month_end(end_month)


class DashboardForm(MonthRangeForm):
    # QuickSelect: the network's organizations and regions are dozens of options.
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False, widget=QuickSelect)
    admin1 = forms.ChoiceField(label=gettext_lazy("Region"), required=False, widget=QuickSelect)
    organization = forms.TypedChoiceField(
        label=gettext_lazy("Organization"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=QuickSelect,
    )
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False, widget=QuickSelect)

    def __init__(
        self,
        data: Any,
        organizations: dict[int, str],
        regions: list[str],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        every = [("", _("All"))]
        areas = AdminArea.objects.filter(code__in=regions).order_by("country", "code")
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        codes = sorted({area.country for area in areas})
        language = get_language() or "es"
        country.choices = every + sorted(
            ((code, country_name(code, language)) for code in codes), key=lambda item: item[1]
        )
        admin1 = self.fields["admin1"]
        assert isinstance(admin1, forms.ChoiceField)
        admin1.choices = every + [(a.code, f"{a.name} ({a.code})") for a in areas]
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ChoiceField)
        named = sorted(((str(pk), name) for pk, name in organizations.items()), key=lambda i: i[1])
        organization.choices = every + named
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = every + list(Sector.choices)


class PeriodBounds(forms.Form):
    start = MonthField(required=False)
    end = MonthField(required=False)

    def bounds(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
        if self.is_valid():
            end = self.cleaned_data["end"] or end
            start = self.cleaned_data["start"] or start
        return min(start, end), max(start, end)


# The charts' groupings of the facts, read in one statement (``facts.breakdowns``).
GROUPINGS = ("month", "sector", "admin1", "population_type")
FILTERS = ("country", "admin1", "organization", "sector")


@dataclass
class Query:
    start: dt.date
    end: dt.date
    scope: frozenset[int] | None
    filters: dict[str, Any]
    organizations: dict[int, str]
    form: DashboardForm
    totals: dict[str, list[facts.Total]]


def _query(request: AuthenticatedRequest) -> Query:
    scope = organization_scope(request.user)
    orgs = (
        Organization.objects.all() if scope is None else Organization.objects.filter(pk__in=scope)
    )
    organizations = {org.pk: org.acronym or org.name for org in orgs}
    end = last_full_month(timezone.localdate())
    start = year_to(end)
    # The regions with figures in the (asked for or default) period, not every region of
    # every country. Without a filter they are the keys of the charts' breakdown by
    # region: the charts' statement, read first, gives them too.
    period = PeriodBounds(request.GET).bounds(start, end)
    totals: dict[str, list[facts.Total]] | None = None
    if not any(request.GET.get(name) for name in FILTERS):
        totals = facts.breakdowns(GROUPINGS, *period, scope)
        regions = [total.key for total in totals["admin1"] if total.key]
    else:
        regions = facts.regions(*period, scope)
    # Unasked, the month inputs show the default period the page is drawn for.
    form = DashboardForm(
        request.GET or None, organizations, regions, initial={"start": start, "end": end}
    )
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        end = (data.get("end") or end).replace(day=1)
        start = (data.get("start") or min(start, end)).replace(day=1)
        if start > end:
            start = end
        if data.get("admin1"):
            filters["admin1"] = data["admin1"]
        if data.get("country"):
            # A country is its regions (the facts hold a region code, not a country).
            filters["admin1__in"] = list(
                AdminArea.objects.filter(country=data["country"], level=1).values_list(
                    "code", flat=True
                )
            )
        if data.get("organization") is not None:
            filters["organization_id"] = data["organization"]
        if data.get("sector"):
            filters["sector"] = data["sector"]
    if filters or (start, end) != period:
        totals = None  # the form asked for another period or a filter after all
    if totals is None:
        totals = facts.breakdowns(GROUPINGS, start, end, scope, **filters)
    return Query(start, end, scope, filters, organizations, form, totals)


@dataclass
class Chart:
    ident: str
    title: str
    svg: SafeString
    headers: list[str]
    rows: list[list[Any]]
    csv_url: str
    csv_rows: list[list[Any]] | None = None  # when the CSV differs (ISO months)
    note: str = ""  # said under the chart (regions a map cannot draw)

    @property
    def labelled_rows(self) -> list[list[tuple[str, Any]]]:
        """Each row's values with their column's name (a stacked table's labels)."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


def labels_for(by: str, keys: list[Any]) -> dict[Any, str]:
    """Readable names of the keys of a breakdown (sector, population type, region)."""
    if by == "sector":
        return {k: str(v) for k, v in Sector.choices}
    if by == "population_type":
        return {k: str(v) for k, v in PopulationType.choices}
    if by == "admin1":
        return {a.code: a.name for a in AdminArea.objects.filter(code__in=keys)}
    return {}


def _charts(query: Query) -> list[Chart]:
    params = {k: v for k, v in (query.form.data.items() if query.form.is_bound else []) if v}
    headers = [_("Total monthly beneficiaries"), _("New beneficiaries"), _("Not de-duplicated")]
    charts: list[Chart] = []
    months = facts.every_month(query.totals["month"], query.start, query.end)
    charts.append(
        Chart(
            "time",
            _("People reached each month"),
            grouped_columns(
                [m.key.strftime("%Y-%m") for m in months],
                [
                    Series(_("Total monthly beneficiaries"), [m.total for m in months]),
                    Series(_("New beneficiaries"), [m.new for m in months]),
                ],
                title=_("People reached each month"),
                desc=_("Columns per month: total monthly beneficiaries and new beneficiaries."),
                ident="chart-time",
            ),
            [_("Month"), *headers],
            [
                [
                    date_format(m.key, "YEAR_MONTH_FORMAT"),
                    m.total,
                    m.new,
                    f"{m.not_deduplicated_pct}%",
                ]
                for m in months
            ],
            _csv_url("time", params),
            [[m.key.strftime("%Y-%m"), m.total, m.new, m.not_deduplicated_pct] for m in months],
        )
    )
    for ident, by, title in (
        ("sector", "sector", _("New beneficiaries by sector")),
        ("admin1", "admin1", _("New beneficiaries by region")),
        ("population", "population_type", _("New beneficiaries by population type")),
    ):
        totals = query.totals[by]
        # The regions' names and countries, read once for the labels and the map.
        areas = (
            AdminArea.objects.in_bulk([t.key for t in totals], field_name="code")
            if by == "admin1"
            else {}
        )
        labels = (
            {code: area.name for code, area in areas.items()}
            if by == "admin1"
            else labels_for(by, [t.key for t in totals])
        )
        named = [(labels.get(t.key, t.key) or _("Unknown"), t) for t in totals]
        named.sort(key=lambda item: (-item[1].new, item[0]))
        drawn = (
            _region_map(title, {t.key: t.new for t in totals}, areas) if by == "admin1" else None
        )
        svg, note = drawn or (
            ranked_bars(
                [(name, t.new) for name, t in named],
                title=title,
                desc=_("Ranked bars, largest first; the table below holds every figure."),
                ident=f"chart-{ident}",
            ),
            "",
        )
        charts.append(
            Chart(
                ident,
                title,
                svg,
                [_("Name"), *headers],
                [[name, t.total, t.new, f"{t.not_deduplicated_pct}%"] for name, t in named],
                _csv_url(ident, params),
                note=note,
            )
        )
    return charts


def _region_map(
    title: str, figures: dict[str, int], areas: dict[str, AdminArea]
) -> tuple[SafeString, str] | None:
    """A map of the new beneficiaries by region, when at least one region with figures
    has an imported outline (else None: ranked bars). It draws every region with an
    outline in the countries concerned, those without figures hatched as "no data"; the
    regions with figures but no outline are named in the note under it. ``areas``: the
    gazetteer's areas of the figures' codes, by code."""
    codes = [code for code in figures if code]
    countries = {areas[code].country for code in codes if code in areas and areas[code].level == 1}
    regions = {
        area.code: area
        for area in AdminArea.objects.filter(level=1, country__in=countries).filter(
            boundary__isnull=False
        )
    }
    shapes = outlines(list(regions))
    if not any(code in shapes for code in codes):
        return None
    drawn = [
        MapArea(regions[code].name, figures.get(code), shapes[code])
        for code in sorted(shapes, key=lambda code: regions[code].name)
    ]
    svg = choropleth(
        drawn,
        title=title,
        desc=_(
            "Map of the regions shaded in five classes of new beneficiaries, darker for more; "
            "hatched regions have no figures. The table below holds every figure."
        ),
        ident="chart-admin1",
    )
    missing = sorted(
        (areas[code] for code in codes if code not in shapes and code in areas),
        key=lambda area: area.name,
    )
    note = ""
    if missing or len(codes) < len(figures):
        names = [area.name for area in missing] + (
            [_("Unknown")] if any(not code for code in figures) else []
        )
        note = _("Not on the map (no outline imported): %(names)s.") % {"names": ", ".join(names)}
    return svg, note


def _csv_url(chart: str, params: dict[str, Any]) -> str:
    url = reverse("measure:dashboard_csv", args=[chart])
    return f"{url}?{urlencode(params)}" if params else url


@capability_required(Cap.VIEW_REACH)
@require_GET
def dashboard_view(request: AuthenticatedRequest) -> HttpResponse:
    query = _query(request)
    return render(
        request,
        "measure/dashboard.html",
        {
            "form": query.form,
            "start": query.start,
            "end": query.end,
            "charts": _charts(query),
            "network_wide": query.scope is None,
            "freshness": facts.freshness(query.start, query.end),
            **public_figures.switch_context(request.user),
        },
    )


@capability_required(Cap.VIEW_REACH)
@require_GET
def dashboard_csv_view(request: AuthenticatedRequest, chart: str) -> HttpResponse:
    if chart not in CHARTS:
        raise Http404
    query = _query(request)
    found = next(c for c in _charts(query) if c.ident == chart)
    name = f"ruta-reach-{chart}-{query.start:%Y-%m}-{query.end:%Y-%m}.csv"
    return csv_response(found.headers, found.csv_rows or found.rows, name)
