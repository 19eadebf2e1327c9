"""Projects: the list, a project's progress (each indicator's targets beside its results
for the same periods), its edit, its indicators and their targets, and a CSV of progress.

Readers see the projects of their ``organization_scope``; the coordinator changes any,
an agency admin their own organization's. Anything else answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.indicators import access, actions
from ruta.indicators.computations import FROM_FACTS
from ruta.indicators.forms import AddIndicatorForm, BaselineForm, ProjectForm, target_forms
from ruta.indicators.models import Project, ProjectIndicator, Target
from ruta.indicators.results import Granularity, Progress, as_text, periods, progress
from ruta.indicators.summary import status_labels
from ruta.indicators.views import managed_organization_list, period_label, shown
from ruta.lib.charts import Series, grouped_columns
from ruta.lib.permissions import Cap, capability_required
from ruta.lib.sheets import csv_response
from ruta.measure import facts
from ruta.places.models import AdminArea
from ruta.ui.forms import error_summary

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

MAX_TARGET_PERIODS = 60


def _project(request: AuthenticatedRequest, project_uuid: Any) -> Project:
    return get_object_or_404(access.visible_projects(request.user), uuid=project_uuid)


def _editable(request: AuthenticatedRequest, project_uuid: Any) -> Project:
    return get_object_or_404(access.editable_projects(request.user), uuid=project_uuid)


def _line(project: Project, framework: str, code: str) -> ProjectIndicator:
    return get_object_or_404(
        ProjectIndicator.objects.select_related("indicator__framework", "project"),
        project=project,
        indicator__framework__code=framework,
        indicator__code=code,
    )


def _lines(project: Project) -> list[ProjectIndicator]:
    return list(
        project.indicators.select_related("indicator__framework").prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("period_start", "period_end"))
        )
    )


def _granularity_of(start: dt.date, end: dt.date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return (
        Granularity.MONTH
        if months <= 1
        else Granularity.QUARTER
        if months <= 3
        else (Granularity.YEAR)
    )


@capability_required(Cap.VIEW_REACH)
@require_GET
def projects_view(request: AuthenticatedRequest) -> HttpResponse:
    projects = access.visible_projects(request.user).annotate(indicator_count=Count("indicators"))
    return render(
        request,
        "indicators/projects.html",
        {
            "projects": projects,
            "may_create": access.managed_organizations(request.user) != frozenset(),
        },
    )


@capability_required(Cap.VIEW_REACH)
@require_GET
def project_view(request: AuthenticatedRequest, project_uuid: Any) -> HttpResponse:
    project = _project(request, project_uuid)
    may_edit = access.editable_projects(request.user).filter(pk=project.pk).exists()
    return _project_page(request, project, may_edit, AddIndicatorForm(project=project))


def _project_page(
    request: AuthenticatedRequest,
    project: Project,
    may_edit: bool,
    add_form: AddIndicatorForm,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    labels = status_labels()
    lines = []
    from_facts = False
    for line in _lines(project):
        from_facts = from_facts or line.indicator.computation in FROM_FACTS
        found = progress(line, today)
        lines.append(
            {
                "line": line,
                "unit": line.indicator.unit,
                "baseline": shown(line.baseline, line.indicator.unit),
                "rows": [
                    {
                        "label": period_label(p.start, p.end, _granularity_of(p.start, p.end)),
                        "target": shown(p.target, line.indicator.unit),
                        "value": shown(p.result.value, line.indicator.unit),
                        "achieved": p.achieved_pct,
                        "status": p.status,
                        "status_label": labels[p.status],
                    }
                    for p in found
                ],
                "chart": _progress_chart(line, found) if found else None,
            }
        )
    regions = AdminArea.objects.filter(code__in=project.territory).order_by("name_es")
    return render(
        request,
        "indicators/project.html",
        {
            "project": project,
            "lines": lines,
            "regions": regions,
            "freshness": facts.freshness(project.starts_on, project.ends_on)
            if from_facts
            else None,
            "may_edit": may_edit,
            "add_form": add_form,
            "errors": error_summary(add_form) if add_form.is_bound else [],
        },
        status=status,
    )


def _progress_chart(line: ProjectIndicator, found: list[Progress]) -> Any:
    labels = [period_label(p.start, p.end, _granularity_of(p.start, p.end)) for p in found]
    return grouped_columns(
        labels,
        [
            Series(_("Target"), [float(p.target) for p in found]),
            Series(_("Result"), [float(p.result.value or 0) for p in found]),
        ],
        title=line.indicator.wording,
        desc=_("Target and result side by side for each period; the table holds every figure."),
        ident=f"chart-{line.pk}",
    )


def _project_form(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    created = project.pk is None
    form = ProjectForm(
        request.POST or None, instance=project, organizations=managed_organization_list(request)
    )
    if request.method == "POST" and form.is_valid():
        saved = actions.save_project(request.user, form.save(commit=False), created=created)
        messages.success(request, _("Project saved."))
        return redirect("indicators:project", project_uuid=saved.uuid)
    return render(
        request,
        "indicators/project_form.html",
        {"form": form, "project": project, "created": created, "errors": error_summary(form)},
        status=400 if form.errors else 200,
    )


@capability_required(Cap.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def project_new_view(request: AuthenticatedRequest) -> HttpResponse:
    if access.managed_organizations(request.user) == frozenset():
        raise Http404
    return _project_form(request, Project())


@capability_required(Cap.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def project_edit_view(request: AuthenticatedRequest, project_uuid: Any) -> HttpResponse:
    return _project_form(request, _editable(request, project_uuid))


@capability_required(Cap.MANAGE_PROJECTS)
@require_POST
def project_indicator_add_view(request: AuthenticatedRequest, project_uuid: Any) -> HttpResponse:
    project = _editable(request, project_uuid)
    form = AddIndicatorForm(request.POST, project=project)
    if not form.is_valid():
        return _project_page(request, project, True, form, status=400)
    line = actions.add_indicator(
        request.user, project, form.cleaned_data["indicator"], form.cleaned_data["baseline"]
    )
    messages.success(request, _("Indicator added: now set its targets."))
    return redirect(
        "indicators:targets",
        project_uuid=project.uuid,
        framework=line.indicator.framework.code,
        code=line.indicator.code,
    )


@capability_required(Cap.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def project_indicator_remove_view(
    request: AuthenticatedRequest, project_uuid: Any, framework: str, code: str
) -> HttpResponse:
    """Asks first (GET): removing an indicator takes its targets with it."""
    project = _editable(request, project_uuid)
    line = _line(project, framework, code)
    if request.method == "POST":
        actions.remove_indicator(request.user, line)
        messages.success(request, _("Indicator removed from the project, with its targets."))
        return redirect("indicators:project", project_uuid=project.uuid)
    return render(
        request,
        "indicators/remove_indicator.html",
        {"project": project, "line": line, "targets": line.targets.count()},
    )


@capability_required(Cap.MANAGE_PROJECTS)
@require_http_methods(["GET", "POST"])
def targets_view(
    request: AuthenticatedRequest, project_uuid: Any, framework: str, code: str
) -> HttpResponse:
    project = _editable(request, project_uuid)
    line = _line(project, framework, code)
    granularity = request.GET.get("por", Granularity.QUARTER)
    if granularity not in Granularity.ALL:
        granularity = Granularity.QUARTER
    spans = list(periods(project.starts_on, project.ends_on, granularity))
    too_many = len(spans) > MAX_TARGET_PERIODS
    if too_many:
        spans = spans[:MAX_TARGET_PERIODS]
    data = request.POST if request.method == "POST" else None
    rows = target_forms(line, spans, data)
    baseline = BaselineForm(data, initial={"baseline": line.baseline})
    if request.method == "POST" and baseline.is_valid() and all(r.is_valid() for r in rows):
        actions.set_targets(
            request.user,
            line,
            baseline.cleaned_data["baseline"],
            [(r.start, r.end, r.cleaned_data["value"]) for r in rows],
        )
        messages.success(request, _("Targets saved."))
        return redirect("indicators:project", project_uuid=project.uuid)
    errors = error_summary(baseline)
    for row in rows:
        errors += error_summary(row)
    return render(
        request,
        "indicators/targets.html",
        {
            "project": project,
            "line": line,
            "rows": rows,
            "baseline": baseline,
            "granularity": granularity,
            "granularities": [
                (Granularity.MONTH, _("Month")),
                (Granularity.QUARTER, _("Quarter")),
                (Granularity.YEAR, _("Year")),
            ],
            "too_many": too_many,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@capability_required(Cap.VIEW_REACH)
@require_GET
def project_csv_view(request: AuthenticatedRequest, project_uuid: Any) -> HttpResponse:
    project = _project(request, project_uuid)
    today = timezone.localdate()
    header = ["project", "donor", "framework", "indicator", "unit", "baseline"]
    header += ["period_start", "period_end", "target", "value", "achieved_pct", "status"]
    rows = [
        [
            project.name,
            project.donor,
            line.indicator.framework.code,
            line.indicator.code,
            line.indicator.unit,
            as_text(line.baseline),
            p.start.isoformat(),
            p.end.isoformat(),
            as_text(p.target),
            as_text(p.result.value),
            as_text(p.achieved_pct),
            p.status,
        ]
        for line in _lines(project)
        for p in progress(line, today)
    ]
    return csv_response(header, rows, f"ruta-project-{project.uuid}.csv")
