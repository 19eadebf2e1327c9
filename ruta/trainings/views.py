"""Trainings for registered users (courses, my trainings, my certificate) and the public
certificate verification page. Coordinators' pages are in ``views_manage``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ruta.lib.pagination import paginate
from ruta.lib.permissions import login_only, public
from ruta.trainings import access, certificates
from ruta.trainings.forms import VerifyForm
from ruta.trainings.models import Certificate, Course, normalise_code
from ruta.trainings.rules import annotate_progress, course_counts, progress_of


def pdf_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(
        certificates.certificate_pdf(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificates.file_name(certificate)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_only
@require_GET
def course_list_view(request: AuthenticatedRequest) -> HttpResponse:
    courses = (
        course_counts(access.visible_courses(request.user))
        .prefetch_related("organizers")
        .order_by("-starts_on", "title")
    )
    mine = set(access.own_enrolments(request.user).values_list("course_id", flat=True))
    return render(
        request,
        "trainings/course_list.html",
        {
            "page": paginate(request, courses, per_page=30),
            "mine": mine,
            "can_manage": access.can_manage(request.user),
        },
    )


@login_only
@require_GET
def course_detail_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    course = access.get_course(request.user, course_uuid)
    counted = course_counts(Course.objects.filter(pk=course.pk)).get()
    enrolment = (
        annotate_progress(access.own_enrolments(request.user).filter(course=course))
        .select_related("certificate")
        .first()
    )
    return render(
        request,
        "trainings/course_detail.html",
        {
            "course": course,
            "counted": counted,
            "modules": list(course.modules.order_by("order", "pk")),
            "sessions": list(course.sessions.select_related("module").order_by("starts_at")),
            "organizers": list(course.organizers.order_by("name")),
            "enrolment": enrolment,
            "progress": progress_of(enrolment, counted) if enrolment else None,
            "certificate": getattr(enrolment, "certificate", None) if enrolment else None,
            "can_manage": access.can_manage(request.user),
        },
    )


@login_only
@require_GET
def my_trainings_view(request: AuthenticatedRequest) -> HttpResponse:
    enrolments = list(
        annotate_progress(access.own_enrolments(request.user))
        .select_related("course", "certificate")
        .order_by("-course__starts_on")
    )
    counted = {
        c.pk: c
        for c in course_counts(Course.objects.filter(pk__in=[e.course_id for e in enrolments]))
    }
    rows = [
        {
            "enrolment": e,
            "course": counted[e.course_id],
            "progress": progress_of(e, counted[e.course_id]),
            "certificate": getattr(e, "certificate", None),
        }
        for e in enrolments
    ]
    return render(request, "trainings/my_trainings.html", {"rows": rows})


@login_only
@require_GET
def my_certificate_pdf_view(request: AuthenticatedRequest, course_uuid: Any) -> HttpResponse:
    """The requesting person's own certificate for this course; 404 if they have none."""
    return pdf_response(access.get_own_certificate(request.user, course_uuid))


# --- Public verification -------------------------------------------------------------
@public
@require_GET
def verify_view(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("trainings:verify_code", code=form.cleaned_data["code"])
    return render(request, "trainings/verify.html", {"form": form})


@public
@require_GET
def verify_code_view(request: HttpRequest, code: str) -> HttpResponse:
    certificate = (
        Certificate.objects.select_related("enrolment__course", "enrolment__person")
        .filter(verification_code=normalise_code(code))
        .first()
    )
    form = VerifyForm(initial={"code": code})
    if certificate is None:
        return render(
            request,
            "trainings/verify.html",
            {"form": form, "unknown": True, "typed": code},
            status=404,
        )
    return render(
        request,
        "trainings/verify.html",
        {"form": form, "c": certificates.describe(certificate)},
    )
