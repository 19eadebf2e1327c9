"""Routes of case management: cases (composed into the ``cases`` namespace by urls.py)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.cases import views_cases as views
from ruta.cases import views_exports

CASE = "<uuid:case_uuid>/"

urlpatterns: list[Any] = [
    path("", views.case_list_view, name="case_list"),
    path("nuevo/", views.case_create_view, name="case_create"),
    path("exportar/", views_exports.case_list_export_view, name="case_list_export"),
    path(CASE, views.case_detail_view, name="case_detail"),
    path(f"{CASE}persona/", views.client_edit_view, name="client_edit"),
    path(f"{CASE}consentimientos/nuevo/", views.consent_create_view, name="consent_create"),
    path(
        f"{CASE}consentimientos/<uuid:consent_uuid>/retirar/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path(f"{CASE}riesgo/", views.risk_edit_view, name="risk_edit"),
    path(f"{CASE}etapa/", views.stage_edit_view, name="stage_edit"),
    path(f"{CASE}reasignar/", views.reassign_view, name="reassign"),
    path(f"{CASE}cierre/", views.closure_create_view, name="closure_create"),
    path(f"{CASE}reabrir/", views.reopen_view, name="reopen"),
    path(f"{CASE}datos/decision/", views.storage_choice_view, name="storage_choice"),
    path(f"{CASE}expediente/", views_exports.record_export_view, name="record_export"),
]
