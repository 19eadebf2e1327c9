"""Activities: list, record, sessions, counts, attendance and the attendance-sheet import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ruta.activities import access, actions, imports
from ruta.activities.forms import (
    ActivityForm,
    AttendanceForm,
    CountsForm,
    ImportForm,
    SessionForm,
)
from ruta.activities.models import COUNT_FIELDS, Activity, Participant, SessionCount
from ruta.lib.permissions import Cap, capability_required
from ruta.ui.forms import error_summary

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

RECORD = Cap.RECORD_ACTIVITIES


def _detail(activity: Activity) -> HttpResponse:
    return redirect("activities:detail", activity_uuid=activity.uuid)


@capability_required(RECORD)
def list_view(request: AuthenticatedRequest) -> HttpResponse:
    activities = (
        access.visible_activities(request.user)
        .select_related("activity_type", "admin1")
        .annotate(session_count=Count("sessions"))
    )
    return render(request, "activities/list.html", {"activities": activities})


@capability_required(RECORD)
@require_http_methods(["GET", "POST"])
def create_view(request: AuthenticatedRequest) -> HttpResponse:
    return _edit(request, Activity())


@capability_required(RECORD)
@require_http_methods(["GET", "POST"])
def edit_view(request: AuthenticatedRequest, activity_uuid: Any) -> HttpResponse:
    return _edit(request, access.get_activity(request.user, activity_uuid))


def _edit(request: AuthenticatedRequest, activity: Activity) -> HttpResponse:
    created = activity.pk is None
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_activity(
            request.user,
            form.save(commit=False),
            form.cleaned_data["facilitators"],
            created=created,
        )
        messages.success(request, _("Activity saved."))
        return _detail(saved)
    return render(
        request,
        "activities/form.html",
        {"form": form, "activity": activity, "created": created, "errors": error_summary(form)},
        status=400 if form.errors else 200,
    )


def _figures(activity: Activity) -> dict[str, Any]:
    counts = SessionCount.objects.filter(session__activity=activity).aggregate(
        **{name: Sum(name) for name in (*COUNT_FIELDS, "lgbtiq", "disability")}
    )
    anonymous = sum(counts[name] or 0 for name in COUNT_FIELDS)
    registered = (
        Participant.objects.filter(attendance__session__activity=activity).distinct().count()
    )
    return {
        "anonymous": anonymous,
        "registered": registered,
        "counts": {name: counts[name] or 0 for name in counts},
    }


def _detail_context(activity: Activity, session_form: SessionForm) -> dict[str, Any]:
    sessions = activity.sessions.annotate(
        people=Sum("counts__girls")
        + Sum("counts__boys")
        + Sum("counts__women")
        + Sum("counts__men")
        + Sum("counts__other"),
    )
    attendance = {
        row["pk"]: row["n"]
        for row in activity.sessions.annotate(n=Count("attendance")).values("pk", "n")
    }
    rows = [(session, session.people or 0, attendance.get(session.pk, 0)) for session in sessions]
    return {
        "activity": activity,
        "rows": rows,
        "figures": _figures(activity),
        "session_form": session_form,
    }


@capability_required(RECORD)
def detail_view(request: AuthenticatedRequest, activity_uuid: Any) -> HttpResponse:
    activity = access.get_activity(request.user, activity_uuid)
    return render(request, "activities/detail.html", _detail_context(activity, SessionForm()))


@capability_required(RECORD)
@require_POST
def session_add_view(request: AuthenticatedRequest, activity_uuid: Any) -> HttpResponse:
    activity = access.get_activity(request.user, activity_uuid)
    form = SessionForm(request.POST)
    if not form.is_valid():
        context = _detail_context(activity, form)
        return render(request, "activities/detail.html", context, status=400)
    actions.add_session(
        request.user, activity, form.cleaned_data["date"], form.cleaned_data["modality"]
    )
    messages.success(request, _("Session added."))
    return _detail(activity)


@capability_required(RECORD)
@require_POST
def session_remove_view(request: AuthenticatedRequest, session_uuid: Any) -> HttpResponse:
    session = access.get_session(request.user, session_uuid)
    try:
        actions.remove_session(request.user, session)
    except actions.ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Session removed."))
    return _detail(session.activity)


@capability_required(RECORD)
@require_http_methods(["GET", "POST"])
def counts_view(request: AuthenticatedRequest, session_uuid: Any) -> HttpResponse:
    session = access.get_session(request.user, session_uuid)
    form = CountsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_counts(request.user, session, data["population_type"], data)
        except actions.ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Counts saved."))
            return redirect("activities:counts", session_uuid=session.uuid)
    return render(
        request,
        "activities/counts.html",
        {
            "session": session,
            "activity": session.activity,
            "form": form,
            "errors": error_summary(form),
            "saved": session.counts.all(),
        },
        status=400 if form.errors else 200,
    )


@capability_required(RECORD)
@require_http_methods(["GET", "POST"])
def attendance_view(request: AuthenticatedRequest, session_uuid: Any) -> HttpResponse:
    session = access.get_session(request.user, session_uuid)
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("code")
        try:
            _participant, new = actions.record_attendance(request.user, session, code, data)
        except actions.ActivityError as error:
            form.add_error("code", str(error))
        else:
            messages.success(
                request,
                _("New participant registered and marked present.")
                if new
                else _("Known participant marked present."),
            )
            return redirect("activities:attendance", session_uuid=session.uuid)
    return render(
        request,
        "activities/attendance.html",
        {
            "session": session,
            "activity": session.activity,
            "form": form,
            "errors": error_summary(form),
            "present": session.attendance.count(),
        },
        status=400 if form.errors else 200,
    )


@capability_required(RECORD)
@require_http_methods(["GET", "POST"])
def import_view(request: AuthenticatedRequest, activity_uuid: Any) -> HttpResponse:
    activity = access.get_activity(request.user, activity_uuid)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = imports.import_attendance(
                    request.user, activity, upload.name or "", upload.read()
                )
            except actions.ActivityError as error:
                form.add_error("file", str(error))
            else:
                if result.ok:
                    messages.success(
                        request,
                        _("Import done: %(rows)s attendances, %(new)s new participants.")
                        % {"rows": result.recorded, "new": result.new_people},
                    )
                    return _detail(activity)
    return render(
        request,
        "activities/import.html",
        {"activity": activity, "form": form, "result": result, "errors": error_summary(form)},
        status=status,
    )
