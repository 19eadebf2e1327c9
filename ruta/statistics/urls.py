"""GBV statistics: routes under the ``statistics`` namespace (/estadisticas/)."""

from __future__ import annotations

from django.urls import path

from ruta.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.tables_view, name="tables"),
    path("protocolo/", views.isp_view, name="isp"),
    path("protocolo/retirar/", views.isp_withdraw_view, name="isp_withdraw"),
    path("protocolos/", views.signatories_view, name="signatories"),
    path("publicar/", views.publish_view, name="publish"),
    path("informes/", views.report_list_view, name="report_list"),
    path("informes/<uuid:uuid>/", views.report_detail_view, name="report_detail"),
    path("informes/<uuid:uuid>/<str:fmt>/", views.report_download_view, name="report_download"),
]
