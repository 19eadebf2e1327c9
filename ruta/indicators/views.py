"""The indicator catalogue, an indicator's results per period, its edit, and the values
entered by hand with their evidence (the projects' pages are in ``views_projects``).

Readers (``Cap.VIEW_REACH``) see the figures their ``organization_scope`` allows: the
coordinator and analysts the network's, agency admins and supervisors their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.agencies.models import Organization
from ruta.indicators import access, actions
from ruta.indicators.computations import COMPUTATIONS, FROM_FACTS, Result, Scope
from ruta.indicators.forms import (
    IndicatorForm,
    NewIndicatorForm,
    ResultsForm,
    ServicePackageActivityForm,
    ValueForm,
)
from ruta.indicators.models import (
    Framework,
    Indicator,
    IndicatorValue,
    ServicePackageActivity,
    Unit,
)
from ruta.indicators.results import Granularity, as_text, result, series
from ruta.lib.charts import Series, grouped_columns, ranked_bars
from ruta.lib.permissions import Cap, capability_required, user_can
from ruta.lib.sheets import csv_response
from ruta.measure import facts
from ruta.measure.access import organization_scope
from ruta.measure.reach import year_to
from ruta.network.files import CONTENT_TYPES
from ruta.ui.forms import error_summary

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest


def get_indicator(framework: str, code: str) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("framework", "parent"),
        framework__code=framework,
        code=code,
    )


def readable_organizations(scope: frozenset[int] | None) -> list[Organization]:
    found = Organization.objects.filter(active=True)
    if scope is not None:
        found = Organization.objects.filter(pk__in=scope)
    return list(found.order_by("acronym", "name"))


def managed_organization_list(request: AuthenticatedRequest) -> list[Organization]:
    managed = access.managed_organizations(request.user)
    found = Organization.objects.filter(active=True)
    if managed is not None:
        found = Organization.objects.filter(pk__in=managed)
    return list(found.order_by("acronym", "name"))


def period_label(start: dt.date, end: dt.date, granularity: str) -> str:
    """A month, quarter or year by its name; a clipped one by its first and last day."""
    whole_month = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if granularity == Granularity.MONTH and whole_month and start.month == end.month:
        return date_format(start, "YEAR_MONTH_FORMAT")
    if (
        granularity == Granularity.QUARTER
        and whole_month
        and start.month % 3 == 1
        and (end.month == start.month + 2)
    ):
        return _("Q%(quarter)s %(year)s") % {
            "quarter": start.month // 3 + 1,
            "year": start.year,
        }
    if granularity == Granularity.YEAR and (start.month, start.day, end.month, end.day) == (
        1,
        1,
        12,
        31,
    ):
        return str(start.year)
    return f"{date_format(start, 'SHORT_DATE_FORMAT')} \N{EN DASH} {date_format(end, 'SHORT_DATE_FORMAT')}"


def shown(value: Any, unit: str) -> str:
    """A result as a page shows it: "—" for none, "%" after a percentage."""
    if value is None:
        return "—"
    text = as_text(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %" if unit == Unit.PERCENT else text


# --- the catalogue -------------------------------------------------------------------------


@capability_required(Cap.VIEW_REACH)
@require_GET
def catalogue_view(request: AuthenticatedRequest) -> HttpResponse:
    frameworks = Framework.objects.prefetch_related(
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("position", "code"),
        ),
        Prefetch("activities", queryset=ServicePackageActivity.objects.order_by("position")),
    )
    return render(
        request,
        "indicators/catalogue.html",
        {
            "frameworks": frameworks,
            "may_edit": user_can(request.user, Cap.MANAGE_INDICATORS),
            "may_manage_projects": access.managed_organizations(request.user) != frozenset(),
        },
    )


# --- an indicator and its results ----------------------------------------------------------


@dataclass
class ResultsQuery:
    start: dt.date
    end: dt.date
    granularity: str
    organization_ids: frozenset[int] | None
    admin1: frozenset[str] | None
    form: ResultsForm
    network_wide: bool


def _results_query(request: AuthenticatedRequest) -> ResultsQuery:
    scope = organization_scope(request.user)
    organizations = readable_organizations(scope)
    this_month = timezone.localdate().replace(day=1)
    granularity = Granularity.MONTH
    form = ResultsForm(
        request.GET or None,
        organizations,
        initial={"start": year_to(this_month), "end": this_month, "granularity": granularity},
    )
    start, end = form.months(year_to(this_month), this_month)
    organization_ids, admin1 = scope, None
    if form.is_valid():
        data = form.cleaned_data
        granularity = data.get("granularity") or granularity
        if data.get("organization"):
            chosen = next(o for o in organizations if str(o.uuid) == data["organization"])
            organization_ids = frozenset({chosen.pk})
        if data.get("admin1"):
            admin1 = frozenset({data["admin1"]})
    return ResultsQuery(
        start, end, granularity, organization_ids, admin1, form, network_wide=scope is None
    )


def _result_rows(
    indicator: Indicator, query: ResultsQuery
) -> list[tuple[dt.date, dt.date, str, Result]]:
    return [
        (first, last, period_label(first, last, query.granularity), outcome)
        for first, last, outcome in series(
            indicator,
            query.start,
            query.end,
            query.granularity,
            query.organization_ids,
            query.admin1,
        )
    ]


def _chart(
    indicator: Indicator, rows: list[tuple[dt.date, dt.date, str, Result]], granularity: str
) -> SafeString:
    title = indicator.wording
    return grouped_columns(
        # Under the axis a month is written short (2026-03): its long name would overlap.
        [
            first.strftime("%Y-%m") if granularity == Granularity.MONTH else label
            for first, _last, label, _outcome in rows
        ],
        [
            Series(
                str(Unit(indicator.unit).label),
                [float(outcome.value or 0) for *_rest, outcome in rows],
            )
        ],
        title=title,
        desc=_("One column per period; the table below holds every figure."),
        ident="chart-results",
    )


@capability_required(Cap.VIEW_REACH)
@require_GET
def indicator_view(request: AuthenticatedRequest, framework: str, code: str) -> HttpResponse:
    indicator = get_indicator(framework, code)
    query = _results_query(request)
    context: dict[str, Any] = {
        "indicator": indicator,
        "computation": COMPUTATIONS.get(indicator.computation),
        "children": indicator.children.order_by("position", "code"),
        "form": query.form,
        "errors": error_summary(query.form) if query.form.is_bound else [],
        "query": query,
        "may_edit": user_can(request.user, Cap.MANAGE_INDICATORS),
    }
    if indicator.measured and indicator.active:
        rows = _result_rows(indicator, query)
        whole = result(
            indicator, Scope(query.start, query.end, query.organization_ids, query.admin1)
        )
        context.update(
            rows=[
                (first, last, label, outcome, shown(outcome.value, indicator.unit))
                for first, last, label, outcome in rows
            ],
            whole=whole,
            whole_shown=shown(whole.value, indicator.unit),
            chart=_chart(indicator, rows, query.granularity),
            breakdown_rows=sorted(whole.breakdown, key=lambda item: (-item[1], item[0])),
            breakdown=ranked_bars(
                list(whole.breakdown),
                title=_("Breakdown over the whole period"),
                desc=_("Ranked bars, largest first; the table below holds every figure."),
                ident="chart-breakdown",
            )
            if whole.breakdown
            else None,
            territory_ignored=any(not outcome.territory_applied for *_r, outcome in rows),
            csv_query=request.GET.urlencode(),
        )
        if indicator.computation in FROM_FACTS:
            context["freshness"] = facts.freshness(query.start, query.end)
        if not indicator.computed:
            managed = access.managed_organizations(request.user)
            context["values"] = (
                access.visible_values(request.user)
                .filter(indicator=indicator)
                .order_by("-period_start", "organization__acronym")
            )
            context["may_enter"] = managed != frozenset()
            context["managed"] = managed
    return render(request, "indicators/indicator.html", context)


@capability_required(Cap.VIEW_REACH)
@require_GET
def indicator_csv_view(request: AuthenticatedRequest, framework: str, code: str) -> HttpResponse:
    indicator = get_indicator(framework, code)
    if not indicator.measured:
        raise Http404
    query = _results_query(request)
    rows = [
        [
            indicator.framework.code,
            indicator.code,
            first.isoformat(),
            last.isoformat(),
            as_text(outcome.value),
            indicator.unit,
            "" if outcome.numerator is None else outcome.numerator,
            "" if outcome.denominator is None else outcome.denominator,
            "yes" if outcome.territory_applied else "no",
            outcome.not_deduplicated,
        ]
        for first, last, _label, outcome in _result_rows(indicator, query)
    ]
    header = ["framework", "indicator", "period_start", "period_end", "value", "unit"]
    header += ["numerator", "denominator", "territory_applied", "not_deduplicated"]
    name = f"ruta-{indicator.framework.code}-{indicator.code}-{query.start:%Y-%m}-{query.end:%Y-%m}"
    return csv_response(header, rows, f"{name}.csv")


@capability_required(Cap.MANAGE_INDICATORS)
@require_http_methods(["GET", "POST"])
def indicator_edit_view(request: AuthenticatedRequest, framework: str, code: str) -> HttpResponse:
    indicator = get_indicator(framework, code)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            actions.update_indicator(request.user, form.save(commit=False), form.changed_data)
            messages.success(request, _("Indicator saved."))
        return redirect("indicators:indicator", framework=framework, code=code)
    title = _("Edit the indicator %(code)s") % {"code": indicator.code}
    back = reverse("indicators:indicator", args=[framework, code])
    return _item_form(request, form, indicator.framework, title, back)


def _item_form(
    request: AuthenticatedRequest, form: Any, framework: Framework, title: str, back: str
) -> HttpResponse:
    """The page of a form that edits a framework: an indicator, a new item, an activity."""
    return render(
        request,
        "indicators/item_form.html",
        {
            "form": form,
            "framework": framework,
            "title": title,
            "back": back,
            "errors": error_summary(form),
        },
        status=400 if form.errors else 200,
    )


@capability_required(Cap.MANAGE_INDICATORS)
@require_http_methods(["GET", "POST"])
def indicator_new_view(request: AuthenticatedRequest, framework: str) -> HttpResponse:
    chosen = get_object_or_404(Framework, code=framework)
    form = NewIndicatorForm(request.POST or None, framework=chosen)
    if request.method == "POST" and form.is_valid():
        added = actions.add_to_framework(request.user, chosen, form.save(commit=False))
        messages.success(request, _("Indicator added to the framework."))
        return redirect("indicators:indicator", framework=framework, code=added.code)
    back = f"{reverse('indicators:catalogue')}#fw-{chosen.code}"
    return _item_form(request, form, chosen, _("New item of the framework"), back)


@capability_required(Cap.MANAGE_INDICATORS)
@require_http_methods(["GET", "POST"])
def package_activity_new_view(request: AuthenticatedRequest, framework: str) -> HttpResponse:
    chosen = get_object_or_404(Framework, code=framework)
    form = ServicePackageActivityForm(request.POST or None, framework=chosen)
    back = f"{reverse('indicators:catalogue')}#fw-{chosen.code}"
    if request.method == "POST" and form.is_valid():
        actions.add_package_activity(request.user, chosen, form.save(commit=False))
        messages.success(request, _("Activity added to the service package."))
        return redirect(back)
    return _item_form(request, form, chosen, _("New activity of the service package"), back)


# --- values entered by hand ---------------------------------------------------------------


def _manual_indicator(framework: str, code: str) -> Indicator:
    indicator = get_indicator(framework, code)
    if indicator.computed or not indicator.measured or not indicator.active:
        raise Http404
    return indicator


def _editable_value(request: AuthenticatedRequest, value_uuid: Any) -> IndicatorValue:
    value = get_object_or_404(access.visible_values(request.user), uuid=value_uuid)
    managed = access.managed_organizations(request.user)
    if value.organization_id is None:
        if not access.can_enter_network_values(request.user):
            raise Http404
    elif managed is not None and value.organization_id not in managed:
        raise Http404
    return value


def _value_form(
    request: AuthenticatedRequest, indicator: Indicator, value: IndicatorValue
) -> HttpResponse:
    created = value.pk is None
    form = ValueForm(
        request.POST or None,
        request.FILES or None,
        instance=value,
        indicator=indicator,
        organizations=managed_organization_list(request),
        network_allowed=access.can_enter_network_values(request.user),
    )
    if request.method == "POST" and form.is_valid():
        entered = form.save(commit=False)
        entered.indicator = indicator
        entered.organization = form.cleaned_data["organization"]
        entered.value = form.cleaned_data["value"]
        actions.enter_value(request.user, entered, form.cleaned_data.get("evidence"))
        messages.success(request, _("Value saved."))
        return redirect(
            "indicators:indicator", framework=indicator.framework.code, code=indicator.code
        )
    return render(
        request,
        "indicators/value_form.html",
        {
            "form": form,
            "indicator": indicator,
            "value": value,
            "created": created,
            "errors": error_summary(form),
        },
        status=400 if form.errors else 200,
    )


@capability_required(Cap.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def value_new_view(request: AuthenticatedRequest, framework: str, code: str) -> HttpResponse:
    indicator = _manual_indicator(framework, code)
    if access.managed_organizations(request.user) == frozenset():
        raise Http404
    return _value_form(request, indicator, IndicatorValue(indicator=indicator))


@capability_required(Cap.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def value_edit_view(request: AuthenticatedRequest, value_uuid: Any) -> HttpResponse:
    value = _editable_value(request, value_uuid)
    indicator = value.indicator
    if indicator.computed:
        raise Http404
    return _value_form(request, get_indicator(indicator.framework.code, indicator.code), value)


@capability_required(Cap.MANAGE_PROJECTS)
@require_POST
def value_delete_view(request: AuthenticatedRequest, value_uuid: Any) -> HttpResponse:
    value = _editable_value(request, value_uuid)
    indicator = value.indicator
    actions.delete_value(request.user, value)
    messages.success(request, _("Value deleted."))
    return redirect("indicators:indicator", framework=indicator.framework.code, code=indicator.code)


@capability_required(Cap.VIEW_REACH)
@require_GET
def evidence_view(request: AuthenticatedRequest, value_uuid: Any) -> FileResponse:
    value = get_object_or_404(access.visible_values(request.user), uuid=value_uuid)
    if not value.evidence:
        raise Http404
    stored = value.evidence.name or ""
    extension = stored.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        value.evidence.open("rb"),
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        as_attachment=True,
        filename=value.evidence_name or stored.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
