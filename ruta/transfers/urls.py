"""Transfers: HTML routes under the ``transfers`` namespace."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.transfers import views, views_packages

app_name = "transfers"

T = "<uuid:transfer_uuid>/"

urlpatterns: list[Any] = [
    path("", views.inbox_view, name="inbox"),
    path("solicitar/<uuid:case_uuid>/", views.request_view, name="request"),
    path(T, views.detail_view, name="detail"),
    path(f"{T}aceptar/", views.accept_view, name="accept"),
    path(f"{T}rechazar/", views.decline_view, name="decline"),
    path(f"{T}cancelar/", views.cancel_view, name="cancel"),
    path("enviados/", views.transferred_out_list_view, name="transferred_out_list"),
    path(f"enviados/{T}", views.transferred_out_view, name="transferred_out"),
    path("paquetes/exportar/<uuid:case_uuid>/", views_packages.export_view, name="package_export"),
    path("paquetes/importar/", views_packages.import_view, name="package_import"),
]
