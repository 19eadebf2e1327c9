"""Routes of case management: records (composed into the ``cases`` namespace by urls.py)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.cases import views_records as views

CASE = "<uuid:case_uuid>/"

urlpatterns: list[Any] = [
    path(f"{CASE}incidentes/nuevo/", views.incident_create_view, name="incident_create"),
    path(f"{CASE}evaluaciones/nueva/", views.assessment_create_view, name="assessment_create"),
    path(
        f"{CASE}evaluaciones/<uuid:assessment_uuid>/",
        views.assessment_detail_view,
        name="assessment_detail",
    ),
    path(f"{CASE}plan/", views.plan_view, name="plan"),
    path(f"{CASE}plan/objetivos/nuevo/", views.goal_create_view, name="goal_create"),
    path(
        f"{CASE}plan/objetivos/<uuid:goal_uuid>/acciones/nueva/",
        views.action_create_view,
        name="action_create",
    ),
    path(f"{CASE}plan/acciones/<uuid:action_uuid>/", views.action_edit_view, name="action_edit"),
    path(f"{CASE}plan-de-seguridad/", views.safety_plan_view, name="safety_plan"),
    path(
        f"{CASE}plan-de-seguridad/imprimir/",
        views.safety_plan_print_view,
        name="safety_plan_print",
    ),
    path(f"{CASE}seguimientos/nuevo/", views.follow_up_create_view, name="follow_up_create"),
    path(f"{CASE}medidas/", views.measures_view, name="measures"),
    path(f"{CASE}medidas/nueva/", views.measure_create_view, name="measure_create"),
]
