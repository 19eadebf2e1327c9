"""People reached: API route under the ``reach_api`` namespace (/api/v1/reach/)."""

from __future__ import annotations

from django.urls import path

from ruta.measure import api_reach

app_name = "reach_api"

urlpatterns = [path("", api_reach.ReachView.as_view(), name="reach")]
