"""Projects: API routes under the ``projects_api`` namespace (/api/v1/projects/)."""

from __future__ import annotations

from django.urls import path

from ruta.indicators import api

app_name = "projects_api"

urlpatterns = [
    path("", api.ProjectViewSet.as_view({"get": "list"}), name="project-list"),
    path("<uuid:uuid>/", api.ProjectViewSet.as_view({"get": "retrieve"}), name="project-detail"),
]
