"""Indicators: API routes under the ``indicators_api`` namespace (/api/v1/indicators/)."""

from __future__ import annotations

from django.urls import path

from ruta.indicators import api

app_name = "indicators_api"

ONE = "<slug:framework>/<str:code>/"

urlpatterns = [
    path("", api.IndicatorViewSet.as_view({"get": "list"}), name="indicator-list"),
    path(ONE, api.IndicatorViewSet.as_view({"get": "retrieve"}), name="indicator-detail"),
    path(f"{ONE}results/", api.IndicatorResultsView.as_view(), name="indicator-results"),
]
