"""Pages for the records inside a case: incidents (GBVIMS classifier), assessments, the
action plan, the safety plan (and its discreet print page), follow-ups, outcome measures.

Every view needs ``Cap.VIEW_CASES``, gets the case through ``access.get_case`` (404 when
missing or forbidden), audits each GET with ``access.audit_case_read`` and changes
records only through ``actions``; a ``CaseError`` is shown on the form, values kept.

``records_context(case)`` is the case page's summary of these records in a fixed number
of queries; ``cases/records/_sections.html`` renders it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ruta.cases import actions, classifier, instruments
from ruta.cases.access import audit_case_read, get_case
from ruta.cases.forms_records import (
    ActionEditForm,
    ActionForm,
    AssessmentForm,
    FollowUpForm,
    GoalForm,
    IncidentDetailsForm,
    MeasureForm,
    SafetyPlanForm,
)
from ruta.cases.models import (
    ActionPlan,
    Assessment,
    Case,
    CaseType,
    ConsentPurpose,
    FollowUp,
    GBVType,
    Goal,
    Incident,
    Instrument,
    MeasureResult,
    NeedDomain,
    NeedLevel,
    PlanAction,
    SafetyPlan,
)
from ruta.directory.models import Service, ServiceStatus
from ruta.lib.permissions import Cap, capability_required

FOLLOW_UPS_SHOWN = 20


# --- Helpers ---------------------------------------------------------------------------
def _language() -> str:
    return (get_language() or "es")[:2]


def _case(request: AuthenticatedRequest, case_uuid: Any, what: str) -> Case:
    """The case for this user (404 otherwise); a GET is audited as a read of ``what``."""
    case = get_case(request.user, case_uuid)
    if request.method == "GET":
        audit_case_read(request, case, what=what)
    return case


def case_url(case: Case) -> str:
    """The case page (written elsewhere); the action plan page until it exists."""
    for name in ("cases:case_detail", "cases:detail"):
        try:
            return reverse(name, kwargs={"case_uuid": case.uuid})
        except NoReverseMatch:
            continue
    return reverse("cases:plan", kwargs={"case_uuid": case.uuid})


def _url(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"case_uuid": case.uuid, **kwargs})


def _is_htmx(request: HttpRequest) -> bool:
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx)


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect after a save; htmx gets ``HX-Redirect`` so it loads the whole page."""
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _no_services_consent(case: Case) -> bool:
    return not actions.has_consent(case, ConsentPurpose.SERVICES)


def _page(
    request: HttpRequest,
    template: str,
    case: Case,
    context: dict[str, Any],
    form: forms.Form | None = None,
) -> HttpResponse:
    errors = bool(form is not None and form.is_bound and form.errors)
    if request.method != "GET":
        # A form shown again after an error shows case data too (GETs were audited in _case).
        audit_case_read(request, case, what=template.rsplit("/", 1)[-1].removesuffix(".html"))
    base = {
        "case": case,
        "case_url": case_url(case),
        "missing_consent": _no_services_consent(case) if case.is_open else False,
        "form": form,
    }
    return render(request, template, {**base, **context}, status=400 if errors else 200)


def _fail(form: forms.Form, error: actions.CaseError) -> None:
    form.add_error(None, str(error))


# --- Incident (GBVIMS guided classifier) ---------------------------------------------------
def _answers_from(data: Any) -> dict[str, bool | None]:
    answers = classifier.parse_answers(data)
    back_to = data.get("back_to", "")
    if back_to in classifier.QUESTION_CODES:
        for code in classifier.QUESTION_CODES[classifier.QUESTION_CODES.index(back_to) :]:
            answers[code] = None
    return answers


def _flow(answers: dict[str, bool | None]) -> dict[str, Any]:
    step = classifier.classify(answers)
    asked = [
        {"question": q, "answer": answers[q.code], "value": "yes" if answers[q.code] else "no"}
        for q in step.asked
    ]
    deciding = step.asked[-1] if step.proposed_type else None
    question_number = len(step.asked) + 1
    return {
        "step": step,
        "asked": asked,
        "question": step.next_question,
        "question_number": question_number,
        "question_total": len(classifier.QUESTIONS),
        "proposed_label": GBVType(step.proposed_type).label if step.proposed_type else "",
        "deciding": deciding,
        "precedence": [label for _value, label in GBVType.choices],
    }


@capability_required(Cap.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def incident_create_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    case = _case(request, case_uuid, "incident_form")
    answers = _answers_from(request.POST) if request.method == "POST" else {}
    flow = _flow(answers)
    step = flow["step"]
    form = IncidentDetailsForm(
        initial={"confirmed_type": step.proposed_type or "", "country": "PE"},
        language=_language(),
    )
    if request.method == "POST" and "save" in request.POST and step.finished:
        form = IncidentDetailsForm(request.POST, language=_language())
        if step.not_gbv:
            form.add_error(None, _("With these answers the incident is none of the six types."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_incident(
                    request.user,
                    case,
                    answers=answers,
                    confirmed_type=data["confirmed_type"],
                    date=data["date"],
                    setting=data["setting"],
                    perpetrator=data["perpetrator"],
                    admin1=data["admin1"] or "",
                    country=data["country"],
                    reported_elsewhere=data["reported_elsewhere"],
                    date_is_estimate=data["date_is_estimate"],
                    description=data["description"],
                )
            except actions.CaseError as error:
                _fail(form, error)
            else:
                messages.success(
                    request,
                    _("The incident was recorded as “%(type)s”.")
                    % {"type": flow["proposed_label"]},
                )
                return _done(request, case_url(case))
    return _page(
        request,
        "cases/records/incident_form.html",
        case,
        {
            **flow,
            "is_gbv": case.case_type == CaseType.GBV,
            "follow_up_url": _url("follow_up_create", case),
        },
        form,
    )


# --- Assessment ----------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def assessment_create_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    case = _case(request, case_uuid, "assessment_form")
    form = AssessmentForm(request.POST or None, initial={"risk_level": case.risk_level})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = actions.add_assessment(
                request.user,
                case,
                needs=form.needs(),
                risk_level=data["risk_level"],
                narrative=data["narrative"],
                assessed_on=data["assessed_on"],
                risk_reason=data["risk_reason"],
            )
        except actions.CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The assessment was saved."))
            return _done(request, _url("assessment_detail", case, assessment_uuid=assessment.uuid))
    return _page(
        request,
        "cases/records/assessment_form.html",
        case,
        {"levels": NeedLevel.choices},
        form,
    )


def _needs_rows(assessment: Assessment) -> list[dict[str, Any]]:
    levels = dict(NeedLevel.choices)
    needs = assessment.needs if isinstance(assessment.needs, dict) else {}
    return [
        {
            "domain": label,
            "level": needs.get(domain, ""),
            "label": levels.get(needs.get(domain, ""), "—"),
        }
        for domain, label in NeedDomain.choices
    ]


@capability_required(Cap.VIEW_CASES)
@require_GET
def assessment_detail_view(
    request: AuthenticatedRequest, case_uuid: Any, assessment_uuid: Any
) -> HttpResponse:
    case = _case(request, case_uuid, "assessment")
    assessment = get_object_or_404(
        Assessment.objects.select_related("created_by"), case=case, uuid=assessment_uuid
    )
    return _page(
        request,
        "cases/records/assessment_detail.html",
        case,
        {"assessment": assessment, "needs": _needs_rows(assessment)},
    )


# --- Action plan ---------------------------------------------------------------------
def _plan_queryset() -> Any:
    actions_qs = PlanAction.objects.select_related("service", "service__organization")
    goals = Goal.objects.prefetch_related(Prefetch("actions", queryset=actions_qs))
    return ActionPlan.objects.prefetch_related(Prefetch("goals", queryset=goals))


@capability_required(Cap.VIEW_CASES)
@require_GET
def plan_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    case = _case(request, case_uuid, "action_plan")
    plan = _plan_queryset().filter(case=case).first()
    return _page(
        request,
        "cases/records/plan.html",
        case,
        {"plan": plan, "goals": list(plan.goals.all()) if plan else []},
    )


@capability_required(Cap.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def goal_create_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    case = _case(request, case_uuid, "goal_form")
    form = GoalForm(request.POST or None, initial={"need": request.GET.get("need", "")})
    if request.method == "POST" and form.is_valid():
        try:
            goal = actions.add_goal(request.user, case, **form.cleaned_data)
        except actions.CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The goal was added. Now add the actions to reach it."))
            return _done(request, f"{_url('plan', case)}#goal-{goal.uuid}")
    return _page(request, "cases/records/goal_form.html", case, {}, form)


@capability_required(Cap.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def action_create_view(
    request: AuthenticatedRequest, case_uuid: Any, goal_uuid: Any
) -> HttpResponse:
    case = _case(request, case_uuid, "action_form")
    goal = get_object_or_404(Goal, plan__case=case, uuid=goal_uuid)
    data = request.POST if request.method == "POST" else None
    service_text = (data or request.GET).get("service_q", "")
    form = ActionForm(data, user=request.user, service_text=service_text)
    searching = data is not None and "search_services" in data
    if data is not None and not searching and form.is_valid():
        values = form.cleaned_data
        try:
            action = actions.add_plan_action(
                request.user,
                case,
                goal,
                description=values["description"],
                responsible=values["responsible"],
                due_on=values["due_on"],
                service=values["service"],
                pros=values["pros"],
                cons=values["cons"],
                decision=values["decision"],
            )
        except actions.CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The action was added to the plan."))
            return _done(request, f"{_url('plan', case)}#action-{action.uuid}")
    if searching:
        form.errors.clear()  # a search of services is not a save: no errors yet
    return _page(
        request,
        "cases/records/action_form.html",
        case,
        {"goal": goal, "service_q": service_text, "searching": searching},
        form,
    )


EDITABLE_ACTION_FIELDS = (
    "status",
    "decision",
    "description",
    "responsible",
    "due_on",
    "pros",
    "cons",
)


@capability_required(Cap.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def action_edit_view(
    request: AuthenticatedRequest, case_uuid: Any, action_uuid: Any
) -> HttpResponse:
    case = _case(request, case_uuid, "action")
    action = get_object_or_404(
        PlanAction.objects.select_related("goal", "service", "service__organization"),
        case=case,
        uuid=action_uuid,
    )
    initial = {name: getattr(action, name) for name in EDITABLE_ACTION_FIELDS}
    form = ActionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {
            name: form.cleaned_data[name]
            for name in EDITABLE_ACTION_FIELDS
            if form.cleaned_data[name] != initial[name]
        }
        if not changed:
            messages.info(request, _("Nothing was changed."))
            return _done(request, f"{_url('plan', case)}#action-{action.uuid}")
        try:
            actions.update_plan_action(request.user, action, **changed)
        except actions.CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The action was updated."))
            return _done(request, f"{_url('plan', case)}#action-{action.uuid}")
    return _page(request, "cases/records/action_edit.html", case, {"action": action}, form)


# --- Safety plan ---------------------------------------------------------------------
def _safety_plan(case: Case) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(case=case).prefetch_related("emergency_services").first()


@capability_required(Cap.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def safety_plan_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    case = _case(request, case_uuid, "safety_plan")
    plan = _safety_plan(case)
    chosen = [s.pk for s in plan.emergency_services.all()] if plan else []
    initial: dict[str, Any] = {}
    if plan is not None:
        initial = {name: getattr(plan, name) for name in actions.SAFETY_FIELDS}
        initial["next_review_on"] = plan.next_review_on
        initial["emergency_services"] = [s.uuid for s in plan.emergency_services.all()]
    form = SafetyPlanForm(request.POST or None, initial=initial, user=request.user, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_safety_plan(
                request.user,
                case,
                fields={name: data[name] for name in actions.SAFETY_FIELDS},
                emergency_services=data["emergency_services"],
                next_review_on=data["next_review_on"],
            )
        except actions.CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The safety plan was saved."))
            return _done(request, _url("safety_plan", case))
    return _page(request, "cases/records/safety_plan.html", case, {"plan": plan}, form)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@capability_required(Cap.VIEW_CASES)
@require_GET
def safety_plan_print_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    """One discreet page: no case code, no name, no logo, a neutral title."""
    case = _case(request, case_uuid, "safety_plan_print")
    services = Service.objects.filter(status=ServiceStatus.ACTIVE).prefetch_related("phones")
    plan = (
        SafetyPlan.objects.filter(case=case)
        .prefetch_related(Prefetch("emergency_services", queryset=services))
        .first()
    )
    context: dict[str, Any] = {"plan": plan}
    if plan is not None:
        context.update(
            strategies=_lines(plan.strategies),
            safe_people=_lines(plan.safe_people),
            safe_places=_lines(plan.safe_places),
            other_numbers=_lines(plan.other_numbers),
            services=[
                {"name": s.name, "phones": list(s.phones.all())}
                for s in plan.emergency_services.all()
            ],
        )
    response = render(request, "cases/records/safety_plan_print.html", context)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


# --- Follow-ups ------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def follow_up_create_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    case = _case(request, case_uuid, "follow_up_form")
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_follow_up(request.user, case, **form.cleaned_data)
        except actions.CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return _done(request, f"{case_url(case)}#records-follow-ups")
    return _page(request, "cases/records/follow_up_form.html", case, {}, form)


# --- Outcome measures -------------------------------------------------------------------
HIGHER_IS_BETTER = {Instrument.WHO5}


def _trend(instrument: str, results: Sequence[MeasureResult]) -> dict[str, Any] | None:
    if len(results) < 2:
        return None
    delta = results[-1].score - results[-2].score
    if delta == 0:
        return {"code": "same", "label": _("No change"), "delta": 0}
    better = (delta > 0) == (instrument in HIGHER_IS_BETTER)
    return {
        "code": "better" if better else "worse",
        "label": _("Improving") if better else _("Worsening"),
        "delta": delta,
    }


CHART_W, CHART_H = 320, 160
PAD_L, PAD_R, PAD_T, PAD_B = 36, 12, 12, 28


def _chart(scale: instruments.Scale, results: Sequence[MeasureResult]) -> dict[str, Any]:
    """Coordinates of a small line chart drawn as inline SVG by the template."""
    top = scale.max_score or 1
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
    count = len(results)

    def x(index: int) -> float:
        return PAD_L + (inner_w / 2 if count == 1 else inner_w * index / (count - 1))

    def y(value: int) -> float:
        return PAD_T + inner_h * (1 - value / top)

    points = [
        {
            "x": round(x(i), 1),
            "y": round(y(r.score), 1),
            "score": r.score,
            "date": formats.date_format(r.administered_on, "SHORT_DATE_FORMAT"),
            "flagged": r.flagged,
        }
        for i, r in enumerate(results)
    ]
    # Grid lines at 0, the band limits and the maximum; labels at least 12 px apart.
    ticks: list[dict[str, Any]] = []
    for value in sorted({top, *(b.upper for b in scale.bands[:-1])}, reverse=True):
        if not ticks or y(value) - ticks[-1]["y"] >= 12:
            ticks.append({"value": value, "y": round(y(value), 1)})
    while len(ticks) > 1 and y(0) - ticks[-1]["y"] < 12:
        ticks.pop()
    ticks.append({"value": 0, "y": round(y(0), 1)})
    return {
        "width": CHART_W,
        "height": CHART_H,
        "left": PAD_L,
        "right": CHART_W - PAD_R,
        "bottom": CHART_H - PAD_B,
        "label_y": CHART_H - 8,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "ticks": ticks,
        "first": points[0] if points else None,
        "last": points[-1] if points else None,
    }


def _series(case_measures: Sequence[MeasureResult]) -> list[dict[str, Any]]:
    """One entry per instrument with its results (oldest first), chart and trend."""
    series = []
    for code, scale in instruments.SCALES.items():
        results = sorted(
            (m for m in case_measures if m.instrument == code),
            key=lambda m: (m.administered_on, m.created_at, m.pk),
        )
        rows = [
            {"result": m, "band": instruments.band_label(code, m.band), "max": scale.max_score}
            for m in results
        ]
        series.append(
            {
                "code": code,
                "scale": scale,
                "rows": rows,
                "latest": rows[-1] if rows else None,
                "trend": _trend(code, results),
                "chart": _chart(scale, results) if results else None,
            }
        )
    return series


@capability_required(Cap.VIEW_CASES)
@require_GET
def measures_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    case = _case(request, case_uuid, "measures")
    measures = list(MeasureResult.objects.filter(case=case))
    result = None
    wanted = request.GET.get("result", "")
    for measure in measures:
        if str(measure.uuid) == wanted:
            result = {
                "measure": measure,
                "scale": instruments.SCALES.get(measure.instrument),
                "band": instruments.band_label(measure.instrument, measure.band),
            }
    return _page(
        request,
        "cases/records/measures.html",
        case,
        {"series": _series(measures), "result": result, "scales": instruments.SCALES.values()},
    )


@capability_required(Cap.VIEW_CASES)
@require_http_methods(["GET", "POST"])
def measure_create_view(request: AuthenticatedRequest, case_uuid: Any) -> HttpResponse:
    case = _case(request, case_uuid, "measure_form")
    code = (request.POST.get("instrument") or request.GET.get("instrument") or "").lower()
    scale = instruments.SCALES.get(code)
    if scale is None:
        return _page(
            request,
            "cases/records/measure_choose.html",
            case,
            {"scales": instruments.SCALES.values()},
        )
    form = MeasureForm(request.POST or None, scale=scale)
    if request.method == "POST" and form.is_valid():
        try:
            measure = actions.record_measure(
                request.user,
                case,
                instrument=scale.code,
                answers=form.answers(),
                administered_on=form.cleaned_data["administered_on"],
            )
        except actions.CaseError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The questionnaire was saved and scored."))
            url = f"{_url('measures', case)}?result={measure.uuid}#result"
            return _done(request, url)
    return _page(request, "cases/records/measure_form.html", case, {"scale": scale}, form)


# --- The case page's summary -----------------------------------------------------------------
def records_context(case: Case) -> dict[str, Any]:
    """Everything ``cases/records/_sections.html`` shows, in a fixed number of queries.

    Returns ``{"records": {...}}``; merge it into the case page's context. At most 9
    queries whatever the number of records: incidents, latest assessment, plan + goals +
    actions (with services), safety plan + emergency services, follow-ups, measures.
    """
    incidents = list(Incident.objects.filter(case=case))
    assessment = Assessment.objects.filter(case=case).order_by("-assessed_on", "-id").first()
    plan = _plan_queryset().filter(case=case).first()
    safety_plan = _safety_plan(case)
    follow_ups = list(FollowUp.objects.filter(case=case)[: FOLLOW_UPS_SHOWN + 1])
    measures = list(MeasureResult.objects.filter(case=case))
    goals = list(plan.goals.all()) if plan else []
    return {
        "records": {
            "incidents": incidents,
            "assessment": assessment,
            "needs": _needs_rows(assessment) if assessment else [],
            "plan": plan,
            "goals": goals,
            "action_count": sum(len(goal.actions.all()) for goal in goals),
            "safety_plan": safety_plan,
            "emergency_services": list(safety_plan.emergency_services.all()) if safety_plan else [],
            "follow_ups": follow_ups[:FOLLOW_UPS_SHOWN],
            "more_follow_ups": len(follow_ups) > FOLLOW_UPS_SHOWN,
            "follow_ups_shown": FOLLOW_UPS_SHOWN,
            "measures": [s for s in _series(measures) if s["rows"]],
            "scales": instruments.SCALES.values(),
            "today": timezone.localdate(),
        }
    }
