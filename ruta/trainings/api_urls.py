"""Trainings: API routes under the ``trainings_api`` namespace (/api/v1/trainings/)."""

from __future__ import annotations

from django.urls import path

from ruta.trainings import api

app_name = "trainings_api"

urlpatterns = [
    path("courses/", api.CourseViewSet.as_view({"get": "list"}), name="course-list"),
    path(
        "courses/<uuid:uuid>/",
        api.CourseViewSet.as_view({"get": "retrieve"}),
        name="course-detail",
    ),
    path("figures/", api.FiguresView.as_view(), name="figures"),
]
