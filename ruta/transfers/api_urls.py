"""Transfers: API routes under the ``transfers_api`` namespace (see ruta/transfers/api.py)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.transfers import api

app_name = "transfers_api"

urlpatterns: list[Any] = [
    path("", api.TransferListView.as_view(), name="transfer-list"),
    path("<uuid:uuid>/", api.TransferDetailView.as_view(), name="transfer-detail"),
    path("<uuid:uuid>/accept/", api.TransferAcceptView.as_view(), name="transfer-accept"),
    path("<uuid:uuid>/decline/", api.TransferDeclineView.as_view(), name="transfer-decline"),
    path("<uuid:uuid>/cancel/", api.TransferCancelView.as_view(), name="transfer-cancel"),
]
