"""GBV statistics: API routes under the ``statistics_api`` namespace (/api/v1/statistics/)."""

from __future__ import annotations

from django.urls import path

from ruta.statistics import api

app_name = "statistics_api"

urlpatterns = [path("gbv/", api.GBVStatisticsView.as_view(), name="gbv")]
