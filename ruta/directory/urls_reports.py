"""Directory reports: /directorio/informes/ (coverage gaps, HXL/3W export)."""

from django.urls import path

from ruta.directory import views_reports

app_name = "reports"

urlpatterns = [
    path("cobertura/", views_reports.coverage_view, name="coverage"),
    path("cobertura.csv", views_reports.coverage_csv_view, name="coverage_csv"),
    path("cobertura.xlsx", views_reports.coverage_xlsx_view, name="coverage_xlsx"),
    path("cobertura-larga.csv", views_reports.coverage_long_csv_view, name="coverage_long_csv"),
    path("cobertura-larga.xlsx", views_reports.coverage_long_xlsx_view, name="coverage_long_xlsx"),
    path("3w.csv", views_reports.hxl_csv_view, name="hxl_csv"),
    path("3w.xlsx", views_reports.hxl_xlsx_view, name="hxl_xlsx"),
]
