"""Coordinators' training pages: courses with modules, sessions, enrolments, the
attendance and completion grid, imports and certificates.

Thin views: ``access`` finds the object (404 otherwise), ``actions``/``imports`` make
every change; a refused step answers 409 with its message and keeps what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.lib.permissions import Cap, capability_required
from ruta.trainings import access, actions, imports
from ruta.trainings.forms import (
    CourseForm,
    ImportForm,
    ModuleFormSet,
    PersonForm,
    RevokeForm,
    SessionForm,
    module_initial,
)
from ruta.trainings.models import (
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    TrainingSession,
)
from ruta.trainings.rules import progress
from ruta.trainings.views import pdf_response

HUB = Cap.MANAGE_PRACTICE_HUB


def _manage_url(course: Course) -> str:
    return reverse("trainings:manage", kwargs={"course_uuid": course.uuid})


def _grid_url(course: Course, column: str = "") -> str:
    url = reverse("trainings:grid", kwargs={"course_uuid": course.uuid})
    return f"{url}?col={column}" if column else url


# --- Course form with its modules ---------------------------------------------------------
def _module_specs(formset: Any) -> list[actions.ModuleSpec]:
    specs: list[actions.ModuleSpec] = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not data.get("title"):
            continue
        specs.append(
            actions.ModuleSpec(
                title=data["title"],
                hours=data.get("hours") or Decimal(0),
                order=len(specs) + 1,
                uuid=data.get("uuid"),
            )
        )
    return specs


def _course_form(request: AuthenticatedRequest, course: Course | None) -> HttpResponse:
    instance = course or Course()
    form = CourseForm(request.POST or None, instance=instance, prefix="course")
    formset = ModuleFormSet(request.POST or None, initial=module_initial(course), prefix="modules")
    status = 200
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        specs = _module_specs(formset)
        saved = form.save(commit=False)
        try:
            saved = actions.save_course(
                request.user,
                saved,
                organizers=form.cleaned_data["organizers"],
                modules=specs,
            )
        except actions.TrainingError as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _("Course saved."))
            return redirect(_manage_url(saved))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "trainings/manage/course_form.html",
        {"form": form, "formset": formset, "course": course},
        status=status,
    )


@capability_required(HUB)
@require_http_methods(["GET", "POST"])
def course_create_view(request: AuthenticatedRequest) -> HttpResponse:
    return _course_form(request, None)


@capability_required(HUB)
@require_http_methods(["GET", "POST"])
def course_edit_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    return _course_form(request, access.get_managed_course(request.user, course_uuid))


# --- The course's management page ---------------------------------------------------------
def _manage_page(
    request: HttpRequest,
    course: Course,
    *,
    session_form: SessionForm | None = None,
    person_form: PersonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sessions = list(course.sessions.select_related("module").order_by("starts_at"))
    modules = list(course.modules.order_by("order", "pk"))
    enrolments = course.enrolments.all()
    return render(
        request,
        "trainings/manage/course_manage.html",
        {
            "course": course,
            "modules": modules,
            "sessions": sessions,
            "organizers": list(course.organizers.order_by("name")),
            "enrolled": enrolments.filter(status=EnrolmentStatus.ENROLLED).count(),
            "withdrawn": enrolments.filter(status=EnrolmentStatus.WITHDRAWN).count(),
            "certified": enrolments.filter(certificate__isnull=False).count(),
            "session_form": session_form or SessionForm(course=course, prefix="session"),
            "person_form": person_form or PersonForm(prefix="person"),
            "next_statuses": [
                (value, CourseStatus(value).label)
                for value in sorted(actions.TRANSITIONS.get(course.status, ()))
            ],
        },
        status=status,
    )


@capability_required(HUB)
@require_GET
def course_manage_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    return _manage_page(request, access.get_managed_course(request.user, course_uuid))


@capability_required(HUB)
@require_POST
def course_status_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    course = access.get_managed_course(request.user, course_uuid)
    step = actions.STATUS_ACTIONS.get(request.POST.get("status", ""))
    if step is None:
        messages.error(request, _("Choose a valid status."))
        return _manage_page(request, course, status=400)
    try:
        step(request.user, course)
    except actions.TrainingError as error:
        messages.error(request, str(error))
        return _manage_page(request, course, status=409)
    messages.success(
        request, _("Status changed to “%(status)s”.") % {"status": course.get_status_display()}
    )
    return redirect(_manage_url(course))


@capability_required(HUB)
@require_POST
def session_add_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    course = access.get_managed_course(request.user, course_uuid)
    form = SessionForm(request.POST, course=course, prefix="session")
    if not form.is_valid():
        return _manage_page(request, course, session_form=form, status=400)
    try:
        actions.add_session(
            request.user,
            course,
            starts_at=form.cleaned_data["starts_at"],
            modality=form.cleaned_data["modality"],
            place=form.cleaned_data["place"],
            module=form.cleaned_data["module"],
        )
    except actions.TrainingError as error:
        form.add_error(None, str(error))
        return _manage_page(request, course, session_form=form, status=409)
    messages.success(request, _("Session added."))
    return redirect(_manage_url(course))


@capability_required(HUB)
@require_POST
def session_remove_view(request: AuthenticatedRequest, session_uuid: Any) -> HttpResponse:
    session = access.get_managed_session(request.user, session_uuid)
    course = session.course
    try:
        actions.remove_session(request.user, session)
    except actions.TrainingError as error:
        messages.error(request, str(error))
        return _manage_page(request, course, status=409)
    messages.success(request, _("Session removed."))
    return redirect(_manage_url(course))


@capability_required(HUB)
@require_POST
def enrol_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    course = access.get_managed_course(request.user, course_uuid)
    form = PersonForm(request.POST, prefix="person")
    if not form.is_valid():
        return _manage_page(request, course, person_form=form, status=400)
    data = form.cleaned_data
    try:
        enrolment, created = actions.enrol_by_email(
            request.user,
            course,
            full_name=data["full_name"],
            email=data["email"],
            organization=data["organization"],
            organization_name=data["organization_name"],
            sex=data["sex"],
            country=data["country"],
        )
    except actions.TrainingError as error:
        form.add_error(None, str(error))
        return _manage_page(request, course, person_form=form, status=409)
    person = enrolment.person
    if created:
        messages.success(request, _("%(name)s is enrolled.") % {"name": person.full_name})
    else:
        messages.info(request, _("%(name)s was already enrolled.") % {"name": person.full_name})
    return redirect(_grid_url(course))


@capability_required(HUB)
@require_POST
def withdraw_view(request: AuthenticatedRequest, enrolment_uuid: Any) -> HttpResponse:
    enrolment = access.get_managed_enrolment(request.user, enrolment_uuid)
    try:
        actions.withdraw(request.user, enrolment)
    except actions.TrainingError as error:
        messages.error(request, str(error))
        return _grid_page(request, enrolment.course, status=409)
    messages.success(request, _("Enrolment withdrawn."))
    return redirect(_grid_url(enrolment.course))


# --- The attendance and completion grid ---------------------------------------------------
@dataclass
class Column:
    key: str
    kind: str  # "s" (session) or "m" (module)
    label: str
    obj: Any
    short: str = ""


@dataclass
class GridCell:
    value: str
    checked: bool
    label: str


@dataclass
class GridRow:
    enrolment: Enrolment
    cells: list[GridCell] = field(default_factory=list)
    progress: Any = None
    certificate: Any = None


def _columns(sessions: list[TrainingSession], modules: list[Module]) -> list[Column]:
    from django.utils import timezone
    from django.utils.formats import date_format

    found = [
        Column(
            key=f"s-{s.uuid}",
            kind="s",
            label=date_format(timezone.localtime(s.starts_at), "SHORT_DATETIME_FORMAT"),
            obj=s,
        )
        for s in sessions
    ]
    found += [
        Column(
            key=f"m-{m.uuid}", kind="m", label=f"{m.order}. {m.title}", obj=m, short=str(m.order)
        )
        for m in modules
    ]
    return found


def build_grid(course: Course, column: str = "") -> dict[str, Any]:
    """The grid in a fixed number of queries, however many people and columns."""
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    modules = list(course.modules.order_by("order", "pk"))
    columns = _columns(sessions, modules)
    shown = [c for c in columns if c.key == column] or columns
    enrolments = list(
        course.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .select_related("person", "person__organization", "certificate")
        .prefetch_related("attendances", "completions")
        .order_by("person__full_name", "pk")
    )
    rows = []
    for enrolment in enrolments:
        attended = {a.session_id for a in enrolment.attendances.all()}
        completed = {c.module_id for c in enrolment.completions.all()}
        row = GridRow(
            enrolment=enrolment,
            progress=progress(
                course,
                modules_done=len(completed),
                sessions_attended=len(attended),
                module_count=len(modules),
                session_count=len(sessions),
            ),
            certificate=getattr(enrolment, "certificate", None),
        )
        for col in shown:
            done = attended if col.kind == "s" else completed
            what = _("attended") if col.kind == "s" else _("completed")
            row.cells.append(
                GridCell(
                    value=f"{col.key}|{enrolment.uuid}",
                    checked=col.obj.pk in done,
                    label=f"{enrolment.person.full_name} — {col.label}: {what}",
                )
            )
        rows.append(row)
    withdrawn = list(
        course.enrolments.filter(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
        .order_by("person__full_name")
    )
    return {
        "course": course,
        "columns": columns,
        "shown": shown,
        "column": column if len(shown) == 1 and len(columns) > 1 else "",
        "rows": rows,
        "withdrawn": withdrawn,
        "sessions": sessions,
        "modules": modules,
        "passed": sum(1 for r in rows if r.progress.passed),
        "can_issue": course.status != CourseStatus.DRAFT,
    }


def _grid_page(
    request: HttpRequest, course: Course, *, column: str = "", status: int = 200
) -> HttpResponse:
    context = build_grid(course, column)
    context["revoke_form"] = RevokeForm()
    return render(request, "trainings/manage/grid.html", context, status=status)


def _ticked(
    request: HttpRequest, columns: list[Column], enrolments: dict[str, int]
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    by_key = {c.key: c for c in columns}
    attended: set[tuple[int, int]] = set()
    completed: set[tuple[int, int]] = set()
    for value in request.POST.getlist("cell"):
        key, _sep, enrolment_uuid = value.partition("|")
        col = by_key.get(key)
        enrolment_pk = enrolments.get(enrolment_uuid)
        if col is None or enrolment_pk is None:
            continue
        (attended if col.kind == "s" else completed).add((enrolment_pk, col.obj.pk))
    return attended, completed


@capability_required(HUB)
@require_http_methods(["GET", "POST"])
def grid_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    course = access.get_managed_course(request.user, course_uuid)
    column = request.GET.get("col", "") if request.method == "GET" else request.POST.get("col", "")
    if request.method == "GET":
        return _grid_page(request, course, column=column)
    sessions = list(course.sessions.all())
    modules = list(course.modules.all())
    columns = _columns(sessions, modules)
    shown = [c for c in columns if c.key == column] or columns
    enrolments = {
        str(key): pk
        for key, pk in course.enrolments.filter(status=EnrolmentStatus.ENROLLED).values_list(
            "uuid", "pk"
        )
    }
    attended, completed = _ticked(request, shown, enrolments)
    try:
        change = actions.save_grid(
            request.user,
            course,
            sessions=[c.obj for c in shown if c.kind == "s"],
            modules=[c.obj for c in shown if c.kind == "m"],
            attended=attended,
            completed=completed,
        )
    except actions.TrainingError as error:
        messages.error(request, str(error))
        return _grid_page(request, course, column=column, status=409)
    messages.success(
        request,
        ngettext("Saved: %(count)s change.", "Saved: %(count)s changes.", change.total)
        % {"count": change.total},
    )
    return redirect(_grid_url(course, column))


# --- Import -------------------------------------------------------------------------------
@capability_required(HUB)
@require_http_methods(["GET", "POST"])
def import_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    course = access.get_managed_course(request.user, course_uuid)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = imports.import_enrolments(
                    request.user, course, upload.name or "", upload.read()
                )
            except actions.TrainingError as error:
                form.add_error("file", str(error))
                status = 400
            else:
                if result.ok:
                    messages.success(
                        request,
                        _(
                            "Import done: %(enrolled)s enrolled, %(already)s already enrolled, "
                            "%(new)s new people."
                        )
                        % {
                            "enrolled": result.enrolled,
                            "already": result.already,
                            "new": result.new_people,
                        },
                    )
                    return redirect(_grid_url(course))
                status = 400
        else:
            status = 400
    return render(
        request,
        "trainings/manage/import.html",
        {"course": course, "form": form, "result": result},
        status=status,
    )


# --- Certificates -------------------------------------------------------------------------
@capability_required(HUB)
@require_POST
def issue_view(request: AuthenticatedRequest, enrolment_uuid: Any) -> HttpResponse:
    enrolment = access.get_managed_enrolment(request.user, enrolment_uuid)
    try:
        certificate = actions.issue_certificate(request.user, enrolment)
    except actions.TrainingError as error:
        messages.error(request, f"{enrolment.person.full_name}: {error}")
        return _grid_page(request, enrolment.course, status=409)
    messages.success(
        request,
        _("Certificate %(code)s issued to %(name)s.")
        % {"code": certificate.display_code, "name": enrolment.person.full_name},
    )
    return redirect(_grid_url(enrolment.course))


@capability_required(HUB)
@require_POST
def issue_all_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    course = access.get_managed_course(request.user, course_uuid)
    try:
        result = actions.issue_to_all_passed(request.user, course)
    except actions.TrainingError as error:
        messages.error(request, str(error))
        return _grid_page(request, course, status=409)
    messages.success(
        request,
        _(
            "Certificates issued: %(issued)s. Already had one: %(already)s. "
            "Not passed yet: %(not_passed)s."
        )
        % {"issued": result.issued, "already": result.already, "not_passed": result.not_passed},
    )
    return redirect(_grid_url(course))


@capability_required(HUB)
@require_POST
def revoke_view(request: AuthenticatedRequest, certificate_uuid: Any) -> HttpResponse:
    certificate = access.get_managed_certificate(request.user, certificate_uuid)
    course = certificate.enrolment.course
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.revoke_certificate(request.user, certificate, reason)
    except actions.TrainingError as error:
        messages.error(request, str(error))
        return _grid_page(request, course, status=409)
    messages.success(
        request, _("Certificate %(code)s revoked.") % {"code": certificate.display_code}
    )
    return redirect(_grid_url(course))


@capability_required(HUB)
@require_GET
def certificate_pdf_view(request: AuthenticatedRequest, certificate_uuid: Any) -> HttpResponse:
    return pdf_response(access.get_managed_certificate(request.user, certificate_uuid))
