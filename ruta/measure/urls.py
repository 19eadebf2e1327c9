"""People reached and the R4V 5W: routes under the ``measure`` namespace (/alcance/)."""

from __future__ import annotations

from django.urls import path

from ruta.measure import views, views_dashboard, views_fivew, views_flows, views_public

app_name = "measure"

urlpatterns = [
    path("", views.reach_view, name="reach"),
    path("5w/", views.fivew_view, name="fivew"),
    path("5w/<str:fmt>/", views.fivew_download_view, name="fivew_download"),
    # Submitting the 5W (views_fivew): the organization's months, one month, the import.
    path("5w-envios/", views_fivew.months_view, name="fivew_months"),
    path("5w-envios/importar/", views_fivew.import_view, name="fivew_import"),
    path("5w-envios/<str:month>/", views_fivew.month_view, name="fivew_month"),
    path("5w-consolidado/", views_fivew.consolidated_view, name="fivew_consolidated"),
    path(
        "5w-consolidado/<str:fmt>/",
        views_fivew.consolidated_download_view,
        name="fivew_consolidated_download",
    ),
    path("panel/", views_dashboard.dashboard_view, name="dashboard"),
    path("panel/<str:chart>.csv", views_dashboard.dashboard_csv_view, name="dashboard_csv"),
    path("derivaciones/", views_flows.flows_view, name="flows"),
    path("derivaciones.csv", views_flows.flows_csv_view, name="flows_csv"),
    # The network's public dashboard, while a coordinator keeps it on (views_public).
    path("publico/", views_public.public_view, name="public"),
    path("publico/<str:chart>.csv", views_public.public_csv_view, name="public_csv"),
    path("publico/interruptor/", views_public.public_switch_view, name="public_switch"),
]
