"""People reached and the R4V 5W: routes under the ``measure`` namespace (/alcance/)."""

from __future__ import annotations

from django.urls import path

from ruta.measure import views, views_dashboard

app_name = "measure"

urlpatterns = [
    path("", views.reach_view, name="reach"),
    path("5w/", views.fivew_view, name="fivew"),
    path("5w/<str:fmt>/", views.fivew_download_view, name="fivew_download"),
    path("panel/", views_dashboard.dashboard_view, name="dashboard"),
    path("panel/<str:chart>.csv", views_dashboard.dashboard_csv_view, name="dashboard_csv"),
]
