"""My exports, under ``/exportaciones/`` (namespace ``exports``)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.exports import views

app_name = "exports"

urlpatterns: list[Any] = [
    path("", views.list_view, name="list"),
    path("<uuid:export_uuid>/descargar/", views.download_view, name="download"),
    path("auditoria/", views.audit_csv_view, name="audit_csv"),
]
