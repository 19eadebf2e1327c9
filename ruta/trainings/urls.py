"""Trainings: HTML routes under the ``trainings`` namespace (/formacion/)."""

from __future__ import annotations

from django.urls import path

from ruta.trainings import views, views_figures, views_manage

app_name = "trainings"

COURSE = "cursos/<uuid:course_uuid>/"

urlpatterns = [
    path("", views.course_list_view, name="course_list"),
    path("mis-formaciones/", views.my_trainings_view, name="my_trainings"),
    path(f"{COURSE}", views.course_detail_view, name="course_detail"),
    path(f"{COURSE}mi-certificado/", views.my_certificate_pdf_view, name="my_certificate_pdf"),
    path("verificar/", views.verify_view, name="verify"),
    path("verificar/<str:code>/", views.verify_code_view, name="verify_code"),
    path("cifras/", views_figures.figures_view, name="figures"),
    # Coordinators
    path("cursos/nuevo/", views_manage.course_create_view, name="course_create"),
    path(f"{COURSE}editar/", views_manage.course_edit_view, name="course_edit"),
    path(f"{COURSE}gestion/", views_manage.course_manage_view, name="manage"),
    path(f"{COURSE}estado/", views_manage.course_status_view, name="course_status"),
    path(f"{COURSE}sesiones/", views_manage.session_add_view, name="session_add"),
    path(
        "sesiones/<uuid:session_uuid>/eliminar/",
        views_manage.session_remove_view,
        name="session_remove",
    ),
    path(f"{COURSE}inscribir/", views_manage.enrol_view, name="enrol"),
    path(f"{COURSE}importar/", views_manage.import_view, name="import"),
    path(f"{COURSE}asistencia/", views_manage.grid_view, name="grid"),
    path(f"{COURSE}certificados/", views_manage.issue_all_view, name="issue_all"),
    path(
        "inscripciones/<uuid:enrolment_uuid>/retirar/",
        views_manage.withdraw_view,
        name="withdraw",
    ),
    path(
        "inscripciones/<uuid:enrolment_uuid>/certificado/",
        views_manage.issue_view,
        name="issue",
    ),
    path(
        "certificados/<uuid:certificate_uuid>/pdf/",
        views_manage.certificate_pdf_view,
        name="certificate_pdf",
    ),
    path(
        "certificados/<uuid:certificate_uuid>/revocar/",
        views_manage.revoke_view,
        name="revoke",
    ),
]
