"""Good practices: API routes under the ``practices_api`` namespace (/api/v1/practices/)."""

from __future__ import annotations

from django.urls import path

from ruta.practices import api

app_name = "practices_api"

urlpatterns = [
    path("", api.PracticeListView.as_view(), name="practice-list"),
    path("<uuid:uuid>/", api.PracticeDetailView.as_view(), name="practice-detail"),
]
