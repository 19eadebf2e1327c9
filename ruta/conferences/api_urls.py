"""Case conferences: API routes under the ``conferences_api`` namespace."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.conferences import api

app_name = "conferences_api"

urlpatterns: list[Any] = [
    path("", api.ConferenceListView.as_view(), name="conference-list"),
    path("<uuid:uuid>/", api.ConferenceDetailView.as_view(), name="conference-detail"),
    path("<uuid:uuid>/acknowledge/", api.AcknowledgeView.as_view(), name="conference-acknowledge"),
]
