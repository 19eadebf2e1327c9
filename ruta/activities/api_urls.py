"""Activities: API routes under the ``activities_api`` namespace (/api/v1/activities/)."""

from __future__ import annotations

from django.urls import path

from ruta.activities import api

app_name = "activities_api"

urlpatterns = [
    path("", api.ActivityViewSet.as_view({"get": "list"}), name="activity-list"),
    path("<uuid:uuid>/", api.ActivityViewSet.as_view({"get": "retrieve"}), name="activity-detail"),
]
