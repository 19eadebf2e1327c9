"""Reports API routes under the ``reports_api`` namespace (/api/v1/reports/)."""

from __future__ import annotations

from django.urls import path

from ruta.measure import api_fivew

app_name = "reports_api"

urlpatterns = [path("5w/", api_fivew.FiveWView.as_view(), name="fivew")]
